/**
 * Moves the bot's data from its SQLite file to an empty PostgreSQL database: every table of the
 * schema, ids kept (Slack buttons carry them), in one transaction that is rolled back unless each
 * table's row count matches. Values travel through the two drizzle schemas, so each column is read
 * as SQLite stores it (ms integers, 0/1, JSON text) and written as PostgreSQL types it
 * (timestamptz, boolean, jsonb).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { getTableColumns, is, sql } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { DatabaseUnreachableError, openPostgres } from './postgres/db.js';
import * as postgresSchema from './postgres/schema.js';
import * as sqliteSchema from './sqlite/schema.js';
import { packagePath } from '../packageRoot.js';

export type MigrationRefusal = 'source_missing' | 'source_not_bot_database' | 'source_damaged' | 'source_behind' | 'source_ahead' | 'target_not_empty' | 'row_refused' | 'count_mismatch';

/** The move cannot (or did not) happen as asked; nothing was written to the target's tables. */
export class MigrationRefusedError extends Error {
  constructor(
    readonly code: MigrationRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'MigrationRefusedError';
  }
}

/** One table of the schema, as each database has it. */
export interface TablePair {
  name: string;
  sqlite: SQLiteTable;
  postgres: PgTable;
  /** The serial column whose sequence must move past the copied ids, if the table has one. */
  serialColumn: string | undefined;
}

export interface TableCount {
  table: string;
  sqlite: number;
  postgres: number;
}

const SQLITE_MIGRATIONS_FOLDER = packagePath('migrations');

/** The key the page's rowid is read under, next to the columns' own keys. */
const ROWID = '__rowid';

/** Rows per INSERT: the widest table (incidents, 27 columns) stays far under PostgreSQL's 65,535 parameters. */
const BATCH_ROWS = 500;

/** A large database's inserts run for a while; the bot's own 15 s limit is for its short statements. */
const STATEMENT_TIMEOUT_MS = 10 * 60_000;

/**
 * Every table of the two drizzle schemas (the modules' exports), paired by name, parents before the
 * tables that reference them. Throws when the schemas disagree (a table or column in one only): the
 * move would lose it.
 */
export function tablesToCopy(sqliteModule: Record<string, unknown> = sqliteSchema, postgresModule: Record<string, unknown> = postgresSchema): TablePair[] {
  const sqliteTables = new Map(Object.values(sqliteModule).filter((value) => is(value, SQLiteTable)).map((table) => [sqliteTableConfig(table).name, table]));
  const postgresTables = new Map(Object.values(postgresModule).filter((value) => is(value, PgTable)).map((table) => [pgTableConfig(table).name, table]));
  const differences = [
    ...[...sqliteTables.keys()].filter((name) => !postgresTables.has(name)).map((name) => `table ${name} is only in the SQLite schema`),
    ...[...postgresTables.keys()].filter((name) => !sqliteTables.has(name)).map((name) => `table ${name} is only in the PostgreSQL schema`),
  ];
  const pairs: TablePair[] = [];
  for (const [name, postgres] of postgresTables) {
    const sqlite = sqliteTables.get(name);
    if (!sqlite) continue;
    const sqliteColumns = columnNames(sqlite);
    const postgresColumns = columnNames(postgres);
    differences.push(
      ...sqliteColumns.filter((column) => !postgresColumns.includes(column)).map((column) => `column ${name}.${column} is only in the SQLite schema`),
      ...postgresColumns.filter((column) => !sqliteColumns.includes(column)).map((column) => `column ${name}.${column} is only in the PostgreSQL schema`),
    );
    const serial = pgTableConfig(postgres).columns.find((column) => column.columnType === 'PgSerial');
    pairs.push({ name, sqlite, postgres, serialColumn: serial?.name });
  }
  if (differences.length > 0) throw new Error(`the SQLite and PostgreSQL schemas differ: ${differences.join('; ')}`);
  return parentsFirst(pairs);
}

/** `key (sql_name)` of each column: the key carries the value across, the name is what each database stores. */
const columnNames = (table: SQLiteTable | PgTable) => Object.entries(getTableColumns(table)).map(([key, column]) => `${key} (${column.name})`);

