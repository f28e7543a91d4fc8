import type { LiveIncident } from '../domain/incident.js';
import { autoPostDelayMs, nextReminder, reviewDeadline, silenceMs, type ReminderKind, type ReminderSettings, type ReviewSettings } from '../domain/reminders.js';
import { draftAsUpdate, draftStatusUpdate, updateSourceOf, type StatusDraft } from '../domain/statusDraft.js';
import { POST_UPDATE_BUTTON } from '../messages/schedule.js';
import type { ChatMessage, Claim, DueIncident, PendingSend, ScheduledSlot } from '../ports.js';
import { shortTime, statusUpdateMessage, statusUpdateText } from '../render/incidentMessages.js';
import type { Logger } from 'pino';
import { deliverOnce, finishDelivery, prepareDelivery, type ScheduledSend } from '../scheduler/deliverOnce.js';
import { forEachConcurrently, fromRandomStart, SENDS_AT_ONCE } from '../scheduler/concurrently.js';
import { LEASE_MS } from '../scheduler/leases.js';
import { deadHolders, leaseCheckWithout } from '../scheduler/replicas.js';
import { TimedSends, type WakeAt } from '../scheduler/timedSends.js';
import { plainText } from '../slack/views/blocks.js';
import { REMINDER_BUTTONS, REMINDER_EVENT_TYPE, reminderMessage, reviewReminderMessage } from '../slack/views/reminderMessage.js';
import type { SchedulerDependencies } from './incidentFlow.js';
import { runChange } from './pipeline.js';
import { statusUpdateChange } from './statusUpdate.js';

export interface ReminderDependencies extends SchedulerDependencies {
  reminderSettings: ReminderSettings;
  review: ReviewSettings;
}

/** One scheduled send, claimed: the message, what to write once it is out (else: a reminder sent). */
interface ReminderJob {
  pending: PendingSend;
  message(key: string): ChatMessage;
  markSent?(at: Date): Promise<void>;
}

/**
 * One pass of the reminder scheduler: every incident owed something now (a drafted update
 * reminder or the bot's automatic update while open, the post-mortem review once resolved) is
 * claimed, sent once, and marked sent with its next due time. Returns how many were sent. Only
 * incidents whose stored due time has come are read (`DueTimes`); one unlocked or released stays
 * due until a pass reads it again and stores its next time.
 *
 * Due incidents are claimed first, a batch in one statement, then each read once: the claim
 * returns the reminder's schedule and nothing another process does to the schedule can come
 * between the read and the send. In a burst every statement counts (README, Performance): a send
 * is its share of a batch's claim, the incident, the draft (timeline read and draft written), the
 * key written, the Slack call, and the write that records it with the next due time.
 */
export async function sendDueReminders(deps: ReminderDependencies): Promise<number> {
  return remindersPass(deps);
}

/**
 * The bot's reminder sends: each pass also claims the reminders due in the next `aheadMs` and
 * makes them ready (incident read, draft written, key stored), and each is posted on the dot by a
 * timer. A thousand reminders due at the same minute go out within a second of it instead of
 * taking their turn through the reads and writes. What is made ready is posted only if the
 * incident's schedule has not changed since (an update posted, a resolution): its draft is at most
 * `aheadMs` older than the post. `stop` lets go of those not yet posted, for another replica.
 */
export function startReminderSends(deps: ReminderDependencies, aheadMs: number, wakeAt: WakeAt): { pass(): Promise<number>; stop(): Promise<void> } {
  const ready = new TimedSends<ReadyReminder>(
    wakeAt,
    (reminders) => sendReady(deps, reminders),
    (reminder) => deps.leases.unlock(reminder.slot, deps.owner),
    deps.log,
  );
  return { pass: () => remindersPass(deps, { aheadMs, ready }), stop: () => ready.stop() };
}

/**
 * How far ahead the bot makes reminders ready (less for intervals under 20 s): enough for a few
 * thousand due at the same instant on two cores; the staler their drafts would be.
 */
export const REMINDERS_AHEAD_MS = 5_000;

