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
import type { PgDb as Db } from './db.js';
import { drillSteps, incidents, outbox, participants, pinReactions, timelineEntries, workInProgress } from './schema.js';
import { insertSends } from './outboxRepository.js';
import { lookAgain } from '../dueTimes.js';

/** The incidents a report covers: live, declared at or after `since`, not drills. */
export const declaredSince = (since: Date) => and(eq(incidents.phase, 'live'), gte(incidents.declaredAt, since), isNull(incidents.drillScenario));

export class IncidentRepository implements IncidentRecords {
  /**
   * Prepared once (named, so each connection parses them once): every flow reads incidents by id,
   * and every command typed in a channel looks up its incident before Slack is answered.
   */
  private readonly byId;
  private readonly byChannel;
  /** Prepared too: every drafted reminder reads its incident's timeline. */
  private readonly timelineById;

  constructor(private readonly db: Db) {
    this.timelineById = db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, sql.placeholder('incidentId'))).orderBy(timelineEntries.at, timelineEntries.id).prepare('timeline_by_incident');
    this.byId = db.select().from(incidents).where(eq(incidents.id, sql.placeholder('id'))).prepare('incident_by_id');
    this.byChannel = db.select().from(incidents).where(eq(incidents.channelId, sql.placeholder('channelId'))).prepare('incident_by_channel');
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
    const inserted = await this.db.transaction(async (tx) => {
      const row = (await tx
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
        )[0];
      if (row && drill && drill.script.length > 0) {
        await tx.insert(drillSteps).values(scriptTimes(declaredAt, drill.script).map((line) => ({ incidentId: row.id, ...line })));
      }
      return row;
    });
    if (inserted) return { incident: toIncident(inserted), created: true };
    const existing = (await this.db.select().from(incidents).where(eq(incidents.declarationKey, declarationKey)))[0];
    if (!existing) throw new Error(`declaration ${declarationKey} vanished after a conflicting insert`);
    return { incident: toIncident(existing), created: false };
  }

  async findById(id: number): Promise<Incident | undefined> {
    const [row] = await this.byId.execute({ id });
    return row && toIncident(row);
  }

  async findByChannelName(channelName: string): Promise<Incident | undefined> {
    const row = (await this.db.select().from(incidents).where(eq(incidents.channelName, channelName)))[0];
    return row && toIncident(row);
  }

  async findByChannel(channelId: string): Promise<Incident | undefined> {
    const [row] = await this.byChannel.execute({ channelId });
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
    await this.db
      .update(incidents)
      .set({ channelId: channel.id, channelName: channel.name, updatedAt: at })
      .where(eq(incidents.id, id));
  }

  /** The incident goes live with its participants and first timeline entry, all or nothing. */
  async markLive(
    id: number,
    live: { kickoffTs: string; participants: { userId: string; role: ParticipantRole }[]; firstEntry: NewTimelineEntry; sends?: readonly OutboxSend[] },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const wentLive = ((await tx.update(incidents)
        .set({ phase: 'live', kickoffTs: live.kickoffTs, updatedAt: live.firstEntry.at, ...lookAgain(incidents.scheduleVersion) })
        .where(and(eq(incidents.id, id), eq(incidents.phase, 'declaring')))).rowCount ?? 0) > 0;
      for (const participant of live.participants) {
        await tx.insert(participants)
          .values({ incidentId: id, userId: participant.userId, role: participant.role, since: live.firstEntry.at })
          .onConflictDoNothing();
      }
      const [entry] = await tx.insert(timelineEntries)
        .values({ incidentId: id, ...live.firstEntry })
        .returning({ id: timelineEntries.id });
      if (wentLive) await insertSends(tx, id, live.sends, live.firstEntry.at, entry!.id);
    });
  }

  /** A declaration that will not go live; false if it is not being declared (any more). */
  async markAborted(id: number, reason: string, at: Date): Promise<boolean> {
    return (
      (await this.db
        .update(incidents)
        .set({ phase: 'aborted', failureReason: reason, updatedAt: at })
        .where(and(eq(incidents.id, id), eq(incidents.phase, 'declaring')))
        ).rowCount! > 0
    );
  }

  /**
   * Someone is in the incident's channel: recorded once per role, and someone who had left is back.
   * Returns false when nothing changed (already recorded and present, e.g. a retried Slack event).
   */
  async addParticipant(incidentId: number, userId: string, role: ParticipantRole, since: Date): Promise<boolean> {
    return await this.db.transaction(async (tx) => {
      const returned = (await tx
        .update(participants)
        .set({ leftAt: null })
        .where(and(eq(participants.incidentId, incidentId), eq(participants.userId, userId), isNotNull(participants.leftAt)))
        ).rowCount! > 0;
      const added = (await tx.insert(participants).values({ incidentId, userId, role, since }).onConflictDoNothing()).rowCount! > 0;
      return returned || added;
    });
  }

  /** Someone left (or was removed from) the channel; false if they were not recorded as present. */
  async markParticipantLeft(incidentId: number, userId: string, at: Date): Promise<boolean> {
    return (
      (await this.db
        .update(participants)
        .set({ leftAt: at })
        .where(and(eq(participants.incidentId, incidentId), eq(participants.userId, userId), isNull(participants.leftAt)))
        ).rowCount! > 0
    );
  }

  async participantsOf(incidentId: number): Promise<{ userId: string; role: ParticipantRole; since: Date }[]> {
    return (await this.db
      .select({ userId: participants.userId, role: participants.role, since: participants.since })
      .from(participants)
      .where(eq(participants.incidentId, incidentId))
      .orderBy(participants.since)
      );
  }

  /** Live incidents not yet resolved, newest first. */
  async listOpen(): Promise<LiveIncident[]> {
    return (await this.db
      .select()
      .from(incidents)
      .where(and(eq(incidents.phase, 'live'), ne(incidents.status, 'resolved')))
      .orderBy(desc(incidents.declaredAt), desc(incidents.id))
      )
      .map(toLiveIncident);
  }

  /**
   * Resolved incidents whose post-mortem review is not marked held, for the severities that need
   * one. Never a drill: its review is owed to nobody, and it is removed with `/incident drill end`.
   */
  async listAwaitingReview(severities: readonly SeverityLevel[]): Promise<LiveIncident[]> {
    if (severities.length === 0) return [];
    return (await this.db
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
      )
      .map(toLiveIncident);
  }

  /** Live incidents declared at or after `since`, drills left out, oldest first (on the phase and declaration index). */
  async listDeclaredSince(since: Date): Promise<LiveIncident[]> {
    return (await this.db
      .select()
      .from(incidents)
      .where(declaredSince(since))
      .orderBy(incidents.declaredAt, incidents.id)
      )
      .map(toLiveIncident);
  }

  async statusUpdatesDeclaredSince(since: Date): Promise<Map<number, TimelineEntry[]>> {
    const rows = await this.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.kind, 'status_update'), inArray(timelineEntries.incidentId, this.db.select({ id: incidents.id }).from(incidents).where(declaredSince(since)))))
      .orderBy(timelineEntries.incidentId, timelineEntries.at, timelineEntries.id);
    return byIncident(rows, (row) => ({ at: row.at, actorId: row.actorId, kind: row.kind, text: row.text, data: row.data ?? undefined, messageTs: row.messageTs }));
  }

  /** Whether the user is in the incident now: what gives access to a private incident. */
  async isParticipant(incidentId: number, userId: string): Promise<boolean> {
    return (await this.db
      .select({ userId: participants.userId })
      .from(participants)
      .where(and(eq(participants.incidentId, incidentId), eq(participants.userId, userId), isNull(participants.leftAt)))
      )[0] !== undefined;
  }

  /**
   * Decides and applies one change to a live incident, atomically: `plan` (the domain's planner,
   * with any permission check) is run on the incident as stored, on its row locked with
   * SELECT … FOR UPDATE, so no other request or process can change it between the decision and the write. The change,
   * its timeline entry and an optional participant are written together. Returns the incident
   * before and after, or the planner's refusal.
   */
  async applyChange<C extends IncidentChange>(
    incidentId: number,
    plan: (current: LiveIncident) => Decision<C>,
    context: ChangeContext<C>,
  ): Promise<AppliedChange<C> | { ok: false; reason: string }> {
    return await this.db.transaction(
      async (tx) => {
        const [row] = await tx.select().from(incidents).where(eq(incidents.id, incidentId)).for('update');
        const before = row && asLive(toIncident(row));
        if (!before) return { ok: false as const, reason: INCIDENT_GONE };
        const decision = plan(before);
        if (!decision.ok) return decision;
        const updated = (await tx
          .update(incidents)
          .set({ ...decision.change.patch, updatedAt: context.at, ...lookAgain(incidents.scheduleVersion) })
          .where(eq(incidents.id, incidentId))
          .returning()
          )[0];
        if (!updated) throw new Error(`incident ${incidentId} vanished inside its own transaction`);
        const [entry] = await tx
          .insert(timelineEntries)
          .values({ incidentId, at: context.at, actorId: context.actorId, ...decision.change.entry })
          .returning({ id: timelineEntries.id });
        if (context.participant) {
          await tx.insert(participants)
            .values({ incidentId, ...context.participant, since: context.at })
            .onConflictDoUpdate({ target: [participants.incidentId, participants.userId, participants.role], set: { leftAt: null } });
        }
        const applied = { ok: true as const, before, incident: toLiveIncident(updated), change: decision.change, entryId: entry!.id };
        await insertSends(tx, incidentId, context.sends?.(applied), context.at, applied.entryId);
        return applied;
      },
    );
  }

  /**
   * Takes back a change whose whole point Slack refused (a status update nobody could see): its
   * timeline entry goes, and each field it set returns to its earlier value unless another change
   * has set it since, which is kept.
   */
  async withdrawChange(incidentId: number, applied: AppliedChange<IncidentChange>): Promise<void> {
    await this.db.transaction(
      async (tx) => {
        const [row] = await tx.select().from(incidents).where(eq(incidents.id, incidentId)).for('update');
        if (!row) return;
        const current = toIncident(row);
        const fields = Object.keys(applied.change.patch) as (keyof IncidentChange['patch'])[];
        const untouched = fields.filter((field) => sameValue(current[field], applied.incident[field]));
        if (untouched.length > 0) {
          await tx.update(incidents)
            .set({ ...Object.fromEntries(untouched.map((field) => [field, applied.before[field]])), ...lookAgain(incidents.scheduleVersion) })
            .where(eq(incidents.id, incidentId));
        }
        await tx.delete(timelineEntries).where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.id, applied.entryId)));
        await tx.delete(outbox).where(and(eq(outbox.incidentId, incidentId), eq(outbox.entryId, applied.entryId), eq(outbox.attempts, 0)));
      },
    );
  }

  /**
   * Someone put :pushpin: on a message. Returns true while the message is not on the timeline, so
   * the caller fetches the message and records it: on the first pin, and on any later one when the
   * first was never recorded (the bot died fetching it). False once the message is there.
   */
  async addPinReaction(incidentId: number, messageTs: string, userId: string, at: Date): Promise<boolean> {
    return await this.db.transaction(async (tx) => {
      await this.lockPins(tx, incidentId);
      await tx.insert(pinReactions).values({ incidentId, messageTs, userId, at }).onConflictDoNothing();
      const recorded = (await tx
        .select({ id: timelineEntries.id })
        .from(timelineEntries)
        .where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.messageTs, messageTs)))
        )[0];
      return recorded === undefined;
    });
  }

  /** Records a pinned message on the timeline at most once; false if it already is. */
  async recordPinnedMessage(incidentId: number, entry: NewTimelineEntry & { messageTs: string }): Promise<boolean> {
    return (await this.db.insert(timelineEntries).values({ incidentId, ...entry }).onConflictDoNothing()).rowCount! > 0;
  }

  async revisePinnedMessage(incidentId: number, messageTs: string, revise: (entry: StoredTimelineEntry) => PinnedRevision | undefined): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const where = and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.messageTs, messageTs), eq(timelineEntries.kind, 'pinned_message'));
      // Locked: an edit and a deletion arriving together each see the other's revision.
      const [row] = await tx.select().from(timelineEntries).where(where).for('update');
      if (!row) return false;
      const revision = revise({ id: row.id, at: row.at, actorId: row.actorId, kind: row.kind, text: row.text, data: row.data ?? undefined, messageTs: row.messageTs });
      if (!revision) return false;
      return (await tx.update(timelineEntries).set({ text: revision.text, data: revision.data }).where(eq(timelineEntries.id, row.id))).rowCount! > 0;
    });
  }

  async reviseTimelineEntry(incidentId: number, entryId: number, revise: (entry: StoredTimelineEntry) => { revision: PinnedRevision; record: NewTimelineEntry } | undefined): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Locked: two people editing one entry at once each see the other's edit, and neither is lost.
      const [row] = await tx.select().from(timelineEntries).where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.id, entryId))).for('update');
      if (!row) return false;
      const change = revise({ id: row.id, at: row.at, actorId: row.actorId, kind: row.kind, text: row.text, data: row.data ?? undefined, messageTs: row.messageTs });
      if (!change) return false;
      await tx.update(timelineEntries).set({ text: change.revision.text, data: change.revision.data }).where(eq(timelineEntries.id, row.id));
      await tx.insert(timelineEntries).values({ incidentId, ...change.record });
      return true;
    });
  }

  /** A :pushpin: was removed; when it was the last one, the message leaves the timeline. Returns whether it left. */
  async removePinReaction(incidentId: number, messageTs: string, userId: string): Promise<boolean> {
    return await this.db.transaction(async (tx) => {
      await this.lockPins(tx, incidentId);
      await tx.delete(pinReactions)
        .where(and(eq(pinReactions.incidentId, incidentId), eq(pinReactions.messageTs, messageTs), eq(pinReactions.userId, userId)));
      const left = (await tx
        .select({ pins: count() })
        .from(pinReactions)
        .where(and(eq(pinReactions.incidentId, incidentId), eq(pinReactions.messageTs, messageTs)))
        )[0];
      if ((left?.pins ?? 0) > 0) return false;
      return (await tx.delete(timelineEntries).where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.messageTs, messageTs)))).rowCount! > 0;
    });
  }

  /**
   * Pin changes of one incident take turns (its row, locked): under READ COMMITTED two people
   * removing the last two pins at once would each still see the other's and leave the message on
   * the timeline. SQLite runs one write transaction at a time, so its store needs no such lock.
   */
  private async lockPins(tx: Parameters<Parameters<Db['transaction']>[0]>[0], incidentId: number): Promise<void> {
    await tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, incidentId)).for('update');
  }

  async appendTimeline(incidentId: number, entry: NewTimelineEntry, finishing?: JournalEntry): Promise<void> {
    if (!finishing) {
      await this.db.insert(timelineEntries).values({ incidentId, ...entry });
      return;
    }
    await this.db.transaction(async (tx) => {
      await tx.insert(timelineEntries).values({ incidentId, ...entry });
      await tx.delete(workInProgress).where(eq(workInProgress.id, finishing.id));
    });
    finishing.removed = true;
  }

  async timelineOf(incidentId: number): Promise<StoredTimelineEntry[]> {
    const rows = await this.timelineById.execute({ incidentId });
    return rows.map((row) => ({ id: row.id, at: row.at, actorId: row.actorId, kind: row.kind, text: row.text, data: row.data ?? undefined, messageTs: row.messageTs }));
  }
}
