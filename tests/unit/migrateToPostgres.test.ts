/** What `npm run migrate-to-postgres` does without a database: its arguments, and which tables it copies in which order. */
import { is } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, integer as pgInteger, PgTable, pgTable, text as pgText } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, integer, SQLiteTable, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/cliSupport.js';
import { MIGRATE_USAGE, migrateArguments } from '../../src/cli/migrateToPostgresArguments.js';
import * as postgresSchema from '../../src/store/postgres/schema.js';
import * as sqliteSchema from '../../src/store/sqlite/schema.js';
import { tablesToCopy } from '../../src/store/sqliteToPostgres.js';

const URL_ = 'postgres://bot:secret@db.internal:5432/incidents';

describe('migrate-to-postgres arguments', () => {
  it('copies the file given with --from, else DATABASE_PATH, else the default path', () => {
    expect(migrateArguments([URL_, '--from', 'backups/old.db'], { DATABASE_PATH: 'data/live.db' })).toEqual({ help: false, url: URL_, from: 'backups/old.db' });
    expect(migrateArguments(['--from=backups/old.db', URL_], {})).toEqual({ help: false, url: URL_, from: 'backups/old.db' });
    expect(migrateArguments([URL_], { DATABASE_PATH: 'data/live.db' })).toEqual({ help: false, url: URL_, from: 'data/live.db' });
    expect(migrateArguments([URL_], { DATABASE_PATH: '  ' })).toEqual({ help: false, url: URL_, from: './data/incidents.db' });
    expect(migrateArguments([URL_], {})).toEqual({ help: false, url: URL_, from: './data/incidents.db' });
  });

  it('answers --help with the usage, which says where the SQLite file is taken from', () => {
    expect(migrateArguments(['--help'], {})).toEqual({ help: true });
    expect(migrateArguments(['-h', URL_], {})).toEqual({ help: true });
    expect(MIGRATE_USAGE).toMatch(/--from <file>/);
    expect(MIGRATE_USAGE).toMatch(/else the\s+one DATABASE_PATH names/);
  });

  it('refuses a missing or extra URL, an unknown option, and a URL that is not PostgreSQL, without printing a password', () => {
    const mistake = (args: string[]) => {
      try {
        migrateArguments(args, {});
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error(`${args.join(' ')} was accepted`);
    };
    expect(mistake([])).toBe(MIGRATE_USAGE);
    expect(mistake([URL_, URL_])).toBe(MIGRATE_USAGE);
    expect(mistake([URL_, '--force'])).toMatch(/^Unknown option '--force'.*\nUsage: npm run migrate-to-postgres/s);
    expect(mistake([URL_, '--from'])).toMatch(/--from/);
    expect(mistake(['mysql://bot:secret@db/incidents'])).toBe('mysql://bot:***@db/incidents is not a PostgreSQL URL: give one such as postgres://user:password@host:5432/incidents.');
    expect(mistake(['data/incidents.db'])).toBe('(an unreadable URL) is not a PostgreSQL URL: give one such as postgres://user:password@host:5432/incidents.');
  });
});

describe('the tables migrate-to-postgres copies', () => {
  const namesIn = (module: Record<string, unknown>) =>
    Object.values(module).flatMap((value) => (is(value, SQLiteTable) ? [sqliteTableConfig(value).name] : is(value, PgTable) ? [pgTableConfig(value).name] : [])).sort();

  it('are every table of both schemas', () => {
    const copied = tablesToCopy().map(({ name }) => name);
    expect(copied.slice().sort()).toEqual(namesIn(sqliteSchema));
    expect(copied.slice().sort()).toEqual(namesIn(postgresSchema));
    expect(copied).toHaveLength(18);
  });

  it('come parents first, with the serial ids whose sequences move past the copied ones', () => {
    const tables = tablesToCopy();
    const position = (name: string) => tables.findIndex((table) => table.name === name);
    for (const table of tables) {
      for (const key of pgTableConfig(table.postgres).foreignKeys) expect(position(pgTableConfig(key.reference().foreignTable).name)).toBeLessThan(position(table.name));
    }
    expect(Object.fromEntries(tables.filter(({ serialColumn }) => serialColumn).map(({ name, serialColumn }) => [name, serialColumn]))).toEqual({
      incidents: 'id',
      timeline_entries: 'id',
      action_items: 'id',
      status_drafts: 'id',
      work_in_progress: 'id',
      alerts: 'id',
      outbox: 'id',
    });
  });

  it('cannot be listed when a table or a column is in one schema only', () => {
    const notes = sqliteTable('notes', { id: integer('id').primaryKey(), text: text('text') });
    expect(() => tablesToCopy({ ...sqliteSchema, notes }, postgresSchema)).toThrow('the SQLite and PostgreSQL schemas differ: table notes is only in the SQLite schema');
    const people = pgTable('people', { userId: pgText('user_id').primaryKey(), name: pgText('name').notNull(), updatedAt: pgText('updated_at'), age: pgInteger('age') });
    expect(() => tablesToCopy(sqliteSchema, { ...postgresSchema, people })).toThrow('column people.age (age) is only in the PostgreSQL schema');
  });
});
