import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import type { StoredWork, WorkEntry, WorkJournal } from '../../ports.js';
import { workInProgress } from './schema.js';
import { HandledRequestRepository } from './handledRequestRepository.js';

/** Acknowledged work in progress, so a crash mid-way is reported to the person who asked instead of lost in silence. */
export class SqliteWorkJournal implements WorkJournal {
  /** Prepared once: every acknowledged request starts and finishes an entry. */
  private readonly insert;
  private readonly deleteById;
  private readonly startOnce;

  constructor(
    private readonly db: Db,
    private readonly owner: string,
    /** The store's, so that its pruning is shared; a journal made on its own has its own. */
    private readonly handledRequests: HandledRequestRepository = new HandledRequestRepository(db),
  ) {
    this.insert = db
      .insert(workInProgress)
      .values({
        owner: sql.placeholder('owner'),
        what: sql.placeholder('what'),
        userId: sql.placeholder('userId'),
        channelId: sql.placeholder('channelId'),
        incidentId: sql.placeholder('incidentId'),
        responseUrl: sql.placeholder('responseUrl'),
        startedAt: sql.placeholder('startedAt'),
      })
      .returning({ id: workInProgress.id })
      .prepare();
    this.deleteById = db.delete(workInProgress).where(eq(workInProgress.id, sql.placeholder('id'))).prepare();
    // The driver's transaction, made once: drizzle's would build a new one on every call.
    this.startOnce = db.$client.transaction((requestKey: string, entry: WorkEntry, at: Date) =>
      this.handledRequests.record(requestKey, at) ? this.insertEntry(entry, at) : undefined,
    );
  }

  async start(entry: WorkEntry, at: Date): Promise<number> {
    return this.insertEntry(entry, at);
  }

  async startFirstDelivery(requestKey: string, entry: WorkEntry, at: Date): Promise<number | undefined> {
    return this.startOnce(requestKey, entry, at);
  }

  private insertEntry(entry: WorkEntry, at: Date): number {
    const row = this.insert.get({ owner: this.owner, what: entry.what, userId: entry.userId, channelId: entry.channelId ?? null, incidentId: entry.incidentId ?? null, responseUrl: entry.responseUrl ?? null, startedAt: at });
    return row!.id;
  }

  async finish(id: number): Promise<void> {
    this.deleteById.run({ id });
  }

  /** Entries of other processes: the caller decides which of them died. */
  async othersEntries(): Promise<StoredWork[]> {
    return this.db
      .select()
      .from(workInProgress)
      .all()
      .filter((row) => row.owner !== this.owner);
  }

  async claim(id: number, from: string): Promise<boolean> {
    return this.db.update(workInProgress).set({ owner: this.owner }).where(and(eq(workInProgress.id, id), eq(workInProgress.owner, from))).run().changes > 0;
  }
}
