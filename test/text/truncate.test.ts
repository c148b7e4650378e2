import fc from 'fast-check';
import { firstLine, truncate } from '../../src/text/truncate';

const N = 120;

// Node 20 has String.prototype.isWellFormed, but the project's TypeScript lib (ES2022) does not declare it.
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

describe('truncate', () => {
  it('returns text that fits unchanged', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('x'.repeat(N), N)).toBe('x'.repeat(N));
  });

  it('cuts long text and adds an ellipsis within the limit', () => {
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('abcdefghij', 5, '...')).toBe('ab...');
  });

  it('drops trailing spaces before the ellipsis', () => {
    expect(truncate('Fix the login page', 9)).toBe('Fix the…');
  });

  it('never splits a surrogate pair at the boundary (C12)', () => {
    // 118 letters, then 😀 occupies units 119-120: it cannot fit together with the ellipsis.
    const text = 'a'.repeat(118) + '😀' + ' and more text';
    const result = truncate(text, N);
    expect(result).toBe('a'.repeat(118) + '…');
    expect(isWellFormed(result)).toBe(true);
  });

  it('keeps an emoji that fits before the ellipsis', () => {
    const text = 'a'.repeat(117) + '😀' + ' and more text';
    expect(truncate(text, N)).toBe('a'.repeat(117) + '😀…');
  });

  it('never splits a ZWJ sequence (C12)', () => {
    const coder = '👩‍💻'; // 5 UTF-16 units: 👩 ZWJ 💻
    const text = 'a'.repeat(115) + coder + ' tail';
    expect(truncate(text, N)).toBe('a'.repeat(115) + '…');
    expect(truncate(text, 121)).toBe('a'.repeat(115) + coder + '…');
  });

  it('never splits a flag (C12)', () => {
    const text = ':white_check_mark: ship 🇩🇪 build 日本語テキスト';
    const flagStart = text.indexOf('🇩🇪');
    // Room for one regional indicator but not both: the flag goes as a whole.
    expect(truncate(text, flagStart + 3)).toBe(':white_check_mark: ship…');
    expect(truncate(text, flagStart + 5)).toBe(':white_check_mark: ship 🇩🇪…');
  });

  it('cuts CJK text between characters (C12)', () => {
    const text = ':white_check_mark: ship 🇩🇪 build 日本語テキスト';
    const result = truncate(text, text.length - 3);
    expect(result).toBe(':white_check_mark: ship 🇩🇪 build 日本語…');
    expect(result.length).toBe(text.length - 3);
  });

  it('keeps a base letter with its combining accent', () => {
    expect(truncate('cafe\u0301 au lait', 5)).toBe('caf…');
    expect(truncate('cafe\u0301 au lait', 6)).toBe('cafe\u0301…');
  });

  it('cuts without an ellipsis when the ellipsis alone does not fit', () => {
    expect(truncate('abcdef', 2, '...')).toBe('ab');
    expect(truncate('abcdef', 0)).toBe('');
  });

  it('refuses a negative or fractional limit', () => {
    expect(() => truncate('abc', -1)).toThrow(RangeError);
    expect(() => truncate('abc', 1.5)).toThrow(RangeError);
  });

  it('keeps results well formed, within the limit, and a prefix of the text plus the ellipsis', () => {
    const pieces = fc.constantFrom('a', ' ', '😀', '👩‍💻', '🇩🇪', '日本', 'e\u0301', '👍🏽', '\n');
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.array(pieces).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 80 }), (input, max) => {
        const result = truncate(input, max);
        expect(result.length).toBeLessThanOrEqual(max);
        expect(isWellFormed(result)).toBe(true);
        if (input.length <= max) {
          expect(result).toBe(input);
        } else {
          expect(result.endsWith('…')).toBe(true);
          expect(input.startsWith(result.slice(0, -1))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('only cuts at grapheme boundaries', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.integer({ min: 1, max: 80 }),
        (input, max) => {
          fc.pre(input.length > max);
          const kept = truncate(input, max).slice(0, -1);
          const boundaries = new Set([...segmenter.segment(input)].map((s) => s.index));
          boundaries.add(input.length);
          expect(boundaries.has(kept.length)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('firstLine', () => {
  it('returns the first line with content, trimmed', () => {
    expect(firstLine('\n  \r\n  Deploy the fix  \nsecond line')).toBe('Deploy the fix');
  });

  it('returns the whole text when there is one line', () => {
    expect(firstLine('  one line ')).toBe('one line');
  });

  it('returns an empty string when there is no content', () => {
    expect(firstLine('')).toBe('');
    expect(firstLine(' \n\t\n ')).toBe('');
  });
});
