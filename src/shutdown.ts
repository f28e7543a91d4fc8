import type { Logger } from 'pino';

/** The steps of stopping, in order. Each may hang (a stuck request, a reader not reading the log). */
export interface ShutdownSteps {
  /** No new requests: the HTTP server or the Socket Mode connection. */
  stopListening(): Promise<unknown>;
  stopScheduler(): Promise<unknown>;
  /** Waits for the requests in hand; says whether they all finished. */
  drainInFlight(timeoutMs: number): Promise<boolean>;
  closeDatabase(): void | Promise<void>;
  /** Says whether every log line reached its reader. */
  flushLogs(timeoutMs: number): Promise<boolean>;
}

/** How long the last log lines may wait for their reader; kept back from the grace period so they are tried even when work overran. */
export const LOG_FLUSH_MS = 1_000;

/**
 * Stops within `graceMs` whatever it waits for: each step gets what is left of one deadline, and a
 * step still running at the deadline is reported and left behind (the work journal tells its
 * requester at the next start). Supervisors send SIGKILL soon after: better to close the database
 * ourselves than be killed mid-write.
 */
export async function shutDown(steps: ShutdownSteps, log: Logger, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  const workDeadline = deadline - Math.min(LOG_FLUSH_MS, graceMs / 2);
  const left = (until: number) => Math.max(0, until - Date.now());

  const report = (what: string) => (error: unknown) => log.warn({ err: error }, `error while stopping ${what}`);
  const stopped = await within(steps.stopListening().then(() => true, report('the Slack app')), left(workDeadline), false);
  if (!stopped) log.warn('the Slack app had not stopped by the end of the grace period');
  const schedulerStopped = await within(steps.stopScheduler().then(() => true, report('the scheduler')), left(workDeadline), false);
  if (!schedulerStopped) log.warn('a scheduler pass was still running at shutdown; its rows are claimed again after the lease');
  const finished = await within(steps.drainInFlight(left(workDeadline)), left(workDeadline), false);
  if (!finished) log.warn('work still running at shutdown; the next start will report it');
  await steps.closeDatabase();
  log.info('stopped');
  // A reader that has not taken the log by now is not reading: waiting the rest of the grace period helps nobody.
  const flushMs = Math.min(LOG_FLUSH_MS, left(deadline));
  await within(steps.flushLogs(flushMs), flushMs, false);
}

/** What `work` resolves to, or `timedOut` if it has not within `timeoutMs`. */
async function within<T>(work: Promise<T>, timeoutMs: number, timedOut: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), timeoutMs);
  });
  const result = await Promise.race([work, deadline]);
  clearTimeout(timer);
  return result;
}

/**
 * Calls `stop` on the first SIGTERM or SIGINT and ignores the ones after it: `npm start` passes on
 * the SIGTERM its process group also got (docker stop, `kill -- -PGID`), and Ctrl-C reaches both
 * npm and the bot, so one request to stop arrives twice. Node's default for that second signal
 * would kill the bot mid-shutdown.
 */
export function stopOnSignals(stop: (signal: NodeJS.Signals) => Promise<void>, log: Logger): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.info({ signal }, 'already shutting down');
        return;
      }
      stopping = true;
      void stop(signal);
    });
  }
}
