import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timelineEntryEdited, timelineEntryRemoved } from '../../src/domain/timeline.js';
import type { IncidentStore } from '../../src/ports.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/**
 * `reviseTimelineEntry` on SQLite and (under test:postgres) PostgreSQL: the entry changes and the
 * entry recording it is appended together; nothing is written when the revision is declined or the
 * entry is another incident's.
 */
describe('timeline entry revisions', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  let incidentId: number;
  let otherId: number;
  const now = new Date('2026-11-26T14:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const entry = (kind: string, text: string, at = now) => ({ at, actorId: 'UBOB', kind, text, data: {} });

  async function liveIncident(channel: string): Promise<number> {
    const { incident } = await store.incidents.recordDeclaration(`V-${channel}`, { title: 'Queue backlog', severity: 'SEV3', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', now);
    await store.incidents.recordChannel(incident.id, { id: channel, name: `incident-${channel.toLowerCase()}` }, now);
    await store.incidents.markLive(incident.id, { kickoffTs: '1.000001', participants: [], firstEntry: entry('declared', 'Declared', now) });
    return incident.id;
  }

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('test');
    incidentId = await liveIncident('C0ONE');
    otherId = await liveIncident('C0TWO');
    await store.incidents.appendTimeline(incidentId, entry('note', 'restarted the wrong pod', later(1000)));
  });
  afterEach(() => database.close());

  const note = async () => (await store.incidents.timelineOf(incidentId)).find((stored) => stored.kind === 'note')!;
  const record = (kind: string, text: string) => ({ at: later(5000), actorId: 'UCAROL', kind, text, data: {} });

  it('an edit changes the entry and appends its record, together', async () => {
    const { id } = await note();
    const changed = await store.incidents.reviseTimelineEntry(incidentId, id, (stored) => {
      const revision = timelineEntryEdited(stored, 'restarted the queue worker', 'UCAROL', later(5000));
      return revision && { revision, record: record('timeline_edited', 'edited') };
    });
    expect(changed).toBe(true);
    const timeline = await store.incidents.timelineOf(incidentId);
    expect(timeline.map((stored) => [stored.kind, stored.text])).toEqual([
      ['declared', 'Declared'],
      ['note', 'restarted the queue worker'],
      ['timeline_edited', 'edited'],
    ]);
    expect(timeline[1]!.data).toEqual({ edits: [{ at: later(5000).toISOString(), by: 'UCAROL', previousText: 'restarted the wrong pod' }] });
  });

  it('a removal marks the entry, keeps its text, and a second removal changes nothing', async () => {
    const { id } = await note();
    const remove = () =>
      store.incidents.reviseTimelineEntry(incidentId, id, (stored) => {
        const revision = timelineEntryRemoved(stored, 'UCAROL', later(5000));
        return revision && { revision, record: record('timeline_removed', 'removed') };
      });
    expect(await remove()).toBe(true);
    expect(await remove()).toBe(false);
    const timeline = await store.incidents.timelineOf(incidentId);
    expect(timeline.map((stored) => stored.kind)).toEqual(['declared', 'note', 'timeline_removed']);
    expect(timeline[1]).toMatchObject({ text: 'restarted the wrong pod', data: { removedBy: 'UCAROL', removedAt: later(5000).toISOString() } });
  });

  it("another incident's entry is not found, and nothing is written", async () => {
    const { id } = await note();
    let asked = false;
    const changed = await store.incidents.reviseTimelineEntry(otherId, id, () => {
      asked = true;
      return { revision: { text: 'x', data: {} }, record: record('timeline_edited', 'edited') };
    });
    expect(changed).toBe(false);
    expect(asked).toBe(false);
    expect((await store.incidents.timelineOf(otherId)).map((stored) => stored.kind)).toEqual(['declared']);
    expect((await note()).text).toBe('restarted the wrong pod');
  });
});
