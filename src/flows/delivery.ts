import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../domain/time.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { IncidentDependencies } from './incidentFlow.js';
import { SlackCallError } from '../slack/slackErrors.js';

/** Longer than a Slack call can take with its retries: a lease that runs out means its holder died. */
export const LEASE_MS = 60_000;

/** What a scheduler pass needs besides the incident flows' dependencies. */
export interface SchedulerDependencies extends IncidentDependencies {
  /** Who holds a lease: this process (`leaseOwnerId()`). */
  owner: string;
  /** How long to wait after Slack refused a scheduled message (`retryDelayMs`). */
  retryMs: number;
}

/** After Slack refused a scheduled message, try again this much later: 30 s, sooner for (test) intervals under a minute. */
export const retryDelayMs = (updateIntervalMs: number) => Math.min(30_000, updateIntervalMs / 2);

/** This process, as lease holders are named: host, pid, and a random part that tells restarts apart. */
const HOST = hostname();
const THIS_PROCESS = `${HOST}:${process.pid}:${randomUUID()}`;

/** Who holds a lease: this process, in a form `leaseIsLive` can check. */
export const leaseOwnerId = () => THIS_PROCESS;

/**
 * Whether a lease still protects a send. It runs out at `leaseUntil`; sooner when its holder was a
 * process on this machine that no longer exists (killed mid-send), so a restart resumes at once
 * instead of waiting out the lease.
 */
export function leaseIsLive(owner: string | null, leaseUntil: Date | null, now: Date): boolean {
  if (!leaseUntil || leaseUntil <= now) return false;
  if (owner === THIS_PROCESS) return true;
  const [host, pid] = (owner ?? '').split(':');
  if (host !== HOST || !pid) return true; // another machine: only time tells
  // Our own pid under another name is an earlier run of this process (a restarted container keeps its pid).
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * A scheduled message this process has claimed in the database (a reminder, a page). The steps
 * write to the row the claim is on; they do nothing if the lease was lost.
 */
export interface ClaimedDelivery {
  channelId: string;
  /** The metadata event type the message carries, so a crashed send can be found in the channel. */
  eventType: string;
  /** Left by an earlier claimant that started sending and never finished. */
  pending: { key: string; since: Date } | undefined;
  markPending(key: string, at: Date): void;
  /** Posts the message, with `key` in its metadata. */
  send(key: string): Promise<void>;
  markSent(at: Date): void;
  release(retryAt: Date): void;
}

/**
 * Sends a claimed message exactly once across crashes: an earlier claimant's unfinished send is
 * looked up in Slack first; the key is stored before posting; Slack refusing releases the claim for
 * a retry at `retryAt`, so the message is late, not lost.
 */
export async function deliverOnce(slack: SlackGateway, job: ClaimedDelivery, clock: Clock, retryAt: Date, log: Logger): Promise<'sent' | 'found' | 'failed'> {
  try {
    if (job.pending) {
      const ts = await slack.findMessageByMetadata(job.channelId, job.eventType, job.pending.key, job.pending.since);
      if (ts) {
        log.info({ key: job.pending.key, eventType: job.eventType }, 'message was sent before a crash; not sending it again');
        job.markSent(job.pending.since);
        return 'found';
      }
    }
    const key = randomUUID();
    job.markPending(key, clock.now());
    await job.send(key);
    // Sent when Slack took it, which may be later than planned (rate limits): the next one counts from here.
    job.markSent(clock.now());
    return 'sent';
  } catch (error) {
    if (!(error instanceof SlackCallError)) throw error;
    job.release(retryAt);
    log.warn({ code: error.code, eventType: job.eventType, retryAt: retryAt.toISOString() }, 'Slack did not take a scheduled message; will retry');
    return 'failed';
  }
}
