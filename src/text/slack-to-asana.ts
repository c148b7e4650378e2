import { slackToPlainText } from './slack-text';
import { escapeXmlAttribute, escapeXmlText, stripXmlForbidden } from './xml';

/**
 * Slack message text (escaped wire form) to Asana rich text (`html_notes` / `html_text`).
 *
 * Asana rejects the whole request with a 400 when the XML is not well formed or uses a tag it does
 * not know, so the output is built from a closed set of tags and every piece of text goes through
 * one escaping function. The parse runs in this order so that nothing is decoded twice and decoded
 * brackets never become tokens (field case C06):
 *   1. split the raw text into `<…>` control tokens and text runs, decoding entities in the runs;
 *   2. cut out ```code blocks```;
 *   3. classify whole lines as quote, list item or paragraph;
 *   4. find `*bold*`, `_italic_`, `~strike~` and `` `code` `` inside each line.
 */

export interface SlackToAsanaOptions {
  /** Current display names by Slack user id, used for mentions that are not turned into Asana mentions. */
  userNames?: Map<string, string>;
  /** Asana user gid by Slack user id; a mentioned user found here becomes a real Asana mention. */
  asanaGids?: Map<string, string>;
}

export interface AsanaRichText {
  /** Well-formed XML with a single `<body>` root, using only tags Asana accepts. */
  html: string;
  /** The same message as plain text, exactly what slackToPlainText returns. */
  plain: string;
}

/** One decoded character (a whole code point) or one undecoded `<…>` Slack control token. */
type Unit = { kind: 'char'; char: string } | { kind: 'token'; raw: string; body: string };

interface Line {
  units: Unit[];
  /**
   * False when a code block sits on the same line: "- ```x```" is text next to a code block, not a
   * list item, so such a line is never read as a quote or list.
   */
  whole: boolean;
}

type Item = { kind: 'line'; line: Line } | { kind: 'code'; html: string };

interface ListItemLine {
  indent: number;
  ordered: boolean;
  number: number;
  content: Unit[];
}

interface ListNode {
  ordered: boolean;
  indent: number;
  items: Array<{ content: Unit[]; children: ListNode[] }>;
}

/** Piece of output: a line's inline content, or a block element that starts and ends its own line. */
interface Piece {
  block: boolean;
  html: string;
}

/** Same token shape slackToPlainText recognises, so both outputs agree on what is a token. */
const TOKEN_PATTERN = /<([^<>]*)>/g;

/** Characters outside XML 1.0's `Char` production: most C0 controls, U+FFFE/U+FFFF and lone surrogates. */

const INLINE_TAGS = new Map([
  ['*', 'strong'],
  ['_', 'em'],
  ['~', 's'],
  ['`', 'code'],
]);

const LINKABLE_URL = /^(?:https?:\/\/|mailto:)\S+$/i;

const BULLET_ITEM = /^([ \t]*)([•*-]) /;
/**
 * Ordered items need a canonical number (no leading zero); whether the number fits the list is
 * decided later, so "2024. was a year" does not turn into a one-item list numbered 1.
 */
const ORDERED_ITEM = /^([ \t]*)([1-9]\d{0,8})\. /;

/** Converts Slack message text to Asana rich text plus the matching plain text. */
export function slackToAsanaRichText(text: string, options: SlackToAsanaOptions = {}): AsanaRichText {
  const items = splitItems(lex(text), options);
  return {
    html: `<body>${joinPieces(buildPieces(items, options))}</body>`,
    plain: slackToPlainText(text, { userNames: options.userNames }),
  };
}

function lex(text: string): Unit[] {
  const units: Unit[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const index = match.index ?? 0;
    pushChars(units, text.slice(last, index));
    units.push({ kind: 'token', raw: match[0], body: match[1] });
    last = index + match[0].length;
  }
  pushChars(units, text.slice(last));
  return units;
}

function pushChars(units: Unit[], run: string): void {
  // A run between tokens holds no complete `<…>`, so slackToPlainText only decodes its entities:
  // the decoding is shared with `plain` instead of written twice.
  for (const char of slackToPlainText(run)) units.push({ kind: 'char', char });
}

function isChar(unit: Unit | undefined, char: string): boolean {
  return unit !== undefined && unit.kind === 'char' && unit.char === char;
}

