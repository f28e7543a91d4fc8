import type { Logger } from 'pino';

/**
 * Runs the scheduler's passes (reminders, escalations) one after the other every tick. A pass
 * still running when the next tick comes is not started twice; `stop` waits for it to finish, so
 * shutdown never cuts a send in half.
 */
export function startScheduler(passes: Record<string, () => Promise<unknown>>, tickMs: number, log: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const runAll = async () => {
    for (const [name, pass] of Object.entries(passes)) {
      await pass().catch((error: unknown) => log.error({ err: error, pass: name }, 'scheduler pass failed'));
    }
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = runAll().finally(() => {
      busy = false;
    });
  }, tickMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
