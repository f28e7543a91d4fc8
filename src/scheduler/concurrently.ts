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

/**
 * `items` from a random one on, round to the start. Replicas reading the same due list each begin
 * at a different place, instead of all reading the same first incidents and all but one losing
 * its claim; one process still goes through the whole list in its pass.
 */
export function fromRandomStart<T>(items: readonly T[]): T[] {
  const start = Math.floor(Math.random() * items.length);
  return [...items.slice(start), ...items.slice(0, start)];
}
