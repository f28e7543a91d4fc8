import { and, asc, eq, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { OutboxRow, OutboxSend } from '../../domain/outbox.js';
import type { OutboxRecords, OutboxSettlement } from '../../ports.js';
import { toOutboxRow } from '../rows.js';
import type { Db } from './db.js';
import { outbox, timelineEntries } from './schema.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Writes a change's outbox rows inside the change's own transaction; a send already stored (same destination and event) stays as it is. */
export function insertSends(tx: Tx, incidentId: number, sends: readonly OutboxSend[] | undefined, at: Date, entryId: number | null): void {
  for (const send of sends ?? []) {
    tx.insert(outbox)
      .values({ ...send, incidentId, entryId, createdAt: at, nextAttemptAt: at })
      .onConflictDoNothing()
      .run();
  }
}

/** The SQLite outbox: see `OutboxRecords` in src/ports.ts. */
export class OutboxRepository implements OutboxRecords {
  /** Prepared once: it runs every tick, and building it is most of what an idle tick costs. */
  private readonly dueRows;

  constructor(private readonly db: Db) {
    const earlier = alias(outbox, 'earlier');
    this.dueRows = db
      .select()
      .from(outbox)
      .where(
        and(
          // Bound as epoch milliseconds, the column's storage: a placeholder skips the column's own conversion.
          lte(outbox.nextAttemptAt, sql.placeholder('now')),
          eq(outbox.state, 'pending'),
          notExists(
            db
              .select({ one: sql`1` })
              .from(earlier)
              .where(and(eq(earlier.incidentId, outbox.incidentId), eq(earlier.destination, outbox.destination), eq(earlier.state, 'pending'), lt(earlier.id, outbox.id))),
          ),
        ),
      )
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(sql.placeholder('limit'))
      .prepare();
  }

  async due(now: Date, limit: number): Promise<OutboxRow[]> {
    return this.dueRows.all({ now: now.getTime(), limit }).map(toOutboxRow);
  }

  async claim(row: Pick<OutboxRow, 'id' | 'nextAttemptAt'>, owner: string, until: Date): Promise<OutboxRow | undefined> {
    if (!row.nextAttemptAt) return undefined;
    const claimed = this.db
      .update(outbox)
      .set({ nextAttemptAt: until, claimedBy: owner, attempts: sql`${outbox.attempts} + 1` })
      .where(and(eq(outbox.id, row.id), eq(outbox.state, 'pending'), eq(outbox.nextAttemptAt, row.nextAttemptAt)))
      .returning()
      .get();
    return claimed && toOutboxRow(claimed);
  }

  async settle(claimed: Pick<OutboxRow, 'id' | 'incidentId' | 'attempts'>, owner: string, settlement: OutboxSettlement): Promise<boolean> {
    return this.db.transaction((tx) => {
      const written = tx
        .update(outbox)
        .set({
          state: settlement.state,
          nextAttemptAt: settlement.nextAttemptAt,
          lastError: settlement.lastError,
          reported: settlement.reported,
          settledAt: settlement.at,
        })
        .where(and(eq(outbox.id, claimed.id), eq(outbox.state, 'pending'), eq(outbox.claimedBy, owner), eq(outbox.attempts, claimed.attempts)))
        .run();
      if (written.changes === 0) return false;
      if (settlement.entry) tx.insert(timelineEntries).values({ incidentId: claimed.incidentId, ...settlement.entry }).run();
      return true;
    });
  }

  async listFor(incidentId: number): Promise<OutboxRow[]> {
    return this.db.select().from(outbox).where(eq(outbox.incidentId, incidentId)).orderBy(asc(outbox.id)).all().map(toOutboxRow);
  }
}
