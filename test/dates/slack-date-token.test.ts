import { resolveDateTokens } from '../../src/dates/slack-date-token';

describe('resolveDateTokens', () => {
  it('reads the timestamp in the person’s zone, not the label', () => {
    // 2023-11-14T22:13:20Z is still the 14th in New York and already the 15th in Tokyo.
    expect(resolveDateTokens('<!date^1700000000^{date}|Nov 14>', 'America/New_York')).toBe('2023-11-14');
    expect(resolveDateTokens('<!date^1700000000^{date}|Nov 14>', 'Asia/Tokyo')).toBe('2023-11-15');
  });

  it('leaves other text alone', () => {
    expect(resolveDateTokens('friday <@U1>', 'UTC')).toBe('friday <@U1>');
  });
});
