import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { EscalationRecords, LeaseCheck, NewTimelineEntry } from '../../ports.js';
import { pagedRungsOf, unavailableRungsOf } from '../rows.js';
import type { PgDb as Db } from './db.js';
import { NO_LEASE } from '../leaseConditions.js';
import { escalations, timelineEntries } from './schema.js';

/** Which rungs of each incident's ladder were paged. Leases are in `leases.ts`. */
export class EscalationRepository implements EscalationRecords {
  /** Prepared once (named, so each connection parses it once): `/incident status` reads it before its answer. */
  private readonly pagedTiersOf;

  constructor(private readonly db: Db) {
    this.pagedTiersOf = db
      .select({ tier: escalations.tier, pagedAt: escalations.pagedAt })
      .from(escalations)
      .where(and(eq(escalations.incidentId, sql.placeholder('incidentId')), isNotNull(escalations.pagedAt)))
      .orderBy(escalations.pagedAt)
      .prepare('paged_tiers');
  }

  /**
   * One query per pass, for the open incidents only: rungs of resolved incidents pile up and are
   * never paged again.
   */
  async unavailableRungs(incidentIds: readonly number[], now: Date, leaseIsLive: LeaseCheck): Promise<Map<number, Set<string>>> {
    const rows = incidentIds.length === 0 ? [] : (await this.db.select().from(escalations).where(inArray(escalations.incidentId, [...incidentIds])));
    return unavailableRungsOf(rows, now, leaseIsLive);
  }

  async pagedRungs(): Promise<Map<number, Set<string>>> {
    return pagedRungsOf(await this.db.select().from(escalations).where(isNotNull(escalations.pagedAt)));
  }

  async pagedTiers(incidentId: number): Promise<{ tier: string; pagedAt: Date }[]> {
    return (await this.pagedTiersOf.execute({ incidentId }))
      .flatMap((row) => (row.pagedAt ? [{ tier: row.tier, pagedAt: row.pagedAt }] : []));
  }

  async markPaged(incidentId: number, tier: string, owner: string, at: Date, entry: NewTimelineEntry): Promise<boolean> {
    return await this.db.transaction(async (tx) => {
      const changed = (await tx
        .update(escalations)
        .set({ pagedAt: at, ...NO_LEASE })
        .where(and(eq(escalations.incidentId, incidentId), eq(escalations.tier, tier), eq(escalations.leaseOwner, owner), isNull(escalations.pagedAt)))
        ).rowCount!;
      if (changed > 0) (await tx.insert(timelineEntries).values({ incidentId, ...entry }));
      return changed > 0;
    });
  }
}
