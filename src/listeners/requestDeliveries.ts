import { eventEnvelope, readPayload } from './payloads.js';
import type { ListenerDependencies } from './types.js';

/** The log line of a delivery Slack repeated, whichever way it was recognised. */
export const REPEATED_REQUEST_IGNORED = 'ignored a request Slack delivered again';

/** What names one request, the same in each delivery of it: Slack's retries carry the same ids. */
export const requestKey = {
  command: (triggerId: string) => `command:${triggerId}`,
  // A click delivered twice would be refused the second time (already done, a used trigger id).
  click: (triggerId: string) => `click:${triggerId}`,
  form: (view: { id: string; hash: string }) => `form:${view.id}:${view.hash}`,
  event: (eventId: string) => `event:${eventId}`,
};

/**
 * True the first time a request is acted on, by this process or any other sharing the database;
 * false for a delivery Slack repeats. Asked just before the request's effect, so a request that is
 * refused writes nothing. When the record cannot be written the request is acted on all the same:
 * a rare duplicate beats a dropped request, and the flow's own write then says what is wrong.
 */
export async function firstDelivery(deps: ListenerDependencies, key: string): Promise<boolean> {
  let first: boolean;
  try {
    first = await deps.handledRequests.firstTime(key, deps.clock.now());
  } catch (error) {
    deps.log.error({ err: error, requestKey: key }, 'could not record a request as handled; acting on it');
    return true;
  }
  if (!first) deps.log.info({ requestKey: key }, REPEATED_REQUEST_IGNORED);
  return first;
}

/** firstDelivery for an Events API event, by its envelope's event_id (Bolt's `body`); false for an envelope without one. */
export async function firstEventDelivery(deps: ListenerDependencies, body: unknown, listener: string): Promise<boolean> {
  const envelope = readPayload(eventEnvelope, body, deps.log, listener);
  return envelope !== undefined && (await firstDelivery(deps, requestKey.event(envelope.event_id)));
}
