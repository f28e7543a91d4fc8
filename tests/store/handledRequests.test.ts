import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HANDLED_REQUEST_RETENTION_MS } from '../../src/store/retention.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

describe('the record of handled requests', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(() => database.close());

  const keys = async () => (await database.rows<{ key: string }>('select key from handled_requests order by key')).map((row) => row.key);
  const start = new Date('2026-11-24T02:00:00Z');
  const later = (ms: number) => new Date(start.getTime() + ms);

  it('says a key is new once, also to a second repository on the same database', async () => {
    const handled = database.store('a process').handledRequests;
    expect(await handled.firstTime('event:Ev1', start)).toBe(true);
    expect(await handled.firstTime('event:Ev1', later(5 * 60_000))).toBe(false);
    expect(await database.store('another process').handledRequests.firstTime('event:Ev1', later(6 * 60_000))).toBe(false);
    expect(await handled.firstTime('event:Ev2', later(6 * 60_000))).toBe(true);
  });

  it('tells exactly one of three replicas given the same event at the same moment that it is new', async () => {
    const replicas = ['replica-a', 'replica-b', 'replica-c'].map((owner) => database.store(owner).handledRequests);
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(replicas.map((handled) => handled.firstTime(`event:Ev${round}`, start)));
      expect(answers.filter(Boolean)).toHaveLength(1);
    }
  });

  it('forgets keys older than a day, pruning at most once an hour', async () => {
    const handled = database.store('a process').handledRequests;
    const day = HANDLED_REQUEST_RETENTION_MS;
    await handled.firstTime('event:old', start);
    await handled.firstTime('event:recent', later(30 * 60_000));
    await handled.firstTime('event:a', later(day + 10 * 60_000));
    expect(await keys()).toEqual(['event:a', 'event:recent']);
    // Half an hour since the last pruning: 'recent' is over a day old now, but waits for the next one.
    await handled.firstTime('event:b', later(day + 40 * 60_000));
    expect(await keys()).toEqual(['event:a', 'event:b', 'event:recent']);
    await handled.firstTime('event:c', later(day + 70 * 60_000));
    expect(await keys()).toEqual(['event:a', 'event:b', 'event:c']);
  });

  it('starts a journal entry with the request recorded, once: a repeat writes nothing and gets no entry', async () => {
    const journal = database.store('a process').journal;
    const entry = { what: 'add the note', userId: 'UALICE', channelId: 'C1', responseUrl: 'https://hooks.slack.test/1' };
    const id = await journal.startFirstDelivery('command:T1', entry, start);
    expect(id).toEqual(expect.any(Number));
    expect(await keys()).toEqual(['command:T1']);
    expect(await database.store('another process').journal.startFirstDelivery('command:T1', entry, later(1000))).toBeUndefined();
    const entries = await database.store('a third process').journal.othersEntries();
    expect(entries.map((work) => [work.id, work.owner, work.what])).toEqual([[id, 'a process', 'add the note']]);
    // The record of the request outlives its entry: a retry after the work is done is still a repeat.
    await journal.finish(id!);
    expect(await journal.startFirstDelivery('command:T1', entry, later(2000))).toBeUndefined();
    expect(await database.store('another process').handledRequests.firstTime('command:T1', later(3000))).toBe(false);
  });

  it('gives exactly one of three replicas starting the same request at the same moment a journal entry', async () => {
    const journals = ['replica-a', 'replica-b', 'replica-c'].map((owner) => database.store(owner).journal);
    for (let round = 0; round < 10; round++) {
      const ids = await Promise.all(journals.map((journal) => journal.startFirstDelivery(`command:T${round}`, { what: 'add the note', userId: 'UALICE' }, start)));
      expect(ids.filter((id) => id !== undefined)).toHaveLength(1);
    }
    expect(await database.store('an observer').journal.othersEntries()).toHaveLength(10);
  });
});
