import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { ComputedDueTime, DueIncident, DueKind, DueTimes } from '../../ports.js';
import { DUE_COLUMN } from '../dueTimes.js';
import { leaseFree } from '../leaseConditions.js';
import type { PgDb as Db } from './db.js';
import { incidents, reminders } from './schema.js';

/** The due-time index on the incidents table (see `../dueTimes.ts`). */
export class DueTimeRepository implements DueTimes {
  constructor(private readonly db: Db) {}

  async dueNow(kind: DueKind, now: Date, deadOwners: readonly string[]): Promise<DueIncident[]> {
    const columns = { incidentId: incidents.id, version: incidents.scheduleVersion };
    if (kind === 'escalation') {
      return await this.db.select(columns).from(incidents).where(lte(incidents.escalationDueAt, now)).orderBy(asc(incidents.escalationDueAt));
    }
    return await this.db
      .select(columns)
      .from(incidents)
      .leftJoin(reminders, eq(reminders.incidentId, incidents.id))
      .where(and(lte(incidents.reminderDueAt, now), leaseFree(reminders, now, deadOwners)))
      .orderBy(asc(incidents.reminderDueAt));
  }

  /** One statement for any number of times: the start-up stores one per live incident. */
  async store(kind: DueKind, times: readonly ComputedDueTime[]): Promise<void> {
    if (times.length === 0) return;
    const rows = JSON.stringify(times.map((time) => ({ id: time.incidentId, version: time.version, at: time.at?.toISOString() ?? null })));
    await this.db.execute(sql`
      update incidents set ${sql.raw(DUE_COLUMN[kind])} = computed.at
      from jsonb_to_recordset(${rows}::jsonb) as computed(id integer, version integer, at timestamptz)
      where incidents.id = computed.id and incidents.schedule_version = computed.version`);
  }

  async versions(): Promise<Map<number, number>> {
    const rows = await this.db.select({ id: incidents.id, version: incidents.scheduleVersion }).from(incidents).where(eq(incidents.phase, 'live'));
    return new Map(rows.map((row) => [row.id, row.version]));
  }
}
