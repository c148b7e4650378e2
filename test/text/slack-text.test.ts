import fc from 'fast-check';
import {
  escapeSlackText,
  extractMentionedUserIds,
  normalizeCommandText,
  slackToPlainText,
} from '../../src/text/slack-text';

const C07_INPUT =
  '<@U_REQ> pls ask <@U_OTHER|oldname> in <#C_GEN|general> about ' +
  '<https://example.com/spec?a=1&amp;b=2|the spec> and <https://example.com/raw> <!here> ' +
  '<!subteam^S_DESIGN|@design>';

const NAMES = new Map([
  ['U_REQ', 'Req User'],
  ['U_OTHER', 'Other User'],
]);

describe('extractMentionedUserIds', () => {
  it('returns each mentioned id once, in order', () => {
    expect(extractMentionedUserIds('<@U2> and <@W1|bob> then <@U2|again> and <@U3>')).toEqual([
      'U2',
      'W1',
      'U3',
    ]);
  });

  it('finds the ids in the C07 text', () => {
    expect(extractMentionedUserIds(C07_INPUT)).toEqual(['U_REQ', 'U_OTHER']);
  });

  it('ignores escaped brackets, channels and broadcasts', () => {
    expect(extractMentionedUserIds('&lt;@U1&gt; <#C1|x> <!here> <!subteam^S1|@d> @U9')).toEqual([]);
  });
});

describe('slackToPlainText', () => {
  it('decodes C06 entities exactly once', () => {
    expect(slackToPlainText('Q3 R&amp;D budget &lt;draft&gt; uses &amp;lt;tag&amp;gt; literally')).toBe(
      'Q3 R&D budget <draft> uses &lt;tag&gt; literally',
    );
  });

  it('renders the C07 tokens as readable text', () => {
    expect(slackToPlainText(C07_INPUT, { userNames: NAMES })).toBe(
      '@Req User pls ask @Other User in #general about the spec (https://example.com/spec?a=1&b=2) ' +
        'and https://example.com/raw @here @design',
    );
  });

  it('falls back to the inline label, then the raw id, for unknown users', () => {
    expect(slackToPlainText('<@U_OTHER|oldname> <@U_REQ>')).toBe('@oldname @U_REQ');
  });

  it('renders channels with and without a label', () => {
    expect(slackToPlainText('<#C_GEN|general> <#C123>')).toBe('#general #C123');
  });

  it('keeps decoded brackets out of token parsing', () => {
    expect(slackToPlainText('&lt;@U1&gt; &lt;!here&gt; &lt;#C1|x&gt;')).toBe('<@U1> <!here> <#C1|x>');
  });

  it('renders links', () => {
    expect(slackToPlainText('<https://example.com/a|https://example.com/a>')).toBe('https://example.com/a');
    expect(slackToPlainText('<https://example.com/a?x=1&amp;y=2>')).toBe('https://example.com/a?x=1&y=2');
    expect(slackToPlainText('<https://example.com/a|R&amp;D page>')).toBe('R&D page (https://example.com/a)');
  });

  it('shows what was typed when Slack auto-linked a bare domain', () => {
    expect(slackToPlainText('see <http://example.com|example.com>')).toBe('see example.com');
  });

  it('renders mailto links as the address', () => {
    expect(slackToPlainText('<mailto:a@example.com|a@example.com>')).toBe('a@example.com');
    expect(slackToPlainText('<mailto:a@example.com>')).toBe('a@example.com');
    expect(slackToPlainText('<mailto:a@example.com|Ann>')).toBe('Ann (a@example.com)');
  });

  it('turns broadcasts into plain words', () => {
    expect(slackToPlainText('<!here> <!channel> <!everyone> <!here|here>')).toBe(
      '@here @channel @everyone @here',
    );
  });

  it('renders user groups with and without a label', () => {
    expect(slackToPlainText('<!subteam^S1|@design> <!subteam^S2|ops> <!subteam^S3>')).toBe(
      '@design @ops @S3',
    );
  });

  it('renders dates as their fallback text', () => {
    expect(slackToPlainText('<!date^1392734382^{date} at {time}|Feb 18th, 2014 at 6:39 AM PST>')).toBe(
      'Feb 18th, 2014 at 6:39 AM PST',
    );
  });

  it('leaves text without tokens untouched apart from entities', () => {
    expect(slackToPlainText('plain *bold* & "quotes"')).toBe('plain *bold* & "quotes"');
  });
});

describe('escapeSlackText', () => {
  it('escapes only &, < and >', () => {
    expect(escapeSlackText('R&D <!here> "q" \'s\' *b*')).toBe('R&amp;D &lt;!here&gt; "q" \'s\' *b*');
  });

  it('makes broadcasts from Asana harmless', () => {
    expect(escapeSlackText('<!channel> <!subteam^S1>')).not.toMatch(/<!/);
  });
});

describe('normalizeCommandText', () => {
  it('treats a missing text field as empty', () => {
    expect(normalizeCommandText(undefined)).toBe('');
  });

  it('treats whitespace-only and no-break-space-only text as empty', () => {
    expect(normalizeCommandText('')).toBe('');
    expect(normalizeCommandText('   ')).toBe('');
    expect(normalizeCommandText('\u00a0')).toBe('');
  });

  it('turns Unicode spaces into ordinary spaces and trims', () => {
    expect(normalizeCommandText('\u00a0create\u00a0Fix\u2009login\u3000now\u202f')).toBe(
      'create Fix login now',
    );
  });
});

describe('properties', () => {
  // Tokens as Slack sends them; labels are escaped like all other text. No '<' in what people typed,
  // so any '<' in the output could only come from a token leaking through.
  const label = fc.string().map((s) => escapeSlackText(s.replace(/</g, '')));
  const id = fc.stringMatching(/^[A-Z0-9]{1,10}$/);
  const token = fc.oneof(
    fc
      .tuple(fc.constantFrom('U', 'W'), id, fc.option(label))
      .map(([p, i, l]) => `<@${p}${i}${l === null ? '' : '|' + l}>`),
    fc.tuple(id, fc.option(label)).map(([i, l]) => `<#C${i}${l === null ? '' : '|' + l}>`),
    fc
      .tuple(fc.webUrl(), fc.option(label))
      .map(([u, l]) => `<${escapeSlackText(u)}${l === null ? '' : '|' + l}>`),
    fc.constantFrom('<!here>', '<!channel>', '<!everyone>', '<!here|here>'),
    fc.tuple(id, fc.option(label)).map(([i, l]) => `<!subteam^S${i}${l === null ? '' : '|' + l}>`),
  );

  it('round-trips any text through escapeSlackText', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(slackToPlainText(escapeSlackText(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips text that looks like tokens or entities', () => {
    const tricky = fc.array(
      fc.constantFrom('<', '>', '&', '@U1', '#C1', '!here', '|', 'amp;', 'lt;', 'gt;', ' ', 'x'),
    );
    fc.assert(
      fc.property(tricky, (parts) => {
        const text = parts.join('');
        expect(slackToPlainText(escapeSlackText(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('never leaves a control token in the output of a real Slack message', () => {
    const message = fc.array(fc.oneof(label, token), { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(message, (text) => {
        expect(slackToPlainText(text)).not.toContain('<');
      }),
      { numRuns: 200 },
    );
  });
});
