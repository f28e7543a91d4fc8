import { and, eq, sql } from 'drizzle-orm';
import { NO_REMINDER_STATE, type ReminderState } from '../../domain/reminders.js';
import type { StatusDraft } from '../../domain/statusDraft.js';
import type { ReminderRecords, ReminderStateWithLease, StoredDraft } from '../../ports.js';
import type { PgDb as Db } from './db.js';
import { NOTHING_PENDING } from '../leaseConditions.js';
import { incidents, reminders, statusDrafts } from './schema.js';
import { lookAgain } from '../dueTimes.js';

/** The stored reminder schedule of each incident, and the drafts its reminders carry. Leases are in `leases.ts`. */
export class ReminderRepository implements ReminderRecords {
  /** Prepared once: a scheduler pass reads it twice for each reminder it sends. */
  private readonly stateById;

  constructor(private readonly db: Db) {
    this.stateById = db.select().from(reminders).where(eq(reminders.incidentId, sql.placeholder('incidentId'))).prepare('reminder_state_by_incident');
  }

  async allStates(): Promise<Map<number, ReminderStateWithLease>> {
    const rows = (await this.db.select().from(reminders));
    return new Map(rows.map((row) => [row.incidentId, { lastRemindedAt: row.lastRemindedAt, notBefore: row.notBefore, restartedAt: row.restartedAt, leaseOwner: row.leaseOwner, leaseUntil: row.leaseUntil }]));
  }

  async stateOf(incidentId: number): Promise<ReminderState> {
    const row = (await this.stateById.execute({ incidentId }))[0];
    return row ? { lastRemindedAt: row.lastRemindedAt, notBefore: row.notBefore, restartedAt: row.restartedAt } : NO_REMINDER_STATE;
  }

  async markSent(incidentId: number, owner: string, at: Date): Promise<void> {
    await this.db
      .update(reminders)
      .set({ lastRemindedAt: at, ...NOTHING_PENDING, notBefore: null })
      .where(this.held(incidentId, owner));
  }

  async markAutomaticSent(incidentId: number, owner: string): Promise<void> {
    await this.db
      .update(reminders)
      .set({ ...NOTHING_PENDING, notBefore: null })
      .where(this.held(incidentId, owner));
  }

  async snooze(incidentId: number, until: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(incidents).set(lookAgain(incidents.scheduleVersion)).where(eq(incidents.id, incidentId));
      await tx.insert(reminders).values({ incidentId, notBefore: until }).onConflictDoUpdate({ target: reminders.incidentId, set: { notBefore: until } });
    });
  }

  async restart(incidentId: number, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(incidents).set(lookAgain(incidents.scheduleVersion)).where(eq(incidents.id, incidentId));
      await tx
        .insert(reminders)
        .values({ incidentId, restartedAt: at })
        .onConflictDoUpdate({ target: reminders.incidentId, set: { restartedAt: at, notBefore: null } });
    });
  }

  async saveDraft(incidentId: number, draft: StatusDraft): Promise<number> {
    const [row] = await this.db.insert(statusDrafts).values({ incidentId, ...draft }).returning({ id: statusDrafts.id });
    return row!.id;
  }

  async findDraft(id: number): Promise<StoredDraft | undefined> {
    return (await this.db.select().from(statusDrafts).where(eq(statusDrafts.id, id)))[0];
  }

  private held(incidentId: number, owner: string) {
    return and(eq(reminders.incidentId, incidentId), eq(reminders.leaseOwner, owner));
  }
}
