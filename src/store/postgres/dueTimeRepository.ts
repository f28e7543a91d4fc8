import { asc, eq, lte, sql } from 'drizzle-orm';
import type { ComputedDueTime, DueIncident, DueKind, DueTimes, DueWork } from '../../ports.js';
import { DUE_COLUMN } from '../dueTimes.js';
import type { PgDb as Db } from './db.js';
import { channelArchives, incidents, reminders } from './schema.js';

/**
 * `DueTimeRepository.dueWork`: each part reads its index's first entry, however many incidents are
 * open. The due times are asked as the earliest one (`min`, which PostgreSQL always reads from the
 * index): asked as `exists (… where due_at <= $1)`, a table without statistics (just filled, not
 * yet analyzed by autovacuum) is read whole, three times a tick, the planner expecting a third of it due.
 */
const DUE_WORK = `
  select
    coalesce((select min(reminder_due_at) from incidents) <= $3, false) as "reminders",
    coalesce((select min(escalation_due_at) from incidents) <= $1, false) as "escalations",
    coalesce((select min(archive_due_at) from incidents) <= $1, false) as "archives",
    exists (select 1 from drill_steps join incidents on incidents.id = drill_steps.incident_id
            where drill_steps.posted_at is null and drill_steps.due_at <= $1 and incidents.phase = 'live' and incidents.status <> 'resolved') as "drills",
    exists (select 1 from alerts where triage_due_at <= $1) as "alertUpdates",
    exists (select 1 from work_in_progress where owner <> $2) as "othersWork"`;

/** The due-time index on the incidents table (see `../dueTimes.ts`). */
export class DueTimeRepository implements DueTimes {
  constructor(private readonly db: Db) {}

  async dueNow(kind: DueKind, now: Date): Promise<DueIncident[]> {
    if (kind === 'archive') {
      const due = incidents.archiveDueAt;
      return await this.db
        .select({ incidentId: incidents.id, version: incidents.scheduleVersion, leaseOwner: channelArchives.leaseOwner, leaseUntil: channelArchives.leaseUntil })
        .from(incidents)
        .leftJoin(channelArchives, eq(channelArchives.incidentId, incidents.id))
        .where(lte(due, now))
        .orderBy(asc(due));
    }
    if (kind === 'reminder') {
      const due = incidents.reminderDueAt;
      return await this.db
        .select({ incidentId: incidents.id, version: incidents.scheduleVersion, leaseOwner: reminders.leaseOwner, leaseUntil: reminders.leaseUntil, notBefore: reminders.notBefore })
        .from(incidents)
        .leftJoin(reminders, eq(reminders.incidentId, incidents.id))
        .where(lte(due, now))
        .orderBy(asc(due));
    }
    const due = incidents.escalationDueAt;
    return await this.db
      .select({ incidentId: incidents.id, version: incidents.scheduleVersion, leaseOwner: reminders.leaseOwner, leaseUntil: reminders.leaseUntil })
      .from(incidents)
      .leftJoin(reminders, eq(reminders.incidentId, incidents.id))
      .where(lte(due, now))
      .orderBy(asc(due));
  }

  /**
   * One statement for any number of times: the start-up stores one per live incident. The rows are
   * locked in id order first, so replicas starting together wait for each other instead of deadlocking.
   */
  async store(kind: DueKind, times: readonly ComputedDueTime[]): Promise<void> {
    if (times.length === 0) return;
    const rows = JSON.stringify(times.map((time) => ({ id: time.incidentId, version: time.version, at: time.at?.toISOString() ?? null })));
    const computed = sql`jsonb_to_recordset(${rows}::jsonb) as computed(id integer, version integer, at timestamptz)`;
    const update = sql`
        update incidents set ${sql.raw(DUE_COLUMN[kind])} = computed.at
        from ${computed}
        where incidents.id = computed.id and incidents.schedule_version = computed.version`;
    // One row needs no lock order: one statement, no transaction around it.
    if (times.length === 1) {
      await this.db.execute(update);
      return;
    }
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`select incidents.id from incidents, ${computed} where incidents.id = computed.id order by incidents.id for update of incidents`);
      await tx.execute(update);
    });
  }

  /** A named statement: each pooled connection parses and plans it once, then every tick only binds and runs it. */
  async dueWork(now: Date, self: string, remindersBy = now): Promise<DueWork> {
    const result = await this.db.$client.query<DueWork>({ name: 'scheduler_due_work', text: DUE_WORK, values: [now.toISOString(), self, remindersBy.toISOString()] });
    return result.rows[0]!;
  }

  async unchanged(list: readonly { incidentId: number; version: number }[]): Promise<Set<number>> {
    if (list.length === 0) return new Set();
    const result = await this.db.$client.query<{ id: number }>({
      name: 'schedule_unchanged',
      text: 'select incidents.id from incidents join unnest($1::integer[], $2::integer[]) as read(id, version) on incidents.id = read.id and incidents.schedule_version = read.version',
      values: [list.map((one) => one.incidentId), list.map((one) => one.version)],
    });
    return new Set(result.rows.map((row) => row.id));
  }

  async versions(): Promise<Map<number, number>> {
    const rows = await this.db.select({ id: incidents.id, version: incidents.scheduleVersion }).from(incidents).where(eq(incidents.phase, 'live'));
    return new Map(rows.map((row) => [row.id, row.version]));
  }
}