/** A reminder claimed and made ready before its time: left to do, the check that nothing changed, the post and its record. */
interface ReadyReminder {
  incidentId: number;
  version: number;
  slot: ScheduledSlot;
  send: ScheduledSend;
  key: string;
  kind: string;
  dueAt: Date;
  log: Logger;
  /** For a plain reminder (not an automatic update): the next due time after a send at `at`, so its record can join the others'. */
  nextAfter?: (at: Date) => { version: number; at: Date | null };
}

async function remindersPass(deps: ReminderDependencies, ahead?: { aheadMs: number; ready: TimedSends<ReadyReminder> }): Promise<number> {
  const now = deps.clock.now();
  const by = ahead ? new Date(now.getTime() + ahead.aheadMs) : now;
  const dueNow = await deps.dueTimes.dueNow('reminder', by);
  if (dueNow.length === 0) return 0;
  // Only with something due, who of the lease holders is gone is asked: an idle tick costs one indexed query.
  const dead = await deadHolders(deps, deps.owner, now);
  const leaseIsLive = leaseCheckWithout(dead);
  // Leased: being sent by another process, or made ready by this one and waiting for its time.
  const unclaimed = dueNow.filter((incident) => !leaseIsLive(incident.leaseOwner, incident.leaseUntil, now));
  // Waiting to retry or snoozed: owed nothing before then (`nextReminder` never says sooner), so looked at again then, without a read.
  const waitsPast = (incident: DueIncident) => incident.notBefore && incident.notBefore > by;
  const waiting = unclaimed.filter(waitsPast);
  await deps.dueTimes.store('reminder', waiting.map(({ incidentId, version, notBefore }) => ({ incidentId, version, at: notBefore! })));
  let sent = 0;
  const nextClaimed = claimedInBatches(deps, fromRandomStart(unclaimed.filter((incident) => !waitsPast(incident))), now, by, dead);
  // SENDS_AT_ONCE workers, each taking the next claimed reminder until none is left.
  await forEachConcurrently(Array.from({ length: SENDS_AT_ONCE }, (_, worker) => worker), SENDS_AT_ONCE, async () => {
    for (let next = await nextClaimed(); next; next = await nextClaimed()) if (await sendClaimed(deps, next, now, by, ahead?.ready)) sent += 1;
  });
  return sent;
}

/**
 * The reminders of `due` claimed a batch at a time, in its order, as the workers ask for them: a
 * batch is SENDS_AT_ONCE incidents, claimed in one statement when the claimed ones run out, so
 * claims stay ahead of the sends by one batch at most (leases run a minute). Incidents another
 * process has are left out. Undefined once every batch is tried.
 */
function claimedInBatches(deps: ReminderDependencies, due: readonly DueIncident[], now: Date, by: Date, dead: readonly string[]): () => Promise<ClaimedReminder | undefined> {
  const versions = new Map(due.map((incident) => [incident.incidentId, incident.version]));
  const claimed: ClaimedReminder[] = [];
  let tried = 0;
  let claiming: Promise<void> | undefined;
  const claimBatch = async () => {
    const batch = due.slice(tried, tried + SENDS_AT_ONCE).map((incident) => incident.incidentId);
    tried += batch.length;
    for (const { incidentId, claim } of await deps.leases.claimDueReminders(batch, deps.owner, now, LEASE_MS, dead, by)) {
      claimed.push({ incidentId, version: versions.get(incidentId)!, claim });
    }
  };
  return async () => {
    for (;;) {
      const next = claimed.shift();
      if (next) return next;
      if (!claiming && tried >= due.length) return undefined;
      // One claim at a time: the workers that find none claimed wait for the same batch.
      claiming ??= claimBatch().finally(() => (claiming = undefined));
      await claiming;
    }
  };
}

interface ClaimedReminder {
  incidentId: number;
  /** The incident's schedule version when the pass listed it: a due time is stored only if it is unchanged. */
  version: number;
  claim: Claim;
}

/**
 * Sends one claimed reminder if it is owed now, else lets it go and stores when it is. True when
 * it was sent. One owed by `by` but not yet is made ready and handed to `ready`, which posts it at
 * its time.
 */
