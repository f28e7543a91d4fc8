/**
 * The Web API methods the bot calls most (chat.postMessage: once per note, per reminder, per
 * update), called directly with a JSON body instead of through the Web API client. For one of
 * these the client spent about as much CPU as the HTTP request itself: it builds three debug log
 * lines (each a JSON copy of the call or its answer, token redacted) whether debug is on or not,
 * form-encodes the body, and runs it through a queue and a retry wrapper (bench/profile.mjs on the
 * scheduler bench). This keeps what the client does for the bot: retries as `SLACK_RETRY_CONFIG`,
 * a 429 waited out for its Retry-After, a timeout on each attempt, and the same failure codes as
 * the gateway gives for the client's errors (Slack's own code, `http_<status>`, `ratelimited`,
 * `unreachable`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SlackCallError } from './slackErrors.js';
import type { HttpSend } from './webApiTransport.js';

export interface DirectCallOptions {
  /** Slack's Web API base, ending in a slash (`https://slack.com/api/`). */
  apiUrl: string;
  token: string;
  /** Each attempt's limit; 0: none, as the client without a timeout. */
  timeoutMs: number;
  /** As p-retry takes it, the Web API client's `retryConfig`: attempts after the first, and the waits between them. */
  retry: { retries?: number; factor?: number; minTimeout?: number; maxTimeout?: number };
  send: HttpSend;
}

/** Calls `method` with `args` as JSON; its answer when Slack says ok, else a SlackCallError. */
export type DirectCall = (method: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

export function directCall(options: DirectCallOptions): DirectCall {
  const { retries = 10, factor = 2, minTimeout = 1000, maxTimeout = Infinity } = options.retry;
  const headers = { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${options.token}` };
  const urls = new Map<string, URL>();
  return async (method, args) => {
    let url = urls.get(method);
    if (!url) urls.set(method, (url = new URL(method, options.apiUrl)));
    const body = JSON.stringify(args);
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await attemptCall(options, url, headers, body);
      if ('answer' in outcome) return outcome.answer;
      if (!outcome.retry || attempt >= retries) throw new SlackCallError(method, outcome.failure);
      // A 429 has already waited its Retry-After; anything else waits as the client would before its next attempt.
      if (outcome.failure !== 'ratelimited') await sleep(Math.min(maxTimeout, minTimeout * factor ** attempt));
    }
  };
}

/** Slack's answer, or why there is none and whether another attempt may get one (not when Slack said no). */
type Attempt = { answer: Record<string, unknown> } | { failure: string; retry: boolean };

async function attemptCall(options: DirectCallOptions, url: URL, headers: Record<string, string>, body: string): Promise<Attempt> {
  let status: number;
  let answer: Buffer;
  let retryAfter: string | string[] | undefined;
  try {
    const response = await options.send(url, { method: 'POST', headers, body, ...(options.timeoutMs > 0 ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}) });
    status = response.incoming.statusCode ?? 0;
    answer = response.body;
    retryAfter = response.incoming.headers['retry-after'];
  } catch {
    return { failure: 'unreachable', retry: true };
  }
  if (status === 429) {
    const seconds = Number(retryAfter);
    if (!Number.isFinite(seconds) || seconds < 0) return { failure: 'ratelimited', retry: false };
    await sleep(seconds * 1000);
    return { failure: 'ratelimited', retry: true };
  }
  // Slack's Web API uses no other status than 200 and 429 for an answer; a redirect is refused, as the client refuses it.
  if (status >= 300 && status < 400) return { failure: 'unreachable', retry: true };
  if (status !== 200) return { failure: `http_${status}`, retry: true };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(answer.toString('utf8')) as Record<string, unknown>;
  } catch {
    return { failure: 'unreadable_answer', retry: true };
  }
  if (parsed.ok === true) return { answer: parsed };
  // Slack answered and said no: trying again gives the same answer.
  return { failure: typeof parsed.error === 'string' ? parsed.error : 'unknown_error', retry: false };
}
