import type { Logger } from 'pino';

/** The name under which a failing `whatIsDue` is logged, as a pass would be. */
export const DUE_WORK_CHECK = 'due work check';

/**
 * Runs the scheduler's passes (reminders, escalations) every tick, each on its own: a pass held up
 * (a Slack call waiting out its timeout) delays neither the other passes nor the recovery of a dead
 * replica's work. A pass still running when the next tick comes is not started twice; `stop` waits
 * for those running to finish, so shutdown never cuts a send in half. A pass that keeps failing (a database that cannot be read or
 * written fails every tick) is logged when it starts failing and when it works again, not every tick.
 * With `whatIsDue`, a tick first asks which passes have work (one cheap read) and runs only those:
 * an idle tick costs that read and nothing else.
 */
export function startScheduler(
  passes: Record<string, () => Promise<unknown>>,
  tickMs: number,
  log: Logger,
  whatIsDue?: () => Promise<ReadonlySet<string>>,
): { stop(): Promise<void> } {
  /** The passes in progress, and the due-work check, by name. */
  const running = new Map<string, Promise<unknown>>();
  const failingSince = new Map<string, { at: Date; ticks: number }>();
  const attempt = async (name: string, work: () => Promise<unknown>): Promise<boolean> => {
    try {
      await work();
      const failing = failingSince.get(name);
      if (failing) {
        failingSince.delete(name);
        log.info({ pass: name, failingSince: failing.at.toISOString(), failedTicks: failing.ticks }, 'scheduler pass works again');
      }
      return true;
    } catch (error) {
      const failing = failingSince.get(name);
      if (failing) {
        failing.ticks += 1;
        log.debug({ err: error, pass: name }, 'scheduler pass failed again');
      } else {
        failingSince.set(name, { at: new Date(), ticks: 1 });
        log.error({ err: error, pass: name }, 'scheduler pass failed; it is retried every tick and logged again when it works');
      }
      return false;
    }
  };
  let stopped = false;
  const start = (name: string, work: () => Promise<unknown>) => {
    running.set(name, work().finally(() => running.delete(name)));
  };
  const runDue = async () => {
    let due: ReadonlySet<string> | undefined;
    // The check failing (the database unreachable) starts no pass: each would fail on the same database.
    if (whatIsDue && !(await attempt(DUE_WORK_CHECK, async () => (due = await whatIsDue())))) return;
    if (stopped) return; // stopping while the check ran: no new sends
    for (const [name, pass] of Object.entries(passes)) {
      if ((due && !due.has(name)) || running.has(name)) continue;
      start(name, () => attempt(name, pass));
    }
  };
  const timer = setInterval(() => {
    if (!stopped && !running.has(DUE_WORK_CHECK)) start(DUE_WORK_CHECK, runDue);
  }, tickMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      // The check may still start passes: wait for it, then for every pass it started.
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}
