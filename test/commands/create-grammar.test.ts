import fc from 'fast-check';
import { parseCreateText } from '../../src/commands/create-grammar';
import { parseDue } from '../../src/dates/parse-due';
import { UserInputError } from '../../src/errors';

const NOW = new Date('2026-12-04T17:00:00Z');

/** The real date parser, as the command handler wires it. */
function isDate(text: string): boolean {
  try {
    parseDue(text, { timeZone: 'America/Los_Angeles', now: NOW });
    return true;
  } catch {
    return false;
  }
}

function parse(text: string) {
  return parseCreateText(text, { isDate });
}

function refusal(text: string): string {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('parseCreateText', () => {
  it('takes everything before the clauses as the name', () => {
    expect(parse('Update onboarding doc due friday')).toEqual({
      name: 'Update onboarding doc',
      dueText: 'friday',
    });
    expect(parse('Update onboarding doc')).toEqual({ name: 'Update onboarding doc' });
  });

  it('accepts the clauses in any order', () => {
    const expected = { name: 'Ship it', dueText: 'friday', projectText: 'Docs', assigneeText: 'me' };
    expect(parse('Ship it due friday in Docs for me')).toEqual(expected);
    expect(parse('Ship it for me in Docs due friday')).toEqual(expected);
    expect(parse('Ship it in Docs for me due friday')).toEqual(expected);
  });

  it('reads a quoted name that ends in clause words', () => {
    expect(parse('"Fix typo in README" in Docs')).toEqual({
      name: 'Fix typo in README',
      projectText: 'Docs',
    });
    expect(parse('“Fix typo in README” in Docs')).toEqual({
      name: 'Fix typo in README',
      projectText: 'Docs',
    });
    expect(parse("'Fix typo in README' in Docs")).toEqual({
      name: 'Fix typo in README',
      projectText: 'Docs',
    });
    expect(parse('‘Call Bob for me’')).toEqual({ name: 'Call Bob for me' });
  });

  it('keeps quotes that are only part of the name', () => {
    expect(parse('Review "Q3 plan" doc due friday')).toEqual({
      name: 'Review "Q3 plan" doc',
      dueText: 'friday',
    });
    expect(parse('rock ’n’ roll night due friday')).toEqual({
      name: 'rock ’n’ roll night',
      dueText: 'friday',
    });
  });

  it('takes the last `in` as the project and leaves earlier ones in the name', () => {
    expect(parse('Fix typo in README in Docs')).toEqual({ name: 'Fix typo in README', projectText: 'Docs' });
    expect(parse('X in A due friday in B')).toEqual({ name: 'X in A', dueText: 'friday', projectText: 'B' });
  });

  it('reads `in 3 days` after `due` as a date, not a project', () => {
    expect(parse('Call Bob due in 3 days')).toEqual({ name: 'Call Bob', dueText: 'in 3 days' });
    expect(parse('Meeting prep due in 2 weeks in Planning')).toEqual({
      name: 'Meeting prep',
      dueText: 'in 2 weeks',
      projectText: 'Planning',
    });
  });

  it('lets isDate decide between readings', () => {
    const never = parseCreateText('Call Bob due in 3 days', { isDate: () => false });
    expect(never).toEqual({ name: 'Call Bob due', projectText: '3 days' });
  });

  it('keeps `due` in the name when what follows is a project, not a date', () => {
    expect(parse('Pay invoice due in Docs')).toEqual({ name: 'Pay invoice due', projectText: 'Docs' });
    expect(parse('Task in Due Diligence')).toEqual({ name: 'Task', projectText: 'Due Diligence' });
  });

  it('still takes a trailing due clause that is not a date, so the date parser can explain', () => {
    expect(parse('Fix bug due tomorow')).toEqual({ name: 'Fix bug', dueText: 'tomorow' });
  });

  it('reads a section after a free-standing slash', () => {
    expect(parse('Write spec in Web App / Bugs')).toEqual({
      name: 'Write spec',
      projectText: 'Web App',
      sectionText: 'Bugs',
    });
    expect(parse('x in:"Web App" / "Open bugs"')).toEqual({
      name: 'x',
      projectText: 'Web App',
      sectionText: 'Open bugs',
    });
    expect(parse('Fix CI/CD in Infra')).toEqual({ name: 'Fix CI/CD', projectText: 'Infra' });
    expect(parse('Fix pipeline in CI/CD / Flaky tests')).toEqual({
      name: 'Fix pipeline',
      projectText: 'CI/CD',
      sectionText: 'Flaky tests',
    });
  });

  it('reads the assignee as me, a handle or a raw Slack mention', () => {
    expect(parse('Review PR for <@U123|bob>')).toEqual({ name: 'Review PR', assigneeText: '<@U123|bob>' });
    expect(parse('Review PR for <@W123>')).toEqual({ name: 'Review PR', assigneeText: '<@W123>' });
    expect(parse('Review PR for @bob')).toEqual({ name: 'Review PR', assigneeText: '@bob' });
    expect(parse('Review PR for me')).toEqual({ name: 'Review PR', assigneeText: 'me' });
    expect(parse('Review PR for:Me')).toEqual({ name: 'Review PR', assigneeText: 'me' });
  });

  it('keeps a `for` that is not followed by a person in the name', () => {
    expect(parse('Buy gifts for kids for me')).toEqual({ name: 'Buy gifts for kids', assigneeText: 'me' });
    expect(parse('Cook for Bob')).toEqual({ name: 'Cook for Bob' });
  });

  it('keeps mentions and links elsewhere in the name, without splitting inside them', () => {
    expect(parse('Ask <@U1> about budget for me')).toEqual({
      name: 'Ask <@U1> about budget',
      assigneeText: 'me',
    });
    expect(parse('Prepare for <@U1> for <@U2>')).toEqual({
      name: 'Prepare for <@U1>',
      assigneeText: '<@U2>',
    });
    expect(parse('Read <https://example.com/spec|the spec in full> in Docs')).toEqual({
      name: 'Read <https://example.com/spec|the spec in full>',
      projectText: 'Docs',
    });
    expect(parse('Q3 R&amp;D budget &lt;draft&gt; due friday')).toEqual({
      name: 'Q3 R&amp;D budget &lt;draft&gt;',
      dueText: 'friday',
    });
  });

  it('accepts keyword forms with quoted values', () => {
    expect(parse('Task due:"next friday" for:me')).toEqual({
      name: 'Task',
      dueText: 'next friday',
      assigneeText: 'me',
    });
    expect(parse('Task project:Web App')).toEqual({ name: 'Task', projectText: 'Web App' });
    expect(parse('Task in: Docs due: friday')).toEqual({
      name: 'Task',
      projectText: 'Docs',
      dueText: 'friday',
    });
  });

  it('accepts each clause only once', () => {
    // The earlier `due friday` cannot be a second due clause, so it becomes part of the project value.
    expect(parse('X in A due friday due monday')).toEqual({
      name: 'X',
      projectText: 'A due friday',
      dueText: 'monday',
    });
    expect(parse('X project:A in B')).toEqual({ name: 'X project:A', projectText: 'B' });
  });

  it('drops a comma between the name and the clauses', () => {
    expect(parse('Fix bug, due friday')).toEqual({ name: 'Fix bug', dueText: 'friday' });
  });

  it('treats a leading apostrophe without a closing quote as part of the word', () => {
    expect(parse('’90s party due friday')).toEqual({ name: '’90s party', dueText: 'friday' });
  });

  it('refuses an unbalanced double quote and explains how to quote', () => {
    expect(refusal('“Unbalanced title project:Web')).toMatch(/never closed.*"Fix typo in README"/);
    expect(refusal('"Fix it due friday')).toMatch(/never closed/);
  });

  it('asks for a name when there is none', () => {
    const message = 'Give the task a name, e.g. `/asana create Update onboarding doc due friday`';
    expect(refusal('')).toBe(message);
    expect(refusal('due friday')).toBe(message);
    expect(refusal('""')).toBe(message);
    expect(refusal('“ ”')).toBe(message);
  });

  it('reads words that only look like clauses as a name', () => {
    expect(parse('Due diligence')).toEqual({ name: 'Due diligence' });
    expect(parse('In review')).toEqual({ name: 'In review' });
    // A reading that leaves a name beats one that does not, so a forgotten name is not caught here.
    expect(parse('in Docs')).toEqual({ name: 'in Docs' });
  });
});

describe('parseCreateText: field cases', () => {
  it('C14: curly and straight quotes delimit names and values', () => {
    expect(parse('“Fix login on Safari” project:“Web App” due:tomorrow')).toEqual({
      name: 'Fix login on Safari',
      projectText: 'Web App',
      dueText: 'tomorrow',
    });
    expect(parse('‘Don’t ship Friday’ project:"Web App"')).toEqual({
      name: 'Don’t ship Friday',
      projectText: 'Web App',
    });
    expect(() => parse('“Unbalanced title project:Web')).toThrow(UserInputError);
  });

  it('C17: passes due dates through for the date parser to judge', () => {
    expect(parse('X due:2024-02-30')).toEqual({ name: 'X', dueText: '2024-02-30' });
    expect(parse('X due:2023-02-29')).toEqual({ name: 'X', dueText: '2023-02-29' });
    expect(parse('X due:2024-02-29')).toEqual({ name: 'X', dueText: '2024-02-29' });
  });

  it('C17: refuses a start date without a due date', () => {
    expect(refusal('X start:2024-05-01')).toMatch(/start date needs a due date.*due:/);
  });

  it('C17: passes start and due through; their order is checked after parsing the dates', () => {
    expect(parse('X start:2024-05-10 due:2024-05-01')).toEqual({
      name: 'X',
      startText: '2024-05-10',
      dueText: '2024-05-01',
    });
  });
});

describe('parseCreateText: properties', () => {
  const keywords = /^(?:due|in|for)$|^(?:due|in|project|for|start):/i;
  const quote = /^["“”„‟'‘’‚‛]/;
  const word = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9&;.!?#’'-]{1,10}$/),
    fc.constantFrom(
      'Don’t',
      '日本語',
      '🇩🇪',
      '👩‍💻',
      '<@U123|bob>',
      '<https://example.com/a?b=1&amp;c=2|a spec>',
      '/',
    ),
  );
  const name = fc
    .array(word, { minLength: 1, maxLength: 8 })
    .filter((words) => words.every((w) => !keywords.test(w) && !quote.test(w)))
    .map((words) => words.join(' '));

  it('keeps any name without keywords unchanged', () => {
    fc.assert(
      fc.property(name, (n) => {
        expect(parse(n)).toEqual({ name: n });
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the name unchanged when clauses follow it', () => {
    const clauses = fc.shuffledSubarray(['due friday', 'in Web App / Bugs', 'for <@U9>'], { minLength: 1 });
    fc.assert(
      fc.property(
        name.filter((n) => !n.endsWith(',')),
        clauses,
        (n, parts) => {
          const request = parse(`${n} ${parts.join(' ')}`);
          expect(request.name).toBe(n);
          if (parts.includes('due friday')) expect(request.dueText).toBe('friday');
          if (parts.includes('for <@U9>')) expect(request.assigneeText).toBe('<@U9>');
          if (parts.includes('in Web App / Bugs')) {
            expect(request.projectText).toBe('Web App');
            expect(request.sectionText).toBe('Bugs');
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('returns any quoted name as typed, whatever words it holds', () => {
    const anyWords = fc.array(fc.stringMatching(/^[A-Za-z:]{1,8}$/), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(anyWords, (words) => {
        const n = words.join(' ');
        expect(parse(`“${n}” in Docs`)).toEqual({ name: n, projectText: 'Docs' });
      }),
      { numRuns: 200 },
    );
  });
});
