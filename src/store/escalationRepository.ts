import { and, eq, inArray, isNull, lte, lt, or } from 'drizzle-orm';
import type { Db } from './db.js';
import type { NewTimelineEntry } from './incidentRepository.js';
import { escalations, timelineEntries } from './schema.js';

export interface ClaimedEscalation {
  /** Set when an earlier claimant started paging and never finished (a crash). */
  pendingKey: string | null;
  pendingSince: Date | null;
}

/** Which rungs of each incident's ladder were paged, and the leases that make each page go out once. */
export class EscalationRepository {
  constructor(private readonly db: Db) {}

  /**
   * The rungs not to page now, by incident: paged already, being paged by a live process, or
   * waiting to retry after Slack failed; and the holders of leases found dead, which may be taken
   * over. One query per pass, for the open incidents only: rungs of resolved incidents pile up and
   * are never paged again.
   */
  scan(
    incidentIds: readonly number[],
    now: Date,
    leaseIsLive: (owner: string | null, until: Date | null, now: Date) => boolean,
  ): { unavailable: Map<number, Set<string>>; deadOwners: string[] } {
    const rows = incidentIds.length === 0 ? [] : this.db.select().from(escalations).where(inArray(escalations.incidentId, [...incidentIds])).all();
    const byIncident = new Map<number, Set<string>>();
    const deadOwners = new Set<string>();
    for (const row of rows) {
      const live = leaseIsLive(row.leaseOwner, row.leaseUntil, now);
      if (row.pagedAt === null && !live && row.leaseOwner && row.leaseUntil && row.leaseUntil > now) deadOwners.add(row.leaseOwner);
      const busy = row.pagedAt !== null || live || (row.notBefore !== null && row.notBefore > now);
      if (!busy) continue;
      const tiers = byIncident.get(row.incidentId) ?? new Set<string>();
      tiers.add(row.tier);
      byIncident.set(row.incidentId, tiers);
    }
    return { unavailable: byIncident, deadOwners: [...deadOwners] };
  }

  /** Paged rungs in the order they went out: what the post-mortem and /incident status show. */
  pagedTiers(incidentId: number): { tier: string; pagedAt: Date }[] {
    return this.db
      .select({ tier: escalations.tier, pagedAt: escalations.pagedAt })
      .from(escalations)
      .where(eq(escalations.incidentId, incidentId))
      .orderBy(escalations.pagedAt)
      .all()
      .flatMap((row) => (row.pagedAt ? [{ tier: row.tier, pagedAt: row.pagedAt }] : []));
  }

  /**
   * Takes the lease on a rung if it is not paged, not leased (or leased by a holder known to be
   * gone) and not waiting: one UPDATE, so one process wins.
   */
  claim(incidentId: number, tier: string, owner: string, now: Date, leaseMs: number, deadOwners: readonly string[]): ClaimedEscalation | undefined {
    this.db.insert(escalations).values({ incidentId, tier }).onConflictDoNothing().run();
    const row = this.db
      .update(escalations)
      .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(
        and(
          this.rung(incidentId, tier),
          isNull(escalations.pagedAt),
          or(isNull(escalations.leaseUntil), lt(escalations.leaseUntil, now), deadOwners.length > 0 ? inArray(escalations.leaseOwner, [...deadOwners]) : undefined),
          or(isNull(escalations.notBefore), lte(escalations.notBefore, now)),
        ),
      )
      .returning()
      .get();
    return row && { pendingKey: row.pendingKey, pendingSince: row.pendingSince };
  }

  markPending(incidentId: number, tier: string, owner: string, key: string, at: Date): void {
    this.db.update(escalations).set({ pendingKey: key, pendingSince: at }).where(this.held(incidentId, tier, owner)).run();
  }

  /** The page went out: recorded with its timeline entry in one transaction, once. */
  markPaged(incidentId: number, tier: string, owner: string, at: Date, entry: NewTimelineEntry): void {
    this.db.transaction((tx) => {
      const changed = tx
        .update(escalations)
        .set({ pagedAt: at, leaseOwner: null, leaseUntil: null, pendingKey: null, pendingSince: null })
        .where(and(this.held(incidentId, tier, owner), isNull(escalations.pagedAt)))
        .run().changes;
      if (changed > 0) tx.insert(timelineEntries).values({ incidentId, ...entry }).run();
    });
  }

  /** Slack failed: page again not before `retryAt`. */
  release(incidentId: number, tier: string, owner: string, retryAt: Date): void {
    this.db
      .update(escalations)
      .set({ leaseOwner: null, leaseUntil: null, pendingKey: null, pendingSince: null, notBefore: retryAt })
      .where(this.held(incidentId, tier, owner))
      .run();
  }

  private rung(incidentId: number, tier: string) {
    return and(eq(escalations.incidentId, incidentId), eq(escalations.tier, tier));
  }

  private held(incidentId: number, tier: string, owner: string) {
    return and(this.rung(incidentId, tier), eq(escalations.leaseOwner, owner));
  }
}
