import { lt, sql } from 'drizzle-orm';
import type { HandledRequests } from '../../ports.js';
import type { Db } from './db.js';
import { handledRequests } from './schema.js';
import { HANDLED_REQUEST_RETENTION_MS, PRUNE_INTERVAL_MS } from '../retention.js';

/**
 * The requests from Slack the bot has acted on, in the database so that a retry reaching a
 * restarted bot, or another process sharing the database, is recognised.
 */
export class HandledRequestRepository implements HandledRequests {
  private readonly insert;
  private readonly deleteBefore;
  private lastPrunedAt = Number.NEGATIVE_INFINITY;

  constructor(db: Db) {
    this.insert = db
      .insert(handledRequests)
      .values({ key: sql.placeholder('key'), handledAt: sql.placeholder('handledAt') })
      .onConflictDoNothing()
      .prepare();
    this.deleteBefore = db.delete(handledRequests).where(lt(handledRequests.handledAt, sql.placeholder('cutoff'))).prepare();
  }

  /**
   * Records that the request `key` is being acted on; false when it already was (a retry), by this
   * process or any other. The insert is the claim: of two processes given the same retry at once,
   * one gets true.
   */
  async firstTime(key: string, at: Date): Promise<boolean> {
    return this.record(key, at);
  }

  /** firstTime, synchronous: also run inside the work journal's transaction (`startFirstDelivery`). */
  record(key: string, at: Date): boolean {
    if (at.getTime() - this.lastPrunedAt >= PRUNE_INTERVAL_MS) {
      // A placeholder in a condition is bound as given, unlike one in values(): milliseconds, as stored.
      this.deleteBefore.run({ cutoff: at.getTime() - HANDLED_REQUEST_RETENTION_MS });
      this.lastPrunedAt = at.getTime();
    }
    return this.insert.run({ key, handledAt: at }).changes > 0;
  }
}
