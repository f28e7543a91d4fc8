/**
 * What only the PostgreSQL store has: migrations under an advisory lock, /health while the
 * database is gone, and races SQLite cannot have (it runs one write transaction at a time). Runs under `npm run test:postgres` only (vitest.config.ts leaves tests/postgres/ out).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres, type OpenPostgres } from '../../src/store/postgres/db.js';
import { postgresStore } from '../../src/store/postgres/index.js';
import { tablesToCopy } from '../../src/store/sqliteToPostgres.js';
import { getHealth } from '../support/inProcess.js';
import { REPO_ROOT } from '../support/launcher.js';
import { onServer, TEST_DATABASE_PREFIX, TEST_DATABASE_URL } from '../support/testDatabase.js';

if (!TEST_DATABASE_URL) throw new Error('tests/postgres/ need TEST_DATABASE_URL: run them with `npm run test:postgres`');
const serverUrl: string = TEST_DATABASE_URL;

let created = 0;
const opened: OpenPostgres[] = [];
const databases: string[] = [];

/** A new, empty database's URL. */
async function emptyDatabase(): Promise<string> {
  const name = `${TEST_DATABASE_PREFIX}p${process.pid}_${++created}`;
  await onServer(serverUrl, `create database ${name}`);
  databases.push(name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const open = async (url: string) => {
  const database = await openPostgres({ url, poolSize: 3, statementTimeoutMs: 5_000 });
  opened.push(database);
  return database;
};

afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
  for (const name of databases.splice(0)) await onServer(serverUrl, `drop database if exists ${name} with (force)`);
});

describe('the PostgreSQL store', () => {
  it('is migrated once when replicas start together: the others wait for the lock, then find nothing to do', async () => {
    const url = await emptyDatabase();
    const replicas = await Promise.all([open(url), open(url), open(url), open(url)]);
    const { rows } = await replicas[0]!.db.execute(sql`select count(*)::int as applied from drizzle.__drizzle_migrations`);
    // Each migration of migrations/postgres/ applied once, not once per replica.
    expect(rows).toEqual([{ applied: JSON.parse(readFileSync(join(REPO_ROOT, 'migrations/postgres/meta/_journal.json'), 'utf8')).entries.length }]);
    const { rows: tables } = await replicas[3]!.db.execute(sql`select count(*)::int as tables from information_schema.tables where table_schema = 'public'`);
    // Every table of the schema, created once.
    expect(tables).toEqual([{ tables: tablesToCopy().length }]);
  });

  it('answers /health with 503 while its database is gone', async () => {
    const url = await emptyDatabase();
    const database = await open(url);
    expect(await getHealth(database)).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });
    const name = databases[databases.length - 1]!;
    await onServer(serverUrl, `drop database ${name} with (force)`);
    const health = await getHealth(database);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unavailable', database: 'unreachable', detail: expect.stringMatching(/^PostgreSQL \(DATABASE_URL\): /) });
  });

  it('takes a message off the timeline when its last two pins are removed at once by two replicas', async () => {
    const url = await emptyDatabase();
    const [a, b] = await Promise.all([open(url), open(url)]);
    const [replicaA, replicaB] = [postgresStore(a.db, 'replica-a'), postgresStore(b.db, 'replica-b')];
    const at = new Date('2026-11-24T02:00:00Z');
    const { incident } = await replicaA.incidents.recordDeclaration('V1', { title: 'Queue backlog', severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', at);
    for (let round = 0; round < 20; round++) {
      const messageTs = `1700000000.${String(round).padStart(6, '0')}`;
      await replicaA.incidents.addPinReaction(incident.id, messageTs, 'UALICE', at);
      await replicaA.incidents.addPinReaction(incident.id, messageTs, 'UBOB', at);
      await replicaA.incidents.recordPinnedMessage(incident.id, { at, actorId: 'UALICE', kind: 'pinned', text: 'a pinned message', messageTs });
      const left = await Promise.all([replicaA.incidents.removePinReaction(incident.id, messageTs, 'UALICE'), replicaB.incidents.removePinReaction(incident.id, messageTs, 'UBOB')]);
      expect(left.filter(Boolean)).toHaveLength(1);
    }
    expect(await replicaB.incidents.timelineOf(incident.id)).toEqual([]);
  });
});
