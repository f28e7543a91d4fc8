import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../domain/time.js';
import type { Chat, Claim, Leases, PendingSend, ScheduledSlot } from '../ports.js';
import { SlackCallError } from '../slack/slackErrors.js';

/** What a scheduled send needs besides its claim: where it goes, how to find it again, how to send and record it. */
export interface ScheduledSend {
  channelId: string;
  /** The metadata event type the message carries, so a crashed send can be found in the channel. */
  eventType: string;
  /** What is in flight, stored with the key (a reminder, or an automatic update and its draft). */
  what?: PendingSend;
  /** Posts the message, with `key` in its metadata. */
  send(key: string): Promise<void>;
  /** Records the send; only the lease holder's write counts. */
  markSent(at: Date): Promise<void>;
  /**
   * A refusal that retrying cannot fix (the bot is not in the channel): true when the job recorded
   * and reported it itself, so the slot is not released for a retry. Unset: every refusal is retried.
   */
  refusedForGood?(error: SlackCallError): Promise<boolean>;
}

export interface DeliveryDependencies {
  chat: Chat;
  leases: Leases;
  clock: Clock;
  /** Who holds the lease: this process. */
  owner: string;
}

/**
 * Sends a claimed slot's message exactly once across crashes: an earlier claimant's unfinished send
 * is looked up in the chat first; the key is stored before posting; the chat refusing releases the
 * claim for a retry at `retryAt`, so the message is late, not lost, unless the job says the refusal
 * is for good (`refusedForGood`).
 */
export async function deliverOnce(
  deps: DeliveryDependencies,
  slot: ScheduledSlot,
  claim: Claim,
  job: ScheduledSend,
  retryAt: Date,
  log: Logger,
): Promise<'sent' | 'found' | 'failed'> {
  const prepared = await prepareDelivery(deps, slot, claim, job, retryAt, log);
  if (prepared === 'found' || prepared === 'failed') return prepared;
  return finishDelivery(deps, slot, job, prepared.key, retryAt, log);
}

/**
 * The first half of `deliverOnce`, which may run ahead of the send: an earlier claimant's
 * unfinished send found in the chat is recorded ('found'); otherwise the key the message will
 * carry is stored, so a crash from here on is found in the chat by the next claimant.
 */
export async function prepareDelivery(deps: DeliveryDependencies, slot: ScheduledSlot, claim: Claim, job: ScheduledSend, retryAt: Date, log: Logger): Promise<'found' | 'failed' | { key: string }> {
  try {
    if (claim.pendingKey && claim.pendingSince) {
      const ts = await deps.chat.findMessageByMetadata(job.channelId, job.eventType, claim.pendingKey, claim.pendingSince);
      if (ts) {
        log.info({ key: claim.pendingKey, eventType: job.eventType }, 'message was sent before a crash; not sending it again');
        await job.markSent(claim.pendingSince);
        return 'found';
      }
    }
  } catch (error) {
    return refused(deps, slot, job, error, retryAt, log);
  }
  const key = randomUUID();
  await deps.leases.markPending(slot, deps.owner, key, deps.clock.now(), job.what);
  return { key };
}

/**
 * The second half: posts with the stored key and records the send (`record`: at once, or by the
 * caller when it records sends after a burst of posts). The chat refusing releases the claim.
 */
export async function finishDelivery(
  deps: DeliveryDependencies,
  slot: ScheduledSlot,
  job: ScheduledSend,
  key: string,
  retryAt: Date,
  log: Logger,
  record: (at: Date) => Promise<void> = (at) => job.markSent(at),
): Promise<'sent' | 'failed'> {
  try {
    await job.send(key);
    // Sent when the chat took it, which may be later than planned (rate limits): the next one counts from here.
    await record(deps.clock.now());
    return 'sent';
  } catch (error) {
    return refused(deps, slot, job, error, retryAt, log);
  }
}

/** The chat refused (anything else is thrown on): released for a retry at `retryAt`, unless the job says it is for good. */
async function refused(deps: DeliveryDependencies, slot: ScheduledSlot, job: ScheduledSend, error: unknown, retryAt: Date, log: Logger): Promise<'failed'> {
  if (!(error instanceof SlackCallError)) throw error;
  if (await job.refusedForGood?.(error)) return 'failed';
  await deps.leases.release(slot, deps.owner, retryAt);
  log.warn({ code: error.code, eventType: job.eventType, retryAt: retryAt.toISOString() }, 'Slack did not take a scheduled message; will retry');
  return 'failed';
}
