import { randomUUID } from 'node:crypto';
import { NO_REMINDER_STATE, nextReminderAt, silenceMs, type ReminderSettings } from '../domain/reminders.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { REMINDER_EVENT_TYPE, reminderMessage } from '../slack/views/reminderMessage.js';
import type { IncidentDependencies } from './incidentFlow.js';

/** Longer than a Slack call can take with its retries: a lease that runs out means its holder died. */
const LEASE_MS = 60_000;
/** After Slack failed to take a reminder, try again this much later (sooner for short test intervals). */
const RETRY_MS = 30_000;
const retryDelay = (settings: ReminderSettings) => Math.min(RETRY_MS, settings.defaultIntervalMs / 2);

export interface ReminderDependencies extends IncidentDependencies {
  reminderSettings: ReminderSettings;
  /** Who holds a lease: this process. */
  owner: string;
}

/**
 * One pass of the scheduler: every open incident whose reminder is due is claimed in the database,
 * sent, and marked sent. A claim whose holder crashed mid-send is checked against Slack first, so
 * the reminder is neither lost nor repeated. Returns how many reminders were sent.
 */
export async function sendDueReminders(deps: ReminderDependencies): Promise<number> {
  const now = deps.clock.now();
  const states = deps.reminders.allStates();
  let sent = 0;
  for (const incident of deps.incidents.listOpen()) {
    const state = states.get(incident.id) ?? { ...NO_REMINDER_STATE, leaseUntil: null };
    const due = nextReminderAt(incident, state, deps.reminderSettings);
    if (!due || due > now || (state.leaseUntil && state.leaseUntil > now) || !incident.channelId) continue;
    const claimed = deps.reminders.claim(incident.id, deps.owner, now, LEASE_MS, state);
    if (!claimed) continue; // another process has it
    const log = deps.log.child({ incidentId: incident.id });
    try {
      if (claimed.pendingKey && claimed.pendingSince) {
        const ts = await deps.slack.findMessageByMetadata(incident.channelId, REMINDER_EVENT_TYPE, claimed.pendingKey, claimed.pendingSince);
        if (ts) {
          log.info({ key: claimed.pendingKey }, 'reminder was sent before a crash; not sending it again');
          deps.reminders.markSent(incident.id, deps.owner, claimed.pendingSince);
          continue;
        }
      }
      const key = randomUUID();
      deps.reminders.markPending(incident.id, deps.owner, key, now);
      await deps.slack.postMessage(incident.channelId, reminderMessage(incident, silenceMs(incident, now), key));
      deps.reminders.markSent(incident.id, deps.owner, now);
      sent += 1;
      log.info({ dueAt: due.toISOString() }, 'update reminder sent');
    } catch (error) {
      if (!(error instanceof SlackCallError)) throw error;
      deps.reminders.release(incident.id, deps.owner, new Date(now.getTime() + retryDelay(deps.reminderSettings)));
      log.warn({ code: error.code }, 'could not send an update reminder; will retry');
    }
  }
  return sent;
}

/** Runs `sendDueReminders` every tick; `stop` waits for a pass in flight to finish. */
export function startReminderScheduler(deps: ReminderDependencies, tickMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = sendDueReminders(deps)
      .catch((error: unknown) => deps.log.error({ err: error }, 'reminder pass failed'))
      .finally(() => {
        busy = false;
      });
  }, tickMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
