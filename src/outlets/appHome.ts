import { TIMELINE_REVISIONS, type IncidentEventKind } from '../domain/events.js';
import { STEPS } from '../messages/steps.js';
import type { Outlet } from './outlet.js';

/**
 * How long after a change the Home tabs are published: a burst of changes (a declaration is
 * several) publishes once per person, at most one publish per person in this time.
 */
export const HOME_PUBLISH_DELAY_MS = 3_000;

/**
 * Changes that only add to the timeline or revise it: Home is drawn from the incidents and their participants,
 * never the timeline, so these leave it as it was (and a note, the bot's busiest change, writes
 * nothing more than its timeline entry).
 */
const TIMELINE_ONLY: ReadonlySet<IncidentEventKind> = new Set(['note_added', 'message_pinned', ...TIMELINE_REVISIONS]);

/**
 * The Home tab: every other change makes what each person who opened Home sees stale. It only marks
 * it; the scheduler publishes (`flows/appHome.ts`), so no change waits on views.publish.
 */
export const appHomeOutlet: Outlet = {
  name: 'app home',
  step: STEPS.markHomeStale,
  async deliver({ event, incident, at }, deps) {
    // Home leaves drills out: a drill's changes show nowhere there.
    if (incident.drillScenario !== null || TIMELINE_ONLY.has(event.kind)) return;
    try {
      await deps.appHome.markStale(new Date(at.getTime() + HOME_PUBLISH_DELAY_MS));
    } catch (error) {
      // Nobody asked for the Home tab: the change stands, and the log says Home may be behind.
      deps.log.error({ err: error, incidentId: incident.id }, 'could not mark the Home tab stale; it shows this change after the next one');
    }
  },
};
