import { eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { workInProgress } from './schema.js';

/** The journal's name for a declaration: at the next start, a declaration caught half-way is called off. */
export const DECLARE_WORK = 'declare';

export interface WorkEntry {
  what: string;
  userId: string;
  channelId?: string | null;
  incidentId?: number | null;
  responseUrl?: string | null;
}

export type StoredWork = Required<WorkEntry> & { id: number; owner: string; startedAt: Date };

/** Acknowledged work in progress, so a crash mid-way is reported to the person who asked instead of lost in silence. */
export class WorkJournal {
  constructor(
    private readonly db: Db,
    private readonly owner: string,
  ) {}

  start(entry: WorkEntry, at: Date): number {
    const row = this.db
      .insert(workInProgress)
      .values({ owner: this.owner, what: entry.what, userId: entry.userId, channelId: entry.channelId ?? null, incidentId: entry.incidentId ?? null, responseUrl: entry.responseUrl ?? null, startedAt: at })
      .returning({ id: workInProgress.id })
      .get();
    return row.id;
  }

  finish(id: number): void {
    this.db.delete(workInProgress).where(eq(workInProgress.id, id)).run();
  }

  /** Entries of other processes: the caller decides which of them died. */
  othersEntries(): StoredWork[] {
    return this.db
      .select()
      .from(workInProgress)
      .all()
      .filter((row) => row.owner !== this.owner);
  }
}

/**
 * Runs `work` with a journal entry around it; the entry goes when the work ends, however it ends.
 * `started` runs once the entry is written and before the work: where a listener acknowledges the
 * request, so that nothing the person was told is under way can be lost to a crash unreported.
 */
export async function journaled<T>(journal: WorkJournal, entry: WorkEntry, at: Date, work: () => Promise<T>, started: () => Promise<void> = async () => {}): Promise<T> {
  const id = journal.start(entry, at);
  try {
    await started();
    return await work();
  } finally {
    journal.finish(id);
  }
}
