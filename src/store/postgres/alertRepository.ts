import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { AlertSource, ReceivedAlert, StoredAlert } from '../../domain/alert.js';
import type { AlertRecords } from '../../ports.js';
import { toAlert } from '../rows.js';
import type { PgDb as Db } from './db.js';
import { alerts } from './schema.js';

const OPEN = sql`${alerts.status} = 'firing'`;

/** Alerts from monitoring on PostgreSQL: every write is one statement. */
export class AlertRepository implements AlertRecords {
  constructor(private readonly db: Db) {}

  async recordFiring(alert: ReceivedAlert, at: Date): Promise<{ alert: StoredAlert; created: boolean }> {
    const details = { name: alert.name, summary: alert.summary ?? null, description: alert.description ?? null, labels: alert.labels, annotations: alert.annotations, links: alert.links };
    const [row] = await this.db
      .insert(alerts)
      .values({ source: alert.source, fingerprint: alert.fingerprint, status: 'firing', ...details, firstSeenAt: at, lastSeenAt: at })
      .onConflictDoUpdate({
        target: [alerts.source, alerts.fingerprint],
        targetWhere: OPEN,
        set: { ...details, lastSeenAt: at, fireCount: sql`${alerts.fireCount} + 1` },
      })
      .returning();
    // Only the insert leaves the count at one: the upsert is the claim (a concurrent one waits, then counts).
    return { alert: toAlert(row!), created: row!.fireCount === 1 };
  }

  async recordResolved(source: AlertSource, fingerprint: string, at: Date): Promise<StoredAlert | undefined> {
    const [row] = await this.db
      .update(alerts)
      .set({ status: 'resolved', resolvedAt: at, lastSeenAt: at })
      .where(and(eq(alerts.source, source), eq(alerts.fingerprint, fingerprint), OPEN))
      .returning();
    return row && toAlert(row);
  }

  async recordTriagePosted(id: number, ts: string): Promise<StoredAlert | undefined> {
    const [row] = await this.db.update(alerts).set({ triageTs: ts, triageState: 'posted' }).where(eq(alerts.id, id)).returning();
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
