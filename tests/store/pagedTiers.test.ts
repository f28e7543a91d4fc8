import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentStore } from '../../src/ports.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/**
 * What `/incident status` says was paged, read before its answer by one prepared statement: the
 * rungs paged for this incident only, in the order they were paged, and none merely claimed.
 */
describe('the paged rungs of an incident', () => {
  let database: TestDatabase;
  let store: IncidentStore;
  const now = new Date('2026-11-24T02:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const LEASE = 60_000;

  beforeEach(async () => {
    database = await openTestDatabase();
    store = database.store('test');
  });
  afterEach(() => database.close());

  const declare = async (key: string) =>
    (await store.incidents.recordDeclaration(key, { title: `Incident ${key}`, severity: 'SEV1', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', now)).incident.id;
  const page = async (incidentId: number, tier: string, at: Date) => {
    await store.leases.claim({ kind: 'escalation', incidentId, tier }, 'process-a', at, LEASE, []);
    const entry = { at, actorId: null, kind: 'escalated' as const, text: `Escalated to ${tier}`, data: {} };
    expect(await store.escalations.markPaged(incidentId, tier, 'process-a', at, entry)).toBe(true);
  };

  it('lists the paged rungs of this incident in paging order, not a claimed one or another incident’s', async () => {
    const incidentId = await declare('V1');
    const other = await declare('V2');
    expect(await store.escalations.pagedTiers(incidentId)).toEqual([]);
    await page(incidentId, 'Head of engineering', later(20 * 60_000));
    await page(incidentId, 'Team lead', later(10 * 60_000));
    await page(other, 'Team lead', later(5 * 60_000));
    await store.leases.claim({ kind: 'escalation', incidentId, tier: 'CTO' }, 'process-a', later(30 * 60_000), LEASE, []);
    expect(await store.escalations.pagedTiers(incidentId)).toEqual([
      { tier: 'Team lead', pagedAt: later(10 * 60_000) },
      { tier: 'Head of engineering', pagedAt: later(20 * 60_000) },
    ]);
    expect(await store.escalations.pagedTiers(other)).toEqual([{ tier: 'Team lead', pagedAt: later(5 * 60_000) }]);
  });
});
