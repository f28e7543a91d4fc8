import { STEPS } from '../messages/steps.js';
import type { Outlet } from './outlet.js';

/**
 * The reminder and escalation schedule. Most of it follows from the incident as stored (reminders
 * stop once it is resolved, the ladder's unacknowledged rungs once it is acknowledged), so the
 * scheduler needs no word; a reopened incident starts its update clock again from now.
 */
export const scheduleOutlet: Outlet = {
  name: 'schedule',
  step: STEPS.keepSchedule,
  async deliver({ event, incident, at }, deps, steps) {
    if (event.kind === 'reopened') await steps.attempt(STEPS.restartReminders, () => deps.reminders.restart(incident.id, at));
  },
};
