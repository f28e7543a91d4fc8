import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pinnedMessageDeleted, pinnedMessageEdited } from '../../src/domain/timeline.js';
import type { IncidentStore } from '../../src/ports.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** A pinned message's entry revised (edited, deleted in Slack), on SQLite and (under test:postgres) PostgreSQL. */
describe('revising a pinned message on the timeline', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  let incidentId: number;
  const now = new Date('2026-11-24T02:00:00Z');
  const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('test');
    const { incident } = await store.incidents.recordDeclaration('V1', { title: 'Login errors', severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', now);
    incidentId = incident.id;
    await store.incidents.recordChannel(incidentId, { id: 'C0PINS', name: 'incident-pins' }, now);
    await store.incidents.markLive(incidentId, { kickoffTs: '1.000001', participants: [], firstEntry: { at: now, actorId: null, kind: 'declared', text: 'Declared', data: {} } });
    await store.incidents.recordPinnedMessage(incidentId, { at: later(1), actorId: 'UDAVE', kind: 'pinned_message', text: 'error rate 5%', data: { pinnedBy: 'UBOB' }, messageTs: '100.000001' });
  });
  afterEach(() => database.close());

  const pinned = async () => (await store.incidents.timelineOf(incidentId)).find((entry) => entry.kind === 'pinned_message')!;

  it('an edit shows the new text and keeps each earlier one; the same text again changes nothing', async () => {
    expect(await store.incidents.revisePinnedMessage(incidentId, '100.000001', (entry) => pinnedMessageEdited(entry, 'error rate 12%', later(5)))).toBe(true);
    expect(await store.incidents.revisePinnedMessage(incidentId, '100.000001', (entry) => pinnedMessageEdited(entry, 'error rate 12%', later(6)))).toBe(false);
    expect(await store.incidents.revisePinnedMessage(incidentId, '100.000001', (entry) => pinnedMessageEdited(entry, 'error rate 20%', later(7)))).toBe(true);
    expect(await pinned()).toMatchObject({
      text: 'error rate 20%',
      data: { pinnedBy: 'UBOB', edits: [{ at: later(5).toISOString(), previousText: 'error rate 5%' }, { at: later(7).toISOString(), previousText: 'error rate 12%' }] },
    });
  });

  it('a deletion keeps the text and says when, once; a message not on the timeline is left alone', async () => {
    expect(await store.incidents.revisePinnedMessage(incidentId, '100.000001', (entry) => pinnedMessageDeleted(entry, later(9)))).toBe(true);
    expect(await store.incidents.revisePinnedMessage(incidentId, '100.000001', (entry) => pinnedMessageDeleted(entry, later(10)))).toBe(false);
    expect(await pinned()).toMatchObject({ text: 'error rate 5%', data: { pinnedBy: 'UBOB', deletedAt: later(9).toISOString() } });
    expect(await store.incidents.revisePinnedMessage(incidentId, '999.000001', (entry) => pinnedMessageDeleted(entry, later(9)))).toBe(false);
  });
});
