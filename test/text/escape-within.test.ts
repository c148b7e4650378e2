import fc from 'fast-check';
import { escapeWithin } from '../../src/text/escape-within';

describe('escapeWithin', () => {
  it('leaves short text escaped and whole', () => {
    expect(escapeWithin('R&D <draft>', 100)).toBe('R&amp;D &lt;draft&gt;');
  });

  it('fits text that escaping would blow up', () => {
    const out = escapeWithin('&'.repeat(1500), 2900);
    expect(out.length).toBeLessThanOrEqual(2900);
    expect(out).toMatch(/^(&amp;)+…$/);
  });

  it('never exceeds the limit, never cuts an entity, never leaves a lone surrogate', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.integer({ min: 1, max: 300 }),
        (text, max) => {
          const out = escapeWithin(text, max);
          expect(out.length).toBeLessThanOrEqual(max);
          expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
          expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        },
      ),
      { numRuns: 200 },
    );
  });
});
