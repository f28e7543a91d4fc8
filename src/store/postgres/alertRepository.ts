import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { TRIAGE_UPDATE_EVERY_MS, type AlertSource, type ReceivedAlert, type StoredAlert } from '../../domain/alert.js';
import type { AlertRecords } from '../../ports.js';
import { toAlert, type AlertRowFields } from '../rows.js';
import type { PgDb as Db } from './db.js';
import { alerts } from './schema.js';

const OPEN = sql`${alerts.status} = 'firing'`;

/**
 * A repeat is shown at once when the posted message last showed the count `$11` ms ago or more;
 * else the message is owed an update that long after it was last shown. Every column the SET
 * reads is the row's value before this repeat.
 */
const SHOW_NOW = `alerts.triage_ts is not null and (alerts.triage_shown_at is null or alerts.triage_shown_at <= excluded.last_seen_at - $11 * interval '1 millisecond')`;

/** `recordFiring` as a named statement: each pooled connection plans it once, and every alert request runs it. */
const RECORD_FIRING = `
  insert into alerts (source, fingerprint, status, name, summary, description, labels, annotations, links, first_seen_at, last_seen_at)
  values ($1, $2, 'firing', $3, $4, $5, $6, $7, $8, $9, $10)
  on conflict (source, fingerprint) where status = 'firing' do update set
    name = excluded.name, summary = excluded.summary, description = excluded.description,
    labels = excluded.labels, annotations = excluded.annotations, links = excluded.links,
    last_seen_at = excluded.last_seen_at, fire_count = alerts.fire_count + 1,
    triage_shown_at = case when ${SHOW_NOW} then excluded.last_seen_at else alerts.triage_shown_at end,
    triage_due_at = case when ${SHOW_NOW} then null else coalesce(alerts.triage_due_at, alerts.triage_shown_at + $11 * interval '1 millisecond') end
  returning id, source, fingerprint, status, name, summary, description, labels, annotations, links,
    first_seen_at as "firstSeenAt", last_seen_at as "lastSeenAt", fire_count as "fireCount", resolved_at as "resolvedAt",
    triage_ts as "triageTs", triage_state as "triageState", incident_id as "incidentId", declared_by as "declaredBy",
    dismissed_by as "dismissedBy", triage_shown_at as "triageShownAt"`;

/** Alerts from monitoring on PostgreSQL: every write is one statement. */
export class AlertRepository implements AlertRecords {
  constructor(private readonly db: Db) {}

  async recordFiring(alert: ReceivedAlert, at: Date): Promise<{ alert: StoredAlert; created: boolean; showNow: boolean }> {
    const seen = at.toISOString();
    const values = [alert.source, alert.fingerprint, alert.name, alert.summary ?? null, alert.description ?? null, JSON.stringify(alert.labels), JSON.stringify(alert.annotations), JSON.stringify(alert.links), seen, seen, TRIAGE_UPDATE_EVERY_MS];
    const result = await this.db.$client.query<AlertRowFields & { triageShownAt: Date | null }>({ name: 'alerts_record_firing', text: RECORD_FIRING, values });
    const row = result.rows[0]!;
    // Only the insert leaves the count at one: the upsert is the claim (a concurrent one waits, then counts).
    const created = row.fireCount === 1;
    return { alert: toAlert(row), created, showNow: !created && row.triageShownAt?.getTime() === at.getTime() };
  }

  async recordResolved(source: AlertSource, fingerprint: string, at: Date): Promise<StoredAlert | undefined> {
    const [row] = await this.db
      .update(alerts)
      .set({ status: 'resolved', resolvedAt: at, lastSeenAt: at, triageDueAt: null })
      .where(and(eq(alerts.source, source), eq(alerts.fingerprint, fingerprint), OPEN))
      .returning();
    return row && toAlert(row);
  }

  async recordTriagePosted(id: number, ts: string, at: Date): Promise<StoredAlert | undefined> {
    const [row] = await this.db.update(alerts).set({ triageTs: ts, triageState: 'posted', triageShownAt: at }).where(eq(alerts.id, id)).returning();
    return row && toAlert(row);
  }

  async dueTriageUpdates(now: Date, limit: number): Promise<{ id: number; dueAt: Date }[]> {
    const rows = await this.db.select({ id: alerts.id, dueAt: alerts.triageDueAt }).from(alerts).where(lte(alerts.triageDueAt, now)).orderBy(asc(alerts.triageDueAt)).limit(limit);
    return rows.map((row) => ({ id: row.id, dueAt: row.dueAt! }));
  }

  async claimTriageUpdate(id: number, dueAt: Date, now: Date, until: Date): Promise<StoredAlert | undefined> {
    const [row] = await this.db
      .update(alerts)
      .set({ triageDueAt: until, triageShownAt: now })
      .where(and(eq(alerts.id, id), eq(alerts.triageDueAt, dueAt)))
      .returning();
    return row && toAlert(row);
  }

  async settleTriageUpdate(id: number, until: Date, shownCount: number): Promise<StoredAlert | undefined> {
    const [row] = await this.db
      .update(alerts)
      .set({
        triageDueAt: sql`case when ${alerts.triageDueAt} is null or ${alerts.triageDueAt} <> ${until.toISOString()}::timestamptz then ${alerts.triageDueAt}
                              when ${alerts.fireCount} = ${shownCount} then null
                              else ${alerts.triageShownAt} + ${TRIAGE_UPDATE_EVERY_MS} * interval '1 millisecond' end`,
      })
      .where(eq(alerts.id, id))
      .returning();
    return row && toAlert(row);
  }

  async recordTriageFailed(id: number): Promise<void> {
    await this.db.update(alerts).set({ triageState: 'failed' }).where(and(eq(alerts.id, id), isNull(alerts.triageTs)));
  }

  async claimTriageRetry(id: number): Promise<boolean> {
    return (await this.db.update(alerts).set({ triageState: 'posting' }).where(and(eq(alerts.id, id), eq(alerts.triageState, 'failed')))).rowCount! > 0;
  }

  async linkIncident(id: number, incidentId: number, declaredBy: string | null): Promise<StoredAlert | undefined> {
    const [row] = await this.db.update(alerts).set({ incidentId, declaredBy }).where(and(eq(alerts.id, id), isNull(alerts.incidentId))).returning();
    return row && toAlert(row);
  }

  async dismiss(id: number, userId: string): Promise<StoredAlert | undefined> {
    const [row] = await this.db
      .update(alerts)
      .set({ dismissedBy: userId })
      .where(and(eq(alerts.id, id), isNull(alerts.dismissedBy), isNull(alerts.incidentId)))
      .returning();
    return row && toAlert(row);
  }

  async find(id: number): Promise<StoredAlert | undefined> {
    const [row] = await this.db.select().from(alerts).where(eq(alerts.id, id));
    return row && toAlert(row);
  }

  async linkedTo(incidentId: number): Promise<StoredAlert[]> {
    return (await this.db.select().from(alerts).where(eq(alerts.incidentId, incidentId)).orderBy(asc(alerts.id))).map(toAlert);
  }
}
