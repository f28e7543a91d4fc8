import { and, asc, desc, eq, gte, isNotNull, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { LiveIncident } from '../../domain/incident.js';
import type { AppHomeRecords, HomeIncidents } from '../../ports.js';
import { toLiveIncident } from '../rows.js';
import type { PgDb as Db } from './db.js';
import { appHomeViewers, incidents } from './schema.js';

/** A real incident that went live: what Home shows (drills and aborted declarations are left out). */
const shown = and(eq(incidents.phase, 'live'), isNull(incidents.drillScenario));

/** The columns the statistics read (`MeasuredIncident`). */
const MEASURED = {
  severity: incidents.severity,
  declaredAt: incidents.declaredAt,
  acknowledgedAt: incidents.acknowledgedAt,
  resolvedAt: incidents.resolvedAt,
  drillScenario: incidents.drillScenario,
};

/** The PostgreSQL Home tab records: see `AppHomeRecords` in src/ports.ts. */
export class AppHomeRepository implements AppHomeRecords {
  constructor(private readonly db: Db) {}

  async recordOpened(userId: string, at: Date): Promise<void> {
    await this.db.insert(appHomeViewers).values({ userId, openedAt: at }).onConflictDoNothing();
  }

  async markStale(publishAt: Date): Promise<void> {
    await this.db
      .update(appHomeViewers)
      .set({ version: sql`${appHomeViewers.version} + 1`, publishDueAt: sql`coalesce(${appHomeViewers.publishDueAt}, ${publishAt.toISOString()}::timestamptz)` });
  }

  async dueViewers(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ userId: appHomeViewers.userId })
      .from(appHomeViewers)
      .where(lte(appHomeViewers.publishDueAt, now))
      .orderBy(asc(appHomeViewers.publishDueAt))
      .limit(limit);
    return rows.map((row) => row.userId);
  }

  async claimPublish(userId: string): Promise<number | undefined> {
    const [claimed] = await this.db
      .update(appHomeViewers)
      .set({ publishedVersion: sql`${appHomeViewers.version}`, publishDueAt: null })
      .where(and(eq(appHomeViewers.userId, userId), or(isNull(appHomeViewers.publishedVersion), ne(appHomeViewers.publishedVersion, appHomeViewers.version))))
      .returning({ version: appHomeViewers.version });
    return claimed?.version;
  }

  async publishFailed(userId: string, version: number): Promise<void> {
    await this.db
      .update(appHomeViewers)
      .set({ publishedVersion: null })
      .where(and(eq(appHomeViewers.userId, userId), eq(appHomeViewers.publishedVersion, version)));
  }

  async incidentsForHome(since: Date, resolvedLimit: number): Promise<HomeIncidents> {
    const select = () => this.db.select().from(incidents);
    const live = (rows: Parameters<typeof toLiveIncident>[0][]): LiveIncident[] => rows.map(toLiveIncident);
    const [open, recentlyResolved, declaredSince] = await Promise.all([
      select().where(and(shown, ne(incidents.status, 'resolved'))).orderBy(desc(incidents.declaredAt), desc(incidents.id)),
      select().where(and(shown, eq(incidents.status, 'resolved'), isNotNull(incidents.resolvedAt))).orderBy(desc(incidents.resolvedAt), desc(incidents.id)).limit(resolvedLimit),
      this.db.select(MEASURED).from(incidents).where(and(shown, gte(incidents.declaredAt, since))),
    ]);
    return { open: live(open), recentlyResolved: live(recentlyResolved), declaredSince };
  }
}
