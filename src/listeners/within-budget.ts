/**
 * The result of `work` if it settles within `ms`, else undefined. Slack gives options requests and
 * trigger_ids 3 s, so slow lookups must give way; a rejection after the budget is absorbed here,
 * because nobody awaits it any more and an unhandled rejection would end the process.
 */
export function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
