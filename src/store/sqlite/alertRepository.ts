import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { TRIAGE_UPDATE_EVERY_MS, type AlertSource, type ReceivedAlert, type StoredAlert } from '../../domain/alert.js';
import type { AlertRecords } from '../../ports.js';
import { toAlert } from '../rows.js';
import type { Db } from './db.js';
import { alerts } from './schema.js';

const OPEN = sql`${alerts.status} = 'firing'`;

/**
 * A repeat is shown at once when the posted message last showed the count `@every` ms ago or more;
 * else the message is owed an update `@every` after it was last shown. Every column the SET reads
 * is the row's value before this repeat.
 */
const SHOW_NOW = `alerts.triage_ts is not null and (alerts.triage_shown_at is null or alerts.triage_shown_at <= excluded.last_seen_at - @every)`;

/** `recordFiring`, prepared once: every alert request runs it, most of them repeats. */
const RECORD_FIRING = `
  insert into alerts (source, fingerprint, status, name, summary, description, labels, annotations, links, first_seen_at, last_seen_at)
  values (@source, @fingerprint, 'firing', @name, @summary, @description, @labels, @annotations, @links, @at, @at)
  on conflict (source, fingerprint) where status = 'firing' do update set
    name = excluded.name, summary = excluded.summary, description = excluded.description,
    labels = excluded.labels, annotations = excluded.annotations, links = excluded.links,
    last_seen_at = excluded.last_seen_at, fire_count = alerts.fire_count + 1,
    triage_shown_at = case when ${SHOW_NOW} then excluded.last_seen_at else alerts.triage_shown_at end,
    triage_due_at = case when ${SHOW_NOW} then null else coalesce(alerts.triage_due_at, alerts.triage_shown_at + @every) end
  returning *`;

/** An alerts row as SQLite returns it to a statement written by hand. */
interface RawAlertRow {
  id: number;
  source: StoredAlert['source'];
  fingerprint: string;
  status: StoredAlert['status'];
  name: string;
  summary: string | null;
  description: string | null;
  labels: string;
  annotations: string;
  links: string;
  first_seen_at: number;
  last_seen_at: number;
  fire_count: number;
  resolved_at: number | null;
  triage_ts: string | null;
  triage_state: StoredAlert['triageState'];
  incident_id: number | null;
  declared_by: string | null;
  dismissed_by: string | null;
  triage_shown_at: number | null;
}

const fromRaw = (row: RawAlertRow): StoredAlert =>
  toAlert({
    id: row.id,
    source: row.source,
    fingerprint: row.fingerprint,
    status: row.status,
    name: row.name,
    summary: row.summary,
    description: row.description,
    labels: JSON.parse(row.labels) as Record<string, string>,
    annotations: JSON.parse(row.annotations) as Record<string, string>,
    links: JSON.parse(row.links) as StoredAlert['links'],
    firstSeenAt: new Date(row.first_seen_at),
    lastSeenAt: new Date(row.last_seen_at),
    fireCount: row.fire_count,
    resolvedAt: row.resolved_at === null ? null : new Date(row.resolved_at),
    triageTs: row.triage_ts,
    triageState: row.triage_state,
    incidentId: row.incident_id,
    declaredBy: row.declared_by,
    dismissedBy: row.dismissed_by,
  });

/** Alerts from monitoring on SQLite: every write is one statement. */
export class AlertRepository implements AlertRecords {
  private readonly recordFiringStatement;

  constructor(private readonly db: Db) {
    this.recordFiringStatement = db.$client.prepare<Record<string, string | number | null>, RawAlertRow>(RECORD_FIRING);
  }

  async recordFiring(alert: ReceivedAlert, at: Date): Promise<{ alert: StoredAlert; created: boolean; showNow: boolean }> {
    const row = this.recordFiringStatement.get({
      source: alert.source,
      fingerprint: alert.fingerprint,
      name: alert.name,
      summary: alert.summary ?? null,
      description: alert.description ?? null,
      labels: JSON.stringify(alert.labels),
      annotations: JSON.stringify(alert.annotations),
      links: JSON.stringify(alert.links),
      at: at.getTime(),
      every: TRIAGE_UPDATE_EVERY_MS,
    })!;
    // Only the insert leaves the count at one: the upsert is the claim.
    const created = row.fire_count === 1;
    return { alert: fromRaw(row), created, showNow: !created && row.triage_shown_at === at.getTime() };
  }