async function sendClaimed(deps: ReminderDependencies, { incidentId, version, claim }: ClaimedReminder, now: Date, by: Date, ready?: TimedSends<ReadyReminder>): Promise<boolean> {
  const slot: ScheduledSlot = { kind: 'reminder', incidentId };
  const state = claim.reminder ?? (await deps.reminders.stateOf(incidentId));
  const incident = await deps.incidents.findLiveById(incidentId);
  const due = incident && nextReminder(incident, state, deps.reminderSettings, deps.review);
  if (!incident || !due || due.at > by) {
    // Not owed now (a change asked for a fresh look, or another process sent it): store when it is.
    await deps.leases.unlock(slot, deps.owner);
    await deps.dueTimes.store('reminder', [{ incidentId, version, at: due?.at ?? null }]);
    return false;
  }
  const log = deps.log.child({ incidentId: incident.id });
  const later = ready && due.at > now;
  // Drafted as of its time: a reminder made ready ahead says what will be true when it is posted.
  const job = await jobFor(deps, incident, due.kind, claim.pending, later ? due.at : now);
  // The time owed after this one, from the send's own time: stored with it, unless a change came in since `version`.
  const nextAfter = (at: Date) => ({ version, at: nextReminder(incident, { ...state, lastRemindedAt: at, notBefore: null }, deps.reminderSettings, deps.review)?.at ?? null });
  const send: ScheduledSend = {
    channelId: incident.channelId,
    eventType: REMINDER_EVENT_TYPE,
    what: job.pending,
    send: async (key) => void (await deps.chat.postMessage(incident.channelId, job.message(key))),
    markSent: (at) => (job.markSent ? job.markSent(at) : deps.reminders.markSent(incident.id, deps.owner, at, nextAfter(at))),
  };
  const kind = job.pending.kind === 'automatic' ? 'automatic' : due.kind;
  if (later) {
    const prepared = await prepareDelivery(deps, slot, claim, send, retryAt(deps), log);
    if (prepared === 'found' || prepared === 'failed') return false;
    // Drawn now too: at its time, the post is all that is left.
    const message = job.message(prepared.key);
    const post: ScheduledSend = { ...send, send: async () => void (await deps.chat.postMessage(incident.channelId, message)) };
    ready.add(due.at, { incidentId, version, slot, send: post, key: prepared.key, kind, dueAt: due.at, log, ...(job.markSent ? {} : { nextAfter }) });
    return false;
  }
  const outcome = await deliverOnce(deps, slot, claim, send, retryAt(deps), log);
  if (outcome !== 'sent') return false;
  log.info({ kind, dueAt: due.at.toISOString() }, 'reminder sent');
  return true;
}

const retryAt = (deps: ReminderDependencies) => new Date(deps.clock.now().getTime() + deps.retryMs);

/**
 * Reminders made ready, at their time: those whose incident changed since are let go (the next
 * pass decides afresh), the others posted, SENDS_AT_ONCE at a time, and only then recorded: plain
 * reminders all in one statement, automatic updates each through the pipeline. The records wait
 * for the posts because the posts are what is late; each key is stored, so a crash before its
 * record is found in the chat by the next claimant and recorded then.
 */