function isFence(units: Unit[], index: number): boolean {
  return isChar(units[index], '`') && isChar(units[index + 1], '`') && isChar(units[index + 2], '`');
}

/** Cuts code blocks out of the unit stream and splits the rest into lines. */
function splitItems(units: Unit[], options: SlackToAsanaOptions): Item[] {
  const items: Item[] = [];
  let start = 0;
  let index = 0;
  while (index + 2 < units.length) {
    if (!isFence(units, index)) {
      index++;
      continue;
    }
    // At least one unit of content, so "``````" stays literal text.
    let close = index + 4;
    while (close + 2 < units.length && !isFence(units, close)) close++;
    // No fence closes this one, and none can close a later opener either: the rest is plain text.
    if (close + 2 >= units.length) break;

    pushLines(items, units.slice(start, index), start > 0, true);
    items.push({ kind: 'code', html: `<pre>${codeBlockHtml(units.slice(index + 3, close), options)}</pre>` });
    index = close + 3;
    start = index;
  }
  pushLines(items, units.slice(start), start > 0, false);
  return items;
}

/**
 * `afterCode`: the first line continues the line a code block ended on. `beforeCode`: the last line
 * runs into a code block. Such partial lines are never classified, and an empty one is dropped
 * because the code block already starts or ends a line.
 */
function pushLines(items: Item[], units: Unit[], afterCode: boolean, beforeCode: boolean): void {
  const lines: Unit[][] = [[]];
  for (const unit of units) {
    if (isChar(unit, '\n')) lines.push([]);
    else lines[lines.length - 1].push(unit);
  }
  lines.forEach((lineUnits, index) => {
    const partial = (index === 0 && afterCode) || (index === lines.length - 1 && beforeCode);
    if (partial && lineUnits.length === 0) return;
    items.push({ kind: 'line', line: { units: lineUnits, whole: !partial } });
  });
}

function codeBlockHtml(units: Unit[], options: SlackToAsanaOptions): string {
  // Slack drops the line break right after the opening fence and right before the closing one.
  let from = 0;
  let to = units.length;
  if (isChar(units[from], '\n')) from++;
  if (to > from && isChar(units[to - 1], '\n')) to--;
  return escapeXmlText(plainTextOf(units.slice(from, to), options));
}

/** Text of units with no markup: code keeps tokens as readable words, never as links or mentions. */
function plainTextOf(units: Unit[], options: SlackToAsanaOptions): string {
  let text = '';
  for (const unit of units) {
    text += unit.kind === 'char' ? unit.char : slackToPlainText(unit.raw, { userNames: options.userNames });
  }
  return text;
}

/** Groups lines into paragraphs, quotes and lists. */
function buildPieces(items: Item[], options: SlackToAsanaOptions): Array<Piece | 'newline'> {
  const pieces: Array<Piece | 'newline'> = [];
  let quote: string[] | undefined;
  let list: ListBuilder | undefined;
  let quoteRestOfRegion = false;

  const flush = (): void => {
    if (quote) pieces.push({ block: true, html: `<blockquote>${quote.join('\n')}</blockquote>` });
    if (list) pieces.push({ block: true, html: list.html(options) });
    quote = undefined;
    list = undefined;
  };

  for (const item of items) {
    if (item.kind === 'code') {
      flush();
      quoteRestOfRegion = false;
      pieces.push({ block: true, html: item.html });
      continue;
    }
    const { units, whole } = item.line;

    // `>>>` quotes everything after it (up to a code block, which ends the region).
    if (quoteRestOfRegion || (whole && startsWithChars(units, '>>>'))) {
      const content = quoteRestOfRegion ? units : units.slice(isChar(units[3], ' ') ? 4 : 3);
      quoteRestOfRegion = true;
      if (!quote) flush();
      quote ??= [];
      quote.push(inlineHtml(content, options));
      continue;
    }
    if (whole && isChar(units[0], '>')) {
      if (!quote) flush();
      quote ??= [];
      quote.push(inlineHtml(units.slice(isChar(units[1], ' ') ? 2 : 1), options));
      continue;
    }
    const listItem = whole ? readListItem(units) : undefined;
    if (listItem) {
      if (!list) flush();
      if (list?.tryAdd(listItem)) continue;
      const fresh = new ListBuilder();
      if (fresh.tryAdd(listItem)) {
        flush();
        list = fresh;
        continue;
      }
    }
    flush();
    const last = pieces[pieces.length - 1];
    // Only two lines of text keep the break between them; blocks imply their own.
    if (last !== undefined && last !== 'newline' && !last.block) pieces.push('newline');
    pieces.push({ block: false, html: inlineHtml(units, options) });
  }
  flush();
  return pieces;
}

