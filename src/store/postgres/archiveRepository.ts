import { and, eq, isNull } from 'drizzle-orm';
import type { ArchiveState } from '../../domain/archive.js';
import type { LiveIncident } from '../../domain/incident.js';
import type { ArchiveRecords, NewTimelineEntry } from '../../ports.js';
import { lookAgain } from '../dueTimes.js';
import { NO_LEASE } from '../leaseConditions.js';
import { toArchiveState, toLiveIncident } from '../rows.js';
import type { PgDb as Db } from './db.js';
import { channelArchives, incidents, timelineEntries } from './schema.js';

/** What the bot has done about resolved incidents' channels (see `ArchiveRecords`). */
export class ArchiveRepository implements ArchiveRecords {
  constructor(private readonly db: Db) {}

  async stateOf(incidentId: number): Promise<ArchiveState> {
    const [row] = await this.db.select().from(channelArchives).where(eq(channelArchives.incidentId, incidentId));
    return toArchiveState(row);
  }

  async notArchived(): Promise<{ incident: LiveIncident; state: ArchiveState }[]> {
    const rows = await this.db
      .select({ incident: incidents, archive: channelArchives })
      .from(incidents)
      .leftJoin(channelArchives, eq(channelArchives.incidentId, incidents.id))
      .where(and(eq(incidents.phase, 'live'), eq(incidents.status, 'resolved'), isNull(channelArchives.archivedAt)));
    return rows.map((row) => ({ incident: toLiveIncident(row.incident), state: toArchiveState(row.archive ?? undefined) }));
  }

  async markWarned(incidentId: number, owner: string, at: Date): Promise<void> {
    await this.db.update(channelArchives).set({ warnedAt: at, ...NO_LEASE }).where(this.held(incidentId, owner));
  }

  async markArchived(incidentId: number, owner: string, entry: NewTimelineEntry): Promise<boolean> {
    return this.endWith(incidentId, owner, { archivedAt: entry.at }, entry);
  }

  async giveUp(incidentId: number, owner: string, entry: NewTimelineEntry): Promise<boolean> {
    return this.endWith(incidentId, owner, { gaveUpAt: entry.at }, entry);
  }

  async keepOpen(incidentId: number, userId: string, entry: NewTimelineEntry): Promise<boolean> {
    return await this.db.transaction(async (tx) => {
      // The incident's row locked first, as every change does: a reopen or an archive cannot slip in between.
      const [incident] = await tx.select({ status: incidents.status }).from(incidents).where(eq(incidents.id, incidentId)).for('update');
      const [archive] = await tx.select({ archivedAt: channelArchives.archivedAt }).from(channelArchives).where(eq(channelArchives.incidentId, incidentId));
      if (incident?.status !== 'resolved' || archive?.archivedAt) return false;
      const kept = { keptOpenAt: entry.at, keptOpenBy: userId, warnedAt: null, notBefore: null };
      await tx.insert(channelArchives).values({ incidentId, ...kept }).onConflictDoUpdate({ target: channelArchives.incidentId, set: kept });
      await tx.insert(timelineEntries).values({ incidentId, ...entry });
      await tx.update(incidents).set(lookAgain(incidents.scheduleVersion)).where(eq(incidents.id, incidentId));
      return true;
    });
  }

  async forget(incidentId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(incidents).set(lookAgain(incidents.scheduleVersion)).where(eq(incidents.id, incidentId));
      await tx.delete(channelArchives).where(eq(channelArchives.incidentId, incidentId));
    });
  }

  /** Ends the archive step with its timeline entry, only while `owner` holds its lease. */
  private async endWith(incidentId: number, owner: string, set: { archivedAt: Date } | { gaveUpAt: Date }, entry: NewTimelineEntry): Promise<boolean> {
    return await this.db.transaction(async (tx) => {
      const ended = await tx.update(channelArchives).set({ ...set, ...NO_LEASE }).where(this.held(incidentId, owner)).returning({ incidentId: channelArchives.incidentId });
      if (ended.length === 0) return false;
      await tx.insert(timelineEntries).values({ incidentId, ...entry });
      return true;
    });
  }

  private held(incidentId: number, owner: string) {
    return and(eq(channelArchives.incidentId, incidentId), eq(channelArchives.leaseOwner, owner));
  }
}
