import { withinBudget } from '../../src/listeners/within-budget';

describe('withinBudget', () => {
  it('gives the value when the work is quick', async () => {
    await expect(withinBudget(Promise.resolve(7), 50)).resolves.toBe(7);
  });

  it('gives undefined when the work is slow', async () => {
    await expect(withinBudget(new Promise((r) => setTimeout(() => r(1), 100)), 10)).resolves.toBeUndefined();
  });

  it('passes a quick failure on', async () => {
    await expect(withinBudget(Promise.reject(new Error('no')), 50)).rejects.toThrow('no');
  });

  it('absorbs a failure that comes after the budget, so the process does not die of it', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 30));
      await expect(withinBudget(late, 5)).resolves.toBeUndefined();
      await new Promise((r) => setTimeout(r, 60));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
