/**
 * `npm run migrate-to-postgres`: a SQLite database filled through the real store is copied into an
 * empty PostgreSQL database, and the PostgreSQL store reads back exactly what the SQLite store
 * reads. Runs under `npm run test:postgres` only (vitest.config.ts leaves tests/postgres/ out).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { planAcknowledge, planResolve, planReviewDone, planStatusUpdate } from '../../src/domain/lifecycle.js';
import type { IncidentStore } from '../../src/ports.js';
import { openPostgres, type OpenPostgres } from '../../src/store/postgres/db.js';
import { postgresStore } from '../../src/store/postgres/index.js';
import { openDatabase } from '../../src/store/sqlite/db.js';
import { sqliteStore } from '../../src/store/sqlite/index.js';
import { copySqliteToPostgres, MigrationRefusedError, tablesToCopy } from '../../src/store/sqliteToPostgres.js';
import { onServer, TEST_DATABASE_PREFIX, TEST_DATABASE_URL } from '../support/testDatabase.js';
import { freePort } from '../support/throwawayPostgres.js';

if (!TEST_DATABASE_URL) throw new Error('tests/postgres/ need TEST_DATABASE_URL: run them with `npm run test:postgres`');
const serverUrl: string = TEST_DATABASE_URL;

const COMMAND = fileURLToPath(new URL('../../dist/cli/migrateToPostgres.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'migrate-to-postgres-'));
let created = 0;
const databases: string[] = [];
const opened: OpenPostgres[] = [];

/** A new, empty PostgreSQL database's URL. */
async function emptyDatabase(): Promise<string> {
  const name = `${TEST_DATABASE_PREFIX}m${process.pid}_${++created}`;
  await onServer(serverUrl, `create database ${name}`);
  databases.push(name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const openTarget = async (url: string) => {
  const database = await openPostgres({ url, poolSize: 2, statementTimeoutMs: 15_000 });
  opened.push(database);
  return database;
};

afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
  for (const name of databases.splice(0)) await onServer(serverUrl, `drop database if exists ${name} with (force)`);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const t0 = new Date('2026-11-24T02:00:00.123Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const declaration = (title: string, severity: 'SEV1' | 'SEV2' | 'SEV3' = 'SEV2', isPrivate = false) => ({ title, severity, impact: 'Checkout fails for some', commanderId: 'UBOB', isPrivate });

/** Incidents in every phase, with a row in every table, written through the store as the bot writes them. Returns the incident ids. */
async function fill(store: IncidentStore): Promise<number[]> {
  const { incidents, actions, reminders, escalations, leases, postmortems, journal, handledRequests, drills, replicas } = store;
  const declaring = (await incidents.recordDeclaration('V-declaring', declaration('Still being declared'), 'UALICE', at(0))).incident;
  const aborted = (await incidents.recordDeclaration('V-aborted', declaration('Never went live'), 'UALICE', at(1))).incident;
  await incidents.recordChannel(aborted.id, { id: 'C-ABORTED', name: 'incident-2026-11-24-never-went-live' }, at(1));
  await incidents.markAborted(aborted.id, 'Slack refused to invite the commander', at(2));

  const goLive = async (key: string, title: string, severity: 'SEV1' | 'SEV2' | 'SEV3', isPrivate: boolean, channel: string, drill?: Parameters<IncidentStore['incidents']['recordDeclaration']>[4]) => {
    const { incident } = await incidents.recordDeclaration(key, declaration(title, severity, isPrivate), 'UALICE', at(3), drill);
    await incidents.recordChannel(incident.id, { id: channel, name: `incident-2026-11-24-${channel.toLowerCase()}` }, at(3));
    await incidents.markLive(incident.id, {
      kickoffTs: '1700000000.000100',
      participants: [
        { userId: 'UALICE', role: 'declarer' },
        { userId: 'UBOB', role: 'commander' },
      ],
      firstEntry: { at: at(3), actorId: 'UALICE', kind: 'declared', text: `Declared ${severity}: ${title}`, data: { severity, nested: { list: [1, 'two', null], flag: true } } },
    });
    return incident.id;
  };
  const live = await goLive('V-live', 'Payments are down', 'SEV1', true, 'C-LIVE');
  const resolved = await goLive('V-resolved', 'Search is slow', 'SEV2', false, 'C-RESOLVED');
  const drill = await goLive('V-drill', 'Drill: database failover', 'SEV3', false, 'C-DRILL', {
    scenario: 'database-failover',
    script: [
      { afterMs: 0, speaker: 'Monitoring', text: 'Primary database unreachable' },
      { afterMs: 60_000, speaker: 'Support', text: 'Customers report errors' },
      { afterMs: 120_000, speaker: 'Monitoring', text: 'Replica promoted' },
    ],
  });

  await incidents.applyChange(live, (current) => planAcknowledge(current, at(4), 'UBOB'), { actorId: 'UBOB', at: at(4) });
  await incidents.applyChange(live, (current) => planStatusUpdate(current, { status: 'identified', whatChanged: 'Found the bad deploy', impact: 'All card payments', nextSteps: 'Roll back' }, at(5), 'UBOB'), {
    actorId: 'UBOB',
    at: at(5),
    participant: { userId: 'UCAROL', role: 'comms' },
  });
  await incidents.addParticipant(live, 'UDAVE', 'member', at(6));
  await incidents.markParticipantLeft(live, 'UDAVE', at(7));
  await incidents.addPinReaction(live, '1700000000.000200', 'UBOB', at(8));
  await incidents.addPinReaction(live, '1700000000.000200', 'UCAROL', at(8));
  await incidents.recordPinnedMessage(live, { at: at(8), actorId: 'UBOB', kind: 'pinned', text: 'The deploy at 01:55 changed the card gateway', messageTs: '1700000000.000200' });
  await incidents.appendTimeline(live, { at: at(9), actorId: null, kind: 'note', text: 'A note without data' });
  const item = await actions.add({ incidentId: live, text: 'Add a canary for the gateway', ownerId: 'UBOB', dueOn: '2026-12-01', createdBy: 'UBOB', createdAt: at(10) }, 'Action added');
  await actions.add({ incidentId: live, text: 'Write the runbook', ownerId: null, dueOn: null, createdBy: 'UALICE', createdAt: at(10) }, 'Action added');
  await actions.complete(item.id, 'UBOB', at(11));

  // A reminder sent, then a draft kept and an automatic send left pending (as after a crash).
  expect(await leases.claim({ kind: 'reminder', incidentId: live }, 'process-a', at(12), 60_000, [])).toBeDefined();
  await reminders.markSent(live, 'process-a', at(12));
  const draftId = await reminders.saveDraft(live, { status: 'identified', whatChanged: 'Still rolling back', impact: 'All card payments', nextSteps: 'Watch the error rate', basedOnUpdateAt: at(5), lastPersonUpdateAt: at(5), createdAt: at(13) });
  expect(await leases.claim({ kind: 'reminder', incidentId: live }, 'process-a', at(43), 60_000, [])).toBeDefined();
  await leases.markPending({ kind: 'reminder', incidentId: live }, 'process-a', 'reminder-key-1', at(43), { kind: 'automatic', draftId });
  await reminders.snooze(resolved, at(60));

  // One rung paged, one claimed and given up on until later.
  expect(await leases.claim({ kind: 'escalation', incidentId: live, tier: 'on-call' }, 'process-a', at(14), 60_000, [])).toBeDefined();
  await escalations.markPaged(live, 'on-call', 'process-a', at(14), { at: at(14), actorId: null, kind: 'escalated', text: 'Paged on-call' });
  expect(await leases.claim({ kind: 'escalation', incidentId: live, tier: 'leads' }, 'process-a', at(15), 60_000, [])).toBeDefined();
  await leases.release({ kind: 'escalation', incidentId: live, tier: 'leads' }, 'process-a', at(16));

  expect(await leases.claim({ kind: 'drill_step', incidentId: drill, step: 0 }, 'process-a', at(3), 60_000, [])).toBeDefined();
  await drills.markPosted(drill, 0, 'process-a', at(3));

  await incidents.applyChange(resolved, (current) => planResolve(current, { summary: 'Rolled back the index change', rootCause: 'A missing index' }, at(20)), { actorId: 'UBOB', at: at(20) });
  await incidents.applyChange(resolved, (current) => planReviewDone(current, at(30)), { actorId: 'UBOB', at: at(30) });
  // Its channel warned that it will be archived, then kept open.
  expect(await leases.claim({ kind: 'archive', incidentId: resolved }, 'process-a', at(31), 60_000, [])).toBeDefined();
  await store.archives.markWarned(resolved, 'process-a', at(31));
  expect(await store.archives.keepOpen(resolved, 'UCAROL', { at: at(32), actorId: 'UCAROL', kind: 'archive_postponed', text: 'Channel kept open', data: { until: at(40).toISOString() } })).toBe(true);
  // Someone opened the Home tab, and a change since made it stale.
  await store.appHome.recordOpened('UCAROL', at(32));
  await store.appHome.markStale(at(33));
  await postmortems.saveDraft(resolved, '# Search is slow\n\nA missing index.', at(21), 'F123', [
    { destination: 'webhook:feed', eventId: 'evt_1', payload: '{"event":"incident.postmortem_ready"}' },
    { destination: 'webhook:security', eventId: 'evt_1', payload: '{"event":"incident.postmortem_ready"}' },
  ]);
  await postmortems.saveDraft(live, '# Payments are down\n', at(22), null);
  const [feed] = await store.outbox.due(at(21), 1);
  await store.outbox.settle((await store.outbox.claim(feed!, 'process-a', at(60)))!, 'process-a', { state: 'pending', nextAttemptAt: at(40), lastError: 'HTTP 500', reported: null, at: at(22) });
  await postmortems.rememberName('UBOB', 'bob', at(2));
  await postmortems.rememberName('UALICE', 'alice', at(2));

  await journal.start({ what: 'declare', userId: 'UALICE', channelId: 'C-LIVE', incidentId: live, responseUrl: 'https://hooks.slack.test/1' }, at(23));
  await journal.start({ what: 'resolve', userId: 'UBOB' }, at(24));
  await journal.finish(await journal.start({ what: 'note', userId: 'UBOB' }, at(24)));
  // The highest incident id ever handed out belongs to a drill since removed.
  const removed = await goLive('V-removed-drill', 'Drill: removed', 'SEV3', false, 'C-REMOVED', { scenario: 'database-failover', script: [{ afterMs: 0, speaker: 'Monitoring', text: 'Alarm' }] });
  expect(await drills.remove(removed)).toBe(true);
  await handledRequests.firstTime('event:Ev001', at(25));
  await handledRequests.firstTime('view:V-live:hash', at(3));
  await replicas.beat({ owner: 'process-a', host: 'host-a', pid: 4242 }, at(26));
  const alert = (fingerprint: string) => ({
    source: 'alertmanager' as const,
    fingerprint,
    status: 'firing' as const,
    name: 'HighErrorRate',
    summary: 'Checkout 5xx above 5%',
    description: undefined,
    labels: { alertname: 'HighErrorRate', team_name: 'payments' },
    annotations: { runbook_url: 'https://runbooks.example.com/x' },
    links: [{ label: 'Runbook', url: 'https://runbooks.example.com/x' }],
  });
  const linked = (await store.alerts.recordFiring(alert('fp-linked'), at(2))).alert;
  await store.alerts.recordTriagePosted(linked.id, '1700000000.000100', at(3));
  await store.alerts.linkIncident(linked.id, live, 'UBOB');
  await store.alerts.recordFiring(alert('fp-linked'), at(4));
  await store.alerts.recordResolved('alertmanager', 'fp-linked', at(9));
  await store.alerts.dismiss((await store.alerts.recordFiring(alert('fp-dismissed'), at(5))).alert.id, 'UALICE');
  return [declaring.id, aborted.id, live, resolved, drill];
}

/** Everything the store's reads say about these incidents, for comparing two stores. */
async function everythingRead(store: IncidentStore, ids: number[]) {
  const { incidents, actions, reminders, escalations, leases, postmortems, journal, drills, replicas } = store;
  const perIncident = await Promise.all(
    ids.map(async (id) => ({
      incident: await incidents.findById(id),
      timeline: await incidents.timelineOf(id),
      participants: await incidents.participantsOf(id),
      actions: await actions.listFor(id),
      reminder: await reminders.stateOf(id),
      paged: await escalations.pagedTiers(id),
      drill: await drills.progress(id),
      postmortem: await postmortems.draftOf(id),
      archive: await store.archives.stateOf(id),
      alerts: await store.alerts.linkedTo(id),
      outbox: await store.outbox.listFor(id),
    })),
  );
  const unavailable = await escalations.unavailableRungs(ids, at(15), () => true);
  return {
    perIncident,
    alerts: await Promise.all([1, 2].map((id) => store.alerts.find(id))),
    open: await incidents.listOpen(),
    awaitingReview: await incidents.listAwaitingReview(['SEV1', 'SEV2']),
    reminders: [...(await reminders.allStates())].sort(([a], [b]) => a - b),
    drafts: await Promise.all([1, 2, 3].map((id) => reminders.findDraft(id))),
    unavailableRungs: [...unavailable].map(([id, tiers]) => [id, [...tiers].sort()]).sort(),
    holders: (await leases.holders(at(0))).sort(),
    dueDrillSteps: await drills.dueSteps(at(10)),
    dueSends: await store.outbox.due(at(50), 10),
    names: [...(await postmortems.namesOf(['UALICE', 'UBOB', 'UCAROL']))].sort(),
    journal: (await journal.othersEntries()).sort((a, b) => a.id - b.id),
    // process-a beat at 26: heard from since 20, silent since 27; process-b never beat.
    silentSince20: await replicas.silentSince(['process-a', 'process-b'], at(20)),
    silentSince27: (await replicas.silentSince(['process-a', 'process-b'], at(27))).sort(),
  };
}

async function filledSqlite(name: string): Promise<{ path: string; ids: number[] }> {
  const path = join(folder, `${name}.db`);
  const database = openDatabase(path);
  try {
    return { path, ids: await fill(sqliteStore(database.db, 'process-a')) };
  } finally {
    database.close();
  }
}

function sqliteCounts(path: string): Record<string, number> {
  const source = new Database(path, { readonly: true });
  try {
    const tables = (source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations'").all() as { name: string }[]).map((row) => row.name);
    return Object.fromEntries(tables.map((table) => [table, (source.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n]));
  } finally {
    source.close();
  }
}

/** The highest id SQLite's AUTOINCREMENT has handed out for a table, rows deleted since included. */
function lastIdHandedOut(path: string, table: string): number {
  const source = new Database(path, { readonly: true });
  try {
    return (source.prepare('select seq from sqlite_sequence where name = ?').get(table) as { seq: number }).seq;
  } finally {
    source.close();
  }
}

async function postgresCounts(database: OpenPostgres): Promise<Record<string, number>> {
  const { rows } = await database.db.execute<{ name: string }>(sql`select table_name as name from information_schema.tables where table_schema = 'public'`);
  const counts: Record<string, number> = {};
  for (const { name } of rows) counts[name] = Number((await database.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from "${name}"`))).rows[0]!.n);
  return counts;
}

/** Runs the built command in a folder of its own (no .env), with DATABASE_PATH as given. */
function runCommand(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [COMMAND, ...args], { cwd: folder, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run migrate-to-postgres', () => {
  it('copies every row of every table, ids kept, so the PostgreSQL store reads what the SQLite store read', async () => {
    const { path, ids } = await filledSqlite('full');
    const url = await emptyDatabase();
    const file = readFileSync(path);

    const counts = await copySqliteToPostgres(path, url);
    expect(readFileSync(path).equals(file)).toBe(true);

    const source = openDatabase(path);
    const fromSqlite = await everythingRead(sqliteStore(source.db, 'reader'), ids);
    source.close();
    const target = await openTarget(url);
    const fromPostgres = await everythingRead(postgresStore(target.db, 'reader'), ids);
    expect(fromPostgres).toEqual(fromSqlite);
    expect(fromSqlite.perIncident.map(({ incident }) => incident?.phase)).toEqual(['declaring', 'aborted', 'live', 'live', 'live']);
    expect(fromSqlite.perIncident[2]!.timeline.some((entry) => entry.data?.nested !== undefined)).toBe(true);
    expect(fromSqlite.journal).toHaveLength(2);

    // Raw counts: every table of both databases, none empty, equal table by table, as reported.
    const inSqlite = sqliteCounts(path);
    expect(Object.values(inSqlite).every((n) => n > 0)).toBe(true);
    expect(await postgresCounts(target)).toEqual(inSqlite);
    expect(Object.fromEntries(counts.map(({ table, sqlite, postgres }) => [table, [sqlite, postgres]]))).toEqual(Object.fromEntries(Object.entries(inSqlite).map(([table, n]) => [table, [n, n]])));
    expect(counts.map(({ table }) => table).sort()).toEqual(tablesToCopy().map(({ name }) => name).sort());

    // The sequences moved past every id SQLite handed out, also of rows since deleted (the removed
    // drill, incident 6; the finished journal entry, 3): new rows get fresh ids, nothing collides.
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    const store = postgresStore(target.db, 'after');
    const { incident, created } = await store.incidents.recordDeclaration('V-after', declaration('After the move'), 'UALICE', at(100));
    expect(created).toBe(true);
    expect(incident.id).toBe(7);
    const added = await store.actions.add({ incidentId: incident.id, text: 'A new action', ownerId: null, dueOn: null, createdBy: 'UALICE', createdAt: at(100) }, 'Action added');
    expect(added.id).toBe(3);
    expect(await store.reminders.saveDraft(incident.id, { status: 'investigating', whatChanged: 'x', impact: 'y', nextSteps: 'z', basedOnUpdateAt: null, lastPersonUpdateAt: null, createdAt: at(100) })).toBe(2);
    expect(await store.journal.start({ what: 'declare', userId: 'UALICE' }, at(100))).toBe(4);
    await store.incidents.appendTimeline(incident.id, { at: at(100), actorId: 'UALICE', kind: 'note', text: 'written after the move' });
    const newEntries = await store.incidents.timelineOf(incident.id);
    expect(newEntries.map(({ text }) => text)).toEqual(['Action added', 'written after the move']);
    const copiedEntryIds = fromSqlite.perIncident.flatMap(({ timeline }) => timeline.map(({ id }) => id));
    const lastEntryId = lastIdHandedOut(path, 'timeline_entries');
    expect(lastEntryId).toBeGreaterThan(Math.max(...copiedEntryIds));
    expect(newEntries.map(({ id }) => id)).toEqual([lastEntryId + 1, lastEntryId + 2]);
  });

  it('copies a table of many pages whole and in order', async () => {
    const path = join(folder, 'pages.db');
    const database = openDatabase(path);
    const store = sqliteStore(database.db, 'process-a');
    const { incident } = await store.incidents.recordDeclaration('V-pages', declaration('A long night'), 'UALICE', at(0));
    for (let note = 0; note < 1234; note++) await store.incidents.appendTimeline(incident.id, { at: at(note), actorId: 'UBOB', kind: 'note', text: `note ${note}`, data: { note } });
    const written = await store.incidents.timelineOf(incident.id);
    database.close();
    const url = await emptyDatabase();

    const counts = await copySqliteToPostgres(path, url);

    expect(counts.find(({ table }) => table === 'timeline_entries')).toEqual({ table: 'timeline_entries', sqlite: 1234, postgres: 1234 });
    const target = await openTarget(url);
    expect(await postgresStore(target.db, 'reader').incidents.timelineOf(incident.id)).toEqual(written);
  });

  it('refuses a target that already holds rows of the bot, and leaves it untouched', async () => {
    const { path } = await filledSqlite('refused');
    const url = await emptyDatabase();
    const target = await openTarget(url);
    await postgresStore(target.db, 'replica').handledRequests.firstTime('event:EvEARLY', at(0));
    const before = await postgresCounts(target);

    const refusal = await copySqliteToPostgres(path, url).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MigrationRefusedError);
    expect(refusal).toMatchObject({ code: 'target_not_empty', message: expect.stringContaining('rows in handled_requests') });
    expect(await postgresCounts(target)).toEqual(before);
    expect(before).toMatchObject({ handled_requests: 1, incidents: 0 });
  });

  it('rolls everything back and names the table when a count does not match', async () => {
    const { path } = await filledSqlite('mismatch');
    const url = await emptyDatabase();
    const target = await openTarget(url);
    // A rule that silently drops the rows written to one table: the copy must not trust the inserts.
    await target.db.execute(sql.raw('create rule drop_people as on insert to people do instead nothing'));

    const refusal = await copySqliteToPostgres(path, url).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'count_mismatch', message: expect.stringMatching(/^Table people has 2 rows in SQLite but 0 were written/) });
    const after = await postgresCounts(target);
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
  });

  it('copies nothing when PostgreSQL refuses a row, and names its table and the reason', async () => {
    const { path } = await filledSqlite('refused-row');
    const file = new Database(path);
    file.prepare("update timeline_entries set text = ? where kind = 'pinned'").run('a NUL \u0000 typed in');
    file.close();
    const url = await emptyDatabase();

    const refusal = await copySqliteToPostgres(path, url).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'row_refused', message: expect.stringMatching(/^PostgreSQL refused a row of table timeline_entries \(invalid byte sequence for encoding "UTF8": 0x00\): nothing was copied\./) });
    const target = await openTarget(url);
    expect(Object.values(await postgresCounts(target)).every((n) => n === 0)).toBe(true);
  });

  it('refuses a SQLite file that is not the bot database, is damaged, or whose schema is behind or ahead of this version', async () => {
    const other = join(folder, 'other.db');
    const unrelated = new Database(other);
    unrelated.exec('create table notes (id integer primary key, text text)');
    unrelated.close();
    const notSqlite = join(folder, 'notes.txt');
    writeFileSync(notSqlite, 'not a database, just text that is long enough to have a header page '.repeat(20));
    const { path: behind } = await filledSqlite('behind');
    const older = new Database(behind);
    older.exec('delete from __drizzle_migrations where created_at = (select max(created_at) from __drizzle_migrations)');
    older.close();
    const { path: newer } = await filledSqlite('newer');
    const later = new Database(newer);
    later.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('a later version', Date.parse('2099-01-01'));
    later.close();
    const url = await emptyDatabase();

    const { path: damaged } = await filledSqlite('damaged');
    const pages = openSync(damaged, 'r+');
    writeSync(pages, Buffer.alloc(4096, 0x5a), 0, 4096, 4096 * 3);
    closeSync(pages);

    await expect(copySqliteToPostgres(damaged, url)).rejects.toMatchObject({ code: 'source_damaged', message: expect.stringMatching(/ is damaged \(.+\): copy the latest backup instead \(--from <backup file>\)\.$/) });
    await expect(copySqliteToPostgres(newer, url)).rejects.toMatchObject({ code: 'source_ahead', message: expect.stringContaining('run migrate-to-postgres from that version') });
    await expect(copySqliteToPostgres(other, url)).rejects.toMatchObject({ code: 'source_not_bot_database' });
    await expect(copySqliteToPostgres(notSqlite, url)).rejects.toMatchObject({ code: 'source_not_bot_database', message: `${notSqlite} is not a SQLite database: check --from or DATABASE_PATH.` });
    await expect(copySqliteToPostgres(join(folder, 'missing.db'), url)).rejects.toMatchObject({ code: 'source_missing' });
    await expect(copySqliteToPostgres(behind, url)).rejects.toMatchObject({ code: 'source_behind', message: expect.stringContaining('start this version of the bot once on it') });
    // Checked before anything is done to the target: not even its schema is created.
    expect(await postgresTableCount(url)).toBe(0);
  });

  it('as a command: prints the counts and exits 0, then refuses the same target with one line and exit 1', async () => {
    const { path } = await filledSqlite('command');
    const url = new URL(await emptyDatabase());
    url.password = 'hunter2-secret';

    const first = runCommand([url.toString()], { DATABASE_PATH: path });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^ {2}incidents +5 in SQLite +5 in PostgreSQL$/m);
    expect(first.stdout).toMatch(new RegExp(`Copied ${tablesToCopy().length} tables, \\d+ rows, in \\d+ ms; every table.s count matches\\.`));
    expect(first.stdout).toContain(':***@');
    expect(first.stdout).not.toContain('hunter2');

    const second = runCommand([url.toString(), '--from', path]);
    expect(second.status).toBe(1);
    expect(second.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^The target database already holds the bot's data \(rows in .*incidents.*\): nothing was copied\./)]);
  });

  it('as a command: an unreachable server or a missing database is one line naming the URL without its password, exit 1', async () => {
    const { path } = await filledSqlite('unreachable');
    const port = await freePort();
    const unreachable = runCommand([`postgres://bot:hunter2-secret@127.0.0.1:${port}/incidents`, '--from', path]);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toBe(`cannot connect to PostgreSQL at postgres://bot:***@127.0.0.1:${port}/incidents (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}\n`);

    const missing = new URL(serverUrl);
    missing.pathname = '/no_such_database';
    missing.password = 'hunter2-secret';
    const noDatabase = runCommand([missing.toString(), '--from', path]);
    expect(noDatabase.status).toBe(1);
    expect(noDatabase.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@.*\/no_such_database \(DATABASE_URL\): database "no_such_database" does not exist$/)]);

    const notAUrl = runCommand(['mysql://bot:hunter2-secret@db/incidents', '--from', path]);
    expect(notAUrl.status).toBe(1);
    expect(notAUrl.stderr).toBe('mysql://bot:***@db/incidents is not a PostgreSQL URL: give one such as postgres://user:password@host:5432/incidents.\n');
  });
});

async function postgresTableCount(url: string): Promise<number> {
  const database = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_catalog = $1", [database]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}
