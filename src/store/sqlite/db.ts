import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { DatabaseFaultError } from '../faults.js';
import { DatabaseDamagedError, DatabaseOpenError, type DatabaseHealth } from '../errors.js';
import * as schema from './schema.js';
import { packagePath } from '../../packageRoot.js';

// Also exported here, beside the driver that raises them; code that only names them imports src/store/errors.ts, which loads no driver.
export { DatabaseDamagedError, DatabaseOpenError, type DatabaseHealth };

/** SQLite's codes for a database that cannot be used as it is, whatever the statement. */
const FAULT_CODES = /^SQLITE_(FULL|IOERR|CORRUPT|NOTADB|READONLY|CANTOPEN)/;

const sqliteCodeOf = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' && FAULT_CODES.test(error.code) ? error.code : undefined;

/** With the driver's own connection (`$client`), for the few statements prepared outside drizzle. */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabase {
  db: Db;
  /** Cheap enough for an uptime checker to call every few seconds. */
  health(): DatabaseHealth;
  close(): void;
}

const MIGRATIONS_FOLDER = packagePath('migrations');

/** /health writes to the database at most this often to notice, while the bot is idle, that it no longer can. */
const WRITE_PROBE_INTERVAL_MS = 30_000;

/** Opens (creating if needed) the database, checks it is not damaged and brings its schema up to date; safe to run on every start. */
export function openDatabase(path: string): OpenDatabase {
  let sqlite: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path);
  } catch (error) {
    throw new DatabaseOpenError(path, error);
  }
  try {
    // WAL lets /health and readers run while a write is in progress; the busy timeout makes a second
    // process (or a backup) wait for the lock instead of failing at once.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    checkIntegrity(sqlite, path);
  } catch (error) {
    sqlite.close();
    const code = sqliteCodeOf(error);
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') throw new DatabaseDamagedError(path, (error as Error).message);
    throw error;
  }
  const fileProblem = watchFile(path);
  const faults = new FaultMemory(fileProblem);
  guardStatements(sqlite, faults);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  let lastProbeAt = 0;

  return {
    db,
    health() {
      const gone = fileProblem();
      if (gone) return { ok: false, database: gone.fault === 'file_missing' ? 'missing' : 'replaced', detail: gone.detail };
      // Not sooner after a failed write either: a one-page probe may fit where a real write did not.
      if (Date.now() - Math.max(lastProbeAt, faults.last?.at ?? 0) >= WRITE_PROBE_INTERVAL_MS) {
        lastProbeAt = Date.now();
        probeWrite(sqlite);
      }
      if (faults.last) return { ok: false, database: 'unwritable', detail: faults.last.problem };
      try {
        sqlite.prepare('select 1').get();
        return { ok: true, database: 'ok' };
      } catch (error) {
        return { ok: false, database: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
      }
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** SQLite's quick check: every page readable and well-formed, in milliseconds for a bot's database. */
function checkIntegrity(sqlite: Database.Database, path: string): void {
  const problems = (sqlite.pragma('quick_check(3)') as { quick_check: string }[]).map((row) => row.quick_check).filter((line) => line !== 'ok');
  if (problems.length > 0) throw new DatabaseDamagedError(path, problems.join('; '));
}

/**
 * Whether the path still names the file opened: after it is deleted or replaced, SQLite keeps
 * writing to the open file, which nobody will open again. One `stat`, a few microseconds.
 */
function watchFile(path: string): () => { fault: 'file_missing' | 'file_replaced'; detail: string } | undefined {
  if (path === ':memory:') return () => undefined;
  const identity = () => {
    try {
      const stat = statSync(path);
      return `${stat.dev}:${stat.ino}`;
    } catch {
      return undefined;
    }
  };
  const opened = identity();
  return () => {
    const now = identity();
    if (!now) return { fault: 'file_missing', detail: `${path} no longer exists; put it back or restart the bot` };
    if (now !== opened) return { fault: 'file_replaced', detail: `${path} was replaced while the bot ran; restart the bot to use the new file` };
    return undefined;
  };
}

/** A one-page write (the header's user_version, rewritten as it is); its failure is remembered like any other. */
function probeWrite(sqlite: Database.Database): void {
  try {
    const version = sqlite.pragma('user_version', { simple: true }) as number;
    sqlite.prepare(`pragma user_version = ${Number(version)}`).run();
  } catch {
    // Remembered by the statement guard; health() reports it.
  }
}

/** The last time SQLite could not write, until it writes again. */
class FaultMemory {
  last: { problem: string; at: number } | undefined;

  constructor(private readonly fileProblem: ReturnType<typeof watchFile>) {}

  /**
   * Runs one statement or transaction, remembering a fault and turning it into a DatabaseFaultError.
   * A write is not even tried when the file is gone from its path; the statements of a transaction
   * rely on the check made when it began.
   */
  attempt<T>(action: () => T, isWrite: boolean, inTransaction = false): T {
    const gone = isWrite && !inTransaction ? this.fileProblem() : undefined;
    if (gone) throw new DatabaseFaultError(gone.fault, gone.detail);
    try {
      const result = action();
      if (isWrite) this.last = undefined;
      return result;
    } catch (error) {
      if (error instanceof DatabaseFaultError) throw error;
      const code = sqliteCodeOf(error);
      if (!code) throw error;
      const problem = `${code}: ${(error as Error).message}`;
      this.last = { problem, at: Date.now() };
      throw new DatabaseFaultError(code, problem, error as Error);
    }
  }
}

/** How many prepared statements are kept: every query the bot writes, with room for `in (…)` lists of other lengths. */
const PREPARED_STATEMENTS_KEPT = 500;

/**
 * Statements prepared before, by their SQL. drizzle prepares every query it runs anew, and SQLite
 * compiling the statement was most of what `/incident status` spent before its answer. The oldest
 * unused one is dropped past the bound. Pragmas are prepared anew each time: better-sqlite3 puts
 * their statements in modes (pluck) that a later user would inherit.
 */
class PreparedStatements {
  private readonly statements = new Map<string, Database.Statement>();

  get(source: string): Database.Statement | undefined {
    const statement = this.statements.get(source);
    if (!statement) return undefined;
    // Most recently used last, so the first is the one to drop.
    this.statements.delete(source);
    this.statements.set(source, statement);
    // drizzle switches a statement to rows as arrays (raw) when it maps the columns itself, and assumes objects otherwise.
    if (statement.reader) statement.raw(false);
    return statement;
  }

  keep(source: string, statement: Database.Statement): void {
    if (/^\s*pragma\b/i.test(source)) return;
    this.statements.set(source, statement);
    if (this.statements.size > PREPARED_STATEMENTS_KEPT) this.statements.delete(this.statements.keys().next().value!);
  }
}

/**
 * Every statement and transaction drizzle runs goes through here, so no write path can lose an error.
 * better-sqlite3's `get()` steps a statement once and resets it; for a write outside a transaction
 * SQLite commits at that reset, and better-sqlite3 drops the commit's error: `INSERT … RETURNING`
 * hands back the id of a row that a full disk never let be saved. A write's `get()` therefore runs
 * the statement to its end (`all()`), where the commit's error is thrown.
 */
function guardStatements(sqlite: Database.Database, faults: FaultMemory): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const transaction = sqlite.transaction.bind(sqlite);
  const prepared = new PreparedStatements();
  sqlite.prepare = ((source: string) => {
    const cached = prepared.get(source);
    if (cached) return cached;
    const statement = prepare(source);
    const isWrite = !statement.readonly;
    const run = statement.run.bind(statement);
    const all = statement.all.bind(statement);
    const get = statement.get.bind(statement);
    statement.run = (...params: unknown[]) => faults.attempt(() => run(...params), isWrite, sqlite.inTransaction);
    statement.all = (...params: unknown[]) => faults.attempt(() => all(...params), isWrite, sqlite.inTransaction);
    statement.get = (...params: unknown[]) => faults.attempt(() => (isWrite ? all(...params)[0] : get(...params)), isWrite, sqlite.inTransaction);
    prepared.keep(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
  sqlite.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const native = transaction(fn);
    const guarded = (variant: (...args: unknown[]) => unknown) => (...args: unknown[]) => faults.attempt(() => variant(...args), true);
    return Object.assign(guarded(native), {
      default: guarded(native.default),
      deferred: guarded(native.deferred),
      immediate: guarded(native.immediate),
      exclusive: guarded(native.exclusive),
      database: sqlite,
    });
  }) as typeof sqlite.transaction;
}
