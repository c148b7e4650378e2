import { UserInputError } from '../errors';

/**
 * What `/asana create` asked for, before anything is resolved. Values are still in Slack's raw form
 * (entities and `<@U…|label>` tokens intact) so the caller can resolve mentions and decode once.
 */
export interface CreateRequest {
  name: string;
  dueText?: string;
  /** Only with `start:<date>`; `parseCreateText` refuses a start without a due date (Asana does too). */
  startText?: string;
  projectText?: string;
  sectionText?: string;
  /** `me`, `@handle` or a `<@U…>` token, kept as typed. */
  assigneeText?: string;
}

export interface ParseCreateOptions {
  /** Whether the whole string is a due date the date parser accepts; used to choose between readings. */
  isDate: (text: string) => boolean;
}

type ClauseKind = 'due' | 'start' | 'project' | 'assignee';

interface Token {
  start: number;
  end: number;
  /** Set when the token is one quoted group: the text between the quotes. */
  quoted?: string;
  /** Set when the token opens a clause: a bare `due`/`in`/`for`, or a `due:`-style prefix. */
  keyword?: ClauseKind;
}

interface Clause {
  kind: ClauseKind;
  /** Token index of the keyword. */
  at: number;
  value: string;
  section?: string;
  isDate?: boolean;
}

interface Reading {
  clauses: Clause[];
  name: string;
}

const BARE_KEYWORDS: Record<string, ClauseKind> = { due: 'due', in: 'project', for: 'assignee' };

/** `start` has no bare form: too many task names begin with the word. */
const PREFIX_KEYWORD = /(due|in|project|for|start):/iy;
const PREFIX_KINDS: Record<string, ClauseKind> = {
  due: 'due',
  in: 'project',
  project: 'project',
  for: 'assignee',
  start: 'start',
};

// Phones turn quotes into curly ones; German and Swedish keyboards produce „…“ and ”…”. Any quote of
// the same family closes, so a mixed pair still works.
const DOUBLE_QUOTES = '"“”„‟';
const SINGLE_QUOTES = "'‘’‚‛";

/** A clause value longer than this is not a plausible date, project or person, which bounds the search. */
const MAX_VALUE_TOKENS = 16;

const ASSIGNEE = /^(?:<@[UW][A-Z0-9_]+(?:\|[^<>]*)?>|@[^\s@<>]+|me)$/i;

const USAGE = '`/asana create <name> [due <date>] [in <project> / <section>] [for @person|me]`';

/**
 * Splits `/asana create …` text into the task name and the trailing clauses
 * `due <date>`, `in <project>[ / <section>]`, `for @person|me` (also `due:`, `in:`, `project:`, `for:`
 * and `start:`), in any order, each at most once. Everything before the clauses is the name; a name
 * that itself ends in such words goes in quotes: `"Fix typo in README" in Docs`.
 *
 * When the text can be split several ways the preferred reading is, in order:
 * 1. the one where a `due` clause holds a date (`Call Bob due in 3 days` -> due `in 3 days`);
 * 2. one that leaves a name (`Due diligence` is a name, not a due date without a task);
 * 3. the one that recognises more clauses;
 * 4. the one with fewer due clauses that are not dates (so `Pay invoice due in Docs` keeps "due" in the name);
 * 5. the one whose clauses start latest, i.e. the shortest values: a second `in X` wins and the
 *    earlier one stays in the name (`Fix typo in README in Docs` -> project `Docs`).
 * A trailing `due <something>` that is no date is still taken as the due clause, so a typo such as
 * `due tomorow` is reported by the date parser instead of silently becoming part of the name.
 *
 * The text should be normalised (`normalizeCommandText`) but not yet decoded: Slack tokens such as
 * `<https://…|a label>` are kept whole and never split.
 */
export function parseCreateText(text: string, options: ParseCreateOptions): CreateRequest {
  const tokens = tokenize(text);
  const isDate = memoize(options.isDate);
  let best: { reading: Reading; score: number[] } | undefined;
  for (const clauses of readings(tokens, tokens.length, new Set(), text, isDate)) {
    const name = segmentText(text, tokens, 0, clauses[0]?.at ?? tokens.length, clauses.length > 0);
    const reading = { clauses, name };
    const score = scoreOf(reading);
    if (!best || compareScores(score, best.score) > 0) best = { reading, score };
  }

  const reading = best?.reading ?? { clauses: [], name: '' };
  if (!reading.name) {
    throw new UserInputError('Give the task a name, e.g. `/asana create Update onboarding doc due friday`');
  }
  const request: CreateRequest = { name: reading.name };
  for (const clause of reading.clauses) {
    if (clause.kind === 'due') request.dueText = clause.value;
    if (clause.kind === 'start') request.startText = clause.value;
    if (clause.kind === 'assignee') request.assigneeText = /^me$/i.test(clause.value) ? 'me' : clause.value;
    if (clause.kind === 'project') {
      request.projectText = clause.value;
      if (clause.section !== undefined) request.sectionText = clause.section;
    }
  }
  if (request.startText !== undefined && request.dueText === undefined) {
    throw new UserInputError(
      'A start date needs a due date too (Asana requires both), e.g. ' +
        '`/asana create Plan launch start:2024-05-01 due:2024-05-10`.',
    );
  }
  return request;
}

