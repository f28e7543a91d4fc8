import { and, eq, sql } from 'drizzle-orm';
import { NO_REMINDER_STATE, type ReminderState } from '../../domain/reminders.js';
import type { StatusDraft } from '../../domain/statusDraft.js';
import type { ReminderRecords, ReminderStateWithLease, StoredDraft } from '../../ports.js';
import type { PgDb as Db } from './db.js';
import { NOTHING_PENDING } from '../leaseConditions.js';
import { incidents, reminders, statusDrafts } from './schema.js';
import { lookAgain } from '../dueTimes.js';

/** `markSent` with the next due time: the incident's time is stored only if the lease holder's write was made. */
const MARK_SENT_AND_DUE = `
  with sent as (
    update reminders
    set last_reminded_at = $3, not_before = null, lease_owner = null, lease_until = null,
        pending_key = null, pending_since = null, pending_kind = null, pending_draft_id = null
    where incident_id = $1 and lease_owner = $2
    returning incident_id)
  update incidents set reminder_due_at = $5
  from sent
  where incidents.id = sent.incident_id and incidents.schedule_version = $4`;

/** `markManySent`: MARK_SENT_AND_DUE for every row of the arrays, in one statement. */
const MARK_MANY_SENT_AND_DUE = `
  with sent as (
    update reminders
    set last_reminded_at = batch.at, not_before = null, lease_owner = null, lease_until = null,
        pending_key = null, pending_since = null, pending_kind = null, pending_draft_id = null
    from unnest($2::integer[], $3::timestamptz[], $4::integer[], $5::timestamptz[]) as batch(id, at, version, due)
    where reminders.incident_id = batch.id and reminders.lease_owner = $1
    returning batch.id, batch.version, batch.due)
  update incidents set reminder_due_at = sent.due
  from sent
  where incidents.id = sent.id and incidents.schedule_version = sent.version`;

/** The stored reminder schedule of each incident, and the drafts its reminders carry. Leases are in `leases.ts`. */
export class ReminderRepository implements ReminderRecords {
  /** Prepared once: a scheduler pass reads it twice for each reminder it sends. */
  private readonly stateById;
  /** Prepared too: every update reminder and automatic update writes one. */
  private readonly insertDraft;

  constructor(private readonly db: Db) {
    this.stateById = db.select().from(reminders).where(eq(reminders.incidentId, sql.placeholder('incidentId'))).prepare('reminder_state_by_incident');
    const field = (name: keyof StatusDraft | 'incidentId') => sql.placeholder(name);
    // Passed as they are (the column's conversion cannot take a null): node-postgres writes a Date with its offset.
    const time = (name: keyof StatusDraft) => sql`${sql.placeholder(name)}`;
    this.insertDraft = db
      .insert(statusDrafts)
      .values({
        incidentId: field('incidentId'),
        createdAt: field('createdAt'),
        status: field('status'),
        whatChanged: field('whatChanged'),
        impact: field('impact'),
        nextSteps: field('nextSteps'),
        basedOnUpdateAt: time('basedOnUpdateAt'),
        lastPersonUpdateAt: time('lastPersonUpdateAt'),
      })
      .returning({ id: statusDrafts.id })
      .prepare('status_draft_insert');
  }

  async allStates(): Promise<Map<number, ReminderStateWithLease>> {
    const rows = (await this.db.select().from(reminders));
    return new Map(rows.map((row) => [row.incidentId, { lastRemindedAt: row.lastRemindedAt, notBefore: row.notBefore, restartedAt: row.restartedAt, leaseOwner: row.leaseOwner, leaseUntil: row.leaseUntil }]));
  }

  async stateOf(incidentId: number): Promise<ReminderState> {
    const row = (await this.stateById.execute({ incidentId }))[0];
    return row ? { lastRemindedAt: row.lastRemindedAt, notBefore: row.notBefore, restartedAt: row.restartedAt } : NO_REMINDER_STATE;
  }

  async markSent(incidentId: number, owner: string, at: Date, next?: { version: number; at: Date | null }): Promise<void> {
    if (!next) {
      await this.db
        .update(reminders)
        .set({ lastRemindedAt: at, ...NOTHING_PENDING, notBefore: null })
        .where(this.held(incidentId, owner));
      return;
    }
    // One statement, so one round trip for the last write of every reminder sent.
    await this.db.$client.query({ name: 'reminder_mark_sent', text: MARK_SENT_AND_DUE, values: [incidentId, owner, at, next.version, next.at] });
  }

  async markManySent(owner: string, sent: readonly { incidentId: number; at: Date; next: { version: number; at: Date | null } }[]): Promise<void> {
    if (sent.length === 0) return;
    // In incident order, as every other write that locks several incidents takes them.
    const rows = [...sent].sort((a, b) => a.incidentId - b.incidentId);
    await this.db.$client.query({
      name: 'reminder_mark_many_sent',
      text: MARK_MANY_SENT_AND_DUE,
      values: [owner, rows.map((row) => row.incidentId), rows.map((row) => row.at), rows.map((row) => row.next.version), rows.map((row) => row.next.at)],
    });
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
    const { status, whatChanged, impact, nextSteps, basedOnUpdateAt, lastPersonUpdateAt, createdAt } = draft;
    const [row] = await this.insertDraft.execute({ incidentId, status, whatChanged, impact, nextSteps, basedOnUpdateAt, lastPersonUpdateAt, createdAt });
    return row!.id;
  }

  async findDraft(id: number): Promise<StoredDraft | undefined> {
    return (await this.db.select().from(statusDrafts).where(eq(statusDrafts.id, id)))[0];
  }

  private held(incidentId: number, owner: string) {
    return and(eq(reminders.incidentId, incidentId), eq(reminders.leaseOwner, owner));
  }
}