  async recordResolved(source: AlertSource, fingerprint: string, at: Date): Promise<StoredAlert | undefined> {
    const row = this.db
      .update(alerts)
      .set({ status: 'resolved', resolvedAt: at, lastSeenAt: at, triageDueAt: null })
      .where(and(eq(alerts.source, source), eq(alerts.fingerprint, fingerprint), OPEN))
      .returning()
      .get();
    return row && toAlert(row);
  }

  async recordTriagePosted(id: number, ts: string, at: Date): Promise<StoredAlert | undefined> {
    const row = this.db.update(alerts).set({ triageTs: ts, triageState: 'posted', triageShownAt: at }).where(eq(alerts.id, id)).returning().get();
    return row && toAlert(row);
  }

  async dueTriageUpdates(now: Date, limit: number): Promise<{ id: number; dueAt: Date }[]> {
    const rows = this.db.select({ id: alerts.id, dueAt: alerts.triageDueAt }).from(alerts).where(lte(alerts.triageDueAt, now)).orderBy(asc(alerts.triageDueAt)).limit(limit).all();
    return rows.map((row) => ({ id: row.id, dueAt: row.dueAt! }));
  }

  async claimTriageUpdate(id: number, dueAt: Date, now: Date, until: Date): Promise<StoredAlert | undefined> {
    const row = this.db
      .update(alerts)
      .set({ triageDueAt: until, triageShownAt: now })
      .where(and(eq(alerts.id, id), eq(alerts.triageDueAt, dueAt)))
      .returning()
      .get();
    return row && toAlert(row);
  }

  async settleTriageUpdate(id: number, until: Date, shownCount: number): Promise<StoredAlert | undefined> {
    const row = this.db
      .update(alerts)
      .set({
        triageDueAt: sql`case when ${alerts.triageDueAt} is null or ${alerts.triageDueAt} <> ${until.getTime()} then ${alerts.triageDueAt}
                              when ${alerts.fireCount} = ${shownCount} then null
                              else ${alerts.triageShownAt} + ${TRIAGE_UPDATE_EVERY_MS} end`,
      })
      .where(eq(alerts.id, id))
      .returning()
      .get();
    return row && toAlert(row);
  }

  async recordTriageFailed(id: number): Promise<void> {
    this.db.update(alerts).set({ triageState: 'failed' }).where(and(eq(alerts.id, id), isNull(alerts.triageTs))).run();
  }

  async claimTriageRetry(id: number): Promise<boolean> {
    return this.db.update(alerts).set({ triageState: 'posting' }).where(and(eq(alerts.id, id), eq(alerts.triageState, 'failed'))).run().changes > 0;
  }

  async linkIncident(id: number, incidentId: number, declaredBy: string | null): Promise<StoredAlert | undefined> {
    const row = this.db.update(alerts).set({ incidentId, declaredBy }).where(and(eq(alerts.id, id), isNull(alerts.incidentId))).returning().get();
    return row && toAlert(row);
  }

  async dismiss(id: number, userId: string): Promise<StoredAlert | undefined> {
    const row = this.db
      .update(alerts)
      .set({ dismissedBy: userId })
      .where(and(eq(alerts.id, id), isNull(alerts.dismissedBy), isNull(alerts.incidentId)))
      .returning()
      .get();
    return row && toAlert(row);
  }

  async find(id: number): Promise<StoredAlert | undefined> {
    const row = this.db.select().from(alerts).where(eq(alerts.id, id)).get();
    return row && toAlert(row);
  }

  async linkedTo(incidentId: number): Promise<StoredAlert[]> {
    return this.db.select().from(alerts).where(eq(alerts.incidentId, incidentId)).orderBy(asc(alerts.id)).all().map(toAlert);
  }
}
