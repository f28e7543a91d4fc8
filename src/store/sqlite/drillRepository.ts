import { and, asc, count, eq, isNotNull, isNull, lte, ne } from 'drizzle-orm';
import type { DrillRecords, DueDrillStep } from '../../ports.js';
import type { Db } from './db.js';
import { NO_LEASE } from '../leaseConditions.js';
import { drillSteps, incidents, workInProgress } from './schema.js';

/** Drills' scripts, and removing a drill. Leases on script messages are in `leases.ts`. */
export class DrillRepository implements DrillRecords {
  constructor(private readonly db: Db) {}

  async dueSteps(now: Date): Promise<DueDrillStep[]> {
    return this.db
      .select({ incidentId: drillSteps.incidentId, step: drillSteps.step, dueAt: drillSteps.dueAt, speaker: drillSteps.speaker, text: drillSteps.text })
      .from(drillSteps)
      .innerJoin(incidents, eq(incidents.id, drillSteps.incidentId))
      .where(and(isNull(drillSteps.postedAt), lte(drillSteps.dueAt, now), eq(incidents.phase, 'live'), ne(incidents.status, 'resolved')))
      .orderBy(asc(drillSteps.dueAt), asc(drillSteps.incidentId), asc(drillSteps.step))
      .all();
  }

  async markPosted(incidentId: number, step: number, owner: string, at: Date): Promise<void> {
    this.db
      .update(drillSteps)
      .set({ ...NO_LEASE, postedAt: at })
      .where(and(eq(drillSteps.incidentId, incidentId), eq(drillSteps.step, step), eq(drillSteps.leaseOwner, owner)))
      .run();
  }

  async progress(incidentId: number): Promise<{ posted: number; total: number }> {
    const [total] = this.db.select({ n: count() }).from(drillSteps).where(eq(drillSteps.incidentId, incidentId)).all();
    const [posted] = this.db.select({ n: count() }).from(drillSteps).where(and(eq(drillSteps.incidentId, incidentId), isNotNull(drillSteps.postedAt))).all();
    return { posted: posted?.n ?? 0, total: total?.n ?? 0 };
  }

  /**
   * Every table that records something about an incident references it with ON DELETE CASCADE
   * (foreign keys are on for every connection, see db.ts), so deleting the row removes it all. The
   * work journal names incidents without a reference: its entries for the drill go with it.
   */
  async remove(incidentId: number): Promise<boolean> {
    return this.db.transaction((tx) => {
      const removed = tx
        .delete(incidents)
        .where(and(eq(incidents.id, incidentId), isNotNull(incidents.drillScenario)))
        .returning({ id: incidents.id })
        .get();
      if (!removed) return false;
      tx.delete(workInProgress).where(eq(workInProgress.incidentId, incidentId)).run();
      return true;
    });
  }
}
