import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatPostedAt, messageComment, tsToDate } from '../../src/services/message-comment';

const PERMALINK =
  'https://example.slack.com/archives/C_GEN/p1700000100000200?thread_ts=1700000000.000100&cid=C_GEN';
const POSTED = tsToDate('1700000100.000200')!;

/** Tags Asana accepts in a comment's html_text. */
const ALLOWED_TAGS = new Set('body strong em u s code ol ul li a h1 h2 hr pre blockquote'.split(' '));

function tagsIn(xml: string): Set<string> {
  const tags = new Set<string>();
  const walk = (nodes: Array<Record<string, unknown>>): void => {
    for (const node of nodes) {
      for (const [key, children] of Object.entries(node)) {
        if (key === ':@' || key === '#text') continue;
        tags.add(key);
        walk(children as Array<Record<string, unknown>>);
      }
    }
  };
  walk(new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(xml));
  return tags;
}

describe('messageComment', () => {
  const base = {
    text: 'Renew the cert',
    authorName: 'Other User',
    postedAt: POSTED,
    timeZone: 'America/New_York',
    permalink: PERMALINK,
    requesterName: 'Req User',
  };

  it('names the author and the time in the requester’s zone', () => {
    const { text, html } = messageComment(base);

    expect(text.split('\n')[0]).toBe('Other User wrote in Slack on Tue, Nov 14, 2023 at 5:15 PM EST:');
    expect(html).toMatch(
      /^<body><strong>Other User<\/strong> wrote in Slack on Tue, Nov 14, 2023 at 5:15 PM EST:\n/,
    );
  });

  it('keeps the permalink byte for byte in the text and XML-escaped in the rich text', () => {
    const { text, html } = messageComment(base);

    expect(text).toContain(`Added by Req User: ${PERMALINK}`);
    const escaped = PERMALINK.replace(/&/g, '&amp;');
    expect(html).toContain(`<a href="${escaped}">${escaped}</a>`);
    expect(html).not.toContain('&cid');
  });

  it('writes well-formed XML with only Asana’s tags, whatever the message holds', () => {
    const { html } = messageComment({
      ...base,
      authorName: 'Bad \u0001 <Name> & "co"',
      text: '*bold* &lt;b&gt; `x`\n• one\n• two\n> quoted\n```a &amp;&amp; b```',
      fileNames: ['a<b>.pdf'],
    });

    expect(XMLValidator.validate(html)).toBe(true);
    for (const tag of tagsIn(html)) expect(ALLOWED_TAGS.has(tag)).toBe(true);
    expect(html).toContain('<strong>Bad  &lt;Name&gt; &amp; &quot;co&quot;</strong>');
  });

  it('turns mentions of people with an Asana account into Asana mentions and names the others', () => {
    const { text, html } = messageComment({
      ...base,
      text: 'ask <@U_OTHER> and <@U_NOMAP>',
      userNames: new Map([
        ['U_OTHER', 'Other User'],
        ['U_NOMAP', 'No Map'],
      ]),
      asanaGids: new Map([['U_OTHER', '1400000000000002']]),
    });

    expect(html).toContain('<a data-asana-gid="1400000000000002"/>');
    expect(html).toContain('@No Map');
    expect(text).toContain('ask @Other User and @No Map');
  });

  it('decodes Slack’s entities exactly once', () => {
    const { text, html } = messageComment({ ...base, text: 'R&amp;D &amp;lt;tag&amp;gt;' });

    expect(text).toContain('R&D &lt;tag&gt;');
    expect(html).toContain('R&amp;D &amp;lt;tag&amp;gt;');
  });

  it('keeps a long message whole', () => {
    const long = `Pasted log\n${'x'.repeat(11_989)}`;
    const { text } = messageComment({ ...base, text: long });

    expect(text).toContain(long);
  });

  it('lists the files of a message without text', () => {
    const { text, html } = messageComment({ ...base, text: '', fileNames: ['q3.pdf', 'notes.txt'] });

    expect(text).toBe(
      [
        'Other User wrote in Slack on Tue, Nov 14, 2023 at 5:15 PM EST:',
        '',
        'Files (kept in Slack): q3.pdf, notes.txt',
        '',
        `Added by Req User: ${PERMALINK}`,
      ].join('\n'),
    );
    expect(XMLValidator.validate(html)).toBe(true);
  });

  it('puts no empty line before a list or after a code block', () => {
    const { html } = messageComment({ ...base, text: '• one\n• two' });

    expect(html).toContain('EST:<ul>');
    expect(html).toContain('</ul>\n<em>');
  });

  it('does without author, time and permalink when they are unknown', () => {
    const { text, html } = messageComment({ text: 'hi', timeZone: 'UTC', requesterName: 'Req User' });

    expect(text).toBe('Someone wrote in Slack:\nhi\n\nAdded by Req User');
    expect(html).toBe(
      '<body><strong>Someone</strong> wrote in Slack:\nhi\n\n<em>Added by Req User</em></body>',
    );
  });
});

describe('formatPostedAt', () => {
  it('falls back to UTC for a zone it does not know', () => {
    expect(formatPostedAt(POSTED, 'Mars/Olympus')).toBe('Tue, Nov 14, 2023 at 10:15 PM UTC');
  });

  it('shows the date where the requester is, which may differ from UTC', () => {
    expect(formatPostedAt(POSTED, 'Asia/Tokyo')).toMatch(/^Wed, Nov 15, 2023 at 7:15 AM/);
  });
});

describe('tsToDate', () => {
  it('reads a Slack ts as seconds', () => {
    expect(tsToDate('1700000100.000200')?.toISOString()).toBe('2023-11-14T22:15:00.000Z');
  });

  it('returns undefined for what is not a ts', () => {
    expect(tsToDate('')).toBeUndefined();
    expect(tsToDate('abc')).toBeUndefined();
  });
});
