import { and, count, desc, eq, gte, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { Declaration } from '../../domain/declaration.js';
import type { PinnedRevision } from '../../domain/timeline.js';
import { scriptTimes } from '../../domain/drill.js';
import { asLive, type Incident, type LiveIncident, type ParticipantRole } from '../../domain/incident.js';
import { byIncident, sameValue, toIncident, toLiveIncident } from '../rows.js';
import type { SeverityLevel } from '../../domain/severity.js';
import type { Decision, IncidentChange } from '../../domain/lifecycle.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import { INCIDENT_GONE } from '../../messages/replies.js';
import type { OutboxSend } from '../../domain/outbox.js';
import type { AppliedChange, ChangeContext, DrillPlan, IncidentRecords, JournalEntry, NewTimelineEntry, StoredTimelineEntry } from '../../ports.js';
import type { Db } from './db.js';
import { drillSteps, incidents, outbox, participants, pinReactions, timelineEntries, workInProgress } from './schema.js';
import { insertSends } from './outboxRepository.js';
import { lookAgain } from '../dueTimes.js';

/** The incidents a report covers: live, declared at or after `since`, not drills. */
export const declaredSince = (since: Date) => and(eq(incidents.phase, 'live'), gte(incidents.declaredAt, since), isNull(incidents.drillScenario));

export class IncidentRepository implements IncidentRecords {
  /**
   * Prepared once: every flow and scheduler pass reads incidents by id and their timelines, and every
   * command typed in a channel looks up its incident before Slack is answered.
   */
  private readonly byId;
  private readonly byChannel;
  private readonly timelineById;
  private readonly insertTimelineEntry;
  private readonly deleteWork;
  private readonly appendFinishing;

  constructor(private readonly db: Db) {
    this.byId = db.select().from(incidents).where(eq(incidents.id, sql.placeholder('id'))).prepare();
    this.byChannel = db.select().from(incidents).where(eq(incidents.channelId, sql.placeholder('channelId'))).prepare();
    this.timelineById = db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, sql.placeholder('id'))).orderBy(timelineEntries.at, timelineEntries.id).prepare();
    // `data` is bound as given (JSON text or null): a placeholder in values() would store no data as the JSON text "null".
    this.insertTimelineEntry = db
      .insert(timelineEntries)
      .values({
        incidentId: sql.placeholder('incidentId'),
        at: sql.placeholder('at'),
        actorId: sql.placeholder('actorId'),
        kind: sql.placeholder('kind'),
        text: sql.placeholder('text'),
        data: sql`${sql.placeholder('data')}`,
        messageTs: sql.placeholder('messageTs'),
      })
      .prepare();
    this.deleteWork = db.delete(workInProgress).where(eq(workInProgress.id, sql.placeholder('id'))).prepare();
    // The driver's transaction, made once: drizzle's would build a new one for every note.
    this.appendFinishing = db.$client.transaction((incidentId: number, entry: NewTimelineEntry, workId: number) => {
      this.insertTimelineRow(incidentId, entry);
      this.deleteWork.run({ id: workId });
    });
  }

  /**
   * Records a declaration before anything is done in Slack. Returns `created: false` with the
   * existing incident when the same declaration (same key) was already recorded: a Slack retry.
   */
  async recordDeclaration(
    declarationKey: string,
    declaration: Declaration,
    declaredBy: string,
    declaredAt: Date,
    drill?: DrillPlan,
  ): Promise<{ incident: Incident; created: boolean }> {
    const inserted = this.db.transaction((tx) => {
      const row = tx
        .insert(incidents)
        .values({
          declarationKey,
          phase: 'declaring',
          title: declaration.title,
          severity: declaration.severity,
          status: 'investigating',
          impact: declaration.impact,
          commanderId: declaration.commanderId,
          declaredBy,
          isPrivate: declaration.isPrivate,
          declaredAt,
          highestSeverity: declaration.severity,
          drillScenario: drill?.scenario ?? null,
          impactStartedAt: declaration.impactStartedAt ?? null,
          type: declaration.type ?? null,
          fields: declaration.fields ?? {},
          updatedAt: declaredAt,
        })
        .onConflictDoNothing({ target: incidents.declarationKey })
        .returning()
        .get();
      if (row && drill && drill.script.length > 0) {
        tx.insert(drillSteps).values(scriptTimes(declaredAt, drill.script).map((line) => ({ incidentId: row.id, ...line }))).run();
      }
      return row;
    });
    if (inserted) return { incident: toIncident(inserted), created: true };
    const existing = this.db.select().from(incidents).where(eq(incidents.declarationKey, declarationKey)).get();
    if (!existing) throw new Error(`declaration ${declarationKey} vanished after a conflicting insert`);
    return { incident: toIncident(existing), created: false };
  }

  async findById(id: number): Promise<Incident | undefined> {
    const row = this.byId.get({ id });
    return row && toIncident(row);
  }

  async findByChannelName(channelName: string): Promise<Incident | undefined> {
    const row = this.db.select().from(incidents).where(eq(incidents.channelName, channelName)).get();
    return row && toIncident(row);
  }

  async findByChannel(channelId: string): Promise<Incident | undefined> {
    const row = this.byChannel.get({ channelId });
    return row && toIncident(row);
  }

  /** The live incident whose channel this is: what every command, event and pin in a channel acts on. */
  async findLiveByChannel(channelId: string): Promise<LiveIncident | undefined> {
    return asLive(await this.findByChannel(channelId));
  }

  async findLiveById(id: number): Promise<LiveIncident | undefined> {
    return asLive(await this.findById(id));
  }

  /** Remembered as soon as Slack creates it, so the channel is known even if a later step fails. */
  async recordChannel(id: number, channel: { id: string; name: string }, at: Date): Promise<void> {
    this.db
      .update(incidents)
      .set({ channelId: channel.id, channelName: channel.name, updatedAt: at })
      .where(eq(incidents.id, id))
      .run();
  }

  /** The incident goes live with its participants and first timeline entry, all or nothing. */
  async markLive(
    id: number,
    live: { kickoffTs: string; participants: { userId: string; role: ParticipantRole }[]; firstEntry: NewTimelineEntry; sends?: readonly OutboxSend[] },
  ): Promise<void> {
    this.db.transaction((tx) => {
      const wentLive = tx.update(incidents)
        .set({ phase: 'live', kickoffTs: live.kickoffTs, updatedAt: live.firstEntry.at, ...lookAgain(incidents.scheduleVersion) })
        .where(and(eq(incidents.id, id), eq(incidents.phase, 'declaring')))
        .run().changes > 0;
      for (const participant of live.participants) {
        tx.insert(participants)
          .values({ incidentId: id, userId: participant.userId, role: participant.role, since: live.firstEntry.at })
          .onConflictDoNothing()
          .run();
      }
      const entry = tx.insert(timelineEntries)
        .values({ incidentId: id, ...live.firstEntry })
        .run();
      if (wentLive) insertSends(tx, id, live.sends, live.firstEntry.at, Number(entry.lastInsertRowid));
    });
  }

  /** A declaration that will not go live; false if it is not being declared (any more). */
  async markAborted(id: number, reason: string, at: Date): Promise<boolean> {
    return (
      this.db
        .update(incidents)
        .set({ phase: 'aborted', failureReason: reason, updatedAt: at })
        .where(and(eq(incidents.id, id), eq(incidents.phase, 'declaring')))
        .run().changes > 0
    );
  }

  /**
   * Someone is in the incident's channel: recorded once per role, and someone who had left is back.
   * Returns false when nothing changed (already recorded and present, e.g. a retried Slack event).
   */
  async addParticipant(incidentId: number, userId: string, role: ParticipantRole, since: Date): Promise<boolean> {
    return this.db.transaction((tx) => {
      const returned = tx
        .update(participants)
        .set({ leftAt: null })
        .where(and(eq(participants.incidentId, incidentId), eq(participants.userId, userId), isNotNull(participants.leftAt)))
        .run().changes > 0;
      const added = tx.insert(participants).values({ incidentId, userId, role, since }).onConflictDoNothing().run().changes > 0;
      return returned || added;
    });
  }

  /** Someone left (or was removed from) the channel; false if they were not recorded as present. */
  async markParticipantLeft(incidentId: number, userId: string, at: Date): Promise<boolean> {
    return (
      this.db
        .update(participants)
        .set({ leftAt: at })
        .where(and(eq(participants.incidentId, incidentId), eq(participants.userId, userId), isNull(participants.leftAt)))
        .run().changes > 0
    );
  }

  async participantsOf(incidentId: number): Promise<{ userId: string; role: ParticipantRole; since: Date }[]> {
    return this.db
      .select({ userId: participants.userId, role: participants.role, since: participants.since })
      .from(participants)
      .where(eq(participants.incidentId, incidentId))
      .orderBy(participants.since)
      .all();
  }

  /** Live incidents not yet resolved, newest first. */
  async listOpen(): Promise<LiveIncident[]> {
    return this.db
      .select()
      .from(incidents)
      .where(and(eq(incidents.phase, 'live'), ne(incidents.status, 'resolved')))
      .orderBy(desc(incidents.declaredAt), desc(incidents.id))
      .all()
      .map(toLiveIncident);
  }

  /**
   * Resolved incidents whose post-mortem review is not marked held, for the severities that need
   * one. Never a drill: its review is owed to nobody, and it is removed with `/incident drill end`.
   */
  async listAwaitingReview(severities: readonly SeverityLevel[]): Promise<LiveIncident[]> {
    if (severities.length === 0) return [];
    return this.db
      .select()
      .from(incidents)
      .where(
        and(
          eq(incidents.phase, 'live'),
          eq(incidents.status, 'resolved'),
          isNull(incidents.reviewDoneAt),
          isNull(incidents.drillScenario),
          inArray(incidents.highestSeverity, [...severities]),
        ),
      )
      .all()
      .map(toLiveIncident);
  }

  /** Live incidents declared at or after `since`, drills left out, oldest first (on the phase and declaration index). */
  async listDeclaredSince(since: Date): Promise<LiveIncident[]> {
    return this.db
      .select()
      .from(incidents)
      .where(declaredSince(since))
      .orderBy(incidents.declaredAt, incidents.id)
      .all()
      .map(toLiveIncident);
  }

  async statusUpdatesDeclaredSince(since: Date): Promise<Map<number, TimelineEntry[]>> {
    const rows = this.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.kind, 'status_update'), inArray(timelineEntries.incidentId, this.db.select({ id: incidents.id }).from(incidents).where(declaredSince(since)))))
      .orderBy(timelineEntries.incidentId, timelineEntries.at, timelineEntries.id)
      .all();
    return byIncident(rows, (row) => ({ at: row.at, actorId: row.actorId, kind: row.kind, text: row.text, data: row.data ?? undefined, messageTs: row.messageTs }));
  }

  /** Whether the user is in the incident now: what gives access to a private incident. */
  async isParticipant(incidentId: number, userId: string): Promise<boolean> {
    return this.db
      .select({ userId: participants.userId })
      .from(participants)
      .where(and(eq(participants.incidentId, incidentId), eq(participants.userId, userId), isNull(participants.leftAt)))
      .get() !== undefined;
  }

  /**
   * Decides and applies one change to a live incident, atomically: `plan` (the domain's planner,
   * with any permission check) is run on the incident as stored, inside an immediate transaction,
   * so no other request or process can change it between the decision and the write. The change,
   * its timeline entry and an optional participant are written together. Returns the incident
   * before and after, or the planner's refusal.
   */
  async applyChange<C extends IncidentChange>(
    incidentId: number,
    plan: (current: LiveIncident) => Decision<C>,
    context: ChangeContext<C>,
  ): Promise<AppliedChange<C> | { ok: false; reason: string }> {
    return this.db.transaction(
      (tx) => {
        const row = tx.select().from(incidents).where(eq(incidents.id, incidentId)).get();
        const before = row && asLive(toIncident(row));
        if (!before) return { ok: false as const, reason: INCIDENT_GONE };
        const decision = plan(before);
        if (!decision.ok) return decision;
        const updated = tx
          .update(incidents)
          .set({ ...decision.change.patch, updatedAt: context.at, ...lookAgain(incidents.scheduleVersion) })
          .where(eq(incidents.id, incidentId))
          .returning()
          .get();
        if (!updated) throw new Error(`incident ${incidentId} vanished inside its own transaction`);
        const entry = tx
          .insert(timelineEntries)
          .values({ incidentId, at: context.at, actorId: context.actorId, ...decision.change.entry })
          .run();
        if (context.participant) {
          tx.insert(participants)
            .values({ incidentId, ...context.participant, since: context.at })
            .onConflictDoUpdate({ target: [participants.incidentId, participants.userId, participants.role], set: { leftAt: null } })
            .run();
        }
        const applied = { ok: true as const, before, incident: toLiveIncident(updated), change: decision.change, entryId: Number(entry.lastInsertRowid) };
        insertSends(tx, incidentId, context.sends?.(applied), context.at, applied.entryId);
        return applied;
      },
      // Immediate: take the write lock before reading, so a second process cannot decide on the same state.
      { behavior: 'immediate' },
    );
  }

  /**
   * Takes back a change whose whole point Slack refused (a status update nobody could see): its
   * timeline entry goes, and each field it set returns to its earlier value unless another change
   * has set it since, which is kept.
   */
  async withdrawChange(incidentId: number, applied: AppliedChange<IncidentChange>): Promise<void> {
    this.db.transaction(
      (tx) => {
        const row = tx.select().from(incidents).where(eq(incidents.id, incidentId)).get();
        if (!row) return;
        const current = toIncident(row);
        const fields = Object.keys(applied.change.patch) as (keyof IncidentChange['patch'])[];
        const untouched = fields.filter((field) => sameValue(current[field], applied.incident[field]));
        if (untouched.length > 0) {
          tx.update(incidents)
            .set({ ...Object.fromEntries(untouched.map((field) => [field, applied.before[field]])), ...lookAgain(incidents.scheduleVersion) })
            .where(eq(incidents.id, incidentId))
            .run();
        }
        tx.delete(timelineEntries).where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.id, applied.entryId))).run();
        tx.delete(outbox).where(and(eq(outbox.incidentId, incidentId), eq(outbox.entryId, applied.entryId), eq(outbox.attempts, 0))).run();
      },
      { behavior: 'immediate' },
    );
  }

  /**
   * Someone put :pushpin: on a message. Returns true while the message is not on the timeline, so
   * the caller fetches the message and records it: on the first pin, and on any later one when the
   * first was never recorded (the bot died fetching it). False once the message is there.
   */
  async addPinReaction(incidentId: number, messageTs: string, userId: string, at: Date): Promise<boolean> {
    return this.db.transaction((tx) => {
      tx.insert(pinReactions).values({ incidentId, messageTs, userId, at }).onConflictDoNothing().run();
      const recorded = tx
        .select({ id: timelineEntries.id })
        .from(timelineEntries)
        .where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.messageTs, messageTs)))
        .get();
      return recorded === undefined;
    });
  }

  /** Records a pinned message on the timeline at most once; false if it already is. */
  async recordPinnedMessage(incidentId: number, entry: NewTimelineEntry & { messageTs: string }): Promise<boolean> {
    return this.db.insert(timelineEntries).values({ incidentId, ...entry }).onConflictDoNothing().run().changes > 0;
  }

  async revisePinnedMessage(incidentId: number, messageTs: string, revise: (entry: StoredTimelineEntry) => PinnedRevision | undefined): Promise<boolean> {
    return this.db.transaction((tx) => {
      const where = and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.messageTs, messageTs), eq(timelineEntries.kind, 'pinned_message'));
      const row = tx.select().from(timelineEntries).where(where).get();
      if (!row) return false;
      const revision = revise({ id: row.id, at: row.at, actorId: row.actorId, kind: row.kind, text: row.text, data: row.data ?? undefined, messageTs: row.messageTs });
      if (!revision) return false;
      return tx.update(timelineEntries).set({ text: revision.text, data: revision.data }).where(eq(timelineEntries.id, row.id)).run().changes > 0;
    });
  }

  async reviseTimelineEntry(incidentId: number, entryId: number, revise: (entry: StoredTimelineEntry) => { revision: PinnedRevision; record: NewTimelineEntry } | undefined): Promise<boolean> {
    return this.db.transaction((tx) => {
      const row = tx.select().from(timelineEntries).where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.id, entryId))).get();
      if (!row) return false;
      const change = revise({ id: row.id, at: row.at, actorId: row.actorId, kind: row.kind, text: row.text, data: row.data ?? undefined, messageTs: row.messageTs });
      if (!change) return false;
      tx.update(timelineEntries).set({ text: change.revision.text, data: change.revision.data }).where(eq(timelineEntries.id, row.id)).run();
      tx.insert(timelineEntries).values({ incidentId, ...change.record }).run();
      return true;
    });
  }

  /** A :pushpin: was removed; when it was the last one, the message leaves the timeline. Returns whether it left. */
  async removePinReaction(incidentId: number, messageTs: string, userId: string): Promise<boolean> {
    return this.db.transaction((tx) => {
      tx.delete(pinReactions)
        .where(and(eq(pinReactions.incidentId, incidentId), eq(pinReactions.messageTs, messageTs), eq(pinReactions.userId, userId)))
        .run();
      const left = tx
        .select({ pins: count() })
        .from(pinReactions)
        .where(and(eq(pinReactions.incidentId, incidentId), eq(pinReactions.messageTs, messageTs)))
        .get();
      if ((left?.pins ?? 0) > 0) return false;
      return tx.delete(timelineEntries).where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.messageTs, messageTs))).run().changes > 0;
    });
  }

  async appendTimeline(incidentId: number, entry: NewTimelineEntry, finishing?: JournalEntry): Promise<void> {
    if (!finishing) return this.insertTimelineRow(incidentId, entry);
    this.appendFinishing(incidentId, entry, finishing.id);
    finishing.removed = true;
  }

  private insertTimelineRow(incidentId: number, entry: NewTimelineEntry): void {
    this.insertTimelineEntry.run({
      incidentId,
      at: entry.at,
      actorId: entry.actorId,
      kind: entry.kind,
      text: entry.text,
      data: entry.data === undefined ? null : JSON.stringify(entry.data),
      messageTs: entry.messageTs ?? null,
    });
  }

  async timelineOf(incidentId: number): Promise<StoredTimelineEntry[]> {
    return this.timelineById
      .all({ id: incidentId })
      .map((row) => ({ id: row.id, at: row.at, actorId: row.actorId, kind: row.kind, text: row.text, data: row.data ?? undefined, messageTs: row.messageTs }));
  }
}
