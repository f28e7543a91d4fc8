/**
 * The outbox's rules, pure: what a send to a destination outside Slack is, how long to wait before
 * trying it again, when to give up, and when the people in the incident are told it keeps failing.
 */

/** One message for a destination outside Slack, planned from a recorded change and stored with it. */
export interface OutboxSend {
  /** `webhook:<name>`, `statuspage`: which sender takes it. */
  destination: string;
  /** Unique per destination; sent with every attempt so the receiver can drop a repeat. */
  eventId: string;
  /** What to send, as JSON text; each sender knows its shape. */
  payload: string;
}

export type OutboxState = 'pending' | 'sent' | 'failed';

/** What the channel has been told about a send: nothing, that it keeps failing, or that it was given up. */
export type OutboxReported = 'failing' | 'given_up' | null;

export interface OutboxRow extends OutboxSend {
  id: number;
  incidentId: number;
  state: OutboxState;
  /** Attempts started, the one in hand included. */
  attempts: number;
  /** When it may next be tried: while claimed, when the claim runs out. Null once sent or failed. */
  nextAttemptAt: Date | null;
  lastError: string | null;
  reported: OutboxReported;
  createdAt: Date;
}

/** How one attempt went, as the sender saw the answer (or its absence). */
export type SendResult =
  | { ok: true }
  | { ok: false; error: string; permanent: boolean; retryAfterMs?: number };

export interface RetryPolicy {
  /** The first retry comes after about this long (jittered down to 80 %, up to 120 %). */
  firstRetryMs: number;
  /** Each wait doubles up to this. */
  maxRetryMs: number;
  /** Counted from the row's creation: past it, the send is given up. */
  giveUpAfterMs: number;
  /** The failed attempt at which the channel is told (once) that the send keeps failing. */
  reportAtAttempt: number;
}

export interface OutboxSettings extends RetryPolicy {
  /** An attempt with no answer by then is abandoned and counts as failed. */
  sendTimeoutMs: number;
}

/** 15 s, 30 s, 1 min … up to 15 min between attempts, for a day; told in the channel at the third failure; 10 s for an answer. */
export const DEFAULT_OUTBOX_SETTINGS: OutboxSettings = {
  firstRetryMs: 15_000,
  maxRetryMs: 15 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
  reportAtAttempt: 3,
  sendTimeoutMs: 10_000,
};

/** The wait after failed attempt number `attempt` (1 = the first): doubling, capped, jittered so receivers are not hit in step. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxRetryMs, policy.firstRetryMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** What to do after an attempt: done, try again at a time, or give up; and what the channel is to be told. */
export type Settlement =
  | { state: 'sent'; tellRecovered: boolean }
  | { state: 'pending'; retryAt: Date; error: string; tell: 'failing' | null }
  | { state: 'failed'; error: string; tell: 'given_up' | null };

/**
 * Settles attempt `row.attempts` with its result at `now`. A refusal that cannot change (a 4xx other
 * than 408 and 429) is given up at once; otherwise the send waits (a 429's Retry-After when it names
 * one) unless that wait would go past the give-up time. Each report is made once: `row.reported` says
 * what was said already.
 */
export function settle(policy: RetryPolicy, row: Pick<OutboxRow, 'attempts' | 'createdAt' | 'reported'>, result: SendResult, now: Date, random?: () => number): Settlement {
  if (result.ok) return { state: 'sent', tellRecovered: row.reported !== null };
  const giveUp: Settlement = { state: 'failed', error: result.error, tell: row.reported === 'given_up' ? null : 'given_up' };
  if (result.permanent) return giveUp;
  const waitMs = result.retryAfterMs ?? retryDelayMs(policy, row.attempts, random);
  const retryAt = new Date(now.getTime() + waitMs);
  if (retryAt.getTime() > row.createdAt.getTime() + policy.giveUpAfterMs) return giveUp;
  const tell = row.attempts >= policy.reportAtAttempt && row.reported === null ? 'failing' : null;
  return { state: 'pending', retryAt, error: result.error, tell };
}

/** An HTTP answer as a result: 2xx sent; 408, 429 and 5xx worth another try; any other 4xx (or 3xx) never will be. */
export function httpResult(status: number, retryAfter: string | null, now: Date): SendResult {
  if (status >= 200 && status < 300) return { ok: true };
  const error = `HTTP ${status}`;
  if (status === 429) return { ok: false, error, permanent: false, retryAfterMs: retryAfterMsOf(retryAfter, now) };
  if (status === 408 || status >= 500) return { ok: false, error, permanent: false };
  return { ok: false, error, permanent: true };
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable (the usual backoff then applies). */
export function retryAfterMsOf(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
