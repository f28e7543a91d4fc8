import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Declaration } from '../../src/domain/declaration.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

describe('an incident\'s type and custom fields in the store', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(() => database.close());

  const at = new Date('2026-11-26T14:00:00Z');
  const declaration: Declaration = { title: 'Leaked token', severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: true };

  it('keeps the type and each kind of value as declared, field keys as written', async () => {
    const store = database.store('a process');
    const fields = { customer_tier: 'enterprise', records: 1200.5, regions: ['eu-west', 'us-east'], owner: 'UCAROL', 'Found-on': '2026-11-25' };
    const { incident } = await store.incidents.recordDeclaration('V1', { ...declaration, type: 'security', fields }, 'UALICE', at);
    expect(incident).toMatchObject({ type: 'security', fields });
    expect(await database.store('another process').incidents.findById(incident.id)).toMatchObject({ type: 'security', fields });
  });

  it('reads an incident declared without a type as having none and no fields', async () => {
    const store = database.store('a process');
    const { incident } = await store.incidents.recordDeclaration('V2', declaration, 'UALICE', at);
    expect(await store.incidents.findById(incident.id)).toMatchObject({ type: null, fields: {} });
  });
});
