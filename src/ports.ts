/**
 * What the flows see of the world: the incident store and the chat. Flows depend on these
 * interfaces only; SQLite (`store/sqlite/`) implements the store and `SlackGateway` the chat, so a
 * networked store (PostgreSQL) or another chat can be put in their place. Every store method returns
 * a Promise, and each method that writes is atomic on its own: a transaction or a single statement.
 *
 * The outbox: everything sent outside Slack (webhooks, a status page) is a row written in the same
 * transaction as the change it comes from, so a change is never recorded without its sends nor a
 * send stored for a change that was not. One way for every change: the flow plans the sends from
 * the change (`outlets/outbox.ts`, a `SendPlanner`) and hands them to the method that records it:
 * `applyChange` (as `ChangeContext.sends`, a function of the change as applied, since it is decided
 * inside the transaction), `markLive` (the declaration) and `postmortems.saveDraft` (the post-mortem
 * ready). The scheduler delivers them (`flows/outbox.ts`) through `OutboxRecords`.
 */
import type { KnownBlock, View } from '@slack/types';
import type { ActionItem, NewActionItem } from './domain/actionItem.js';
import type { ArchiveState } from './domain/archive.js';
import type { AlertSource, ReceivedAlert, StoredAlert } from './domain/alert.js';
import type { Declaration } from './domain/declaration.js';
import type { OutboxReported, OutboxRow, OutboxSend, OutboxState } from './domain/outbox.js';
import type { DrillLine } from './domain/drill.js';
import type { Incident, LiveIncident, ParticipantRole } from './domain/incident.js';
import type { MeasuredIncident } from './domain/insights.js';
import type { Decision, IncidentChange } from './domain/lifecycle.js';
import type { ReminderState } from './domain/reminders.js';
import type { SeverityLevel } from './domain/severity.js';
import type { StatusDraft } from './domain/statusDraft.js';
import type { PinnedRevision, TimelineEntry } from './domain/timeline.js';

/** A timeline entry as written: the domain's entry, stored as it is. */
export type NewTimelineEntry = TimelineEntry;
export type StoredTimelineEntry = TimelineEntry & { id: number };

/** A change as it was applied: the incident it was decided on, the incident after it, the change and its timeline entry. */
export interface AppliedChange<C extends IncidentChange> {
  ok: true;
  before: LiveIncident;
  incident: LiveIncident;
  change: C;
  entryId: number;
}

/** Who else takes part in a change besides its author: recorded (or back) as a participant with it. */
export interface ChangeContext<C extends IncidentChange = IncidentChange> {
  actorId: string | null;
  at: Date;
  participant?: { userId: string; role: ParticipantRole };
  /** The outbox rows the change causes, planned from it as applied and written in its transaction. */
  sends?: (applied: AppliedChange<C>) => readonly OutboxSend[];
}

