import { asc, eq, lte, sql } from 'drizzle-orm';
import type { ComputedDueTime, DueIncident, DueKind, DueTimes } from '../../ports.js';
import { DUE_COLUMN } from '../dueTimes.js';
import type { PgDb as Db } from './db.js';
import { channelArchives, incidents, reminders } from './schema.js';

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
    const due = kind === 'reminder' ? incidents.reminderDueAt : incidents.escalationDueAt;
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
    await this.db.transaction(async (tx) => {
      if (times.length > 1) await tx.execute(sql`select incidents.id from incidents, ${computed} where incidents.id = computed.id order by incidents.id for update of incidents`);
      await tx.execute(sql`
        update incidents set ${sql.raw(DUE_COLUMN[kind])} = computed.at
        from ${computed}
        where incidents.id = computed.id and incidents.schedule_version = computed.version`);
    });
  }

  async versions(): Promise<Map<number, number>> {
    const rows = await this.db.select({ id: incidents.id, version: incidents.scheduleVersion }).from(incidents).where(eq(incidents.phase, 'live'));
    return new Map(rows.map((row) => [row.id, row.version]));
  }
}
