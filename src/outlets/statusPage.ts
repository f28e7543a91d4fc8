import type { Happened } from '../domain/events.js';
import type { IncidentStatus } from '../domain/incident.js';
import { componentStatusFor, NOT_PUBLISHED_KIND, PUBLISHED_KIND, statusPageKey, type Publication } from '../domain/statusPage.js';
import { notPublishedEntry, publishedEntry, STATUS_PAGE_STEP } from '../messages/statusPage.js';
import { STEPS, stepFailed } from '../messages/steps.js';
import { summaryMessage } from '../render/incidentMessages.js';
import { StatusPageError } from './statusPageApi.js';
import type { Outlet } from './outlet.js';

/** What a change asked to publish, and with which status; undefined when it asked for nothing. */
function requested(event: Happened['event']): { publication: Publication; status: IncidentStatus } | undefined {
  if (event.kind === 'declared' && event.publication) return { publication: event.publication, status: 'investigating' };
  if (event.kind === 'status_updated' && event.publication) return { publication: event.publication, status: event.update.status };
  if (event.kind === 'resolved' && event.publication) return { publication: event.publication, status: 'resolved' };
  return undefined;
}

/**
 * The public status page: the message a form asked to publish goes to Statuspage, with the
 * incident's status and its components marked (the severity's outage while open, operational once
 * resolved). What was published, or why it could not be, goes on the timeline; a failure is told
 * to the person and never touches the incident. Nothing is published that no form asked for.
 */
export const statusPageOutlet: Outlet = {
  name: 'status page',
  step: STATUS_PAGE_STEP,
  async deliver({ event, incident, actorId }, deps, steps) {
    const asked = requested(event);
    if (!asked || !deps.statusPage || !deps.settings.statusPage) return;
    const { publication, status } = asked;
    const components = deps.settings.statusPage;
    const named = publication.components.flatMap((name) => (components.byName[name] ? [components.byName[name]] : []));
    const log = deps.log.child({ incidentId: incident.id, outlet: 'status page' });
    let published: { statusPageIncidentId: string; created: boolean };
    try {
      published = await deps.statusPage.publish({
        incidentKey: statusPageKey(incident),
        name: incident.title,
        status,
        message: publication.message,
        componentIds: event.kind === 'declared' || named.length > 0 ? named : 'as before',
        componentStatus: componentStatusFor(components, incident.severity, status),
      });
    } catch (error) {
      if (!(error instanceof StatusPageError)) throw error;
      log.warn({ code: error.code, httpStatus: error.httpStatus }, 'could not publish to the status page; the change stands');
      steps.add([stepFailed(STATUS_PAGE_STEP, error.userMessage)]);
      await steps.attempt(STATUS_PAGE_STEP, () =>
        deps.incidents.appendTimeline(incident.id, { at: deps.clock.now(), actorId, kind: NOT_PUBLISHED_KIND, text: notPublishedEntry(status, error.userMessage), data: { status, code: error.code } }),
      );
      return;
    }
    log.info({ statusPageIncidentId: published.statusPageIncidentId, created: published.created, status }, 'published to the status page');
    await steps.attempt(STATUS_PAGE_STEP, () =>
      deps.incidents.appendTimeline(incident.id, {
        at: deps.clock.now(),
        actorId,
        kind: PUBLISHED_KIND,
        text: publishedEntry(status, publication.message),
        data: { status, message: publication.message, statusPageIncidentId: published.statusPageIncidentId },
      }),
    );
    // The summary outlet does not redraw for a declaration: the summary was just posted, without the public message.
    const kickoffTs = incident.kickoffTs;
    if (event.kind === 'declared' && kickoffTs) {
      await steps.attempt(STEPS.updatePinnedSummary, () =>
        deps.chat.updateMessage(incident.channelId, kickoffTs, summaryMessage(deps, incident, { message: publication.message, at: deps.clock.now() })),
      );
    }
  },
};
