/**
 * The database a test runs on: an in-memory SQLite, or, under `npm run test:postgres`
 * (TEST_DATABASE_URL set), a fresh PostgreSQL database created for it and dropped on close.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { IncidentStore } from '../../src/ports.js';
import { openPostgres, type OpenPostgres } from '../../src/store/postgres/db.js';
import { postgresStore } from '../../src/store/postgres/index.js';
import { openDatabase, type DatabaseHealth, type OpenDatabase } from '../../src/store/sqlite/db.js';
import { sqliteStore } from '../../src/store/sqlite/index.js';

/** The server test:postgres runs on; undefined under `npm test`. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase {
  /** A store on this database, as a process named `owner` has it. */
  store(owner: string): IncidentStore;
  /** The rows a query returns: for checks of what was stored. */
  rows<T = Record<string, unknown>>(query: string): Promise<T[]>;
  /** Every row of every table of the bot's schema, by table. */
  allRows(): Promise<Record<string, unknown[]>>;
  health(): DatabaseHealth | Promise<DatabaseHealth>;
  /** The SQLite database, for tests of what only SQLite has (a file, its faults); undefined on PostgreSQL. */
  sqlite: OpenDatabase | undefined;
  /** The PostgreSQL database, undefined on SQLite. */
  postgres: OpenPostgres | undefined;
  close(): Promise<void>;
}

let created = 0;
/** On PostgreSQL, the database standing for each SQLite file a test named: bots given one path share it, as processes share a file. */
const databaseOfFile = new Map<string, string>();

/** Test databases are named so: tests/support/postgresTeardown.ts drops whatever a run leaves. */
export const TEST_DATABASE_PREFIX = 't_';

/**
 * A migrated database; SQLite at `sqlitePath` (default in memory) unless TEST_DATABASE_URL is set.
 * On PostgreSQL, a fresh database for `:memory:`, dropped on close; for a file path, the same
 * database each time that path is given (a restart or a second process on one file), kept until
 * the end of the run.
 */
export async function openTestDatabase(sqlitePath = ':memory:'): Promise<TestDatabase> {
  if (TEST_DATABASE_URL) return openPostgresTestDatabase(TEST_DATABASE_URL, sqlitePath === ':memory:' ? undefined : sqlitePath);
  const database = openDatabase(sqlitePath);
  const rows = async <T>(query: string) => database.db.all<T>(sql.raw(query));
  return {
    store: (owner) => sqliteStore(database.db, owner),
    rows,
    async allRows() {
      const tables = await rows<{ name: string }>("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name");
      return Object.fromEntries(await Promise.all(tables.map(async ({ name }) => [name, await rows(`select * from "${name}"`)])));
    },
    health: () => database.health(),
    sqlite: database,
    postgres: undefined,
    close: async () => database.close(),
  };
}

async function openPostgresTestDatabase(serverUrl: string, file: string | undefined): Promise<TestDatabase> {
  const shared = file === undefined ? undefined : databaseOfFile.get(file);
  const name = shared ?? `${TEST_DATABASE_PREFIX}${process.pid}_${++created}`;
  if (!shared) await onServer(serverUrl, `create database ${name} template ${await migratedTemplate(serverUrl)}`);
  if (file !== undefined) databaseOfFile.set(file, name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres({ url: url.toString(), poolSize: 5, statementTimeoutMs: 15_000 });
  const rows = async <T>(query: string) => (await database.db.execute(sql.raw(query))).rows as T[];
  return {
    store: (owner) => postgresStore(database.db, owner),
    rows,
    async allRows() {
      const tables = await rows<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' order by table_name");
      // Ordered by every column: PostgreSQL returns rows in no particular order, SQLite in the order stored.
      return Object.fromEntries(await Promise.all(tables.map(async ({ name }) => [name, await rows(`select * from "${name}" as t order by t`)])));
    },
    health: () => database.health(),
    sqlite: undefined,
    postgres: database,
    async close() {
      await database.close();
      if (file === undefined) await onServer(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

let template: Promise<string> | undefined;

/**
 * A database migrated once per test process, copied for each test database: a copy is a file
 * copy, where migrating each one made dozens of bots starting at once wait on the server for seconds.
 */
function migratedTemplate(serverUrl: string): Promise<string> {
  template ??= (async () => {
    const name = `${TEST_DATABASE_PREFIX}${process.pid}_template`;
    await onServer(serverUrl, `create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    // Closed at once: PostgreSQL copies only a database nobody is connected to.
    await (await openPostgres({ url: url.toString(), poolSize: 1, statementTimeoutMs: 15_000 })).close();
    return name;
  })();
  return template;
}

/** One statement on the server's own database (creating and dropping test databases). */
export async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
