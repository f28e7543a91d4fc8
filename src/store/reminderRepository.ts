import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { ReminderState } from '../domain/reminders.js';
import type { StatusDraft } from '../domain/statusDraft.js';
import type { Db } from './db.js';
import { reminders, statusDrafts } from './schema.js';

/** What a send in flight is: `automatic` is an update the bot posts itself, from a stored draft. */
export type PendingSend = { kind: 'reminder' } | { kind: 'automatic'; draftId: number };

export interface ClaimedReminder {
  incidentId: number;
  /** Set when an earlier claimant started sending and never finished (a crash). */
  pendingKey: string | null;
  pendingSince: Date | null;
  pending: PendingSend | null;
}

export type StoredDraft = StatusDraft & { id: number; incidentId: number };

/** A send is finished or given up: nothing is in flight and nobody holds the lease. */
const NOTHING_PENDING = { leaseOwner: null, leaseUntil: null, pendingKey: null, pendingSince: null, pendingKind: null, pendingDraftId: null };

/** The stored reminder schedule, and the leases that keep two processes from sending one reminder twice. */
export class ReminderRepository {
  constructor(private readonly db: Db) {}

  /** Every stored schedule, by incident: one query per tick whatever the number of incidents. */
  allStates(): Map<number, ReminderState & { leaseOwner: string | null; leaseUntil: Date | null }> {
    const rows = this.db.select().from(reminders).all();
    return new Map(rows.map((row) => [row.incidentId, { lastRemindedAt: row.lastRemindedAt, notBefore: row.notBefore, restartedAt: row.restartedAt, leaseOwner: row.leaseOwner, leaseUntil: row.leaseUntil }]));
  }

  /**
   * Takes the lease on a due reminder if nobody holds it and nobody sent it since `seen` was read.
   * The check and the write are one UPDATE, so of two processes exactly one wins. `deadOwner` is a
   * lease holder known to be gone, whose lease may be taken before it runs out.
   */
  claim(incidentId: number, owner: string, now: Date, leaseMs: number, seen: ReminderState, deadOwner?: string | null): ClaimedReminder | undefined {
    this.db.insert(reminders).values({ incidentId }).onConflictDoNothing().run();
    const row = this.db
      .update(reminders)
      .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(
        and(
          eq(reminders.incidentId, incidentId),
          sql`coalesce(${reminders.lastRemindedAt}, -1) = ${seen.lastRemindedAt?.getTime() ?? -1}`,
          or(isNull(reminders.leaseUntil), lt(reminders.leaseUntil, now), deadOwner ? eq(reminders.leaseOwner, deadOwner) : undefined),
        ),
      )
      .returning()
      .get();
    if (!row) return undefined;
    const pending: PendingSend | null =
      row.pendingKind === 'automatic' && row.pendingDraftId !== null ? { kind: 'automatic', draftId: row.pendingDraftId } : row.pendingKey ? { kind: 'reminder' } : null;
    return { incidentId, pendingKey: row.pendingKey, pendingSince: row.pendingSince, pending };
  }

  /** Written just before the message is sent: after a crash, the next claimant looks for it in Slack. */
  markPending(incidentId: number, owner: string, key: string, at: Date, what: PendingSend = { kind: 'reminder' }): void {
    this.db
      .update(reminders)
      .set({ pendingKey: key, pendingSince: at, pendingKind: what.kind, pendingDraftId: what.kind === 'automatic' ? what.draftId : null })
      .where(and(eq(reminders.incidentId, incidentId), eq(reminders.leaseOwner, owner)))
      .run();
  }

  markSent(incidentId: number, owner: string, at: Date): void {
    this.db
      .update(reminders)
      .set({ lastRemindedAt: at, ...NOTHING_PENDING, notBefore: null })
      .where(and(eq(reminders.incidentId, incidentId), eq(reminders.leaseOwner, owner)))
      .run();
  }

  /**
   * An automatic update is out and recorded as the incident's last update, which is what the next
   * reminder counts from; the reminder time stays as it was.
   */
  markAutomaticSent(incidentId: number, owner: string): void {
    this.db
      .update(reminders)
      .set({ ...NOTHING_PENDING, notBefore: null })
      .where(and(eq(reminders.incidentId, incidentId), eq(reminders.leaseOwner, owner)))
      .run();
  }

  /**
   * Claimed, but nothing is owed any more (someone posted an update meanwhile): let go, nothing
   * sent. A send a crash left unfinished is moot too: the update it was for has been overtaken.
   */
  unlock(incidentId: number, owner: string): void {
    this.db
      .update(reminders)
      .set(NOTHING_PENDING)
      .where(and(eq(reminders.incidentId, incidentId), eq(reminders.leaseOwner, owner)))
      .run();
  }

  /** Slack failed: try again not before `retryAt`; the reminder is late, not lost. */
  release(incidentId: number, owner: string, retryAt: Date): void {
    this.db
      .update(reminders)
      .set({ ...NOTHING_PENDING, notBefore: retryAt })
      .where(and(eq(reminders.incidentId, incidentId), eq(reminders.leaseOwner, owner)))
      .run();
  }

  snooze(incidentId: number, until: Date): void {
    this.db.insert(reminders).values({ incidentId, notBefore: until }).onConflictDoUpdate({ target: reminders.incidentId, set: { notBefore: until } }).run();
  }

  /** Reopened: the clock starts again from now. */
  restart(incidentId: number, at: Date): void {
    this.db
      .insert(reminders)
      .values({ incidentId, restartedAt: at })
      .onConflictDoUpdate({ target: reminders.incidentId, set: { restartedAt: at, notBefore: null } })
      .run();
  }

  /** Keeps a draft the bot wrote; its id goes on the buttons that post it. */
  saveDraft(incidentId: number, draft: StatusDraft): number {
    return this.db.insert(statusDrafts).values({ incidentId, ...draft }).returning({ id: statusDrafts.id }).get().id;
  }

  findDraft(id: number): StoredDraft | undefined {
    return this.db.select().from(statusDrafts).where(eq(statusDrafts.id, id)).get();
  }
}
