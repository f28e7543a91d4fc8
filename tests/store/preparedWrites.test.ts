import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentStore } from '../../src/ports.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** The writes every note makes, prepared once (bench/ingest.ts): what they store is what they were given, however many times they run. */
describe('the note path\'s prepared writes', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  let incidentId: number;
  const now = new Date('2026-11-24T02:00:00Z');

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('test');
    const { incident } = await store.incidents.recordDeclaration('V1', { title: 'Queue backlog', severity: 'SEV1', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', now);
    incidentId = incident.id;
  });
  afterEach(() => database.close());

  it('appends timeline entries with and without data, by a person or the bot, read back as given', async () => {
    await store.incidents.appendTimeline(incidentId, { at: now, actorId: 'UCAROL', kind: 'note', text: 'first', data: { messageTs: '1.000100' } });
    await store.incidents.appendTimeline(incidentId, { at: new Date(now.getTime() + 1), actorId: null, kind: 'note', text: 'second' });
    const entries = (await store.incidents.timelineOf(incidentId)).filter((entry) => entry.kind === 'note');
    expect(entries.map(({ at, actorId, text, data, messageTs }) => ({ at, actorId, text, data, messageTs }))).toEqual([
      { at: now, actorId: 'UCAROL', text: 'first', data: { messageTs: '1.000100' }, messageTs: null },
      { at: new Date(now.getTime() + 1), actorId: null, text: 'second', data: undefined, messageTs: null },
    ]);
    // No data is stored as no value, not as the JSON text "null".
    const stored = await database.rows<{ data: unknown }>("select data from timeline_entries where text = 'second'");
    expect(stored).toEqual([{ data: null }]);
  });

  it('starts and finishes work journal entries one by one', async () => {
    const first = await store.journal.start({ what: 'add a note', userId: 'UCAROL', channelId: 'C1', responseUrl: 'https://hooks.example/1' }, now);
    const second = await store.journal.start({ what: 'add a note', userId: 'UDAVE' }, now);
    expect(second).not.toBe(first);
    await store.journal.finish(first);
    const left = await database.store('another process').journal.othersEntries();
    expect(left.map(({ id, owner, userId, channelId, incidentId: incident, responseUrl, startedAt }) => ({ id, owner, userId, channelId, incident, responseUrl, startedAt }))).toEqual([
      { id: second, owner: 'test', userId: 'UDAVE', channelId: null, incident: null, responseUrl: null, startedAt: now },
    ]);
  });

  it('removes the work journal entry a note completes with its timeline entry, and keeps it when the entry is not written', async () => {
    const work = { id: await store.journal.start({ what: 'add the note', userId: 'UCAROL' }, now), removed: false };
    const other = await store.journal.start({ what: 'add the note', userId: 'UDAVE' }, now);
    await store.incidents.appendTimeline(incidentId, { at: now, actorId: 'UCAROL', kind: 'note', text: 'rolled back' }, work);
    expect(work.removed).toBe(true);
    expect((await store.incidents.timelineOf(incidentId)).filter((entry) => entry.kind === 'note').map((entry) => entry.text)).toEqual(['rolled back']);
    expect((await database.store('another process').journal.othersEntries()).map((entry) => entry.id)).toEqual([other]);
    // An incident that does not exist: the timeline refuses the entry, and the journal keeps the work.
    const failing = { id: other, removed: false };
    await expect(store.incidents.appendTimeline(incidentId + 1000, { at: now, actorId: 'UDAVE', kind: 'note', text: 'lost' }, failing)).rejects.toThrow();
    expect(failing.removed).toBe(false);
    expect((await database.store('another process').journal.othersEntries()).map((entry) => entry.id)).toEqual([other]);
  });
});
