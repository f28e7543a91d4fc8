import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_REMINDER_STATE } from '../../src/domain/reminders.js';
import type { IncidentStore, ScheduledSlot } from '../../src/ports.js';
import { leaseOwnerId } from '../../src/scheduler/leases.js';
import { deadHolders, SILENT_AFTER_MS } from '../../src/scheduler/replicas.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/**
 * The one lease mechanism of scheduled sends, the same for a reminder and an escalation rung:
 * a claim is a compare-and-set, a dead holder's lease can be taken over, a release waits.
 */
describe('leases on scheduled sends', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  let incidentId: number;
  const now = new Date('2026-11-24T02:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const LEASE = 60_000;

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('test');
    const { incident } = await store.incidents.recordDeclaration('V1', { title: 'Queue backlog', severity: 'SEV1', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', now);
    incidentId = incident.id;
  });
  afterEach(() => database.close());

  const kinds: [string, () => ScheduledSlot][] = [
    ['a reminder', () => ({ kind: 'reminder', incidentId })],
    ['an escalation rung', () => ({ kind: 'escalation', incidentId, tier: 'Team lead' })],
    ['a channel archive', () => ({ kind: 'archive', incidentId })],
  ];

  for (const [name, slotOf] of kinds) {
    describe(name, () => {
      it('is claimed by one of two processes, and by the other once the lease runs out', async () => {
        const slot = slotOf();
        // A reminder's claim also returns its schedule, which its pass decides on without reading it again.
        const schedule = slot.kind === 'reminder' ? { reminder: NO_REMINDER_STATE } : {};
        expect(await store.leases.claim(slot, 'process-a', now, LEASE, [])).toEqual({ pendingKey: null, pendingSince: null, pending: null, ...schedule });
        expect(await store.leases.claim(slot, 'process-b', later(1000), LEASE, [])).toBeUndefined();
        expect(await store.leases.holders(later(1000))).toEqual(['process-a']);
        expect(await store.leases.claim(slot, 'process-b', later(LEASE + 1), LEASE, [])).toBeDefined();
      });

      it('is taken over at once from a holder known to be gone, with what it left unfinished', async () => {
        const slot = slotOf();
        await store.leases.claim(slot, 'process-a', now, LEASE, []);
        await store.leases.markPending(slot, 'process-a', 'key-1', later(10));
        const claim = await store.leases.claim(slot, 'process-b', later(1000), LEASE, ['process-a']);
        expect(claim).toMatchObject({ pendingKey: 'key-1', pendingSince: later(10) });
        // The old holder's late writes change nothing: the lease is no longer theirs.
        await store.leases.release(slot, 'process-a', later(5000));
        expect(await store.leases.holders(later(2000))).toEqual(['process-b']);
      });

      it('waits after a release until the retry time, and is free at once after an unlock', async () => {
        const slot = slotOf();
        await store.leases.claim(slot, 'process-a', now, LEASE, []);
        await store.leases.release(slot, 'process-a', later(30_000));
        expect(await store.leases.claim(slot, 'process-a', later(29_999), LEASE, [])).toBeUndefined();
        expect(await store.leases.claim(slot, 'process-a', later(30_000), LEASE, [])).toBeDefined();
        await store.leases.unlock(slot, 'process-a');
        expect(await store.leases.holders(later(30_001))).toEqual([]);
        expect(await store.leases.claim(slot, 'process-b', later(30_001), LEASE, [])).toBeDefined();
      });
    });
  }

  it('never hands out an escalation rung once it is paged, and keeps one timeline entry', async () => {
    const slot: ScheduledSlot = { kind: 'escalation', incidentId, tier: 'Team lead' };
    await store.leases.claim(slot, 'process-a', now, LEASE, []);
    const entry = { at: now, actorId: null, kind: 'escalated' as const, text: 'Escalated to Team lead', data: {} };
    expect(await store.escalations.markPaged(incidentId, 'Team lead', 'process-a', now, entry)).toBe(true);
    expect(await store.escalations.markPaged(incidentId, 'Team lead', 'process-a', now, entry)).toBe(false);
    expect(await store.leases.claim(slot, 'process-b', later(LEASE + 1), LEASE, [])).toBeUndefined();
    expect((await store.incidents.timelineOf(incidentId)).filter((stored) => stored.kind === 'escalated')).toHaveLength(1);
  });

  it('keeps a reminder send in flight with its kind, so an automatic update is finished with its own draft', async () => {
    const slot: ScheduledSlot = { kind: 'reminder', incidentId };
    await store.leases.claim(slot, 'process-a', now, LEASE, []);
    await store.leases.markPending(slot, 'process-a', 'key-2', now, { kind: 'automatic', draftId: 7 });
    expect(await store.leases.claim(slot, 'process-b', later(LEASE + 1), LEASE, [])).toEqual({ pendingKey: 'key-2', pendingSince: now, pending: { kind: 'automatic', draftId: 7 }, reminder: NO_REMINDER_STATE });
  });

  it('claims due reminders a batch at a time: those free and still due, not one leased, waiting or no longer due', async () => {
    const declare = async (key: string) => (await store.incidents.recordDeclaration(key, { title: key, severity: 'SEV1', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', now)).incident.id;
    const [leased, waiting, sent, free] = [await declare('B1'), await declare('B2'), await declare('B3'), await declare('B4')];
    expect(await store.leases.claim({ kind: 'reminder', incidentId: leased }, 'process-b', now, LEASE, [])).toBeDefined();
    await store.leases.claim({ kind: 'reminder', incidentId: waiting }, 'process-b', now, LEASE, []);
    await store.leases.release({ kind: 'reminder', incidentId: waiting }, 'process-b', later(30_000));
    await store.leases.claim({ kind: 'reminder', incidentId: sent }, 'process-b', now, LEASE, []);
    const { version } = (await store.dueTimes.dueNow('reminder', now)).find((due) => due.incidentId === sent)!;
    await store.reminders.markSent(sent, 'process-b', now, { version, at: later(3_600_000) });
    const claimed = await store.leases.claimDueReminders([incidentId, leased, waiting, sent, free], 'process-a', later(1000), LEASE, []);
    expect(claimed.map((one) => one.incidentId).sort()).toEqual([incidentId, free].sort());
    expect(claimed[0]!.claim).toEqual({ pendingKey: null, pendingSince: null, pending: null, reminder: NO_REMINDER_STATE });
    expect(await store.leases.holders(later(1000))).toEqual(expect.arrayContaining(['process-a', 'process-b']));
    // Claimed: no one else gets them, until a holder known to be gone leaves them to be taken over.
    expect(await store.leases.claimDueReminders([incidentId, free], 'process-c', later(2000), LEASE, [])).toEqual([]);
    expect((await store.leases.claimDueReminders([incidentId, leased], 'process-c', later(2000), LEASE, ['process-a', 'process-b'])).map((one) => one.incidentId).sort()).toEqual([incidentId, leased].sort());
  });

  it('claims reminders due by a later time (made ready ahead), tells which schedules are unchanged, and records a burst of sends in one write', async () => {
    const other = (await store.incidents.recordDeclaration('B5', { title: 'B5', severity: 'SEV1', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', now)).incident.id;
    const versions = new Map((await store.dueTimes.dueNow('reminder', now)).map((due) => [due.incidentId, due.version]));
    const read = [incidentId, other].map((id) => ({ incidentId: id, version: versions.get(id)! }));
    await store.dueTimes.store('reminder', read.map((one) => ({ ...one, at: later(4000) })));
    expect(await store.leases.claimDueReminders([incidentId, other], 'process-a', now, LEASE, [])).toEqual([]);
    expect((await store.leases.claimDueReminders([incidentId, other], 'process-a', now, LEASE, [], later(5000))).map((one) => one.incidentId).sort()).toEqual([incidentId, other].sort());
    expect(await store.dueTimes.unchanged(read)).toEqual(new Set([incidentId, other]));
    // A change to the other incident (a snooze here; an update, a resolution): its schedule is no longer the one read.
    await store.reminders.snooze(other, later(60_000));
    expect(await store.dueTimes.unchanged(read)).toEqual(new Set([incidentId]));
    const sends = read.map((one, index) => ({ incidentId: one.incidentId, at: later(4000 + index), next: { version: one.version, at: later(3_604_000) } }));
    // Only the holder's write counts.
    await store.reminders.markManySent('process-b', sends);
    expect((await store.reminders.stateOf(incidentId)).lastRemindedAt).toBeNull();
    await store.reminders.markManySent('process-a', sends);
    expect((await store.reminders.stateOf(incidentId)).lastRemindedAt).toEqual(later(4000));
    expect((await store.reminders.stateOf(other)).lastRemindedAt).toEqual(later(4001));
    expect(await store.leases.holders(later(5000))).toEqual([]);
    // The next time is stored where nothing changed; the other stays to be looked at again.
    expect((await store.dueTimes.dueNow('reminder', later(3_600_000))).map((due) => due.incidentId)).toEqual([other]);
    expect((await store.dueTimes.dueNow('reminder', later(3_604_000))).map((due) => due.incidentId).sort()).toEqual([incidentId, other].sort());
  });

  it('names as dead only holders that are gone: a process of this machine that exited, a replica whose heartbeat is silent', async () => {
    const exited = `${hostname()}:${spawnSync(process.execPath, ['-e', '0']).pid}:gone`;
    const silent = 'other-host:1234:silent';
    const beating = 'other-host:5678:beating';
    const wallNow = Date.now();
    await store.replicas.beat({ owner: silent, host: 'other-host', pid: 1234 }, new Date(wallNow - SILENT_AFTER_MS - 1000));
    await store.replicas.beat({ owner: beating, host: 'other-host', pid: 5678 }, new Date(wallNow - 1000));
    await store.leases.claim({ kind: 'reminder', incidentId }, exited, now, LEASE, []);
    await store.leases.claim({ kind: 'escalation', incidentId, tier: 'Team lead' }, leaseOwnerId(), now, LEASE, []);
    await store.leases.claim({ kind: 'escalation', incidentId, tier: 'CTO' }, beating, now, LEASE, []);
    await store.leases.claim({ kind: 'escalation', incidentId, tier: 'VP' }, silent, now, LEASE, []);
    expect((await deadHolders(store, leaseOwnerId(), later(1000))).sort()).toEqual([exited, silent].sort());
  });
});
