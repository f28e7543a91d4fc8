import { eq, inArray } from 'drizzle-orm';
import type { OutboxSend } from '../../domain/outbox.js';
import type { PostmortemRecords } from '../../ports.js';
import { insertSends } from './outboxRepository.js';
import type { PgDb as Db } from './db.js';
import { people, postmortems } from './schema.js';

/** Post-mortem drafts, and the names they are written with. */
export class PostmortemRepository implements PostmortemRecords {
  constructor(private readonly db: Db) {}

  async saveDraft(incidentId: number, markdown: string, generatedAt: Date, fileId: string | null, sends?: readonly OutboxSend[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .insert(postmortems)
        .values({ incidentId, markdown, generatedAt, fileId })
        .onConflictDoUpdate({ target: postmortems.incidentId, set: { markdown, generatedAt, fileId } });
      await insertSends(tx, incidentId, sends, generatedAt, null);
    });
  }

  async draftOf(incidentId: number): Promise<{ markdown: string; generatedAt: Date; fileId: string | null } | undefined> {
    return (await this.db.select().from(postmortems).where(eq(postmortems.incidentId, incidentId)))[0];
  }

  /** Known names of these user ids; ids with no name stored are absent. */
  async namesOf(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = (await this.db.select().from(people).where(inArray(people.userId, [...userIds])));
    return new Map(rows.map((row) => [row.userId, row.name]));
  }

  async rememberName(userId: string, name: string, at: Date): Promise<void> {
    await this.db.insert(people).values({ userId, name, updatedAt: at }).onConflictDoUpdate({ target: people.userId, set: { name, updatedAt: at } });
  }
}