export interface IncidentRecords {
  /**
   * Records a declaration before anything is done in Slack. Returns `created: false` with the
   * existing incident when the same declaration (same key) was already recorded: a Slack retry.
   * A drill is recorded with its scenario's script, timed from `declaredAt`, in the same write.
   */
  recordDeclaration(declarationKey: string, declaration: Declaration, declaredBy: string, declaredAt: Date, drill?: DrillPlan): Promise<{ incident: Incident; created: boolean }>;
  findById(id: number): Promise<Incident | undefined>;
  /** The incident, if it is live: what every button and scheduled send acts on. */
  findLiveById(id: number): Promise<LiveIncident | undefined>;
  findByChannelName(channelName: string): Promise<Incident | undefined>;
  findByChannel(channelId: string): Promise<Incident | undefined>;
  /** The live incident whose channel this is: what every command, event and pin in a channel acts on. */
  findLiveByChannel(channelId: string): Promise<LiveIncident | undefined>;
  /** Remembered as soon as Slack creates it, so the channel is known even if a later step fails. */
  recordChannel(id: number, channel: { id: string; name: string }, at: Date): Promise<void>;
  /** The incident goes live with its participants, first timeline entry and outbox rows, all or nothing; the rows only the first time. */
  markLive(id: number, live: { kickoffTs: string; participants: { userId: string; role: ParticipantRole }[]; firstEntry: NewTimelineEntry; sends?: readonly OutboxSend[] }): Promise<void>;
  /** A declaration that will not go live; false if it is not being declared (any more). */
  markAborted(id: number, reason: string, at: Date): Promise<boolean>;
  /** Someone is in the channel: false when nothing changed (already recorded and present). */
  addParticipant(incidentId: number, userId: string, role: ParticipantRole, since: Date): Promise<boolean>;
  /** Someone left the channel; false if they were not recorded as present. */
  markParticipantLeft(incidentId: number, userId: string, at: Date): Promise<boolean>;
  participantsOf(incidentId: number): Promise<{ userId: string; role: ParticipantRole; since: Date }[]>;
  /** Live incidents not yet resolved, newest first. */
  listOpen(): Promise<LiveIncident[]>;
  /** Resolved incidents whose post-mortem review is not marked held, for the severities that need one. */
  listAwaitingReview(severities: readonly SeverityLevel[]): Promise<LiveIncident[]>;
  /** Live incidents declared at or after `since`, drills left out, oldest first: what `npm run report` covers. */
  listDeclaredSince(since: Date): Promise<LiveIncident[]>;
  /** The status updates of those same incidents, by incident, in time order: one query for a whole report. */
  statusUpdatesDeclaredSince(since: Date): Promise<Map<number, TimelineEntry[]>>;
  /** Whether the user is in the incident now: what gives access to a private incident. */
  isParticipant(incidentId: number, userId: string): Promise<boolean>;
  /**
   * Decides and applies one change to a live incident atomically: `plan` runs on the incident as
   * stored, inside the write transaction, so nothing can change it between the decision and the
   * write. The change, its timeline entry and an optional participant are written together.
   */
  applyChange<C extends IncidentChange>(incidentId: number, plan: (current: LiveIncident) => Decision<C>, context: ChangeContext<C>): Promise<AppliedChange<C> | { ok: false; reason: string }>;
  /**
   * Takes back a change whose whole point the chat refused: its timeline entry goes, with its outbox
   * rows not yet tried, and each field returns to its earlier value unless another change has set it since.
   */
  withdrawChange(incidentId: number, applied: AppliedChange<IncidentChange>): Promise<void>;
  /** Someone put :pushpin: on a message: true while the message is not on the timeline yet. */
  addPinReaction(incidentId: number, messageTs: string, userId: string, at: Date): Promise<boolean>;
  /** Records a pinned message on the timeline at most once; false if it already is. */
  recordPinnedMessage(incidentId: number, entry: NewTimelineEntry & { messageTs: string }): Promise<boolean>;
  /**
   * Revises the timeline entry of a pinned message (edited or deleted in Slack), atomically:
   * `revise` gets the entry as stored and returns its new text and data, or undefined to leave it.
   * Returns whether the entry changed.
   */
  revisePinnedMessage(incidentId: number, messageTs: string, revise: (entry: StoredTimelineEntry) => PinnedRevision | undefined): Promise<boolean>;
  /**
   * Revises one timeline entry (`/incident timeline`'s Edit or Remove) and appends the entry that
   * records it, in one transaction: `revise` gets the entry as stored and returns both, or undefined
   * to leave it. Returns whether it changed; false too when the entry is not this incident's.
   */
  reviseTimelineEntry(incidentId: number, entryId: number, revise: (entry: StoredTimelineEntry) => { revision: PinnedRevision; record: NewTimelineEntry } | undefined): Promise<boolean>;
  /** A :pushpin: was removed; when it was the last one, the message leaves the timeline. Returns whether it left. */
  removePinReaction(incidentId: number, messageTs: string, userId: string): Promise<boolean>;
  /**
   * `finishing`: the work-journal entry of the request this entry completes (a note), removed in
   * the same transaction and marked `removed`: the work is done once it is on the timeline, and
   * one write is spared on the bot's busiest path.
   */
  appendTimeline(incidentId: number, entry: NewTimelineEntry, finishing?: JournalEntry): Promise<void>;
  timelineOf(incidentId: number): Promise<StoredTimelineEntry[]>;
}