function joinPieces(pieces: Array<Piece | 'newline'>): string {
  return pieces.map((piece) => (piece === 'newline' ? '\n' : piece.html)).join('');
}

function startsWithChars(units: Unit[], chars: string): boolean {
  return [...chars].every((char, index) => isChar(units[index], char));
}

function readListItem(units: Unit[]): ListItemLine | undefined {
  // Markers are plain characters at the start of the line; read them from the leading characters only.
  let prefix = '';
  for (const unit of units) {
    if (unit.kind !== 'char' || prefix.length > 64) break;
    prefix += unit.char;
  }
  const ordered = ORDERED_ITEM.exec(prefix);
  const match = ordered ?? BULLET_ITEM.exec(prefix);
  if (!match) return undefined;
  return {
    indent: indentWidth(match[1]),
    ordered: ordered !== null,
    number: ordered ? Number(ordered[2]) : 0,
    content: units.slice([...match[0]].length),
  };
}

function indentWidth(whitespace: string): number {
  let width = 0;
  for (const char of whitespace) width += char === '\t' ? 4 : 1;
  return width;
}

/**
 * Builds nested lists from indented item lines. An item deeper than the current list nests inside
 * its last item; ordered items must count 1, 2, 3… so the numbers Asana shows are the ones typed.
 */
class ListBuilder {
  private readonly roots: ListNode[] = [];
  private readonly open: ListNode[] = [];

  /** Adds the item, or returns false (changing nothing) when it cannot belong to this list. */
  tryAdd(item: ListItemLine): boolean {
    let depth = this.open.length;
    while (depth > 0 && this.open[depth - 1].indent > item.indent) depth--;
    const top = depth > 0 ? this.open[depth - 1] : undefined;
    const entry = { content: item.content, children: [] as ListNode[] };

    if (top && top.indent === item.indent && top.ordered === item.ordered) {
      if (item.ordered && item.number !== top.items.length + 1) return false;
      this.open.length = depth;
      top.items.push(entry);
      return true;
    }
    if (item.ordered && item.number !== 1) return false;

    const list: ListNode = { ordered: item.ordered, indent: item.indent, items: [entry] };
    if (top && item.indent > top.indent) {
      top.items[top.items.length - 1].children.push(list);
      this.open.length = depth;
    } else if (top) {
      // Same depth, other kind of list: a sibling list under the same parent item.
      const parent = depth > 1 ? this.open[depth - 2] : undefined;
      if (parent) parent.items[parent.items.length - 1].children.push(list);
      else this.roots.push(list);
      this.open.length = depth - 1;
    } else {
      this.roots.push(list);
      this.open.length = 0;
    }
    this.open.push(list);
    return true;
  }

  html(options: SlackToAsanaOptions): string {
    return this.roots.map((list) => listHtml(list, options)).join('');
  }
}

function listHtml(list: ListNode, options: SlackToAsanaOptions): string {
  const tag = list.ordered ? 'ol' : 'ul';
  const items = list.items.map(
    (item) =>
      `<li>${inlineHtml(item.content, options)}${item.children.map((child) => listHtml(child, options)).join('')}</li>`,
  );
  return `<${tag}>${items.join('')}</${tag}>`;
}

function isSpace(unit: Unit | undefined): boolean {
  return unit !== undefined && unit.kind === 'char' && /^\s$/u.test(unit.char);
}

/** Letters, digits and tokens glue to a marker, so `snake_case` and `2*3*4` are not formatting. */
function isWordLike(unit: Unit | undefined): boolean {
  return unit !== undefined && (unit.kind === 'token' || /^[\p{L}\p{N}]$/u.test(unit.char));
}

/**
 * A doubled marker (`**`, `__init__`) is left as typed: it is not Slack syntax, and reading half of
 * it as formatting would drop a character the person wrote.
 */
