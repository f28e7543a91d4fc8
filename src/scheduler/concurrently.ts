/**
 * Runs `work` on each item, at most `limit` at a time, starting them in order. Waits for every
 * started one before reporting the first failure, so a pass that fails has no send still running
 * behind it when the scheduler stops.
 */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * How many incidents a pass works on at once. A send mostly waits on Slack; one at a time, a
 * thousand reminders due together would take seconds to go out. Different incidents only: each
 * incident's own sends stay in order.
 */
export const SENDS_AT_ONCE = 16;