export interface ActionItemRecords {
  /** The action and its timeline entry, together. */
  add(item: NewActionItem, entryText: string): Promise<ActionItem>;
  /** Marks an action done with its timeline entry; undefined when it does not exist or was already done. */
  complete(id: number, doneBy: string, at: Date): Promise<ActionItem | undefined>;
  find(id: number): Promise<ActionItem | undefined>;
  listFor(incidentId: number): Promise<ActionItem[]>;
  /** How many action items are open and done, by incident, of the incidents `listDeclaredSince` lists (those with none are absent): one query. */
  countsDeclaredSince(since: Date): Promise<Map<number, ActionItemCounts>>;
}

export interface ActionItemCounts {
  open: number;
  done: number;
}

/** What a reminder send in flight is: `automatic` is an update the bot posts itself, from a stored draft. */
export type PendingSend = { kind: 'reminder' } | { kind: 'automatic'; draftId: number };

export type StoredDraft = StatusDraft & { id: number; incidentId: number };

export type ReminderStateWithLease = ReminderState & { leaseOwner: string | null; leaseUntil: Date | null };

export interface ReminderRecords {
  /** Every stored schedule, by incident: one query per pass whatever the number of incidents. */
  allStates(): Promise<Map<number, ReminderStateWithLease>>;
  stateOf(incidentId: number): Promise<ReminderState>;
  /**
   * The reminder went out: the next one counts from `at`. Only by the lease holder. With `next`,
   * the incident's next reminder time is stored in the same write (unless a change came in since
   * `next.version`), so no pass has to read the incident again to learn it.
   */
  markSent(incidentId: number, owner: string, at: Date, next?: { version: number; at: Date | null }): Promise<void>;
  /** `markSent` for many reminders held by `owner`, in one statement: the records of a burst of reminders posted together. */
  markManySent(owner: string, sent: readonly { incidentId: number; at: Date; next: { version: number; at: Date | null } }[]): Promise<void>;
  /** An automatic update is out and recorded as the incident's last update; the reminder time stays. */
  markAutomaticSent(incidentId: number, owner: string): Promise<void>;
  snooze(incidentId: number, until: Date): Promise<void>;
  /** Reopened: the clock starts again from now. */
  restart(incidentId: number, at: Date): Promise<void>;
  /** Keeps a draft the bot wrote; its id goes on the buttons that post it. */
  saveDraft(incidentId: number, draft: StatusDraft): Promise<number>;
  findDraft(id: number): Promise<StoredDraft | undefined>;
}

export interface EscalationRecords {
  /**
   * Per open incident, the rungs not to page now: paged already, leased by a live process, or
   * waiting to retry. `leaseIsLive` says which leases still protect a send.
   */
  unavailableRungs(incidentIds: readonly number[], now: Date, leaseIsLive: LeaseCheck): Promise<Map<number, Set<string>>>;
  /** Every paged rung, by incident: what the start-up computes the next rung's time from, in one query. */
  pagedRungs(): Promise<Map<number, Set<string>>>;
  /** Paged rungs in the order they went out. */
  pagedTiers(incidentId: number): Promise<{ tier: string; pagedAt: Date }[]>;
  /** The page went out: recorded with its timeline entry in one transaction, once. Only by the lease holder. */
  markPaged(incidentId: number, tier: string, owner: string, at: Date, entry: NewTimelineEntry): Promise<boolean>;
}

/** Which of an incident's scheduled sends a due time is for: its reminders (update and review), its escalation ladder, or its channel's archive. */
export type DueKind = 'reminder' | 'escalation' | 'archive';

/** An incident whose due time has come, with the version of its schedule read with it, and for a reminder or an archive its lease. */
export interface DueIncident {
  incidentId: number;
  version: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  /** Reminders only: waiting to retry, or snoozed, until then (nothing is owed before). */
  notBefore?: Date | null;
}

