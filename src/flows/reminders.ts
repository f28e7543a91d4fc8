import type { Incident } from '../domain/incident.js';
import { planStatusUpdate } from '../domain/lifecycle.js';
import { autoPostDelayMs, NO_REMINDER_STATE, nextReminder, reviewDeadline, silenceMs, type ReminderKind, type ReminderSettings, type ReviewSettings } from '../domain/reminders.js';
import { draftAsUpdate, draftStatusUpdate, updateSourceOf, type StatusDraft } from '../domain/statusDraft.js';
import { POST_UPDATE_BUTTON } from '../messages/schedule.js';
import type { SlackMessage } from '../slack/gateway.js';
import { plainText } from '../slack/views/blocks.js';
import { REMINDER_BUTTONS, REMINDER_EVENT_TYPE, reminderMessage, reviewReminderMessage } from '../slack/views/reminderMessage.js';
import type { PendingSend } from '../store/reminderRepository.js';
import { deliverOnce, LEASE_MS, leaseIsLive, type SchedulerDependencies } from './delivery.js';
import { shortTime, spreadStatusUpdate, statusUpdateMessage, statusUpdateText } from './statusUpdate.js';

export interface ReminderDependencies extends SchedulerDependencies {
  reminderSettings: ReminderSettings;
  review: ReviewSettings;
}

/** One scheduled send, claimed: the message, what to write once it is out (else: a reminder sent), what follows. */
interface ReminderJob {
  pending: PendingSend;
  message(key: string): SlackMessage;
  markSent?(at: Date): void;
  afterSent?(): Promise<void>;
}

/**
 * One pass of the reminder scheduler: every incident owed something now (a drafted update
 * reminder or the bot's automatic update while open, the post-mortem review once resolved) is
 * claimed in the database, sent once, and marked sent. Returns how many were sent.
 */
export async function sendDueReminders(deps: ReminderDependencies): Promise<number> {
  const now = deps.clock.now();
  const states = deps.reminders.allStates();
  let sent = 0;
  for (const listed of [...deps.incidents.listOpen(), ...deps.incidents.listAwaitingReview(deps.review.severities)]) {
    const state = states.get(listed.id) ?? { ...NO_REMINDER_STATE, leaseOwner: null, leaseUntil: null };
    const due = nextReminder(listed, state, deps.reminderSettings, deps.review);
    if (!due || due.at > now || leaseIsLive(state.leaseOwner, state.leaseUntil, now) || !listed.channelId) continue;
    const claimed = deps.reminders.claim(listed.id, deps.owner, now, LEASE_MS, state, state.leaseOwner);
    if (!claimed) continue; // another process has it
    // Read again now that it is ours: an update posted since the pass began means nothing is owed.
    const incident = deps.incidents.findById(listed.id);
    const still = incident && nextReminder(incident, state, deps.reminderSettings, deps.review);
    if (!incident?.channelId || !still || still.at > now) {
      deps.reminders.unlock(listed.id, deps.owner);
      continue;
    }
    const channelId = incident.channelId;
    const log = deps.log.child({ incidentId: incident.id });
    const job = jobFor(deps, incident, still.kind, claimed.pending, now);
    const outcome = await deliverOnce(
      deps.slack,
      {
        channelId,
        eventType: REMINDER_EVENT_TYPE,
        pending: claimed.pendingKey && claimed.pendingSince ? { key: claimed.pendingKey, since: claimed.pendingSince } : undefined,
        markPending: (key, at) => deps.reminders.markPending(incident.id, deps.owner, key, at, job.pending),
        send: async (key) => void (await deps.slack.postMessage(channelId, job.message(key))),
        markSent: (at) => (job.markSent ? job.markSent(at) : deps.reminders.markSent(incident.id, deps.owner, at)),
        release: (retryAt) => deps.reminders.release(incident.id, deps.owner, retryAt),
      },
      deps.clock,
      new Date(now.getTime() + deps.retryMs),
      log,
    );
    if (outcome === 'failed') continue;
    await job.afterSent?.();
    if (outcome === 'sent') {
      sent += 1;
      deps.log.info({ incidentId: incident.id, kind: job.pending.kind === 'automatic' ? 'automatic' : still.kind, dueAt: still.at.toISOString() }, 'reminder sent');
    }
  }
  return sent;
}

/**
 * What to send. An automatic update a crash left unfinished is finished with its own draft, so
 * the update recorded is the one the channel may already show.
 */
