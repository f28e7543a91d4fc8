import { eq, inArray, lt, sql } from 'drizzle-orm';
import type { Replicas } from '../../ports.js';
import type { PgDb as Db } from './db.js';
import { replicas } from './schema.js';

/** The processes sharing this database and their heartbeats (see `scheduler/replicas.ts`). */
export class ReplicaRepository implements Replicas {
  /** Prepared once: every process beats every two seconds. */
  private readonly heartbeat;

  constructor(private readonly db: Db) {
    this.heartbeat = db
      .insert(replicas)
      .values({ owner: sql.placeholder('owner'), host: sql.placeholder('host'), pid: sql.placeholder('pid'), startedAt: sql.placeholder('at'), heartbeatAt: sql.placeholder('at') })
      // The row's first beat stays its start; a later one moves only the heartbeat.
      .onConflictDoUpdate({ target: replicas.owner, set: { heartbeatAt: sql`excluded.heartbeat_at` } })
      .prepare('replica_heartbeat');
  }

  async beat(replica: { owner: string; host: string; pid: number }, at: Date): Promise<void> {
    await this.heartbeat.execute({ ...replica, at });
  }

  async silentSince(owners: readonly string[], since: Date): Promise<string[]> {
    if (owners.length === 0) return [];
    const rows = await this.db
      .select({ owner: replicas.owner, heartbeatAt: replicas.heartbeatAt })
      .from(replicas)
      .where(inArray(replicas.owner, [...owners]));
    const beating = new Set(rows.filter((row) => row.heartbeatAt >= since).map((row) => row.owner));
    return owners.filter((owner) => !beating.has(owner));
  }

  async leave(owner: string): Promise<void> {
    await this.db.delete(replicas).where(eq(replicas.owner, owner));
  }

  async forgetSilentSince(before: Date): Promise<void> {
    await this.db.delete(replicas).where(lt(replicas.heartbeatAt, before));
  }
}