/** A due time the scheduler computed, to store unless the incident changed after `version` was read. */
export interface ComputedDueTime {
  incidentId: number;
  version: number;
  /** Null: nothing owed. */
  at: Date | null;
}

/**
 * When each incident is next owed a reminder and an escalation page, so a scheduler pass costs what
 * is due, not what is open. Every change that may move a due time (`applyChange`, `withdrawChange`,
 * `markLive`, `snooze`, `restart`, a new declaration) writes "look again now" with itself; the pass
 * computes the time with the domain's rule and stores it with `store`, which loses to any change
 * made since it read the version, so a stale time is only ever early, never late.
 */
export interface DueTimes {
  /**
   * Incidents whose `kind` due time has come, earliest first, with the reminder's lease (whose
   * holder the pass checks before asking who is gone: nothing due costs one indexed query).
   */
  dueNow(kind: DueKind, now: Date): Promise<DueIncident[]>;
  /**
   * Of `incidents`, the ids whose schedule has not changed since `version` was read: a reminder made
   * ready ahead of its time is sent only if nothing came in meanwhile (an update, a resolution).
   */
  unchanged(incidents: readonly { incidentId: number; version: number }[]): Promise<Set<number>>;
  /** Stores computed due times, each only if its incident's schedule has not changed since its version was read. */
  store(kind: DueKind, times: readonly ComputedDueTime[]): Promise<void>;
  /** The schedule version of every live incident: read before the incidents when recomputing them all. */
  versions(): Promise<Map<number, number>>;
  /**
   * Which scheduler passes would find work now, in one statement on indexes: all an idle tick
   * reads, however many incidents are open. `self` is this process: only others' journal entries count.
   * Reminders count when due by `remindersBy` (later than `now` when they are made ready ahead).
   */
  dueWork(now: Date, self: string, remindersBy?: Date): Promise<DueWork>;
}

/** What `DueTimes.dueWork` found: something due of each kind, and journal entries of other processes (perhaps dead). */
export interface DueWork {
  reminders: boolean;
  escalations: boolean;
  /** A resolved incident's channel owed its archive warning or its archive. */
  archives: boolean;
  drills: boolean;
  /** Triage messages owed an update for alert repeats not yet shown. */
  alertUpdates: boolean;
  othersWork: boolean;
}

/** A drill to record with its declaration: the scenario's name and its script. */
export interface DrillPlan {
  scenario: string;
  script: readonly DrillLine[];
}

/** A scripted message of a drill whose time has come. */
export interface DueDrillStep {
  incidentId: number;
  step: number;
  dueAt: Date;
  speaker: string;
  text: string;
}

export interface DrillRecords {
  /** Script messages not posted yet whose time has come, of drills that are live and not resolved, in time order. */
  dueSteps(now: Date): Promise<DueDrillStep[]>;
  /** The message went out. Only by the lease holder. */
  markPosted(incidentId: number, step: number, owner: string, at: Date): Promise<void>;
  /** How many of the drill's script messages have gone out, and how many there are. */
  progress(incidentId: number): Promise<{ posted: number; total: number }>;
  /**
   * Removes a drill and everything recorded about it (participants, timeline, actions, reminders,
   * pages, post-mortem, script), all or nothing. False when it is not a drill: a real incident is never removed.
   */
  remove(incidentId: number): Promise<boolean>;
}

/** Whether a lease still protects a send: see `scheduler/leases.ts`. */
export type LeaseCheck = (owner: string | null, until: Date | null, now: Date) => boolean;

/** Something the scheduler sends once: an incident's reminder, one rung of its escalation ladder, one scripted message of a drill, or its channel's archive warning and archive. */
export type ScheduledSlot =
  | { kind: 'reminder'; incidentId: number }
  | { kind: 'archive'; incidentId: number }
  | { kind: 'escalation'; incidentId: number; tier: string }
  | { kind: 'drill_step'; incidentId: number; step: number };

