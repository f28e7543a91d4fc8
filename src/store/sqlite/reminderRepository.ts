import { and, eq, sql } from 'drizzle-orm';
import { NO_REMINDER_STATE, type ReminderState } from '../../domain/reminders.js';
import type { StatusDraft } from '../../domain/statusDraft.js';
import type { ReminderRecords, ReminderStateWithLease, StoredDraft } from '../../ports.js';
import type { Db } from './db.js';
import { NOTHING_PENDING } from '../leaseConditions.js';
import { incidents, reminders, statusDrafts } from './schema.js';
import { lookAgain } from '../dueTimes.js';

/** The stored reminder schedule of each incident, and the drafts its reminders carry. Leases are in `leases.ts`. */
export class ReminderRepository implements ReminderRecords {
  /** Prepared once: a scheduler pass reads it twice for each reminder it sends. */
  private readonly stateById;
  /** Prepared too, for a burst of reminders: the draft each writes, and the two writes recording it sent. */
  private readonly insertDraft;
  private readonly markSentHeld;
  private readonly storeNextDue;

  constructor(private readonly db: Db) {
    this.stateById = db.select().from(reminders).where(eq(reminders.incidentId, sql.placeholder('incidentId'))).prepare();
    // Times bound as milliseconds or null, as the columns hold them (the columns' own conversion cannot take a null).
    const bound = (name: string) => sql`${sql.placeholder(name)}`;
    this.insertDraft = db
      .insert(statusDrafts)
      .values({
        incidentId: sql.placeholder('incidentId'),
        createdAt: bound('createdAt'),
        status: sql.placeholder('status'),
        whatChanged: sql.placeholder('whatChanged'),
        impact: sql.placeholder('impact'),
        nextSteps: sql.placeholder('nextSteps'),
        basedOnUpdateAt: bound('basedOnUpdateAt'),
        lastPersonUpdateAt: bound('lastPersonUpdateAt'),
      })
      .returning({ id: statusDrafts.id })
      .prepare();
    this.markSentHeld = db
      .update(reminders)
      .set({ lastRemindedAt: bound('at'), ...NOTHING_PENDING, notBefore: null })
      .where(and(eq(reminders.incidentId, sql.placeholder('incidentId')), eq(reminders.leaseOwner, sql.placeholder('owner'))))
      .prepare();
    this.storeNextDue = db
      .update(incidents)
      .set({ reminderDueAt: bound('at') })
      .where(and(eq(incidents.id, sql.placeholder('incidentId')), eq(incidents.scheduleVersion, sql.placeholder('version'))))
      .prepare();
  }

  async allStates(): Promise<Map<number, ReminderStateWithLease>> {
    const rows = this.db.select().from(reminders).all();
    return new Map(rows.map((row) => [row.incidentId, { lastRemindedAt: row.lastRemindedAt, notBefore: row.notBefore, restartedAt: row.restartedAt, leaseOwner: row.leaseOwner, leaseUntil: row.leaseUntil }]));
  }

  async stateOf(incidentId: number): Promise<ReminderState> {
    const row = this.stateById.get({ incidentId });
    return row ? { lastRemindedAt: row.lastRemindedAt, notBefore: row.notBefore, restartedAt: row.restartedAt } : NO_REMINDER_STATE;
  }

  async markSent(incidentId: number, owner: string, at: Date, next?: { version: number; at: Date | null }): Promise<void> {
    this.db.transaction(() => this.recordSent(incidentId, owner, at, next));
  }

  async markManySent(owner: string, sent: readonly { incidentId: number; at: Date; next: { version: number; at: Date | null } }[]): Promise<void> {
    this.db.transaction(() => {
      for (const { incidentId, at, next } of sent) this.recordSent(incidentId, owner, at, next);
    });
  }

  /** The lease holder's write, then the next due time (only if the holder's write was made). */
  private recordSent(incidentId: number, owner: string, at: Date, next?: { version: number; at: Date | null }): void {
    const marked = this.markSentHeld.run({ incidentId, owner, at: at.getTime() });
    if (next && marked.changes > 0) this.storeNextDue.run({ incidentId, version: next.version, at: next.at?.getTime() ?? null });
  }

  async markAutomaticSent(incidentId: number, owner: string): Promise<void> {
    this.db
      .update(reminders)
      .set({ ...NOTHING_PENDING, notBefore: null })
      .where(this.held(incidentId, owner))
      .run();
  }

  async snooze(incidentId: number, until: Date): Promise<void> {
    this.db.transaction((tx) => {
      tx.update(incidents).set(lookAgain(incidents.scheduleVersion)).where(eq(incidents.id, incidentId)).run();
      tx.insert(reminders).values({ incidentId, notBefore: until }).onConflictDoUpdate({ target: reminders.incidentId, set: { notBefore: until } }).run();
    });
  }

  async restart(incidentId: number, at: Date): Promise<void> {
    this.db.transaction((tx) => {
      tx.update(incidents).set(lookAgain(incidents.scheduleVersion)).where(eq(incidents.id, incidentId)).run();
      tx.insert(reminders)
        .values({ incidentId, restartedAt: at })
        .onConflictDoUpdate({ target: reminders.incidentId, set: { restartedAt: at, notBefore: null } })
        .run();
    });
  }

  async saveDraft(incidentId: number, draft: StatusDraft): Promise<number> {
    const { status, whatChanged, impact, nextSteps } = draft;
    const ms = (time: Date | null) => time?.getTime() ?? null;
    return this.insertDraft.get({ incidentId, status, whatChanged, impact, nextSteps, createdAt: ms(draft.createdAt), basedOnUpdateAt: ms(draft.basedOnUpdateAt), lastPersonUpdateAt: ms(draft.lastPersonUpdateAt) })!.id;
  }

  async findDraft(id: number): Promise<StoredDraft | undefined> {
    return this.db.select().from(statusDrafts).where(eq(statusDrafts.id, id)).get();
  }

  private held(incidentId: number, owner: string) {
    return and(eq(reminders.incidentId, incidentId), eq(reminders.leaseOwner, owner));
  }
}
