import { afterEach, describe, expect, it } from 'vitest';
import { recoverInterruptedWork } from '../../src/flows/recovery.js';
import { SILENT_AFTER_MS } from '../../src/scheduler/replicas.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

/**
 * Work a replica journaled before it died is reported by the replicas still running, on their
 * scheduler ticks, not only at a start: once, however many of them find it.
 */
describe('work left by a replica that died', () => {
  let bot: InProcessBot;
  afterEach(() => bot.close());

  /** A running replica: registered with a fresh heartbeat, as every replica is from its start. */
  const recoveryOf = async (owner: string) => {
    const store = bot.testDatabase.store(owner);
    await store.replicas.beat({ owner, host: 'machine-1', pid: 4242 }, new Date());
    return { ...bot.deps, ...store, owner, timeZone: 'UTC' };
  };

  it('is reported to the person once by one of two replicas looking at the same moment; a live replica\'s work is left alone', async () => {
    bot = await startInProcess();
    const wallNow = Date.now();
    const dead = { owner: 'machine-2:4242:dead', host: 'machine-2', pid: 4242 };
    const alive = { owner: 'machine-3:4242:alive', host: 'machine-3', pid: 4242 };
    await bot.deps.replicas.beat(dead, new Date(wallNow - SILENT_AFTER_MS - 500));
    await bot.deps.replicas.beat(alive, new Date(wallNow));
    await bot.testDatabase.store(dead.owner).journal.start({ what: 'add a note', userId: 'UALICE', channelId: 'CINCIDENT' }, bot.clock.now());
    await bot.testDatabase.store(alive.owner).journal.start({ what: 'resolve the incident', userId: 'UBOB', channelId: 'CINCIDENT' }, bot.clock.now());

    const [a, b] = [await recoveryOf('replica-a'), await recoveryOf('replica-b')];
    const reported = await Promise.all([recoverInterruptedWork(a), recoverInterruptedWork(b)]);

    expect(reported.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(bot.fake.dms('UALICE').map((message) => message.text)).toEqual([expect.stringContaining('trying to add a note for you')]);
    expect(bot.fake.dms('UBOB')).toEqual([]);
    expect((await bot.testDatabase.rows<{ owner: string }>('select owner from work_in_progress')).map((row) => row.owner)).toEqual([alive.owner]);
  });

  it('is reported once the replica has been silent past the bound, not before', async () => {
    bot = await startInProcess();
    const replica = { owner: 'machine-2:4242:stalling', host: 'machine-2', pid: 4242 };
    await bot.deps.replicas.beat(replica, new Date(Date.now() - SILENT_AFTER_MS + 2_000));
    await bot.testDatabase.store(replica.owner).journal.start({ what: 'add a note', userId: 'UALICE', channelId: 'CINCIDENT' }, bot.clock.now());
    const replicaA = await recoveryOf('replica-a');
    expect(await recoverInterruptedWork(replicaA)).toBe(0);
    // Its last beat, seen later: the replica stopped beating.
    await bot.deps.replicas.beat(replica, new Date(Date.now() - SILENT_AFTER_MS - 1));
    expect(await recoverInterruptedWork(replicaA)).toBe(1);
    expect(bot.fake.dms('UALICE')).toHaveLength(1);
  });
});