/** A slot claimed by this process, with what an earlier claimant left unfinished (a crash mid-send). */
export interface Claim {
  pendingKey: string | null;
  pendingSince: Date | null;
  pending: PendingSend | null;
  /** A reminder's schedule as the claim found it: what the pass decides on, without reading it again. */
  reminder?: ReminderState;
}

/**
 * The one lease mechanism of every scheduled send. A claim is a compare-and-set: of two processes
 * claiming at once, only one gets it; one that claims after the other has finished gets it too,
 * and reads the slot again before sending (an escalation rung once paged is never handed out
 * again). Every write after the claim is made only while this owner holds the lease.
 */
export interface Leases {
  /**
   * Takes the lease on a slot that is not done, not waiting to retry, and not leased, or leased by
   * one of `deadOwners` (holders known to be gone, whose lease may be taken before it runs out).
   */
  claim(slot: ScheduledSlot, owner: string, now: Date, leaseMs: number, deadOwners: readonly string[]): Promise<Claim | undefined>;
  /**
   * Of `incidentIds`, claims every reminder that `claim` would give and that the due-time index
   * still says is due by `dueBy` (now, or a little later for reminders made ready ahead), in one
   * statement; one another process holds is skipped, not waited for. A burst of due reminders is
   * claimed a batch at a time, and one another process has is no statement of its own.
   */
  claimDueReminders(incidentIds: readonly number[], owner: string, now: Date, leaseMs: number, deadOwners: readonly string[], dueBy?: Date): Promise<{ incidentId: number; claim: Claim }[]>;
  /** Holders of leases that have not run out: the scheduler checks which of them are gone. */
  holders(now: Date): Promise<string[]>;
  /** Written just before the message is sent: after a crash, the next claimant looks for it in the chat. */
  markPending(slot: ScheduledSlot, owner: string, key: string, at: Date, what?: PendingSend): Promise<void>;
  /** Claimed, but nothing is owed any more: let go, nothing sent. */
  unlock(slot: ScheduledSlot, owner: string): Promise<void>;
  /** The chat refused: try again not before `retryAt`; late, not lost. */
  release(slot: ScheduledSlot, owner: string, retryAt: Date): Promise<void>;
}

export interface PostmortemRecords {
  /** Keeps the draft, with the outbox rows its being ready causes, in one transaction. */
  saveDraft(incidentId: number, markdown: string, generatedAt: Date, fileId: string | null, sends?: readonly OutboxSend[]): Promise<void>;
  draftOf(incidentId: number): Promise<{ markdown: string; generatedAt: Date; fileId: string | null } | undefined>;
  /** Known names of these user ids; ids with no name stored are absent. */
  namesOf(userIds: readonly string[]): Promise<Map<string, string>>;
  rememberName(userId: string, name: string, at: Date): Promise<void>;
}

/** The work journal's name for a declaration: at the next start, a declaration caught half-way is called off. */
export const DECLARE_WORK = 'declare';

export interface WorkEntry {
  what: string;
  userId: string;
  channelId?: string | null;
  incidentId?: number | null;
  responseUrl?: string | null;
}

export type StoredWork = Required<WorkEntry> & { id: number; owner: string; startedAt: Date };

/** A request's entry in the work journal while its flow runs; `removed` once the flow's own write removed it. */
export interface JournalEntry {
  readonly id: number;
  removed: boolean;
}

/** Acknowledged work in progress, so a crash mid-way is reported to the person who asked instead of lost in silence. */
export interface WorkJournal {
  start(entry: WorkEntry, at: Date): Promise<number>;
  /**
   * `start` for a request Slack may deliver again, recorded as handled (HandledRequests) in the
   * same transaction: one write where there were two, on the path of every note. Undefined, and
   * nothing written, when the request was already handled, by this process or any other.
   */
  startFirstDelivery(requestKey: string, entry: WorkEntry, at: Date): Promise<number | undefined>;
  finish(id: number): Promise<void>;
  /** Entries of other processes: the caller decides which of them died. */
  othersEntries(): Promise<StoredWork[]>;
  /**
   * Takes over an entry of the dead process `from` to report it: a compare-and-set on its owner, so
   * of replicas finding it at once exactly one gets true.
   */
  claim(id: number, from: string): Promise<boolean>;
}

