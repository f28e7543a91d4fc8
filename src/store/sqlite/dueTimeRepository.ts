import { asc, eq, lte, sql } from 'drizzle-orm';
import type { ComputedDueTime, DueIncident, DueKind, DueTimes } from '../../ports.js';
import { DUE_COLUMN } from '../dueTimes.js';
import type { Db } from './db.js';
import { channelArchives, incidents, reminders } from './schema.js';

/** The due-time index on the incidents table (see `../dueTimes.ts`). */
export class DueTimeRepository implements DueTimes {
  constructor(private readonly db: Db) {}

  async dueNow(kind: DueKind, now: Date): Promise<DueIncident[]> {
    if (kind === 'archive') {
      const due = incidents.archiveDueAt;
      return this.db
        .select({ incidentId: incidents.id, version: incidents.scheduleVersion, leaseOwner: channelArchives.leaseOwner, leaseUntil: channelArchives.leaseUntil })
        .from(incidents)
        .leftJoin(channelArchives, eq(channelArchives.incidentId, incidents.id))
        .where(lte(due, now))
        .orderBy(asc(due))
        .all();
    }
    const due = kind === 'reminder' ? incidents.reminderDueAt : incidents.escalationDueAt;
    return this.db
      .select({ incidentId: incidents.id, version: incidents.scheduleVersion, leaseOwner: reminders.leaseOwner, leaseUntil: reminders.leaseUntil })
      .from(incidents)
      .leftJoin(reminders, eq(reminders.incidentId, incidents.id))
      .where(lte(due, now))
      .orderBy(asc(due))
      .all();
  }

  /** One statement for any number of times: the start-up stores one per live incident. */
  async store(kind: DueKind, times: readonly ComputedDueTime[]): Promise<void> {
    if (times.length === 0) return;
    const rows = JSON.stringify(times.map((time) => [time.incidentId, time.version, time.at?.getTime() ?? null]));
    this.db.run(sql`
      update incidents set ${sql.raw(DUE_COLUMN[kind])} = computed.at
      from (select value ->> 0 as id, value ->> 1 as version, value ->> 2 as at from json_each(${rows})) as computed
      where incidents.id = computed.id and incidents.schedule_version = computed.version`);
  }

  async versions(): Promise<Map<number, number>> {
    const rows = this.db.select({ id: incidents.id, version: incidents.scheduleVersion }).from(incidents).where(eq(incidents.phase, 'live')).all();
    return new Map(rows.map((row) => [row.id, row.version]));
  }
}
