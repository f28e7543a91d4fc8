import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { DatabaseUnreachableError, type DatabaseHealth } from '../errors.js';
import * as schema from './schema.js';
import { packagePath } from '../../packageRoot.js';

// Also exported here, beside the driver that raises them; code that only names them imports src/store/errors.ts, which loads no driver.
export { DatabaseUnreachableError, redactedUrl } from '../errors.js';

/** With the driver's pool (`$client`), for the few statements named outside drizzle. */
export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface PostgresSettings {
  url: string;
  /** Connections this process keeps open at most. */
  poolSize: number;
  /** A statement running longer is cancelled by the server, so a stuck query cannot hold a request for ever. */
  statementTimeoutMs: number;
}

export interface OpenPostgres {
  db: PgDb;
  /** One `select 1`, given a few seconds: what /health answers with. */
  health(): Promise<DatabaseHealth>;
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = packagePath('migrations', 'postgres');

/** Any fixed number: every replica takes the same lock, so only one of them migrates at a time. */
const MIGRATION_LOCK_KEY = 0x1c_da7a;

/** Long enough for a busy server, short enough that an uptime checker gets its answer. */
const HEALTH_TIMEOUT_MS = 3_000;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects, and brings the schema up to date under an advisory lock, so replicas starting together
 * run each migration once: the second waits, then finds nothing left to do.
 */
export async function openPostgres(settings: PostgresSettings): Promise<OpenPostgres> {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolSize,
    statement_timeout: settings.statementTimeoutMs,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // A connection the server drops (a restart, a failover) emits 'error'; without a listener that
  // crashes the process. The pool reports idle ones and discards them; one lent out (between two
  // statements of a transaction) reports to its own listener, and its next statement fails with
  // a DatabaseUnavailableError (see faults.ts), after which the pool discards it too.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnreachableError(settings.url, error);
  }
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  const db = drizzle(pool, { schema });
  let closed = false;

  return {
    db,
    async health() {
      try {
        await withTimeout(pool.query('select 1'), HEALTH_TIMEOUT_MS);
        return { ok: true, database: 'ok' };
      } catch (error) {
        return { ok: false, database: 'unreachable', detail: `PostgreSQL (DATABASE_URL): ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
