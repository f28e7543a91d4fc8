import type { IncidentStore } from '../ports.js';
import { openPostgres, redactedUrl, type PostgresSettings } from './postgres/db.js';
import { postgresStore } from './postgres/index.js';
import { openDatabase, type DatabaseHealth } from './sqlite/db.js';
import { sqliteStore } from './sqlite/index.js';

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
 * DATABASE_PATH. `owner` names this process in the work journal.
 */
export async function openStore(settings: { databasePath: string; postgres: PostgresSettings | undefined }, owner: string): Promise<OpenStore> {
  if (settings.postgres) {
    const database = await openPostgres(settings.postgres);
    return { store: postgresStore(database.db, owner), health: database.health, close: database.close, location: redactedUrl(settings.postgres.url) };
  }
  const database = openDatabase(settings.databasePath);
  return { store: sqliteStore(database.db, owner), health: database.health, close: async () => database.close(), location: settings.databasePath };
}
