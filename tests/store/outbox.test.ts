import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planSeverityChange } from '../../src/domain/lifecycle.js';
import type { OutboxSend } from '../../src/domain/outbox.js';
import type { IncidentStore } from '../../src/ports.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/**
 * The outbox as each store keeps it: rows written with the change they come from (or not at all),
 * handed out in order per destination and incident, claimed by one process at a time, and settled
 * only by the claimant of that attempt.
 */
describe('the outbox', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  let incidentId: number;
  const now = new Date('2026-11-24T02:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const send = (destination: string, eventId: string): OutboxSend => ({ destination, eventId, payload: JSON.stringify({ event_id: eventId }) });
  const entry = { at: now, actorId: 'UALICE', kind: 'declared', text: 'Declared', data: {} };

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('test');
    const { incident } = await store.incidents.recordDeclaration('V1', { title: 'Queue backlog', severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', now);
    incidentId = incident.id;
    await store.incidents.recordChannel(incidentId, { id: 'C1', name: 'incident-queue' }, now);
  });
  afterEach(() => database.close());

  const eventIds = async () => (await store.outbox.listFor(incidentId)).map((row) => `${row.destination} ${row.eventId}`);

  it('writes the declaration\'s sends with it, and only the first time it goes live', async () => {
    await store.incidents.markLive(incidentId, { kickoffTs: '1.0', participants: [], firstEntry: entry, sends: [send('webhook:a', 'e1'), send('webhook:b', 'e1')] });
    await store.incidents.markLive(incidentId, { kickoffTs: '1.0', participants: [], firstEntry: entry, sends: [send('webhook:a', 'e9')] });
    expect(await eventIds()).toEqual(['webhook:a e1', 'webhook:b e1']);
    const [row] = await store.outbox.listFor(incidentId);
    expect(row).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, reported: null, createdAt: now });
  });

  it('writes a change\'s sends in its transaction: none for a refused change, and no change when planning them fails', async () => {
    await store.incidents.markLive(incidentId, { kickoffTs: '1.0', participants: [], firstEntry: entry });
    const applied = await store.incidents.applyChange(incidentId, (current) => planSeverityChange(current, 'SEV1'), {
      actorId: 'UALICE',
      at: later(1000),
      sends: (change) => [send('webhook:a', `severity-${change.change.patch.severity}`)],
    });
    expect(applied.ok).toBe(true);
    expect(await eventIds()).toEqual(['webhook:a severity-SEV1']);

    const refused = await store.incidents.applyChange(incidentId, (current) => planSeverityChange(current, 'SEV1'), { actorId: 'UALICE', at: later(2000), sends: () => [send('webhook:a', 'never')] });
    expect(refused.ok).toBe(false);
    await expect(
      store.incidents.applyChange(incidentId, (current) => planSeverityChange(current, 'SEV3'), {
        actorId: 'UALICE',
        at: later(3000),
        sends: () => {
          throw new Error('planner broke');
        },
      }),
    ).rejects.toThrow('planner broke');
    expect((await store.incidents.findById(incidentId))?.severity).toBe('SEV1');
    expect(await eventIds()).toEqual(['webhook:a severity-SEV1']);
  });

  it('takes a withdrawn change\'s untried sends back with it', async () => {
    await store.incidents.markLive(incidentId, { kickoffTs: '1.0', participants: [], firstEntry: entry });
    const applied = await store.incidents.applyChange(incidentId, (current) => planSeverityChange(current, 'SEV1'), { actorId: 'UALICE', at: later(1000), sends: () => [send('webhook:a', 'e2')] });
    if (!applied.ok) throw new Error(applied.reason);
    await store.incidents.withdrawChange(incidentId, applied);
    expect(await eventIds()).toEqual([]);
  });

  it('writes the post-mortem\'s sends with its draft', async () => {
    await store.postmortems.saveDraft(incidentId, '# Post-mortem', later(5000), 'F1', [send('webhook:a', 'pm')]);
    expect(await eventIds()).toEqual(['webhook:a pm']);
    expect((await store.postmortems.draftOf(incidentId))?.fileId).toBe('F1');
  });

  it('hands out only the oldest pending send of each destination and incident, and nothing before its time', async () => {
    await store.incidents.markLive(incidentId, { kickoffTs: '1.0', participants: [], firstEntry: entry, sends: [send('webhook:a', 'e1'), send('webhook:b', 'e1')] });
    await store.postmortems.saveDraft(incidentId, '# Post-mortem', later(5000), 'F1', [send('webhook:a', 'e2')]);
    expect((await store.outbox.due(now, 10)).map((row) => `${row.destination} ${row.eventId}`)).toEqual(['webhook:a e1', 'webhook:b e1']);
    expect((await store.outbox.due(later(-1), 10)).length).toBe(0);

    const [first] = await store.outbox.due(now, 10);
    const claimed = await store.outbox.claim(first!, 'process-a', later(30_000));
    // Claimed, e1 is still pending: e2 waits behind it even once due.
    expect((await store.outbox.due(later(6000), 10)).map((row) => `${row.destination} ${row.eventId}`)).toEqual(['webhook:b e1']);
    await store.outbox.settle(claimed!, 'process-a', { state: 'sent', nextAttemptAt: null, lastError: null, reported: null, at: later(6000) });
    expect((await store.outbox.due(later(6000), 10)).map((row) => `${row.destination} ${row.eventId}`)).toEqual(['webhook:b e1', 'webhook:a e2']);
  });

  it('lets one of two processes claim a row as read, and another once the claim runs out', async () => {
    await store.incidents.markLive(incidentId, { kickoffTs: '1.0', participants: [], firstEntry: entry, sends: [send('webhook:a', 'e1')] });
    const [row] = await store.outbox.due(now, 10);
    const a = await store.outbox.claim(row!, 'process-a', later(30_000));
    const b = await store.outbox.claim(row!, 'process-b', later(30_000));
    expect(a).toMatchObject({ attempts: 1, nextAttemptAt: later(30_000) });
    expect(b).toBeUndefined();
    expect(await store.outbox.due(later(29_999), 10)).toEqual([]);

    const [again] = await store.outbox.due(later(30_000), 10);
    const c = await store.outbox.claim(again!, 'process-b', later(60_000));
    expect(c).toMatchObject({ attempts: 2 });
    // The first claimant's late answer changes nothing: that attempt is no longer its own.
    expect(await store.outbox.settle(a!, 'process-a', { state: 'sent', nextAttemptAt: null, lastError: null, reported: null, at: later(31_000) })).toBe(false);
    expect((await store.outbox.listFor(incidentId))[0]).toMatchObject({ state: 'pending', attempts: 2 });
  });

  it('settles an attempt with its timeline entry in one write, and waits until the retry time', async () => {
    await store.incidents.markLive(incidentId, { kickoffTs: '1.0', participants: [], firstEntry: entry, sends: [send('webhook:a', 'e1')] });
    const [row] = await store.outbox.due(now, 10);
    const claimed = await store.outbox.claim(row!, 'process-a', later(30_000));
    const failing = { at: later(1000), actorId: null, kind: 'send_failing', text: 'Sending incident.declared to the webhook a keeps failing', data: {} };
    expect(await store.outbox.settle(claimed!, 'process-a', { state: 'pending', nextAttemptAt: later(15_000), lastError: 'HTTP 500', reported: 'failing', at: later(1000), entry: failing })).toBe(true);
    expect((await store.outbox.listFor(incidentId))[0]).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: later(15_000), lastError: 'HTTP 500', reported: 'failing' });
    expect((await store.incidents.timelineOf(incidentId)).map((line) => line.kind)).toEqual(['declared', 'send_failing']);
    expect(await store.outbox.due(later(14_999), 10)).toEqual([]);
    expect((await store.outbox.due(later(15_000), 10)).length).toBe(1);
  });
});