function memoize(isDate: (text: string) => boolean): (text: string) => boolean {
  const seen = new Map<string, boolean>();
  return (value) => {
    let known = seen.get(value);
    if (known === undefined) {
      known = isDate(value);
      seen.set(value, known);
    }
    return known;
  };
}

/**
 * Splits on whitespace, keeping quoted groups and Slack `<…>` tokens whole. A quote opens only at the
 * start of a word and closes only at the end of one, so the apostrophe in `Don’t` is just a letter.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }

    PREFIX_KEYWORD.lastIndex = i;
    const prefix = PREFIX_KEYWORD.exec(text);
    if (prefix) {
      const end = i + prefix[0].length;
      tokens.push({ start: i, end, keyword: PREFIX_KINDS[prefix[1].toLowerCase()] });
      i = end;
      if (i >= text.length || /\s/.test(text[i])) continue;
    }

    const quoted = readQuoted(text, i);
    if (quoted) {
      tokens.push(quoted);
      i = quoted.end;
      continue;
    }

    const start = i;
    while (i < text.length && !/\s/.test(text[i])) {
      const close = text[i] === '<' ? text.indexOf('>', i) : -1;
      // A Slack token's label may contain spaces (`<https://x|the spec>`); it is one word to us.
      i = close !== -1 && !text.slice(i + 1, close).includes('<') ? close + 1 : i + 1;
    }
    const word = text.slice(start, i);
    const keyword = prefix ? undefined : BARE_KEYWORDS[word.toLowerCase()];
    tokens.push({ start, end: i, ...(keyword ? { keyword } : {}) });
  }
  return tokens;
}

/** A quoted group starting at `start`, or undefined when there is no quote there. */
function readQuoted(text: string, start: number): Token | undefined {
  const family = DOUBLE_QUOTES.includes(text[start])
    ? DOUBLE_QUOTES
    : SINGLE_QUOTES.includes(text[start])
      ? SINGLE_QUOTES
      : undefined;
  if (!family) return undefined;
  for (let j = start + 1; j < text.length; j++) {
    if (family.includes(text[j]) && (j + 1 === text.length || /\s/.test(text[j + 1]))) {
      return { start, end: j + 1, quoted: text.slice(start + 1, j) };
    }
  }
  // An unmatched single quote at the start of a word is an apostrophe (’90s, ’tis), not a mistake.
  if (family === SINGLE_QUOTES) return undefined;
  throw new UserInputError(
    `A quote mark is never closed. Put the task name between a matching pair of quotes, e.g. ` +
      `\`/asana create "Fix typo in README" in Docs\`, or leave the quotes out. Usage: ${USAGE}`,
  );
}

/**
 * The text of tokens [from, to): a lone quoted token gives what is inside the quotes; anything else
 * is the original text, quotes included. A comma before the next clause is punctuation, not content.
 */
function segmentText(text: string, tokens: Token[], from: number, to: number, trimComma: boolean): string {
  if (from >= to) return '';
  if (to - from === 1 && tokens[from].quoted !== undefined) return (tokens[from].quoted ?? '').trim();
  const raw = text.slice(tokens[from].start, tokens[to - 1].end);
  return trimComma ? raw.replace(/[\s,]+$/, '') : raw;
}

/** Every way to read tokens [?, end) as trailing clauses, the last clause first found. */
function* readings(
  tokens: Token[],
  end: number,
  used: Set<ClauseKind>,
  text: string,
  isDate: (text: string) => boolean,
): Generator<Clause[]> {
  yield [];
  for (let at = end - 2; at >= 0 && end - at - 1 <= MAX_VALUE_TOKENS; at--) {
    const kind = tokens[at].keyword;
    if (!kind || used.has(kind)) continue;
    const clause = makeClause(kind, at, end, tokens, text, isDate);
    if (!clause) continue;
    const withThis = new Set(used).add(kind);
    for (const earlier of readings(tokens, at, withThis, text, isDate)) yield [...earlier, clause];
  }
}

/** The clause for keyword `at` with value tokens (at, end), or undefined when the value cannot be one. */
function makeClause(
  kind: ClauseKind,
  at: number,
  end: number,
  tokens: Token[],
  text: string,
  isDate: (text: string) => boolean,
): Clause | undefined {
  const value = segmentText(text, tokens, at + 1, end, true);
  if (!value) return undefined;
  switch (kind) {
    case 'due':
    case 'start':
      return { kind, at, value, isDate: isDate(value) };
    case 'assignee':
      return end - at === 2 && ASSIGNEE.test(value) ? { kind, at, value } : undefined;
    case 'project': {
      // Only a free-standing slash separates the section, so `CI/CD` stays one project name.
      const slash = tokens.findIndex(
        (t, i) => i > at && i < end && !t.quoted && text.slice(t.start, t.end) === '/',
      );
      if (slash === -1) return { kind, at, value };
      const project = segmentText(text, tokens, at + 1, slash, true);
      const section = segmentText(text, tokens, slash + 1, end, true);
      return project && section ? { kind, at, value: project, section } : undefined;
    }
  }
}

/** Higher is better, compared element by element; see `parseCreateText` for the order. */
function scoreOf(reading: Reading): number[] {
  const dated = reading.clauses.filter((c) => c.isDate !== undefined);
  return [
    dated.filter((c) => c.isDate).length,
    reading.name ? 1 : 0,
    reading.clauses.length,
    -dated.filter((c) => !c.isDate).length,
    ...reading.clauses.map((c) => c.at),
  ];
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}