async function sendReady(deps: ReminderDependencies, ready: ReadyReminder[]): Promise<void> {
  const unchanged = await deps.dueTimes.unchanged(ready);
  const records: { reminder: ReadyReminder; at: Date }[] = [];
  const letGo = async (reminder: ReadyReminder, error?: unknown) => {
    if (error) reminder.log.error({ err: error }, 'reminder made ready could not be sent; the next pass tries again');
    await deps.leases.unlock(reminder.slot, deps.owner);
  };
  await forEachConcurrently(ready, SENDS_AT_ONCE, async (reminder) => {
    if (!unchanged.has(reminder.incidentId)) return letGo(reminder);
    try {
      await finishDelivery(deps, reminder.slot, reminder.send, reminder.key, retryAt(deps), reminder.log, async (at) => void records.push({ reminder, at }));
    } catch (error) {
      await letGo(reminder, error);
    }
  });
  const sentLog = ({ reminder, at }: { reminder: ReadyReminder; at: Date }) =>
    reminder.log.info({ kind: reminder.kind, dueAt: reminder.dueAt.toISOString(), lateMs: at.getTime() - reminder.dueAt.getTime() }, 'reminder sent');
  // Its key is stored: if its record fails, the next claimant finds the message in the channel once the lease runs out, and records it then.
  const notRecorded = (reminder: ReadyReminder, error: unknown) => reminder.log.error({ err: error }, 'reminder posted but not recorded; recorded when its lease runs out');
  const plain = records.filter(({ reminder }) => reminder.nextAfter);
  try {
    await deps.reminders.markManySent(deps.owner, plain.map(({ reminder, at }) => ({ incidentId: reminder.incidentId, at, next: reminder.nextAfter!(at) })));
    plain.forEach(sentLog);
  } catch (error) {
    plain.forEach(({ reminder }) => notRecorded(reminder, error));
  }
  await forEachConcurrently(records.filter(({ reminder }) => !reminder.nextAfter), SENDS_AT_ONCE, async (record) => {
    try {
      await record.reminder.send.markSent(record.at);
      sentLog(record);
    } catch (error) {
      notRecorded(record.reminder, error);
    }
  });
}

/**
 * What to send. An automatic update a crash left unfinished is finished with its own draft, so
 * the update recorded is the one the channel may already show.
 */
async function jobFor(deps: ReminderDependencies, incident: LiveIncident, kind: ReminderKind, pending: PendingSend | null, now: Date): Promise<ReminderJob> {
  const unfinished = pending?.kind === 'automatic' ? await deps.reminders.findDraft(pending.draftId) : undefined;
  if (unfinished) return automaticUpdateJob(deps, incident, unfinished);
  if (kind === 'automatic') {
    const draft = draftStatusUpdate(incident, await deps.incidents.timelineOf(incident.id), now, deps.settings.timeZone);
    return automaticUpdateJob(deps, incident, { ...draft, id: await deps.reminders.saveDraft(incident.id, draft) });
  }
  if (kind === 'update') return draftedReminderJob(deps, incident, now);
  const due = { deadline: reviewDeadline(incident, deps.review), now, timeZone: deps.settings.timeZone };
  return { pending: { kind: 'reminder' }, message: (key) => reviewReminderMessage(incident, due, key) };
}

/** The reminder, with the update drafted from the timeline and kept for its Post as is and Edit and post buttons. */
async function draftedReminderJob(deps: ReminderDependencies, incident: LiveIncident, now: Date): Promise<ReminderJob> {
  const timeline = await deps.incidents.timelineOf(incident.id);
  const draft = draftStatusUpdate(incident, timeline, now, deps.settings.timeZone);
  const draftId = await deps.reminders.saveDraft(incident.id, draft);
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
 * there), then it goes through the pipeline as the interval's update, to the outlets like any
 * update. Recorded after posting, unlike a person's update: a person hears about a failure and can
 * try again; the bot's update is only recorded once the channel has it, and retried until it does.
 */
function automaticUpdateJob(deps: ReminderDependencies, incident: LiveIncident, draft: StatusDraft & { id: number }): ReminderJob {
  const update = draftAsUpdate(draft);
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
    markSent: async (at) => {
      const origin = { source: 'automatic' as const, draft: { id: draft.id, status: draft.status, basedOnUpdateAt: draft.basedOnUpdateAt } };
      const outcome = await runChange(deps, statusUpdateChange(deps, incident.id, update, origin, draft.lastPersonUpdateAt, { actorId: null, at }));
      await deps.reminders.markAutomaticSent(incident.id, deps.owner);
      // Someone posted while the bot did: theirs is the interval's update; the bot's stays in the channel, off the timeline.
      if (!outcome.ok) deps.log.info({ incidentId: incident.id, reason: outcome.result.message }, 'automatic update posted but not recorded');
    },
  };
}
