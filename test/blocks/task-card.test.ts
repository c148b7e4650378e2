import { decodeContext, encodeContext } from '../../src/blocks/task-card';

describe('decodeContext', () => {
  it('reads back what encodeContext wrote', () => {
    expect(decodeContext(encodeContext({ t: '12', v: 'find', q: 'onboarding', p: 2 }))).toEqual({
      t: '12',
      v: 'find',
      q: 'onboarding',
      p: 2,
    });
  });

  it.each([
    ['not JSON', 'x'],
    ['a non-numeric task', '{"t":"abc","v":"card"}'],
    ['an unknown view', '{"t":"1","v":"admin"}'],
    ['a page that is not a whole number', '{"t":"1","v":"mine","p":"x"}'],
    ['a negative page', '{"t":"1","v":"mine","p":-1}'],
    ['a query that is not text', '{"t":"0","v":"find","q":{"a":1}}'],
  ])('refuses %s', (_label, value) => {
    expect(decodeContext(value)).toBeUndefined();
  });
});

describe('encodeContext', () => {
  it('fits a block id whatever the search text holds', () => {
    for (const q of ['"'.repeat(200), '\\'.repeat(200), '😀'.repeat(200), 'x'.repeat(500)]) {
      const encoded = encodeContext({ t: '12345678901234567890', v: 'find', q, p: 999 });
      expect(`ta${encoded}`.length).toBeLessThanOrEqual(255);
      expect(decodeContext(encoded)?.v).toBe('find');
    }
  });
});
