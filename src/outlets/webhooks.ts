/**
 * Outgoing webhooks: each change an endpoint asked for becomes an outbox row (`webhook:<name>`),
 * posted as JSON signed the way Slack signs its requests: `X-Incident-Signature: v1=<hex
 * HMAC-SHA256(secret, "<timestamp>.<body>")>` with `X-Incident-Timestamp` (Unix seconds, taken at
 * each attempt) and `X-Incident-Event-Id` to deduplicate. docs/webhooks.md is the receiver's guide.
 */
import { createHmac } from 'node:crypto';
import { httpResult, type OutboxRow, type SendResult } from '../domain/outbox.js';
import { endpointWants, webhookBody, webhookDestination, webhookEventOf, type WebhookEndpoint } from '../domain/webhooks.js';
import { couldNotConnect, webhookRemoved } from '../messages/outbox.js';
import type { OutboxSender, SendPlanner } from './outbox.js';

export function webhookPlanner(endpoints: readonly WebhookEndpoint[]): SendPlanner {
  return (happened, eventId) => {
    const event = webhookEventOf(happened);
    if (!event) return [];
    const wanting = endpoints.filter((endpoint) => endpointWants(endpoint, happened, event.name));
    if (wanting.length === 0) return [];
    const payload = webhookBody(happened, eventId, event.name, event.data);
    return wanting.map((endpoint) => ({ destination: webhookDestination(endpoint.name), eventId, payload }));
  };
}

/** The signature header's value for a body sent at `timestamp` (Unix seconds). */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Posts a row to its endpoint, as configured now (a URL or secret changed since the row was written is used). */
export function webhookSender(endpoints: readonly WebhookEndpoint[], now: () => Date): OutboxSender {
  const byDestination = new Map(endpoints.map((endpoint) => [webhookDestination(endpoint.name), endpoint]));
  return {
    name: 'webhook',
    handles: (destination) => destination.startsWith('webhook:'),
    describe: (row) => `${eventNameOf(row.payload)} to the webhook ${row.destination.slice('webhook:'.length)}`,
    async send(row: OutboxRow, signal: AbortSignal): Promise<SendResult> {
      const endpoint = byDestination.get(row.destination);
      if (!endpoint) return { ok: false, error: webhookRemoved(row.destination.slice('webhook:'.length)), permanent: true };
      const timestamp = Math.floor(now().getTime() / 1000);
      try {
        const response = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'incident-commander-webhooks/1',
            'x-incident-event-id': row.eventId,
            'x-incident-timestamp': String(timestamp),
            'x-incident-signature': webhookSignature(endpoint.secret, timestamp, row.payload),
          },
          body: row.payload,
          signal,
          redirect: 'manual',
        });
        // The body is not read for anything but must be drained, or the connection stays busy.
        await response.arrayBuffer().catch(() => undefined);
        return httpResult(response.status, response.headers.get('retry-after'), now());
      } catch (error) {
        // A timeout is named by the pass, which set it; anything else is the connection failing.
        return { ok: false, error: couldNotConnect(reasonOf(error)), permanent: false };
      }
    },
  };
}

/** Why fetch failed, in a few words: undici hides the reason (refused, DNS) in `cause`. */
function reasonOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
}

/** The event a stored body is, for people: the row's payload is always the JSON `webhookBody` wrote. */
function eventNameOf(payload: string): string {
  try {
    const event = (JSON.parse(payload) as { event?: unknown }).event;
    return typeof event === 'string' ? event : 'an event';
  } catch {
    return 'an event';
  }
}
