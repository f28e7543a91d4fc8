import { isDrill } from '../domain/drill.js';
import type { SeverityLevel } from '../domain/severity.js';
import { automaticUpdateEvent, severityRaisedEvent, statusUpdateEvent } from '../messages/incident.js';
import { STEPS } from '../messages/steps.js';
import { announcementLine, declaredAnnouncement, resolutionMessage, shortTime } from '../render/incidentMessages.js';
import { truncate } from '../slack/views/blocks.js';
import { escapeTypedText } from '../render/mrkdwn.js';
import type { Outlet } from './outlet.js';

/** SEV1 and SEV2 updates are repeated in the announcement channel: the rest of the company is waiting on them. */
const ANNOUNCED_UPDATES: readonly SeverityLevel[] = ['SEV1', 'SEV2'];

/** An announcement is one line: a drafted update's list of news is run together and cut short. */
const ANNOUNCED_NEWS_LIMIT = 400;
const oneLine = (text: string) => truncate(text.replace(/\s*\n\s*/g, ' '), ANNOUNCED_NEWS_LIMIT);

/**
 * The announcement channel, the one place its rule is written: only when one is configured, never
 * for a private incident, never for a drill unless `drills.announce` says so (a rehearsal told to
 * the whole company is a false alarm); a new incident, its SEV1/SEV2 status updates, a raised severity, and
 * the resolution.
 */
export const announcementOutlet: Outlet = {
  name: 'announcement',
  step: STEPS.announce,
  async deliver({ event, incident, actorId }, deps, steps) {
    const channel = deps.settings.announceChannel;
    if (!channel || incident.isPrivate) return;
    if (isDrill(incident) && !deps.settings.drills.announce) return;
    const post = (step: string, message: Parameters<typeof deps.chat.postMessage>[1]) => steps.attempt(step, () => deps.chat.postMessage(channel, message));
    switch (event.kind) {
      case 'declared':
        return post(STEPS.announceIncident, declaredAnnouncement(deps, incident));
      case 'status_updated': {
        if (!ANNOUNCED_UPDATES.includes(incident.severity)) return;
        const news = escapeTypedText(oneLine(event.update.whatChanged));
        const since = event.lastPersonUpdateAt ? shortTime(event.lastPersonUpdateAt, deps.settings.timeZone, deps.clock.now()) : null;
        const line = event.source === 'automatic' ? automaticUpdateEvent(since, news) : statusUpdateEvent(news);
        return post(STEPS.repeatInAnnouncementChannel, announcementLine(deps, incident, line));
      }
      case 'severity_changed':
        if (event.raised) await post(STEPS.announceRaisedSeverity, announcementLine(deps, incident, severityRaisedEvent(event.from, event.to)));
        return;
      case 'resolved':
        return post(STEPS.announceResolution, resolutionMessage(deps, incident, event, actorId ?? deps.identity.botUserId));
    }
  },
};
