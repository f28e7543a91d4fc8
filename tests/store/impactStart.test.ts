import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentStore } from '../../src/ports.js';
import { planImpactStart } from '../../src/domain/lifecycle.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** incidents.impact_started_at, on SQLite and (under test:postgres) PostgreSQL: declared with it, changed with its entry, withdrawn. */
describe('the impact start in the store', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  const now = new Date('2026-11-24T02:00:00Z');
  const minutes = (count: number) => new Date(now.getTime() + count * 60_000);
  const declaration = { title: 'Queue backlog', severity: 'SEV3' as const, impact: '', commanderId: 'UBOB', isPrivate: false };

  async function liveIncident(key: string, impactStartedAt?: Date) {
    const { incident } = await store.incidents.recordDeclaration(key, { ...declaration, impactStartedAt }, 'UALICE', now);
    await store.incidents.recordChannel(incident.id, { id: `C${key}`, name: `incident-${key.toLowerCase()}` }, now);
    await store.incidents.markLive(incident.id, { kickoffTs: '1.000001', participants: [], firstEntry: { at: now, actorId: null, kind: 'declared', text: 'Declared', data: {} } });
    return incident.id;
  }

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('test');
  });
  afterEach(() => database.close());

  it('keeps the impact start given at declaration, and none when none was given', async () => {
    const given = await liveIncident('V1', minutes(-25));
    const notGiven = await liveIncident('V2');
    expect((await store.incidents.findById(given))?.impactStartedAt).toEqual(minutes(-25));
    expect((await store.incidents.findById(notGiven))?.impactStartedAt).toBeNull();
  });

  it('changes it with its timeline entry, and a withdrawn change puts the old one back', async () => {
    const id = await liveIncident('V1');
    const applied = await store.incidents.applyChange(id, (current) => planImpactStart(current, minutes(-40), minutes(5), '01:20'), { actorId: 'UBOB', at: minutes(5) });
    if (!applied.ok) throw new Error(applied.reason);
    expect((await store.incidents.findById(id))?.impactStartedAt).toEqual(minutes(-40));
    expect((await store.incidents.timelineOf(id)).map((entry) => [entry.kind, entry.text])).toEqual([
      ['declared', 'Declared'],
      ['impact_started', 'Impact started at 01:20'],
    ]);
    await store.incidents.withdrawChange(id, applied);
    expect((await store.incidents.findById(id))?.impactStartedAt).toBeNull();
  });
});
