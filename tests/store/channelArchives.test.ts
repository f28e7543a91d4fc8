import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_ARCHIVE_STATE } from '../../src/domain/archive.js';
import type { IncidentStore } from '../../src/ports.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/**
 * The channel archive records, on SQLite and (under test:postgres) PostgreSQL: only the lease
 * holder ends a step, Keep open only on a resolved incident whose channel is not archived, each
 * with its timeline entry, and the archive due time read through its own index.
 */
describe('channel archive records', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  let incidentId: number;
  const now = new Date('2026-11-24T02:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const slot = () => ({ kind: 'archive' as const, incidentId });
  const entry = (kind: string, text: string, at = later(1000)) => ({ at, actorId: null, kind, text, data: {} });

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('test');
    const { incident } = await store.incidents.recordDeclaration('V1', { title: 'Queue backlog', severity: 'SEV3', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', now);
    incidentId = incident.id;
    await store.incidents.recordChannel(incidentId, { id: 'C0INCIDENT', name: 'incident-queue' }, now);
    await store.incidents.markLive(incidentId, { kickoffTs: '1.000001', participants: [], firstEntry: entry('declared', 'Declared', now) });
  });
  afterEach(() => database.close());

  const resolve = () =>
    store.incidents.applyChange(incidentId, () => ({ ok: true, change: { patch: { status: 'resolved', resolvedAt: later(10) }, entry: { kind: 'resolved', text: 'Resolved', data: {} } } }), { actorId: 'UBOB', at: later(10) });
  const kinds = async () => (await store.incidents.timelineOf(incidentId)).map((stored) => stored.kind);

  it('starts with nothing done, and lists a resolved incident as not archived', async () => {
    expect(await store.archives.stateOf(incidentId)).toEqual(NO_ARCHIVE_STATE);
    expect(await store.archives.notArchived()).toEqual([]);
    await resolve();
    expect((await store.archives.notArchived()).map((row) => [row.incident.id, row.state])).toEqual([[incidentId, NO_ARCHIVE_STATE]]);
  });

  it('records the warning and the archive only for the lease holder, the archive with its timeline entry', async () => {
    await resolve();
    await store.leases.claim(slot(), 'process-a', later(100), 60_000, []);
    await store.archives.markWarned(incidentId, 'process-b', later(200));
    expect((await store.archives.stateOf(incidentId)).warnedAt).toBeNull();
    await store.archives.markWarned(incidentId, 'process-a', later(200));
    expect((await store.archives.stateOf(incidentId)).warnedAt).toEqual(later(200));
    // The warning let the lease go: the archive is claimed again.
    await store.leases.claim(slot(), 'process-a', later(300), 60_000, []);
    expect(await store.archives.markArchived(incidentId, 'process-b', entry('channel_archived', 'Channel archived'))).toBe(false);
    expect(await store.archives.markArchived(incidentId, 'process-a', entry('channel_archived', 'Channel archived'))).toBe(true);
    expect((await store.archives.stateOf(incidentId)).archivedAt).toEqual(later(1000));
    expect(await kinds()).toEqual(['declared', 'resolved', 'channel_archived']);
    expect(await store.archives.notArchived()).toEqual([]);
    expect(await store.leases.holders(later(400))).toEqual([]);
  });

  it('gives up only for the lease holder, with its timeline entry', async () => {
    await resolve();
    await store.leases.claim(slot(), 'process-a', later(100), 60_000, []);
    expect(await store.archives.giveUp(incidentId, 'process-b', entry('archive_failed', 'Not archived'))).toBe(false);
    expect(await store.archives.giveUp(incidentId, 'process-a', entry('archive_failed', 'Not archived'))).toBe(true);
    expect((await store.archives.stateOf(incidentId)).gaveUpAt).toEqual(later(1000));
    expect(await kinds()).toEqual(['declared', 'resolved', 'archive_failed']);
  });

  it('keeps open a resolved, unarchived channel: who and when, the warning forgotten, the due time to be looked at again', async () => {
    expect(await store.archives.keepOpen(incidentId, 'UCAROL', entry('archive_postponed', 'Kept open'))).toBe(false); // not resolved
    await resolve();
    await store.dueTimes.store('archive', [{ incidentId, version: (await store.dueTimes.versions()).get(incidentId)!, at: later(86_400_000) }]);
    expect(await store.dueTimes.dueNow('archive', later(5000))).toEqual([]);
    await store.leases.claim(slot(), 'process-a', later(100), 60_000, []);
    await store.archives.markWarned(incidentId, 'process-a', later(200));
    expect(await store.archives.keepOpen(incidentId, 'UCAROL', { ...entry('archive_postponed', 'Kept open'), actorId: 'UCAROL' })).toBe(true);
    expect(await store.archives.stateOf(incidentId)).toEqual({ ...NO_ARCHIVE_STATE, keptOpenAt: later(1000), keptOpenBy: 'UCAROL' });
    expect(await kinds()).toEqual(['declared', 'resolved', 'archive_postponed']);
    expect((await store.dueTimes.dueNow('archive', later(5000))).map((due) => due.incidentId)).toEqual([incidentId]);
  });

  it('refuses Keep open once archived; forgetting (a reopen) clears everything', async () => {
    await resolve();
    await store.leases.claim(slot(), 'process-a', later(100), 60_000, []);
    await store.archives.markArchived(incidentId, 'process-a', entry('channel_archived', 'Channel archived'));
    expect(await store.archives.keepOpen(incidentId, 'UCAROL', entry('archive_postponed', 'Kept open'))).toBe(false);
    await store.archives.forget(incidentId);
    expect(await store.archives.stateOf(incidentId)).toEqual(NO_ARCHIVE_STATE);
  });

  it('reads the archive due time with the archive lease, apart from the reminder and escalation times', async () => {
    await resolve();
    const version = (await store.dueTimes.versions()).get(incidentId)!;
    await store.dueTimes.store('reminder', [{ incidentId, version, at: null }]);
    await store.dueTimes.store('escalation', [{ incidentId, version, at: null }]);
    await store.dueTimes.store('archive', [{ incidentId, version, at: later(60_000) }]);
    expect(await store.dueTimes.dueNow('archive', later(59_999))).toEqual([]);
    await store.leases.claim(slot(), 'process-a', later(60_000), 60_000, []);
    expect(await store.dueTimes.dueNow('archive', later(60_000))).toEqual([{ incidentId, version, leaseOwner: 'process-a', leaseUntil: later(120_000) }]);
    expect(await store.dueTimes.dueNow('reminder', later(60_000))).toEqual([]);
  });
});