function parentsFirst(pairs: TablePair[]): TablePair[] {
  const parentsOf = (pair: TablePair) => pgTableConfig(pair.postgres).foreignKeys.map((key) => pgTableConfig(key.reference().foreignTable).name).filter((name) => name !== pair.name);
  const ordered: TablePair[] = [];
  const placed = new Set<string>();
  while (ordered.length < pairs.length) {
    const ready = pairs.filter((pair) => !placed.has(pair.name) && parentsOf(pair).every((parent) => placed.has(parent)));
    if (ready.length === 0) throw new Error('the PostgreSQL schema has a cycle of foreign keys');
    for (const pair of ready) {
      ordered.push(pair);
      placed.add(pair.name);
    }
  }
  return ordered;
}

/**
 * The SQLite file, opened read-only and checked to be the bot's database at this version's schema.
 * Its caller closes it.
 */
function openSource(path: string): Database.Database {
  if (!existsSync(path)) throw new MigrationRefusedError('source_missing', `There is no database at ${path}: give the bot's SQLite file with --from, or run this where DATABASE_PATH names it.`);
  const source = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const names = new Set((source.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((row) => row.name));
    if (!names.has('__drizzle_migrations') || !names.has('incidents')) {
      throw new MigrationRefusedError('source_not_bot_database', `${path} is not the bot's database (it has no incidents table or no schema history): check --from or DATABASE_PATH.`);
    }
    // The bot's own check at start: a damaged page would otherwise fail the copy half-way with SQLite's bare message.
    const problems = (source.pragma('quick_check(3)') as { quick_check: string }[]).map((row) => row.quick_check).filter((line) => line !== 'ok');
    if (problems.length > 0) {
      throw new MigrationRefusedError('source_damaged', `${path} is damaged (${problems.join('; ').replace(/\s*\n\s*/g, ' ')}): copy the latest backup instead (--from <backup file>).`);
    }
    const applied = source.prepare('select created_at as at from __drizzle_migrations order by created_at').all() as { at: number }[];
    const known = readMigrationFiles({ migrationsFolder: SQLITE_MIGRATIONS_FOLDER });
    const lastApplied = applied.at(-1)?.at ?? 0;
    const lastKnown = known.at(-1)?.folderMillis ?? 0;
    if (lastApplied > lastKnown) {
      throw new MigrationRefusedError('source_ahead', `${path} was last used by a newer version of the bot than this one: run migrate-to-postgres from that version.`);
    }
    if (lastApplied < lastKnown) {
      throw new MigrationRefusedError(
        'source_behind',
        `${path} was last used by an older version of the bot (${applied.length} of ${known.length} schema changes applied): start this version of the bot once on it (npm start with DATABASE_PATH=${path}, without DATABASE_URL), stop it, then run this again.`,
      );
    }
    return source;
  } catch (error) {
    source.close();
    if (error instanceof Error && 'code' in error && error.code === 'SQLITE_NOTADB') {
      throw new MigrationRefusedError('source_not_bot_database', `${path} is not a SQLite database: check --from or DATABASE_PATH.`);
    }
    if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CORRUPT') {
      throw new MigrationRefusedError('source_damaged', `${path} is damaged (${error.message}): copy the latest backup instead (--from <backup file>).`);
    }
    throw error;
  }
}

/** Rows of the bot's tables already in the target, by table; tables not created yet count none. */
async function rowsAlreadyIn(query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>, tables: readonly TablePair[]): Promise<string[]> {
  const { rows } = await query(`select table_name as name from information_schema.tables where table_schema = current_schema()`);
  const existing = new Set(rows.map((row) => String(row.name)));
  const holding: string[] = [];
  for (const { name } of tables) {
    if (!existing.has(name)) continue;
    const { rows: found } = await query(`select exists (select 1 from "${name}") as found`);
    if (found[0]?.found === true) holding.push(name);
  }
  return holding;
}

const notEmpty = (tables: string[]) =>
  new MigrationRefusedError('target_not_empty', `The target database already holds the bot's data (rows in ${tables.join(', ')}): nothing was copied. Give an empty database (createdb a new one).`);

/**
 * A table's rows, BATCH_ROWS at a time in rowid order, decoded by the SQLite schema: memory stays
 * flat whatever the size of the file.
 */
