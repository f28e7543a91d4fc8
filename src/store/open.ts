import type { IncidentStore } from '../ports.js';
import { redactedUrl, type DatabaseHealth } from './errors.js';
import type { PostgresSettings } from './postgres/db.js';

/** The store the bot runs on, whichever database holds it. */
export interface OpenStore {
  store: IncidentStore;
  /** What GET /health answers with. */
  health(): DatabaseHealth | Promise<DatabaseHealth>;
  close(): Promise<void>;
  /** Where the data is, for the log: a file path, or the URL without its password. */
  location: string;
}

/**
 * PostgreSQL when DATABASE_URL is set (replicas sharing the work), else the SQLite file at
 * DATABASE_PATH. `owner` names this process in the work journal. Only the chosen store's modules
 * are loaded: the other driver and its query builder would cost start-up time and memory for
 * nothing (tests/e2e/moduleLoading.test.ts checks this).
 */
export async function openStore(settings: { databasePath: string; postgres: PostgresSettings | undefined }, owner: string): Promise<OpenStore> {
  if (settings.postgres) {
    const [{ openPostgres }, { postgresStore }] = await Promise.all([import('./postgres/db.js'), import('./postgres/index.js')]);
    const database = await openPostgres(settings.postgres);
    return { store: postgresStore(database.db, owner), health: database.health, close: database.close, location: redactedUrl(settings.postgres.url) };
  }
  const [{ openDatabase }, { sqliteStore }] = await Promise.all([import('./sqlite/db.js'), import('./sqlite/index.js')]);
  const database = openDatabase(settings.databasePath);
  return { store: sqliteStore(database.db, owner), health: database.health, close: async () => database.close(), location: settings.databasePath };
}