export interface HandledRequests {
  /** Records that the request `key` is being acted on; false when it already was (a retry), by any process. */
  firstTime(key: string, at: Date): Promise<boolean>;
}

/**
 * The processes sharing the database, each beating its heartbeat: a process silent for longer than
 * the bound in `scheduler/replicas.ts` is dead, on whatever machine it ran, and its leases and work
 * may be taken over.
 */
export interface Replicas {
  /** Records this process as running, or that it still is. */
  beat(replica: { owner: string; host: string; pid: number }, at: Date): Promise<void>;
  /** Of `owners`, those whose last beat is before `since`, or who have none (never registered, or gone). */
  silentSince(owners: readonly string[], since: Date): Promise<string[]>;
  /** A clean shutdown: this process no longer takes work. */
  leave(owner: string): Promise<void>;
  /** Forgets processes silent since `before`: what a restarting replica leaves behind. */
  forgetSilentSince(before: Date): Promise<void>;
}

/**
 * What the bot has done about each resolved incident's channel: warned, kept open, archived, or
 * given up. Writes that end a scheduled step are made only by the lease holder (`Leases`, slot
 * `archive`); Keep open and the archive are recorded with their timeline entry, and "look again
 * now" for the due times, in one transaction.
 */
export interface ArchiveRecords {
  stateOf(incidentId: number): Promise<ArchiveState>;
  /** Resolved live incidents whose channel is not archived, with their state: what the start-up computes archive times from. */
  notArchived(): Promise<{ incident: LiveIncident; state: ArchiveState }[]>;
  /** The warning is in the channel. Only by the lease holder; the lease is let go. */
  markWarned(incidentId: number, owner: string, at: Date): Promise<void>;
  /** The channel is archived: with its timeline entry; false (nothing written) unless `owner` holds the lease. */
  markArchived(incidentId: number, owner: string, entry: NewTimelineEntry): Promise<boolean>;
  /** Slack refused for good: with its timeline entry; false (nothing written) unless `owner` holds the lease. */
  giveUp(incidentId: number, owner: string, entry: NewTimelineEntry): Promise<boolean>;
  /**
   * Someone kept the channel open: the period starts again from `entry.at`, with its timeline
   * entry. False when the incident is not resolved or its channel is already archived.
   */
  keepOpen(incidentId: number, userId: string, entry: NewTimelineEntry): Promise<boolean>;
  /** The channel was unarchived (the incident reopened): everything about this resolve is forgotten. */
  forget(incidentId: number): Promise<void>;
}

/**
 * Alerts from monitoring. One open row per source and fingerprint: the insert is the claim, so of
 * two replicas given the same alert at once exactly one is told it is new (and posts it).
 */
