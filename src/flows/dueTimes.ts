import { nextEscalationAt } from '../domain/escalation.js';
import { NO_REMINDER_STATE, nextReminder } from '../domain/reminders.js';
import type { ComputedDueTime } from '../ports.js';
import { computeArchiveDueTimes } from './archive.js';
import type { EscalationDependencies } from './escalation.js';
import type { ReminderDependencies } from './reminders.js';

/**
 * Computes every live incident's due times afresh (reminders, escalations, channel archive), with this process's settings: run once at
 * start-up, before the scheduler, because the intervals, the review rule and the ladder come from
 * the configuration, which may have changed since the times were stored. A few bulk reads, however
 * many incidents are open. A change made meanwhile (by another replica) wins over what is computed
 * here (`DueTimes.store`). Returns how many incidents were computed.
 */
export async function recomputeDueTimes(deps: ReminderDependencies & EscalationDependencies): Promise<number> {
  // Versions first: a change after this read makes the times computed below lose to its "look again".
  const versions = await deps.dueTimes.versions();
  const open = await deps.incidents.listOpen();
  const awaitingReview = await deps.incidents.listAwaitingReview(deps.review.severities);
  const states = await deps.reminders.allStates();
  const paged = await deps.escalations.pagedRungs();
  const reminders: ComputedDueTime[] = [];
  const escalations: ComputedDueTime[] = [];
  const owing = new Set<number>();
  for (const incident of [...open, ...awaitingReview]) {
    const version = versions.get(incident.id);
    if (version === undefined || owing.has(incident.id)) continue; // live since the versions were read: its change asked for a fresh look
    owing.add(incident.id);
    const reminder = nextReminder(incident, states.get(incident.id) ?? NO_REMINDER_STATE, deps.reminderSettings, deps.review);
    reminders.push({ incidentId: incident.id, version, at: reminder?.at ?? null });
    escalations.push({ incidentId: incident.id, version, at: nextEscalationAt(incident, deps.escalation, paged.get(incident.id) ?? new Set()) ?? null });
  }
  // Resolved and not awaiting a review under these settings: owed nothing.
  for (const [incidentId, version] of versions) {
    if (owing.has(incidentId)) continue;
    reminders.push({ incidentId, version, at: null });
    escalations.push({ incidentId, version, at: null });
  }
  await deps.dueTimes.store('reminder', reminders);
  await deps.dueTimes.store('escalation', escalations);
  await deps.dueTimes.store('archive', await computeArchiveDueTimes(deps, versions));
  return versions.size;
}
