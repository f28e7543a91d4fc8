import { and, eq } from 'drizzle-orm';
import type { PgDb as Db } from './db.js';
import type { StoredWork, WorkEntry, WorkJournal } from '../../ports.js';
import { workInProgress } from './schema.js';
import { HandledRequestRepository } from './handledRequestRepository.js';

/** Acknowledged work in progress, so a crash mid-way is reported to the person who asked instead of lost in silence. */
export class PostgresWorkJournal implements WorkJournal {
  constructor(
    private readonly db: Db,
    private readonly owner: string,
    /** The store's, so that its pruning is shared; a journal made on its own has its own. */
    private readonly handledRequests: HandledRequestRepository = new HandledRequestRepository(db),
  ) {}

  async start(entry: WorkEntry, at: Date): Promise<number> {
    return this.insertEntry(this.db, entry, at);
  }

  async startFirstDelivery(requestKey: string, entry: WorkEntry, at: Date): Promise<number | undefined> {
    // A second replica given the same request waits on the first's key, then finds it there.
    return this.db.transaction(async (tx) => ((await this.handledRequests.record(tx, requestKey, at)) ? this.insertEntry(tx, entry, at) : undefined));
  }

  private async insertEntry(db: Pick<Db, 'insert'>, entry: WorkEntry, at: Date): Promise<number> {
    const row = (await db
      .insert(workInProgress)
      .values({ owner: this.owner, what: entry.what, userId: entry.userId, channelId: entry.channelId ?? null, incidentId: entry.incidentId ?? null, responseUrl: entry.responseUrl ?? null, startedAt: at })
      .returning({ id: workInProgress.id })
      )[0];
    return row!.id;
  }

  async finish(id: number): Promise<void> {
    await this.db.delete(workInProgress).where(eq(workInProgress.id, id));
  }

  /** Entries of other processes: the caller decides which of them died. */
  async othersEntries(): Promise<StoredWork[]> {
    return (await this.db
      .select()
      .from(workInProgress)
      )
      .filter((row) => row.owner !== this.owner);
  }

  async claim(id: number, from: string): Promise<boolean> {
    return ((await this.db.update(workInProgress).set({ owner: this.owner }).where(and(eq(workInProgress.id, id), eq(workInProgress.owner, from)))).rowCount ?? 0) > 0;
  }
}