function isDoubled(units: Unit[], index: number): boolean {
  const unit = units[index];
  if (unit.kind !== 'char') return false;
  return isChar(units[index - 1], unit.char) || isChar(units[index + 1], unit.char);
}

function canOpen(units: Unit[], index: number): boolean {
  const next = units[index + 1];
  return !isWordLike(units[index - 1]) && next !== undefined && !isSpace(next) && !isDoubled(units, index);
}

function canClose(units: Unit[], index: number): boolean {
  return index > 0 && !isSpace(units[index - 1]) && !isWordLike(units[index + 1]) && !isDoubled(units, index);
}

/** Inline markup of one line. */
function inlineHtml(units: Unit[], options: SlackToAsanaOptions): string {
  // Closers depend only on their neighbours, so they are listed once per line and looked up by binary
  // search; a line full of unmatched markers then costs n log n instead of n².
  const closers = new Map<string, number[]>();
  units.forEach((unit, index) => {
    if (unit.kind !== 'char' || !INLINE_TAGS.has(unit.char) || !canClose(units, index)) return;
    const positions = closers.get(unit.char) ?? [];
    positions.push(index);
    closers.set(unit.char, positions);
  });
  return inlineRange(units, 0, units.length, closers, options);
}

/**
 * Markup within [from, to). A span's closer is searched inside the enclosing span only, so tags
 * always nest; a marker with no closer in range stays a literal character. The same marker cannot
 * nest in itself (its span ends at the first closer), which bounds the recursion at four levels.
 */
function inlineRange(
  units: Unit[],
  from: number,
  to: number,
  closers: Map<string, number[]>,
  options: SlackToAsanaOptions,
): string {
  let html = '';
  let text = '';
  const flushText = (): void => {
    html += escapeXmlText(text);
    text = '';
  };

  let index = from;
  while (index < to) {
    const unit = units[index];
    if (unit.kind === 'token') {
      flushText();
      html += tokenHtml(unit, options);
      index++;
      continue;
    }
    const tag = INLINE_TAGS.get(unit.char);
    const close = tag && canOpen(units, index) ? firstAtLeast(closers.get(unit.char), index + 2) : -1;
    if (tag && close !== -1 && close < to) {
      flushText();
      const inner =
        tag === 'code'
          ? escapeXmlText(plainTextOf(units.slice(index + 1, close), options))
          : inlineRange(units, index + 1, close, closers, options);
      html += `<${tag}>${inner}</${tag}>`;
      index = close + 1;
      continue;
    }
    text += unit.char;
    index++;
  }
  flushText();
  return html;
}

/** The first value >= min in a sorted list, or -1. */
function firstAtLeast(sorted: number[] | undefined, min: number): number {
  if (!sorted) return -1;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < min) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length ? sorted[low] : -1;
}

/** A control token: Asana mention, link, or the readable words slackToPlainText gives it. */
function tokenHtml(token: Extract<Unit, { kind: 'token' }>, options: SlackToAsanaOptions): string {
  const { userNames, asanaGids } = options;
  const bar = token.body.indexOf('|');
  const value = bar === -1 ? token.body : token.body.slice(0, bar);

  if (value.startsWith('@')) {
    // An empty gid would make Asana answer 400, so such a user is written as words instead.
    const gid = stripXmlForbidden(asanaGids?.get(value.slice(1)) ?? '');
    if (gid) return `<a data-asana-gid="${escapeXmlAttribute(gid)}"/>`;
  } else if (value !== '' && !value.startsWith('#') && !value.startsWith('!')) {
    // The token body holds no brackets, so slackToPlainText only decodes its entities here.
    const url = slackToPlainText(value);
    if (LINKABLE_URL.test(url)) {
      const label = bar === -1 ? '' : slackToPlainText(token.body.slice(bar + 1));
      const shown = url.toLowerCase().startsWith('mailto:') ? url.slice('mailto:'.length) : url;
      const text = stripXmlForbidden(label).trim() ? label : shown;
      return `<a href="${escapeXmlAttribute(url)}">${escapeXmlText(text)}</a>`;
    }
  }
  // Unknown users, channels, broadcasts, dates and non-web links: harmless words, never a ping.
  return escapeXmlText(slackToPlainText(token.raw, { userNames }));
}
