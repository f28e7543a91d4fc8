import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Longer than a Slack call can take with its retries: a lease that runs out means its holder died. */
export const LEASE_MS = 60_000;

/** After Slack refused a scheduled message, try again this much later: 30 s, sooner for (test) intervals under a minute. */
export const retryDelayMs = (updateIntervalMs: number) => Math.min(30_000, updateIntervalMs / 2);

/** This process, as lease holders are named: host, pid, and a random part that tells restarts apart. */
const HOST = hostname();
const THIS_PROCESS = `${HOST}:${process.pid}:${randomUUID()}`;

/** Who holds a lease: this process, in a form `holderIsAlive` can check. */
export const leaseOwnerId = () => THIS_PROCESS;

/**
 * Whether the process named `owner` may still be running, as far as this machine can tell: this one
 * is; one on another machine may be (its heartbeat tells: `goneAmong` in replicas.ts); one on this
 * machine is if its pid is alive, unless the pid is ours under another name (an earlier run of
 * this process: a restarted container keeps its pid). The fast path of `goneAmong`.
 */
export function holderIsAlive(owner: string | null): boolean {
  if (owner === THIS_PROCESS) return true;
  const [host, pid] = (owner ?? '').split(':');
  if (host !== HOST || !pid) return true;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * Whether a lease still protects a send. It runs out at `leaseUntil`; sooner when its holder was a
 * process on this machine that no longer exists (killed mid-send), so a restart resumes at once
 * instead of waiting out the lease.
 */
export const leaseIsLive = (owner: string | null, leaseUntil: Date | null, now: Date): boolean =>
  leaseUntil !== null && leaseUntil > now && holderIsAlive(owner);
