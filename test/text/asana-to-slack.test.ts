import fc from 'fast-check';
import { asanaPlainToSlack, asanaToSlackMrkdwn } from '../../src/text/asana-to-slack';

/**
 * True when the only `<` in Slack text open link tokens to http(s) or mailto addresses, so the text
 * can hold no `<!here>`, `<@U…>`, `<#C…>` or `<!subteam…>`.
 */
function onlySafeTokens(mrkdwn: string): boolean {
  const withoutLinks = mrkdwn.replace(/<(?:https?:\/\/|mailto:)[^<>|\s]*(?:\|[^<>|]*)?>/gi, '');
  return !withoutLinks.includes('<');
}

describe('asanaToSlackMrkdwn', () => {
  describe('inline formatting', () => {
    it('maps strong, em, s and code to Slack markers', () => {
      expect(
        asanaToSlackMrkdwn('<body><strong>b</strong> <em>i</em> <s>s</s> <code>c</code> <u>u</u></body>'),
      ).toBe('*b* _i_ ~s~ `c` u');
    });

    it('keeps whitespace outside the markers and wraps each line', () => {
      expect(asanaToSlackMrkdwn('<body>a<strong> b \nc </strong>d</body>')).toBe('a *b* \n*c* d');
    });

    it('does not double a marker already open', () => {
      expect(asanaToSlackMrkdwn('<body><strong>a <strong>b</strong></strong></body>')).toBe('*a b*');
    });

    it('nests different markers', () => {
      expect(asanaToSlackMrkdwn('<body><strong><em>x</em></strong></body>')).toBe('*_x_*');
    });

    it('drops empty formatting', () => {
      expect(asanaToSlackMrkdwn('<body>a<strong></strong><em> </em>b</body>')).toBe('a b');
    });

    it('shows code as text, ignoring tags inside it', () => {
      expect(asanaToSlackMrkdwn('<body><code>a <strong>b</strong> &lt;c&gt;</code></body>')).toBe(
        '`a b &lt;c&gt;`',
      );
    });
  });

  describe('blocks', () => {
    it('maps pre to a code block', () => {
      expect(asanaToSlackMrkdwn('<body>see<pre>line 1\n  line 2</pre>after</body>')).toBe(
        'see\n```line 1\n  line 2```\nafter',
      );
    });

    it('quotes every line of a blockquote', () => {
      expect(
        asanaToSlackMrkdwn('<body><blockquote>one\n\n<strong>two</strong></blockquote>after</body>'),
      ).toBe('> one\n>\n> *two*\nafter');
    });

    it('writes bulleted and numbered lists, nested lists indented', () => {
      expect(
        asanaToSlackMrkdwn(
          '<body>Steps:<ol><li>first<ul><li>detail</li></ul></li><li>second</li></ol><ul><li>x</li><li></li></ul></body>',
        ),
      ).toBe('Steps:\n1. first\n    • detail\n2. second\n• x\n•');
    });

    it('writes headings as bold lines and a rule as a line of dashes', () => {
      expect(
        asanaToSlackMrkdwn('<body><h1>Title</h1>text<hr/><h2>Sub <strong>part</strong></h2></body>'),
      ).toBe('*Title*\ntext\n———\n*Sub part*');
    });

    it('accepts an hr written without a closing slash', () => {
      expect(asanaToSlackMrkdwn('<body>a<hr>b</body>')).toBe('a\n———\nb');
      expect(asanaToSlackMrkdwn('<body>a<hr></hr>b</body>')).toBe('a\n———\nb');
    });

    it('adds exactly one line break around a block, keeping blank lines', () => {
      expect(asanaToSlackMrkdwn('<body>a\n<ul><li>b</li></ul>\nc</body>')).toBe('a\n\n• b\n\nc');
    });

    it('shows images as a marker and tables as rows', () => {
      expect(
        asanaToSlackMrkdwn(
          '<body><img data-gid="1" src="https://s3.example.com/x.png" alt="x"/><table><tr><td>a</td><td><em>b</em></td></tr><tr><td>c</td><td>d</td></tr></table></body>',
        ),
      ).toBe('[image]\na | _b_\nc | d');
    });

    it('shows the text of tags it does not know', () => {
      expect(
        asanaToSlackMrkdwn('<body><future-tag x="1">new <b>thing</b></future-tag><div>d</div></body>'),
      ).toBe('new *thing*d');
    });
  });

  describe('links and mentions', () => {
    it('makes http(s) and mailto links Slack link tokens', () => {
      expect(
        asanaToSlackMrkdwn(
          '<body><a href="https://example.com/spec?a=1&amp;b=2">the spec</a> <a href="mailto:a@example.com">mail</a></body>',
        ),
      ).toBe('<https://example.com/spec?a=1&amp;b=2|the spec> <mailto:a@example.com|mail>');
    });

    it('writes a bare token when the label is the address or empty', () => {
      expect(
        asanaToSlackMrkdwn(
          '<body><a href="https://example.com">https://example.com</a><a href="https://x.com"/></body>',
        ),
      ).toBe('<https://example.com><https://x.com>');
    });

    it('keeps a label from breaking out of the link token', () => {
      expect(
        asanaToSlackMrkdwn(
          '<body><a href="https://example.com/a|b c&quot;&gt;">x|y &lt;!here&gt; &amp;\nz</a></body>',
        ),
      ).toBe('<https://example.com/a%7Cb%20c%22%3E|x¦y &lt;!here&gt; &amp; z>');
    });

    it('shows only the label of links to other schemes', () => {
      expect(asanaToSlackMrkdwn('<body><a href="javascript:alert(1)">click</a> <a>bare</a></body>')).toBe(
        'click bare',
      );
    });

    it('turns user mentions into plain @names, never Slack mentions', () => {
      expect(
        asanaToSlackMrkdwn(
          '<body><a data-asana-gid="1">Jane Doe</a>, <a href="https://app.asana.com/0/profile/2" data-asana-gid="2" data-asana-type="user">@Bob</a></body>',
        ),
      ).toBe('@Jane Doe, @Bob');
    });

    it('links other Asana objects by their address', () => {
      expect(
        asanaToSlackMrkdwn(
          '<body><a href="https://app.asana.com/0/3/4" data-asana-gid="4" data-asana-type="task">Fix login</a></body>',
        ),
      ).toBe('<https://app.asana.com/0/3/4|Fix login>');
    });
  });

  describe('escaping', () => {
    it('decodes XML entities once and escapes for Slack', () => {
      expect(
        asanaToSlackMrkdwn(
          '<body>R&amp;D &lt;draft&gt; &quot;q&quot; &apos;a&apos; &amp;lt;tag&amp;gt;</body>',
        ),
      ).toBe('R&amp;D &lt;draft&gt; "q" \'a\' &amp;lt;tag&amp;gt;');
    });

    it('decodes numeric references, replacing ones XML forbids', () => {
      expect(asanaToSlackMrkdwn('<body>&#60;!here&#62; &#x1F600; &#xD800; &#0;</body>')).toBe(
        '&lt;!here&gt; 😀 \uFFFD \uFFFD',
      );
    });

    it('defuses every kind of Slack control sequence in Asana text', () => {
      const out = asanaToSlackMrkdwn(
        '<body>&lt;!here&gt; &lt;!channel&gt; &lt;!everyone&gt; &lt;@U123&gt; &lt;#C1|general&gt; &lt;!subteam^S1&gt;</body>',
      );
      expect(out).toBe(
        '&lt;!here&gt; &lt;!channel&gt; &lt;!everyone&gt; &lt;@U123&gt; &lt;#C1|general&gt; &lt;!subteam^S1&gt;',
      );
      expect(out).not.toMatch(/<[@#!]/);
    });

    it('keeps CDATA as text and skips comments', () => {
      expect(asanaToSlackMrkdwn('<body><![CDATA[<!here> & co]]><!-- note --></body>')).toBe(
        '&lt;!here&gt; &amp; co',
      );
    });
  });

  describe('missing and malformed input', () => {
    it('uses the escaped plain fallback when there is no rich text', () => {
      expect(asanaToSlackMrkdwn(undefined, 'plain <!here> & more')).toBe('plain &lt;!here&gt; &amp; more');
      expect(asanaToSlackMrkdwn('  ', 'plain')).toBe('plain');
      expect(asanaToSlackMrkdwn(undefined)).toBe('');
    });

    it('uses the fallback when the rich text renders to nothing', () => {
      expect(asanaToSlackMrkdwn('<body><img data-gid="1"/></body>')).toBe('[image]');
      expect(asanaToSlackMrkdwn('<body></body>', 'notes')).toBe('notes');
    });

    it('prefers the fallback over malformed markup', () => {
      expect(asanaToSlackMrkdwn('<body><strong>x</body>', 'x')).toBe('x');
    });

    it('strips tags from malformed markup when there is no fallback', () => {
      expect(asanaToSlackMrkdwn('<body><strong>bold</em> a < b &amp; <!here></body>')).toBe(
        'bold a &lt; b &amp;',
      );
      expect(asanaToSlackMrkdwn('<body><ul><li>one</li><li>two</ul>')).toBe('one\n\ntwo');
    });

    it('treats absurdly deep nesting as unreadable instead of overflowing the stack', () => {
      const deep = '<body>' + '<em>'.repeat(5000) + 'x' + '</em>'.repeat(5000) + '</body>';
      expect(asanaToSlackMrkdwn(deep)).toBe('x');
    });
  });
});

describe('asanaPlainToSlack', () => {
  it('escapes only &, < and >', () => {
    expect(asanaPlainToSlack('a & b <!here> <@U1> "q" *x*')).toBe(
      'a &amp; b &lt;!here&gt; &lt;@U1&gt; "q" *x*',
    );
  });
});

/** Tag soup: real and broken tags, entities, CDATA and Slack tokens, in any order. */
const tagSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '<body>',
        '</body>',
        '<strong>',
        '</strong>',
        '<em>',
        '</em>',
        '<code>',
        '</code>',
        '<pre>',
        '</pre>',
        '<ul>',
        '</ul>',
        '<ol>',
        '</ol>',
        '<li>',
        '</li>',
        '<blockquote>',
        '</blockquote>',
        '<a href="https://example.com/?a=1&amp;b=2">',
        '<a href="javascript:x">',
        '<a href="https://x.com/&lt;!here&gt;|y">',
        '<a data-asana-gid="1">',
        '<a data-asana-gid="2" data-asana-type="task" href="https://app.asana.com/0/1/2">',
        '</a>',
        '<hr/>',
        '<hr>',
        '<img data-gid="1"/>',
        '<!here>',
        '<!channel>',
        '<@U1>',
        '<#C1|general>',
        '<!subteam^S1|@team>',
        '&lt;!here&gt;',
        '&lt;@U1&gt;',
        '&#60;!channel&#62;',
        '&#x3C;#C1&#x3E;',
        '<![CDATA[<!here>]]>',
        '<!-- c -->',
        '&amp;',
        '&',
        '|',
        '<',
        '>',
        '\n',
        ' ',
      ),
      fc.string({ maxLength: 5 }),
      fc.string({ unit: 'binary', maxLength: 5 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Well-formed Asana-style rich text with hostile text and attribute values. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('<!here>', '<@U1>', '<#C1>', '<!channel|x>', '|', '>', '&lt;!here&gt;', '\n'),
);

const { node: richNode } = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText.map(escapeXml),
    fc
      .tuple(
        fc.constantFrom(
          'strong',
          'em',
          'u',
          's',
          'code',
          'pre',
          'blockquote',
          'h1',
          'h2',
          'li',
          'ul',
          'ol',
          'x-new',
        ),
        fc.array(tie('node'), { maxLength: 4 }),
      )
      .map(([tag, children]) => `<${tag}>${children.join('')}</${tag}>`),
    fc
      .tuple(fc.oneof(fc.webUrl(), hostileText, fc.constant('mailto:a@example.com')), hostileText)
      .map(([href, label]) => `<a href="${escapeXml(href)}">${escapeXml(label)}</a>`),
    hostileText.map((name) => `<a data-asana-gid="1" data-asana-type="user">${escapeXml(name)}</a>`),
    fc.constantFrom('<hr/>', '<img data-gid="1"/>'),
  ),
}));

const richText = fc.array(richNode, { maxLength: 6 }).map((nodes) => `<body>${nodes.join('')}</body>`);

describe('asanaToSlackMrkdwn properties', () => {
  it('never throws and never outputs a live mention or broadcast, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(tagSoup, richText, fc.string(), fc.string({ unit: 'binary' })),
        fc.option(fc.oneof(fc.string(), fc.constant('<!here> <@U1>'))),
        (html, fallback) => {
          const out = asanaToSlackMrkdwn(html, fallback ?? undefined);
          expect(out).not.toMatch(/<[@#!]/);
          expect(onlySafeTokens(out)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('escapes plain text so it holds no control sequence', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), tagSoup), (text) => {
        expect(asanaPlainToSlack(text)).not.toContain('<');
        expect(asanaPlainToSlack(text)).not.toContain('>');
      }),
      { numRuns: 200 },
    );
  });
});