export interface AlertRecords {
  /**
   * A firing alert: stored if new (`created`), else its open row's repeat counted and its details
   * refreshed. A repeat is to be shown at once (`showNow`) when its posted triage message last
   * showed the count `TRIAGE_UPDATE_EVERY_MS` ago or more; else the message is owed an update
   * that much after it was last shown (`triageDueAt`), which one replica's scheduler pass makes.
   */
  recordFiring(alert: ReceivedAlert, at: Date): Promise<{ alert: StoredAlert; created: boolean; showNow: boolean }>;
  /** The open alert resolved, and any update owed for its repeats dropped (resolution is shown at once); undefined when none is open (resolved already, or never seen). */
  recordResolved(source: AlertSource, fingerprint: string, at: Date): Promise<StoredAlert | undefined>;
  /** The triage message is posted at `at`: its ts, so repeats and resolution update it. */
  recordTriagePosted(id: number, ts: string, at: Date): Promise<StoredAlert | undefined>;
  /** The alerts whose triage message owes an update for its repeats (or whose claimed update's lease ended), oldest first. */
  dueTriageUpdates(now: Date, limit: number): Promise<{ id: number; dueAt: Date }[]>;
  /**
   * Claims an owed update: a compare-and-set on the due time read, so one replica gets the alert as
   * it is now; the claim lasts `until` (a process dying with it leaves the update due again then).
   */
  claimTriageUpdate(id: number, dueAt: Date, now: Date, until: Date): Promise<StoredAlert | undefined>;
  /**
   * The claimed update (lease `until`) showed `shownCount`: nothing more is owed, unless repeats
   * came meanwhile (then owed `TRIAGE_UPDATE_EVERY_MS` after it was shown). Returns the alert as it is now.
   */
  settleTriageUpdate(id: number, until: Date, shownCount: number): Promise<StoredAlert | undefined>;
  /** Posting the triage message failed: the next repeat may try again. */
  recordTriageFailed(id: number): Promise<void>;
  /** Takes over a failed triage post to try again: a compare-and-set, one replica gets true. */
  claimTriageRetry(id: number): Promise<boolean>;
  /** Links the incident declared from the alert (`declaredBy` null: a rule); undefined when it already has one. */
  linkIncident(id: number, incidentId: number, declaredBy: string | null): Promise<StoredAlert | undefined>;
  /** Someone dismissed it; undefined when it was dismissed already or has an incident. */
  dismiss(id: number, userId: string): Promise<StoredAlert | undefined>;
  find(id: number): Promise<StoredAlert | undefined>;
  /** The alerts an incident was declared from. */
  linkedTo(incidentId: number): Promise<StoredAlert[]>;
}

/** What a delivery attempt leaves on its row; with `entry`, also on the incident's timeline, in the same write. */
export interface OutboxSettlement {
  state: OutboxState;
  nextAttemptAt: Date | null;
  lastError: string | null;
  reported: OutboxReported;
  at: Date;
  entry?: NewTimelineEntry;
}

/**
 * The outbox rows (see the top of this file for how they are written). A row is claimed by a
 * compare-and-set on its next attempt time, which the claim moves to when the claim runs out: of
 * replicas reading it at once one gets it, and a claimant that died leaves it due again then.
 */
export interface OutboxRecords {
  /**
   * Pending rows whose time has come, each the oldest pending row of its destination and incident
   * (so an incident's sends to one place go in order), earliest first, at most `limit`. Nothing
   * due costs one indexed query.
   */
  due(now: Date, limit: number): Promise<OutboxRow[]>;
  /** Takes a due row as read (`nextAttemptAt` unchanged since) until `until`, counting the attempt; undefined if another took it. */
  claim(row: Pick<OutboxRow, 'id' | 'nextAttemptAt'>, owner: string, until: Date): Promise<OutboxRow | undefined>;
  /** Records how the attempt went; false (nothing written) unless `owner` still holds that attempt. */
  settle(claimed: Pick<OutboxRow, 'id' | 'incidentId' | 'attempts'>, owner: string, settlement: OutboxSettlement): Promise<boolean>;
  /** Every row of an incident, oldest first. */
  listFor(incidentId: number): Promise<OutboxRow[]>;
}

/** The incidents the Home tab shows, drills left out. */
export interface HomeIncidents {
  /** Live and not resolved, newest first. */
  open: LiveIncident[];
  /** The last resolved, most recent first, at most the number asked for. */
  recentlyResolved: LiveIncident[];
  /** Every one declared since the date asked for, resolved or not: only what the statistics read, so a thousand rows stay cheap. */
  declaredSince: MeasuredIncident[];
}

/**
 * The Home tab: who opened it, and whether what Slack shows each of them is current. A version per
 * viewer, stored, so that any replica can tell a stale Home from a current one (README, App Home).
 */
