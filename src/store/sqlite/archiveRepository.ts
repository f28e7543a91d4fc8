import { and, eq, isNull } from 'drizzle-orm';
import type { ArchiveState } from '../../domain/archive.js';
import type { LiveIncident } from '../../domain/incident.js';
import type { ArchiveRecords, NewTimelineEntry } from '../../ports.js';
import { lookAgain } from '../dueTimes.js';
import { NO_LEASE } from '../leaseConditions.js';
import { toArchiveState, toLiveIncident } from '../rows.js';
import type { Db } from './db.js';
import { channelArchives, incidents, timelineEntries } from './schema.js';

/** What the bot has done about resolved incidents' channels (see `ArchiveRecords`). */
export class ArchiveRepository implements ArchiveRecords {
  constructor(private readonly db: Db) {}

  async stateOf(incidentId: number): Promise<ArchiveState> {
    return toArchiveState(this.db.select().from(channelArchives).where(eq(channelArchives.incidentId, incidentId)).get());
  }

  async notArchived(): Promise<{ incident: LiveIncident; state: ArchiveState }[]> {
    return this.db
      .select({ incident: incidents, archive: channelArchives })
      .from(incidents)
      .leftJoin(channelArchives, eq(channelArchives.incidentId, incidents.id))
      .where(and(eq(incidents.phase, 'live'), eq(incidents.status, 'resolved'), isNull(channelArchives.archivedAt)))
      .all()
      .map((row) => ({ incident: toLiveIncident(row.incident), state: toArchiveState(row.archive ?? undefined) }));
  }

  async markWarned(incidentId: number, owner: string, at: Date): Promise<void> {
    this.db.update(channelArchives).set({ warnedAt: at, ...NO_LEASE }).where(this.held(incidentId, owner)).run();
  }

  async markArchived(incidentId: number, owner: string, entry: NewTimelineEntry): Promise<boolean> {
    return this.endWith(incidentId, owner, { archivedAt: entry.at }, entry);
  }

  async giveUp(incidentId: number, owner: string, entry: NewTimelineEntry): Promise<boolean> {
    return this.endWith(incidentId, owner, { gaveUpAt: entry.at }, entry);
  }

  async keepOpen(incidentId: number, userId: string, entry: NewTimelineEntry): Promise<boolean> {
    return this.db.transaction(
      (tx) => {
        const incident = tx.select({ status: incidents.status }).from(incidents).where(eq(incidents.id, incidentId)).get();
        const archive = tx.select({ archivedAt: channelArchives.archivedAt }).from(channelArchives).where(eq(channelArchives.incidentId, incidentId)).get();
        if (incident?.status !== 'resolved' || archive?.archivedAt) return false;
        const kept = { keptOpenAt: entry.at, keptOpenBy: userId, warnedAt: null, notBefore: null };
        tx.insert(channelArchives).values({ incidentId, ...kept }).onConflictDoUpdate({ target: channelArchives.incidentId, set: kept }).run();
        tx.insert(timelineEntries).values({ incidentId, ...entry }).run();
        tx.update(incidents).set(lookAgain(incidents.scheduleVersion)).where(eq(incidents.id, incidentId)).run();
        return true;
      },
      { behavior: 'immediate' },
    );
  }

  async forget(incidentId: number): Promise<void> {
    this.db.transaction((tx) => {
      tx.delete(channelArchives).where(eq(channelArchives.incidentId, incidentId)).run();
      tx.update(incidents).set(lookAgain(incidents.scheduleVersion)).where(eq(incidents.id, incidentId)).run();
    });
  }

  /** Ends the archive step with its timeline entry, only while `owner` holds its lease. */
  private endWith(incidentId: number, owner: string, set: { archivedAt: Date } | { gaveUpAt: Date }, entry: NewTimelineEntry): boolean {
    return this.db.transaction((tx) => {
      if (tx.update(channelArchives).set({ ...set, ...NO_LEASE }).where(this.held(incidentId, owner)).run().changes === 0) return false;
      tx.insert(timelineEntries).values({ incidentId, ...entry }).run();
      return true;
    });
  }

  private held(incidentId: number, owner: string) {
    return and(eq(channelArchives.incidentId, incidentId), eq(channelArchives.leaseOwner, owner));
  }
}
