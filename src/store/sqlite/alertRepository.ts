import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { AlertSource, ReceivedAlert, StoredAlert } from '../../domain/alert.js';
import type { AlertRecords } from '../../ports.js';
import { toAlert } from '../rows.js';
import type { Db } from './db.js';
import { alerts } from './schema.js';

const OPEN = sql`${alerts.status} = 'firing'`;

/** Alerts from monitoring on SQLite: every write is one statement. */
export class AlertRepository implements AlertRecords {
  constructor(private readonly db: Db) {}

  async recordFiring(alert: ReceivedAlert, at: Date): Promise<{ alert: StoredAlert; created: boolean }> {
    const details = { name: alert.name, summary: alert.summary ?? null, description: alert.description ?? null, labels: alert.labels, annotations: alert.annotations, links: alert.links };
    const row = this.db
      .insert(alerts)
      .values({ source: alert.source, fingerprint: alert.fingerprint, status: 'firing', ...details, firstSeenAt: at, lastSeenAt: at })
      .onConflictDoUpdate({
        target: [alerts.source, alerts.fingerprint],
        targetWhere: OPEN,
        set: { ...details, lastSeenAt: at, fireCount: sql`${alerts.fireCount} + 1` },
      })
      .returning()
      .get();
    // Only the insert leaves the count at one: the upsert is the claim.
    return { alert: toAlert(row), created: row.fireCount === 1 };
  }

  async recordResolved(source: AlertSource, fingerprint: string, at: Date): Promise<StoredAlert | undefined> {
    const row = this.db
      .update(alerts)
      .set({ status: 'resolved', resolvedAt: at, lastSeenAt: at })
      .where(and(eq(alerts.source, source), eq(alerts.fingerprint, fingerprint), OPEN))
      .returning()
      .get();
    return row && toAlert(row);
  }

  async recordTriagePosted(id: number, ts: string): Promise<StoredAlert | undefined> {
    const row = this.db.update(alerts).set({ triageTs: ts, triageState: 'posted' }).where(eq(alerts.id, id)).returning().get();
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
