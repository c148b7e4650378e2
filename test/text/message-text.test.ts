import { fileNames, messageText } from '../../src/text/message-text';
import { slackToPlainText } from '../../src/text/slack-text';

describe('messageText', () => {
  it('prefers the text field', () => {
    expect(messageText({ text: 'R&amp;D', blocks: [{ type: 'section', text: { text: 'ignored' } }] })).toBe(
      'R&amp;D',
    );
  });

  it('rebuilds rich text in Slack’s wire form, so one decoder handles every source', () => {
    const raw = messageText({
      text: '',
      blocks: [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'Ship R&D ' },
                { type: 'user', user_id: 'U1' },
                { type: 'text', text: ' see ' },
                { type: 'link', url: 'https://example.com/a?b=1&c=2|x', text: 'spec' },
                { type: 'text', text: ' ' },
                { type: 'broadcast', range: 'channel' },
                { type: 'text', text: ' ' },
                { type: 'date', timestamp: 1, fallback: 'Nov 14' },
              ],
            },
          ],
        },
      ],
    } as never);

    expect(slackToPlainText(raw, { userNames: new Map([['U1', 'Ann']]) })).toBe(
      'Ship R&D @Ann see spec (https://example.com/a?b=1&c=2%7Cx) @channel Nov 14',
    );
  });

  it('falls back to attachments, and names files', () => {
    expect(messageText({ attachments: [{ title: 'Build failed', text: 'on main' }] })).toBe(
      'Build failed\non main',
    );
    expect(fileNames({ files: [{ name: 'a.png' }, { title: 'Q3 report', name: 'q3.pdf' }] })).toEqual([
      'a.png',
      'Q3 report',
    ]);
  });
});
