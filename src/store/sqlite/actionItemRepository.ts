import { and, count, eq, inArray } from 'drizzle-orm';
import type { ActionItem, NewActionItem } from '../../domain/actionItem.js';
import type { ActionItemCounts, ActionItemRecords } from '../../ports.js';
import { actionCountsOf } from '../rows.js';
import { declaredSince } from './incidentRepository.js';
import type { Db } from './db.js';
import { actionItems, incidents, timelineEntries } from './schema.js';

/** Follow-up actions of an incident; each change is written to the timeline in the same transaction. */
export class ActionItemRepository implements ActionItemRecords {
  constructor(private readonly db: Db) {}

  async add(item: NewActionItem, entryText: string): Promise<ActionItem> {
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
  async complete(id: number, doneBy: string, at: Date): Promise<ActionItem | undefined> {
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

  async find(id: number): Promise<ActionItem | undefined> {
    return this.db.select().from(actionItems).where(eq(actionItems.id, id)).get();
  }

  async listFor(incidentId: number): Promise<ActionItem[]> {
    return this.db.select().from(actionItems).where(eq(actionItems.incidentId, incidentId)).orderBy(actionItems.id).all();
  }

  async countsDeclaredSince(since: Date): Promise<Map<number, ActionItemCounts>> {
    const rows = this.db
      .select({ incidentId: actionItems.incidentId, status: actionItems.status, count: count() })
      .from(actionItems)
      .where(inArray(actionItems.incidentId, this.db.select({ id: incidents.id }).from(incidents).where(declaredSince(since))))
      .groupBy(actionItems.incidentId, actionItems.status)
      .all();
    return actionCountsOf(rows);
  }
}
