/**
 * The public status page through the outbox: a change whose form asked to publish becomes a
 * `statuspage` row, written with the change; the sender publishes it on Statuspage (created once,
 * then updated: `statusPagePublisher.ts`), with the incident's status and its components marked
 * (the severity's outage while open, operational once resolved). What was published goes on the
 * timeline and into the pinned summary; a send that keeps failing is told by the outbox. Nothing
 * is published that no form asked for.
 */
import type { IncidentEvent } from '../domain/events.js';
import type { IncidentStatus } from '../domain/incident.js';
import type { OutboxRow, SendResult } from '../domain/outbox.js';
import { componentStatusFor, lastPublicMessage, PUBLISHED_KIND, statusPageKey, type Publication, type StatusPageComponents } from '../domain/statusPage.js';
import { publicationDescription, publishedEntry, STATUS_PAGE_PAYLOAD_UNREADABLE } from '../messages/statusPage.js';
import { summaryMessage } from '../render/incidentMessages.js';
import type { OutboxSender, SendPlanner } from './outbox.js';
import type { OutletDependencies } from './outlet.js';
import { StatusPageError, type StatusPageApiSettings } from './statusPageApi.js';
import { StatusPagePublisher, type Published, type StatusPagePublication } from './statusPagePublisher.js';

export const STATUS_PAGE_DESTINATION = 'statuspage';

/** What a change asked to publish, and with which status; undefined when it asked for nothing. */
function requested(event: IncidentEvent): { publication: Publication; status: IncidentStatus } | undefined {
  if (event.kind === 'declared' && event.publication) return { publication: event.publication, status: 'investigating' };
  if (event.kind === 'status_updated' && event.publication) return { publication: event.publication, status: event.update.status };
  if (event.kind === 'resolved' && event.publication) return { publication: event.publication, status: 'resolved' };
  return undefined;
}

/** Plans the status page row of a change that asked to publish; none without a status page. */
export function statusPagePlanner(components: StatusPageComponents | undefined): SendPlanner {
  return ({ event, incident }, eventId) => {
    const asked = requested(event);
    if (!asked || !components) return [];
    const named = asked.publication.components.flatMap((name) => (components.byName[name] ? [components.byName[name]] : []));
    const publication: StatusPagePublication = {
      incidentKey: statusPageKey(incident),
      name: incident.title,
      status: asked.status,
      message: asked.publication.message,
      // Only the declare form names components; later publications keep those the page's incident has.
      componentIds: event.kind === 'declared' || named.length > 0 ? named : 'as before',
      componentStatus: componentStatusFor(components, incident.severity, asked.status),
    };
    return [{ destination: STATUS_PAGE_DESTINATION, eventId, payload: JSON.stringify(publication) }];
  };
}

/**
 * Publishes a row on Statuspage. A refusal that cannot change (the key, a component id) is
 * permanent; the network, Statuspage's 5xx and its rate limit are tried again by the outbox. Once
 * published, the timeline and the pinned summary say so; if they cannot, it is logged, and the
 * send still counts as done (publishing again would repeat the message on the page).
 */
export function statusPageSender(settings: StatusPageApiSettings, deps: () => OutletDependencies): OutboxSender {
  const publisher = new StatusPagePublisher(settings);
  return {
    name: 'status page',
    handles: (destination) => destination === STATUS_PAGE_DESTINATION,
    describe: (row) => {
      const publication = payloadOf(row);
      return publicationDescription(publication?.status);
    },
    async send(row: OutboxRow, signal: AbortSignal): Promise<SendResult> {
      const publication = payloadOf(row);
      if (!publication) return { ok: false, error: STATUS_PAGE_PAYLOAD_UNREADABLE, permanent: true };
      let published: Published;
      try {
        published = await publisher.publish(publication, row.eventId, signal);
      } catch (error) {
        if (!(error instanceof StatusPageError)) throw error;
        return { ok: false, error: error.userMessage, permanent: !error.retryable, ...(error.retryAfterMs === null ? {} : { retryAfterMs: error.retryAfterMs }) };
      }
      await recordPublished(deps(), row, publication, published);
      return { ok: true };
    },
  };
}

async function recordPublished(deps: OutletDependencies, row: OutboxRow, publication: StatusPagePublication, published: Published): Promise<void> {
  const log = deps.log.child({ incidentId: row.incidentId, destination: row.destination, eventId: row.eventId });
  log.info({ statusPageIncidentId: published.statusPageIncidentId, outcome: published.outcome, status: publication.status }, 'published to the status page');
  try {
    await deps.incidents.appendTimeline(row.incidentId, {
      at: deps.clock.now(),
      actorId: null,
      kind: PUBLISHED_KIND,
      text: publishedEntry(publication.status, publication.message),
      data: { status: publication.status, message: publication.message, statusPageIncidentId: published.statusPageIncidentId, eventId: row.eventId },
    });
    const incident = await deps.incidents.findLiveById(row.incidentId);
    if (incident?.kickoffTs) {
      const lastPublic = lastPublicMessage(await deps.incidents.timelineOf(incident.id));
      await deps.chat.updateMessage(incident.channelId, incident.kickoffTs, summaryMessage(deps, incident, lastPublic));
    }
  } catch (error) {
    log.error({ err: error }, 'published to the status page, but could not say so on the timeline or the pinned summary');
  }
}

/** A row's payload as the planner wrote it; undefined if it is not (a row from another version). */
function payloadOf(row: OutboxRow): StatusPagePublication | undefined {
  try {
    const parsed = JSON.parse(row.payload) as Partial<StatusPagePublication>;
    if (typeof parsed.incidentKey !== 'string' || typeof parsed.message !== 'string' || typeof parsed.status !== 'string' || typeof parsed.name !== 'string') return undefined;
    return parsed as StatusPagePublication;
  } catch {
    return undefined;
  }
}
