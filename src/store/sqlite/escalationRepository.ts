import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { EscalationRecords, LeaseCheck, NewTimelineEntry } from '../../ports.js';
import { pagedRungsOf, unavailableRungsOf } from '../rows.js';
import type { Db } from './db.js';
import { NO_LEASE } from '../leaseConditions.js';
import { escalations, timelineEntries } from './schema.js';

/** Which rungs of each incident's ladder were paged. Leases are in `leases.ts`. */
export class EscalationRepository implements EscalationRecords {
  /** Prepared once: `/incident status` reads it before its answer, and building the query was most of that answer's cost. */
  private readonly pagedTiersOf;

  constructor(private readonly db: Db) {
    this.pagedTiersOf = db
      .select({ tier: escalations.tier, pagedAt: escalations.pagedAt })
      .from(escalations)
      .where(and(eq(escalations.incidentId, sql.placeholder('incidentId')), isNotNull(escalations.pagedAt)))
      .orderBy(escalations.pagedAt)
      .prepare();
  }

  /**
   * One query per pass, for the open incidents only: rungs of resolved incidents pile up and are
   * never paged again.
   */
  async unavailableRungs(incidentIds: readonly number[], now: Date, leaseIsLive: LeaseCheck): Promise<Map<number, Set<string>>> {
    const rows = incidentIds.length === 0 ? [] : this.db.select().from(escalations).where(inArray(escalations.incidentId, [...incidentIds])).all();
    return unavailableRungsOf(rows, now, leaseIsLive);
  }

  async pagedRungs(): Promise<Map<number, Set<string>>> {
    return pagedRungsOf(this.db.select().from(escalations).where(isNotNull(escalations.pagedAt)).all());
  }

  async pagedTiers(incidentId: number): Promise<{ tier: string; pagedAt: Date }[]> {
    return this.pagedTiersOf
      .all({ incidentId })
      .flatMap((row) => (row.pagedAt ? [{ tier: row.tier, pagedAt: row.pagedAt }] : []));
  }

  async markPaged(incidentId: number, tier: string, owner: string, at: Date, entry: NewTimelineEntry): Promise<boolean> {
    return this.db.transaction((tx) => {
      const changed = tx
        .update(escalations)
        .set({ pagedAt: at, ...NO_LEASE })
        .where(and(eq(escalations.incidentId, incidentId), eq(escalations.tier, tier), eq(escalations.leaseOwner, owner), isNull(escalations.pagedAt)))
        .run().changes;
      if (changed > 0) tx.insert(timelineEntries).values({ incidentId, ...entry }).run();
      return changed > 0;
    });
  }
}
