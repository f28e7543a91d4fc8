import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECLARE_WORK, type IncidentStore } from '../../src/ports.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** The one read of an idle scheduler tick: which passes have work now, whatever else is stored. */
describe('the scheduler\'s due-work check', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  const declaredAt = new Date('2026-11-24T02:00:00Z');
  const at = (ms: number) => new Date(declaredAt.getTime() + ms);
  const NOTHING = { reminders: false, escalations: false, archives: false, drills: false, alertUpdates: false, othersWork: false };

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('replica-a');
  });
  afterEach(() => database.close());

  const declare = async (key: string, drill?: { afterMs: number }) => {
    const declaration = { title: 'Queue backlog', severity: 'SEV1' as const, impact: '', commanderId: 'UBOB', isPrivate: false };
    const plan = drill && { scenario: 'db-failover', script: [{ afterMs: drill.afterMs, speaker: 'Monitoring', text: 'Replica lag 40 s' }] };
    const { incident } = await store.incidents.recordDeclaration(key, declaration, 'UALICE', declaredAt, plan);
    await store.incidents.markLive(incident.id, { kickoffTs: '1.1', participants: [], firstEntry: { kind: 'declared', actorId: 'UALICE', at: declaredAt, text: 'Declared' } });
    return incident.id;
  };

  it('finds nothing in an empty database', async () => {
    expect(await store.dueTimes.dueWork(at(0), 'replica-a')).toEqual(NOTHING);
  });

  it('finds a reminder, an escalation and a channel archive once their stored times come, not before', async () => {
    const incidentId = await declare('D1');
    // A new incident is "look again now" for every kind, until a pass stores its times.
    expect(await store.dueTimes.dueWork(at(0), 'replica-a')).toMatchObject({ reminders: true, escalations: true, archives: true });
    const versions = await store.dueTimes.versions();
    await store.dueTimes.store('reminder', [{ incidentId, version: versions.get(incidentId)!, at: at(60_000) }]);
    await store.dueTimes.store('escalation', [{ incidentId, version: versions.get(incidentId)!, at: null }]);
    await store.dueTimes.store('archive', [{ incidentId, version: versions.get(incidentId)!, at: at(120_000) }]);
    expect(await store.dueTimes.dueWork(at(59_999), 'replica-a')).toEqual(NOTHING);
    // Reminders are made ready ahead: asked by a later time, only they count from then.
    expect(await store.dueTimes.dueWork(at(55_000), 'replica-a', at(60_000))).toEqual({ ...NOTHING, reminders: true });
    expect(await store.dueTimes.dueWork(at(55_000), 'replica-a', at(59_999))).toEqual(NOTHING);
    expect(await store.dueTimes.dueWork(at(60_000), 'replica-a')).toEqual({ ...NOTHING, reminders: true });
    expect(await store.dueTimes.dueWork(at(3_600_000), 'replica-a')).toEqual({ ...NOTHING, reminders: true, archives: true });
  });

  it('stores the next reminder time with the reminder sent, only for the lease holder and only if nothing changed since', async () => {
    const incidentId = await declare('D5');
    const version = (await store.dueTimes.versions()).get(incidentId)!;
    const slot = { kind: 'reminder' as const, incidentId };
    await store.dueTimes.store('escalation', [{ incidentId, version, at: null }]);
    await store.dueTimes.store('archive', [{ incidentId, version, at: null }]);
    expect(await store.leases.claim(slot, 'replica-a', at(0), 60_000, [])).toBeDefined();
    // Another process's write is not the holder's: neither the reminder nor the due time is recorded.
    await store.reminders.markSent(incidentId, 'replica-b', at(1_000), { version, at: at(3_600_000) });
    expect((await store.reminders.stateOf(incidentId)).lastRemindedAt).toBeNull();
    expect(await store.dueTimes.dueWork(at(1_000), 'replica-a')).toEqual({ ...NOTHING, reminders: true });
    await store.reminders.markSent(incidentId, 'replica-a', at(1_000), { version, at: at(3_600_000) });
    expect((await store.reminders.stateOf(incidentId)).lastRemindedAt).toEqual(at(1_000));
    expect(await store.dueTimes.dueWork(at(3_599_999), 'replica-a')).toEqual(NOTHING);
    // Sent and no longer due: another process that listed it before is not handed it.
    expect(await store.leases.claim(slot, 'replica-b', at(2_000), 60_000, [])).toBeUndefined();
    expect(await store.dueTimes.dueNow('reminder', at(3_600_000))).toEqual([{ incidentId, version, leaseOwner: null, leaseUntil: null, notBefore: null }]);
    // A change since the version read (a snooze here) wins: the time sent with the reminder is not stored.
    await store.reminders.snooze(incidentId, at(7_200_000));
    expect(await store.leases.claim(slot, 'replica-a', at(7_200_000), 60_000, [])).toBeDefined();
    await store.reminders.markSent(incidentId, 'replica-a', at(7_200_000), { version, at: at(10_800_000) });
    expect(await store.dueTimes.dueNow('reminder', at(7_200_000))).toEqual([{ incidentId, version: version + 1, leaseOwner: null, leaseUntil: null, notBefore: null }]);
  });

  it('finds a drill step once its time comes, and no longer once it is posted', async () => {
    const incidentId = await declare('D2', { afterMs: 30_000 });
    const versions = await store.dueTimes.versions();
    for (const kind of ['reminder', 'escalation', 'archive'] as const) await store.dueTimes.store(kind, [{ incidentId, version: versions.get(incidentId)!, at: null }]);
    expect(await store.dueTimes.dueWork(at(0), 'replica-a')).toEqual(NOTHING);
    const [step] = await store.drills.dueSteps(at(30_000));
    expect(step).toBeDefined();
    expect(await store.dueTimes.dueWork(at(30_000), 'replica-a')).toEqual({ ...NOTHING, drills: true });
    // Posted as every scheduled send is: by the holder of its lease.
    expect(await store.leases.claim({ kind: 'drill_step', incidentId, step: step!.step }, 'replica-a', at(30_000), 60_000, [])).toBeDefined();
    await store.drills.markPosted(incidentId, step!.step, 'replica-a', at(30_000));
    expect(await store.dueTimes.dueWork(at(30_000), 'replica-a')).toEqual(NOTHING);
  });

  it('finds another process\'s journal entries, never this process\'s own', async () => {
    const entry = await store.journal.start({ what: DECLARE_WORK, userId: 'UALICE' }, at(0));
    expect(await store.dueTimes.dueWork(at(0), 'replica-a')).toEqual(NOTHING);
    expect(await database.store('replica-b').dueTimes.dueWork(at(0), 'replica-b')).toEqual({ ...NOTHING, othersWork: true });
    await store.journal.finish(entry);
    expect(await database.store('replica-b').dueTimes.dueWork(at(0), 'replica-b')).toEqual(NOTHING);
  });
});