export interface AppHomeRecords {
  /** Someone opened Home: later changes are published to them. Nothing changes for someone already recorded. */
  recordOpened(userId: string, at: Date): Promise<void>;
  /**
   * Something changed: every viewer's Home is stale, to be published at `publishAt` unless a
   * publish is already due (the first change of a burst sets the time, the rest leave it).
   */
  markStale(publishAt: Date): Promise<void>;
  /** Viewers whose publish is due, earliest first. */
  dueViewers(now: Date, limit: number): Promise<string[]>;
  /**
   * Takes the publish of a viewer's Home if it is stale (or never published): the version it
   * publishes, or undefined when it is current or another process took it first. Claimed before
   * the incidents are read, so a change made while publishing marks it stale again.
   */
  claimPublish(userId: string): Promise<number | undefined>;
  /** Slack refused the publish: stale again, so the next open or change publishes it. */
  publishFailed(userId: string, version: number): Promise<void>;
  /** What Home shows: open incidents, the last `resolvedLimit` resolved, and those declared since `since`. */
  incidentsForHome(since: Date, resolvedLimit: number): Promise<HomeIncidents>;
}

/** The incident store: every record the bot keeps, behind one object the composition root builds. */
export interface IncidentStore {
  incidents: IncidentRecords;
  actions: ActionItemRecords;
  reminders: ReminderRecords;
  escalations: EscalationRecords;
  leases: Leases;
  postmortems: PostmortemRecords;
  journal: WorkJournal;
  handledRequests: HandledRequests;
  drills: DrillRecords;
  replicas: Replicas;
  dueTimes: DueTimes;
  archives: ArchiveRecords;
  alerts: AlertRecords;
  outbox: OutboxRecords;
  appHome: AppHomeRecords;
}

/** A message as the chat takes it: text (the notification), Block Kit, and metadata to find it again. */
export interface ChatMessage {
  text: string;
  blocks?: KnownBlock[];
  /** Lets the bot recognise its own message later (a reminder after a crash). */
  metadata?: { event_type: string; event_payload: Record<string, string | number | boolean> };
}

/** Who the bot is in the workspace: needed to ignore its own events and never invite itself. */
export interface BotIdentity {
  botUserId: string;
  botId: string;
}

/**
 * The chat the incident is run in. Each call succeeds or throws a `SlackCallError` with a sentence
 * for the person; answers that only mean "already done" count as success, so each is safe to repeat.
 */
export interface Chat {
  whoAmI(): Promise<BotIdentity>;
  openView(triggerId: string, view: View): Promise<string>;
  /** `hash`: refused (hash_conflict) if the view changed since it was read, so an older redraw cannot overwrite a newer one. */
  updateView(viewId: string, view: View, hash?: string): Promise<void>;
  createChannel(name: string, isPrivate: boolean): Promise<{ id: string; name: string }>;
  invite(channelId: string, userIds: string[]): Promise<void>;
  setTopic(channelId: string, topic: string): Promise<void>;
  archive(channelId: string): Promise<void>;
  /** Brings an archived channel back; one that is not archived counts as done. */
  unarchive(channelId: string): Promise<void>;
  postMessage(channel: string, message: ChatMessage): Promise<string>;
  postEphemeral(channel: string, user: string, message: ChatMessage): Promise<void>;
  updateMessage(channel: string, ts: string, message: ChatMessage): Promise<void>;
  pin(channel: string, ts: string): Promise<void>;
  fetchMessage(channel: string, ts: string): Promise<{ ts: string; user: string | null; text: string } | undefined>;
  /** The ts of the bot's message carrying this metadata key, posted since `since`, if there is one. */
  findMessageByMetadata(channel: string, eventType: string, key: string, since: Date): Promise<string | undefined>;
  /** Answers through a response_url, only to the person. */
  respond(responseUrl: string, text: string): Promise<void>;
  userName(userId: string): Promise<string | undefined>;
  permalink(channel: string, ts: string): Promise<string>;
  uploadTextFile(channelId: string, file: { filename: string; title: string; content: string; comment: string }): Promise<string>;
  userGroups(): Promise<{ id: string; handle: string; users: string[] }[]>;
  /** Shows `view` as the user's Home tab. */
  publishHome(userId: string, view: View): Promise<void>;
}
