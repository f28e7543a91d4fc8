import { lt } from 'drizzle-orm';
import type { HandledRequests } from '../../ports.js';
import type { PgDb as Db } from './db.js';
import { handledRequests } from './schema.js';

import { HANDLED_REQUEST_RETENTION_MS, PRUNE_INTERVAL_MS } from '../retention.js';

/**
 * The requests from Slack the bot has acted on, in the database so that a retry reaching a
 * restarted bot, or another process sharing the database, is recognised.
 */
export class HandledRequestRepository implements HandledRequests {
  private lastPrunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly db: Db) {}

  /**
   * Records that the request `key` is being acted on; false when it already was (a retry), by this
   * process or any other. The insert is the claim: of two processes given the same retry at once,
   * one gets true.
   */
  async firstTime(key: string, at: Date): Promise<boolean> {
    return this.record(this.db, key, at);
  }

  /** firstTime on `db`: also inside the work journal's transaction (`startFirstDelivery`). */
  async record(db: Pick<Db, 'delete' | 'insert'>, key: string, at: Date): Promise<boolean> {
    if (at.getTime() - this.lastPrunedAt >= PRUNE_INTERVAL_MS) {
      await db.delete(handledRequests).where(lt(handledRequests.handledAt, new Date(at.getTime() - HANDLED_REQUEST_RETENTION_MS)));
      this.lastPrunedAt = at.getTime();
    }
    return (await db.insert(handledRequests).values({ key, handledAt: at }).onConflictDoNothing()).rowCount! > 0;
  }
}
