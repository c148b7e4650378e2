import { linesWithin } from '../../src/blocks/lines-within';

describe('linesWithin', () => {
  const more = (n: number) => `…and ${n} more`;

  it('keeps every line that fits', () => {
    expect(linesWithin(['a', 'b'], 100, more)).toBe('a\nb');
  });

  it('stops at a whole line and counts the rest, within the limit', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `• <https://app.asana.com/0/1/${i}|Task ${i}>`);
    const out = linesWithin(lines, 300, more);

    expect(out.length).toBeLessThanOrEqual(300);
    expect(out).toMatch(/…and \d+ more$/);
    expect(
      out
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('>')),
    ).toBe(true);
  });
});
