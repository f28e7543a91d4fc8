import type { IncidentEventKind } from '../domain/events.js';
import { lastPublicMessage } from '../domain/statusPage.js';
import { STEPS } from '../messages/steps.js';
import { summaryMessage, topicText } from '../render/incidentMessages.js';
import type { Outlet } from './outlet.js';

/** The changes the pinned summary and the topic show (status, severity, roles, acknowledgement, resolution). */
const SHOWN: ReadonlySet<IncidentEventKind> = new Set(['status_updated', 'severity_changed', 'role_assigned', 'acknowledged', 'resolved', 'reopened', 'details_edited']);

/** The pinned summary and the channel topic, kept as the incident now stands. */
export const summaryOutlet: Outlet = {
  name: 'summary',
  step: STEPS.keepSummaryCurrent,
  async deliver({ event, incident }, deps, steps) {
    if (!SHOWN.has(event.kind)) return;
    const kickoffTs = incident.kickoffTs;
    if (kickoffTs) {
      await steps.attempt(STEPS.updatePinnedSummary, async () => {
        // Only with a status page is there a public message to show: otherwise no timeline read.
        const lastPublic = deps.settings.statusPage ? lastPublicMessage(await deps.incidents.timelineOf(incident.id)) : undefined;
        await deps.chat.updateMessage(incident.channelId, kickoffTs, summaryMessage(deps, incident, lastPublic));
      });
    }
    await steps.attempt(STEPS.updateTopic, () => deps.chat.setTopic(incident.channelId, topicText(deps, incident)));
  },
};
