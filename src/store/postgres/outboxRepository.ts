import { and, asc, eq, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { OutboxRow, OutboxSend } from '../../domain/outbox.js';
import type { OutboxRecords, OutboxSettlement } from '../../ports.js';
import { toOutboxRow } from '../rows.js';
import type { PgDb as Db } from './db.js';
import { outbox, timelineEntries } from './schema.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Writes a change's outbox rows inside the change's own transaction; a send already stored (same destination and event) stays as it is. */
export async function insertSends(tx: Tx, incidentId: number, sends: readonly OutboxSend[] | undefined, at: Date, entryId: number | null): Promise<void> {
  if (!sends || sends.length === 0) return;
  await tx
    .insert(outbox)
    .values(sends.map((send) => ({ ...send, incidentId, entryId, createdAt: at, nextAttemptAt: at })))
    .onConflictDoNothing();
}

/** The PostgreSQL outbox: see `OutboxRecords` in src/ports.ts. */
export class OutboxRepository implements OutboxRecords {
  constructor(private readonly db: Db) {}

  async due(now: Date, limit: number): Promise<OutboxRow[]> {
    const earlier = alias(outbox, 'earlier');
    const rows = await this.db
      .select()
      .from(outbox)
      .where(
        and(
          lte(outbox.nextAttemptAt, now),
          eq(outbox.state, 'pending'),
          notExists(
            this.db
              .select({ one: sql`1` })
              .from(earlier)
              .where(and(eq(earlier.incidentId, outbox.incidentId), eq(earlier.destination, outbox.destination), eq(earlier.state, 'pending'), lt(earlier.id, outbox.id))),
          ),
        ),
      )
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(limit);
    return rows.map(toOutboxRow);
  }

  async claim(row: Pick<OutboxRow, 'id' | 'nextAttemptAt'>, owner: string, until: Date): Promise<OutboxRow | undefined> {
    if (!row.nextAttemptAt) return undefined;
    const [claimed] = await this.db
      .update(outbox)
      .set({ nextAttemptAt: until, claimedBy: owner, attempts: sql`${outbox.attempts} + 1` })
      .where(and(eq(outbox.id, row.id), eq(outbox.state, 'pending'), eq(outbox.nextAttemptAt, row.nextAttemptAt)))
      .returning();
    return claimed && toOutboxRow(claimed);
  }

  async settle(claimed: Pick<OutboxRow, 'id' | 'incidentId' | 'attempts'>, owner: string, settlement: OutboxSettlement): Promise<boolean> {
    return await this.db.transaction(async (tx) => {
      const written = await tx
        .update(outbox)
        .set({
          state: settlement.state,
          nextAttemptAt: settlement.nextAttemptAt,
          lastError: settlement.lastError,
          reported: settlement.reported,
          settledAt: settlement.at,
        })
        .where(and(eq(outbox.id, claimed.id), eq(outbox.state, 'pending'), eq(outbox.claimedBy, owner), eq(outbox.attempts, claimed.attempts)));
      if (!written.rowCount) return false;
      if (settlement.entry) await tx.insert(timelineEntries).values({ incidentId: claimed.incidentId, ...settlement.entry });
      return true;
    });
  }

  async listFor(incidentId: number): Promise<OutboxRow[]> {
    return (await this.db.select().from(outbox).where(eq(outbox.incidentId, incidentId)).orderBy(asc(outbox.id))).map(toOutboxRow);
  }
}