function jobFor(deps: ReminderDependencies, incident: Incident, kind: ReminderKind, pending: PendingSend | null, now: Date): ReminderJob {
  const unfinished = pending?.kind === 'automatic' ? deps.reminders.findDraft(pending.draftId) : undefined;
  if (unfinished) return automaticUpdateJob(deps, incident, unfinished);
  if (kind === 'automatic') {
    const draft = draftStatusUpdate(incident, deps.incidents.timelineOf(incident.id), now, deps.settings.timeZone);
    return automaticUpdateJob(deps, incident, { ...draft, id: deps.reminders.saveDraft(incident.id, draft) });
  }
  if (kind === 'update') return draftedReminderJob(deps, incident, now);
  const due = { deadline: reviewDeadline(incident, deps.review), now, timeZone: deps.settings.timeZone };
  return { pending: { kind: 'reminder' }, message: (key) => reviewReminderMessage(incident, due, key) };
}

/** The reminder, with the update drafted from the timeline and kept for its Post as is and Edit and post buttons. */
function draftedReminderJob(deps: ReminderDependencies, incident: Incident, now: Date): ReminderJob {
  const timeline = deps.incidents.timelineOf(incident.id);
  const draft = draftStatusUpdate(incident, timeline, now, deps.settings.timeZone);
  const draftId = deps.reminders.saveDraft(incident.id, draft);
  const draftText = statusUpdateText(deps, incident, draftAsUpdate(draft), { previousStatus: incident.status, source: 'person', postedBy: null, lastPersonUpdateAt: draft.lastPersonUpdateAt }).text;
  const lastUpdate = timeline.filter((entry) => entry.kind === 'status_update').at(-1);
  const timeZone = deps.settings.timeZone;
  const reminder = {
    silenceMs: silenceMs(incident, now),
    draftText,
    draftId,
    autoPostAt: deps.reminderSettings.autoPost.includes(incident.severity)
      ? shortTime(new Date(now.getTime() + autoPostDelayMs(deps.reminderSettings, incident.severity)), timeZone, now)
      : undefined,
    automaticSince: lastUpdate && updateSourceOf(lastUpdate) === 'automatic' ? (draft.lastPersonUpdateAt ? shortTime(draft.lastPersonUpdateAt, timeZone, now) : '') : undefined,
  };
  return { pending: { kind: 'reminder' }, message: (key) => reminderMessage(incident, reminder, key) };
}

/**
 * The bot posts the draft itself: first in the channel (with the send's key, so a crash is found
 * there), then it is recorded as the interval's update, then it goes where every update goes.
 * Recorded after posting, unlike a person's update: a person hears about a failure and can try
 * again; the bot's update is only recorded once the channel has it, and retried until it does.
 */
function automaticUpdateJob(deps: ReminderDependencies, incident: Incident, draft: StatusDraft & { id: number }): ReminderJob {
  const update = draftAsUpdate(draft);
  let recorded: Incident | undefined;
  return {
    pending: { kind: 'automatic', draftId: draft.id },
    message: (key) => {
      const posted = statusUpdateMessage(deps, incident, update, { previousStatus: incident.status, source: 'automatic', postedBy: null, lastPersonUpdateAt: draft.lastPersonUpdateAt });
      return {
        ...posted,
        // The commander it mentions can answer with a real update in one click.
        blocks: [...(posted.blocks ?? []), { type: 'actions', elements: [{ type: 'button', action_id: REMINDER_BUTTONS.update, text: plainText(POST_UPDATE_BUTTON), value: String(incident.id) }] }],
        metadata: { event_type: REMINDER_EVENT_TYPE, event_payload: { key, incident_id: incident.id, kind: 'automatic' } },
      };
    },
    markSent: (at) => {
      const origin = { source: 'automatic' as const, draft: { id: draft.id, status: draft.status, basedOnUpdateAt: draft.basedOnUpdateAt } };
      const applied = deps.incidents.applyChange(incident.id, (current) => planStatusUpdate(current, update, at, null, origin), { actorId: null, at });
      deps.reminders.markAutomaticSent(incident.id, deps.owner);
      if (applied.ok) recorded = applied.incident;
      // Someone posted while the bot did: theirs is the interval's update; the bot's stays in the channel, off the timeline.
      else deps.log.info({ incidentId: incident.id, reason: applied.reason }, 'automatic update posted but not recorded');
    },
    afterSent: async () => {
      if (recorded) await spreadStatusUpdate(deps, recorded, update, 'automatic', draft.lastPersonUpdateAt);
    },
  };
}
