import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECLARE_WORK } from '../../src/ports.js';
import { goneAmong, SILENT_AFTER_MS } from '../../src/scheduler/replicas.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** The processes sharing a database: who is alive is told by heartbeats, and a dead one's journaled work is taken over once. */
describe('replicas sharing a database', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(() => database.close());

  const wallNow = () => Date.now();
  const ago = (ms: number) => new Date(wallNow() - ms);
  const replica = (owner: string) => ({ owner, host: 'other-host', pid: 1234 });

  it('names as gone the replicas silent past the bound, never registered, or left; not one that beats', async () => {
    const { replicas } = database.store('replica-a');
    await replicas.beat(replica('beating'), ago(SILENT_AFTER_MS + 5_000));
    await replicas.beat(replica('beating'), ago(1_000));
    await replicas.beat(replica('silent'), ago(SILENT_AFTER_MS + 1_000));
    await replicas.beat(replica('left'), ago(1_000));
    await replicas.leave('left');
    expect((await goneAmong(replicas, ['beating', 'silent', 'never-registered', 'left', 'replica-a'], 'replica-a')).sort()).toEqual(['left', 'never-registered', 'silent']);
  });

  it('keeps the first beat as the start and forgets only replicas silent since the given time', async () => {
    const { replicas } = database.store('replica-a');
    const started = new Date('2026-11-24T02:00:00Z');
    await replicas.beat(replica('long-running'), started);
    await replicas.beat(replica('long-running'), new Date('2026-11-26T02:00:00Z'));
    await replicas.beat(replica('long-gone'), started);
    await replicas.forgetSilentSince(new Date('2026-11-25T02:00:00Z'));
    const rows = await database.rows<{ owner: string; started_at: unknown }>('select owner, started_at from replicas');
    expect(rows.map((row) => row.owner)).toEqual(['long-running']);
    expect(new Date(rows[0]!.started_at as string | number).getTime()).toBe(started.getTime());
  });

  it('hands a dead replica\'s journaled work to exactly one of the replicas claiming it at once', async () => {
    const at = new Date('2026-11-24T02:00:00Z');
    const ids = [];
    for (let n = 0; n < 10; n++) ids.push(await database.store('dead-replica').journal.start({ what: DECLARE_WORK, userId: 'UALICE' }, at));
    const claimants = ['replica-a', 'replica-b', 'replica-c'].map((owner) => database.store(owner).journal);
    for (const id of ids) {
      const won = await Promise.all(claimants.map((journal) => journal.claim(id, 'dead-replica')));
      expect(won.filter(Boolean)).toHaveLength(1);
    }
    // Claimed entries belong to their claimant now: no other replica finds them as the dead one's.
    expect(await claimants[0]!.claim(ids[0]!, 'dead-replica')).toBe(false);
  });
});
