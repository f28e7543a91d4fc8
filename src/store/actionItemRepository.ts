import { and, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { actionItems, timelineEntries } from './schema.js';

export interface ActionItem {
  id: number;
  incidentId: number;
  text: string;
  ownerId: string | null;
  dueOn: string | null;
  status: 'open' | 'done';
  createdBy: string;
  createdAt: Date;
  doneBy: string | null;
  doneAt: Date | null;
}

/** Follow-up actions of an incident; each change is written to the timeline in the same transaction. */
export class ActionItemRepository {
  constructor(private readonly db: Db) {}

  add(item: { incidentId: number; text: string; ownerId: string | null; dueOn: string | null; createdBy: string; createdAt: Date }, entryText: string): ActionItem {
    return this.db.transaction((tx) => {
      const row = tx
        .insert(actionItems)
        .values({ ...item, status: 'open' })
        .returning()
        .get();
      tx.insert(timelineEntries)
        .values({ incidentId: item.incidentId, at: item.createdAt, actorId: item.createdBy, kind: 'action_added', text: entryText, data: { actionId: row.id, ownerId: item.ownerId, dueOn: item.dueOn } })
        .run();
      return row;
    });
  }

  /** Marks an action done; undefined when it does not exist or was already done (a double click). */
  complete(id: number, doneBy: string, at: Date): ActionItem | undefined {
    return this.db.transaction((tx) => {
      const row = tx
        .update(actionItems)
        .set({ status: 'done', doneBy, doneAt: at })
        .where(and(eq(actionItems.id, id), eq(actionItems.status, 'open')))
        .returning()
        .get();
      if (!row) return undefined;
      tx.insert(timelineEntries)
        .values({ incidentId: row.incidentId, at, actorId: doneBy, kind: 'action_done', text: `Action done: ${row.text}`, data: { actionId: row.id } })
        .run();
      return row;
    });
  }

  find(id: number): ActionItem | undefined {
    return this.db.select().from(actionItems).where(eq(actionItems.id, id)).get();
  }

  listFor(incidentId: number): ActionItem[] {
    return this.db.select().from(actionItems).where(eq(actionItems.incidentId, incidentId)).orderBy(actionItems.id).all();
  }
}
