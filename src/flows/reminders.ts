import { NO_REMINDER_STATE, nextReminder, reviewDeadline, silenceMs, type ReminderSettings, type ReviewSettings } from '../domain/reminders.js';
import { REMINDER_EVENT_TYPE, reminderMessage, reviewReminderMessage } from '../slack/views/reminderMessage.js';
import { deliverOnce, LEASE_MS, leaseIsLive, type SchedulerDependencies } from './delivery.js';

export interface ReminderDependencies extends SchedulerDependencies {
  reminderSettings: ReminderSettings;
  review: ReviewSettings;
}

/**
 * One pass of the reminder scheduler: every incident owed a reminder now (an update while open,
 * the post-mortem review once resolved) is claimed in the database, sent once, and marked sent.
 * Returns how many reminders were sent.
 */
export async function sendDueReminders(deps: ReminderDependencies): Promise<number> {
  const now = deps.clock.now();
  const states = deps.reminders.allStates();
  let sent = 0;
  for (const incident of [...deps.incidents.listOpen(), ...deps.incidents.listAwaitingReview(deps.review.severities)]) {
    const state = states.get(incident.id) ?? { ...NO_REMINDER_STATE, leaseOwner: null, leaseUntil: null };
    const due = nextReminder(incident, state, deps.reminderSettings, deps.review);
    if (!due || due.at > now || leaseIsLive(state.leaseOwner, state.leaseUntil, now) || !incident.channelId) continue;
    const claimed = deps.reminders.claim(incident.id, deps.owner, now, LEASE_MS, state, state.leaseOwner);
    if (!claimed) continue; // another process has it
    const channelId = incident.channelId;
    const message = (key: string) =>
      due.kind === 'update'
        ? reminderMessage(incident, silenceMs(incident, now), key)
        : reviewReminderMessage(incident, { deadline: reviewDeadline(incident, deps.review), now, timeZone: deps.settings.timeZone }, key);
    const outcome = await deliverOnce(
      deps.slack,
      {
        channelId,
        eventType: REMINDER_EVENT_TYPE,
        pending: claimed.pendingKey && claimed.pendingSince ? { key: claimed.pendingKey, since: claimed.pendingSince } : undefined,
        markPending: (key, at) => deps.reminders.markPending(incident.id, deps.owner, key, at),
        send: async (key) => void (await deps.slack.postMessage(channelId, message(key))),
        markSent: (at) => deps.reminders.markSent(incident.id, deps.owner, at),
        release: (retryAt) => deps.reminders.release(incident.id, deps.owner, retryAt),
      },
      deps.clock,
      new Date(now.getTime() + deps.retryMs),
      deps.log.child({ incidentId: incident.id }),
    );
    if (outcome === 'sent') {
      sent += 1;
      deps.log.info({ incidentId: incident.id, kind: due.kind, dueAt: due.at.toISOString() }, 'reminder sent');
    }
  }
  return sent;
}
