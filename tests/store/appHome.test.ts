import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

describe('the Home tab records', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(() => database.close());

  const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 2, 0, second));

  it('publishes a Home once per version: never published is stale, published is current until a change', async () => {
    const home = database.store('a process').appHome;
    await home.recordOpened('UCAROL', at(0));
    await home.recordOpened('UCAROL', at(1)); // opening again changes nothing
    const first = await home.claimPublish('UCAROL');
    expect(first).toBe(0);
    expect(await home.claimPublish('UCAROL')).toBeUndefined();
    await home.markStale(at(5));
    expect(await home.claimPublish('UCAROL')).toBe(1);
    expect(await home.claimPublish('UCAROL')).toBeUndefined();
    expect(await home.claimPublish('UNOBODY')).toBeUndefined();
  });

  it('publishes a burst of changes once, at the time the first change set', async () => {
    const home = database.store('a process').appHome;
    await home.recordOpened('UCAROL', at(0));
    await home.recordOpened('UDAVE', at(0));
    await home.claimPublish('UCAROL');
    await home.markStale(at(3));
    await home.markStale(at(4));
    await home.markStale(at(5));
    expect(await home.dueViewers(at(2), 10)).toEqual([]);
    expect((await home.dueViewers(at(3), 10)).sort()).toEqual(['UCAROL', 'UDAVE']);
    expect(await home.claimPublish('UCAROL')).toBe(3);
    expect(await home.dueViewers(at(10), 10)).toEqual(['UDAVE']);
  });

  it('of two processes claiming the same stale Home, one publishes it', async () => {
    await database.store('one').appHome.recordOpened('UCAROL', at(0));
    const claims = await Promise.all([database.store('one').appHome.claimPublish('UCAROL'), database.store('two').appHome.claimPublish('UCAROL')]);
    expect(claims.filter((claim) => claim !== undefined)).toEqual([0]);
  });

  it('a publish Slack refused leaves the Home stale, but not one a later change already took over', async () => {
    const home = database.store('a process').appHome;
    await home.recordOpened('UCAROL', at(0));
    const version = (await home.claimPublish('UCAROL'))!;
    await home.publishFailed('UCAROL', version);
    const again = (await home.claimPublish('UCAROL'))!;
    expect(again).toBe(version);
    await home.markStale(at(1));
    const newer = (await home.claimPublish('UCAROL'))!;
    await home.publishFailed('UCAROL', again); // the older attempt's failure: the newer publish stands
    expect(await home.claimPublish('UCAROL')).toBeUndefined();
    expect(newer).toBe(1);
  });
});