function* pagesOf(reader: BetterSQLite3Database, table: SQLiteTable): Generator<Record<string, unknown>[]> {
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = reader
      .select({ ...getTableColumns(table), [ROWID]: sql<number>`rowid` })
      .from(table)
      .where(sql`rowid > ${after}`)
      .orderBy(sql`rowid`)
      .limit(BATCH_ROWS)
      .all() as Record<string, unknown>[];
    if (page.length === 0) return;
    after = page.at(-1)![ROWID] as number;
    yield page.map(({ [ROWID]: _rowid, ...row }) => row);
  }
}

/**
 * Copies the SQLite database at `sourcePath` into the PostgreSQL database at `targetUrl`, which
 * must hold none of the bot's rows. Returns each table's row count on both sides.
 */
export async function copySqliteToPostgres(sourcePath: string, targetUrl: string): Promise<TableCount[]> {
  const tables = tablesToCopy();
  const source = openSource(sourcePath);
  try {
    // Checked before migrating too, so a non-empty target's schema is not brought up to date either.
    const probe = new pg.Client({ connectionString: targetUrl, connectionTimeoutMillis: 10_000 });
    try {
      await probe.connect();
    } catch (error) {
      throw new DatabaseUnreachableError(targetUrl, error);
    }
    try {
      const holding = await rowsAlreadyIn((text) => probe.query(text), tables);
      if (holding.length > 0) throw notEmpty(holding);
    } finally {
      await probe.end();
    }

    const target = await openPostgres({ url: targetUrl, poolSize: 1, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    try {
      const reader = drizzle(source);
      // One read transaction: a consistent snapshot even if something writes the file meanwhile.
      source.exec('begin');
      try {
        return await target.db.transaction(async (tx) => {
          // A replica started on the target too early waits rather than writing between the check and the copy.
          await tx.execute(sql.raw(`lock table ${tables.map(({ name }) => `"${name}"`).join(', ')} in exclusive mode`));
          const holding = await rowsAlreadyIn(async (text) => tx.execute(sql.raw(text)), tables);
          if (holding.length > 0) throw notEmpty(holding);
          const counts: TableCount[] = [];
          for (const table of tables) {
            for (const rows of pagesOf(reader, table.sqlite)) {
              try {
                await tx.insert(table.postgres).values(rows);
              } catch (error) {
                // drizzle's own message is the whole statement and its parameters: the server's reason is the cause.
                const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
                throw new MigrationRefusedError(
                  'row_refused',
                  `PostgreSQL refused a row of table ${table.name} (${reason}): nothing was copied. PostgreSQL text cannot hold some values SQLite accepts, such as the character U+0000; correct that row in a copy of the file and give the copy with --from.`,
                );
              }
            }
            if (table.serialColumn) {
              const column = table.serialColumn;
              // SQLite's AUTOINCREMENT never hands out an id again, also of a row since deleted (a
              // removed drill): neither does PostgreSQL after this, so an old button never finds a new incident.
              const handedOut = (source.prepare('select seq from sqlite_sequence where name = ?').get(table.name) as { seq: number } | undefined)?.seq ?? 0;
              await tx.execute(
                sql.raw(`select setval(pg_get_serial_sequence('"${table.name}"', '${column}'), greatest(coalesce(max("${column}"), 0), ${Number(handedOut)}) + 1, false) from "${table.name}"`),
              );
            }
            const { n: inSqlite } = source.prepare(`select count(*) as n from "${table.name}"`).get() as { n: number };
            const { rows: counted } = await tx.execute(sql.raw(`select count(*)::int as n from "${table.name}"`));
            const inPostgres = Number(counted[0]?.n);
            if (inPostgres !== inSqlite) {
              throw new MigrationRefusedError(
                'count_mismatch',
                `Table ${table.name} has ${inSqlite} rows in SQLite but ${inPostgres} were written to PostgreSQL: everything was rolled back and the target is empty again. Check for triggers or rules on that table in the target database.`,
              );
            }
            counts.push({ table: table.name, sqlite: inSqlite, postgres: inPostgres });
          }
          return counts;
        });
      } finally {
        source.exec('rollback');
      }
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}
