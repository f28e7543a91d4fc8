import { asc, eq, lte, sql } from 'drizzle-orm';
import type { ComputedDueTime, DueIncident, DueKind, DueTimes, DueWork } from '../../ports.js';
import { DUE_COLUMN } from '../dueTimes.js';
import type { Db } from './db.js';
import { channelArchives, incidents, reminders } from './schema.js';

/** The due-time index on the incidents table (see `../dueTimes.ts`). */
export class DueTimeRepository implements DueTimes {
  /** Prepared once: every scheduler tick runs it. */
  private readonly dueWorkStatement;
  private readonly unchangedStatement;

  constructor(private readonly db: Db) {
    this.unchangedStatement = db.$client
      .prepare<[string], number>(
        `select incidents.id from incidents join json_each(?) as read
         on incidents.id = read.value ->> '$[0]' and incidents.schedule_version = read.value ->> '$[1]'`,
      )
      .pluck();
    // Each `exists` stops at its index's first entry: the same cost with ten incidents open or ten thousand.
    this.dueWorkStatement = db.$client.prepare<{ now: number; self: string; remindersBy: number }, Record<keyof DueWork, 0 | 1>>(`
      select
        exists (select 1 from incidents where reminder_due_at <= @remindersBy) as reminders,
        exists (select 1 from incidents where escalation_due_at <= @now) as escalations,
        exists (select 1 from incidents where archive_due_at <= @now) as archives,
        exists (select 1 from drill_steps join incidents on incidents.id = drill_steps.incident_id
                where drill_steps.posted_at is null and drill_steps.due_at <= @now and incidents.phase = 'live' and incidents.status <> 'resolved') as drills,
        exists (select 1 from alerts where triage_due_at <= @now) as alertUpdates,
        exists (select 1 from work_in_progress where owner <> @self) as othersWork`);
  }

  async dueWork(now: Date, self: string, remindersBy = now): Promise<DueWork> {
    const row = this.dueWorkStatement.get({ now: now.getTime(), self, remindersBy: remindersBy.getTime() })!;
    return { reminders: row.reminders === 1, escalations: row.escalations === 1, archives: row.archives === 1, drills: row.drills === 1, alertUpdates: row.alertUpdates === 1, othersWork: row.othersWork === 1 };
  }

  async unchanged(list: readonly { incidentId: number; version: number }[]): Promise<Set<number>> {
    if (list.length === 0) return new Set();
    return new Set(this.unchangedStatement.all(JSON.stringify(list.map((one) => [one.incidentId, one.version]))));
  }

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
    if (kind === 'reminder') {
      const due = incidents.reminderDueAt;
      return this.db
        .select({ incidentId: incidents.id, version: incidents.scheduleVersion, leaseOwner: reminders.leaseOwner, leaseUntil: reminders.leaseUntil, notBefore: reminders.notBefore })
        .from(incidents)
        .leftJoin(reminders, eq(reminders.incidentId, incidents.id))
        .where(lte(due, now))
        .orderBy(asc(due))
        .all();
    }
    const due = incidents.escalationDueAt;
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
