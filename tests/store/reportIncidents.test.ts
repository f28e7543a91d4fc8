import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentStore } from '../../src/ports.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** What `npm run report` reads: the incidents declared in its window, on SQLite and (test:postgres) PostgreSQL. */
describe('the incidents declared since a time', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  const since = new Date('2026-09-01T00:00:00Z');
  const after = (minutes: number) => new Date(since.getTime() + minutes * 60_000);

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('replica-a');
  });
  afterEach(() => database.close());

  const declare = async (key: string, title: string, declaredAt: Date, options: { live?: boolean; drill?: boolean } = {}) => {
    const declaration = { title, severity: 'SEV2' as const, impact: '', commanderId: 'UBOB', isPrivate: false };
    const plan = options.drill ? { scenario: 'db-failover', script: [] } : undefined;
    const { incident } = await store.incidents.recordDeclaration(key, declaration, 'UALICE', declaredAt, plan);
    if (options.live === false) return incident.id;
    await store.incidents.recordChannel(incident.id, { id: `C${key}`, name: `incident-${key.toLowerCase()}` }, declaredAt);
    await store.incidents.markLive(incident.id, { kickoffTs: '1.1', participants: [], firstEntry: { kind: 'declared', actorId: 'UALICE', at: declaredAt, text: 'Declared' } });
    return incident.id;
  };

  it('lists live incidents from the start of the window on, oldest first, without drills or declarations that never went live', async () => {
    await declare('K0', 'Before the window', after(-1));
    const atStart = await declare('K1', 'At the start', after(0));
    await declare('K2', 'A drill', after(5), { drill: true });
    await declare('K3', 'Still being declared', after(6), { live: false });
    const aborted = await declare('K4', 'Refused by Slack', after(7), { live: false });
    await store.incidents.markAborted(aborted, 'channel name taken', after(8));
    const later = await declare('K5', 'Later', after(90));
    const between = await declare('K6', 'Between', after(30));

    const listed = await store.incidents.listDeclaredSince(since);
    expect(listed.map((incident) => [incident.id, incident.title])).toEqual([[atStart, 'At the start'], [between, 'Between'], [later, 'Later']]);
    expect(listed[0]).toMatchObject({ phase: 'live', declaredAt: since, drillScenario: null });
  });

  it('gives the status updates and action item counts of those incidents only, in one read each', async () => {
    const before = await declare('K0', 'Before the window', after(-1));
    const drill = await declare('K1', 'A drill', after(1), { drill: true });
    const first = await declare('K2', 'First', after(2));
    const second = await declare('K3', 'Second', after(3));
    const update = (minutes: number, text: string) => ({ at: after(minutes), actorId: 'UBOB', kind: 'status_update', text, data: { source: 'automatic' } });
    for (const id of [before, drill, first]) await store.incidents.appendTimeline(id, update(20, `Update of ${id}`));
    await store.incidents.appendTimeline(first, update(10, 'Earlier update'));
    await store.incidents.appendTimeline(first, { at: after(12), actorId: 'UBOB', kind: 'note', text: 'A note' });
    const action = (incidentId: number, text: string) => store.actions.add({ incidentId, text, ownerId: null, dueOn: null, createdBy: 'UBOB', createdAt: after(30) }, `Action item: ${text}`);
    for (const id of [before, drill]) await action(id, 'Not in the report');
    await action(second, 'Open one');
    await action(second, 'Open two');
    const done = await action(second, 'Done');
    await store.actions.complete(done.id, 'UBOB', after(40));

    const updates = await store.incidents.statusUpdatesDeclaredSince(since);
    expect([...updates.keys()]).toEqual([first]);
    expect(updates.get(first)).toEqual([
      { at: after(10), actorId: 'UBOB', kind: 'status_update', text: 'Earlier update', data: { source: 'automatic' }, messageTs: null },
      { at: after(20), actorId: 'UBOB', kind: 'status_update', text: `Update of ${first}`, data: { source: 'automatic' }, messageTs: null },
    ]);
    expect(await store.actions.countsDeclaredSince(since)).toEqual(new Map([[second, { open: 2, done: 1 }]]));
  });

  it('lists nothing when nothing was declared since', async () => {
    await declare('K0', 'Before the window', after(-1));
    expect(await store.incidents.listDeclaredSince(since)).toEqual([]);
    expect(await store.incidents.statusUpdatesDeclaredSince(since)).toEqual(new Map());
    expect(await store.actions.countsDeclaredSince(since)).toEqual(new Map());
  });
});
