/**
 * `npm run migrate-to-postgres -- <DATABASE_URL> [--from <file>]`: moves the bot's data from its
 * SQLite file into an empty PostgreSQL database, all or nothing, and prints each table's row count.
 */
import { existsSync } from 'node:fs';
import { redactedUrl } from '../store/postgres/db.js';
import { copySqliteToPostgres, MigrationRefusedError } from '../store/sqliteToPostgres.js';
import { runCli, UsageError } from './cliSupport.js';
import { MIGRATE_USAGE, migrateArguments } from './migrateToPostgresArguments.js';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const request = migrateArguments(process.argv.slice(2), process.env);
  if (request.help) {
    console.log(MIGRATE_USAGE);
    return;
  }
  const target = redactedUrl(request.url);
  console.log(`Copying ${request.from} into ${target} …`);
  const started = Date.now();
  let counts;
  try {
    counts = await copySqliteToPostgres(request.from, request.url);
  } catch (error) {
    if (error instanceof MigrationRefusedError) throw new UsageError(error.message);
    throw error;
  }
  const width = Math.max(...counts.map(({ table }) => table.length));
  for (const { table, sqlite, postgres } of counts) console.log(`  ${table.padEnd(width)}  ${String(sqlite).padStart(8)} in SQLite  ${String(postgres).padStart(8)} in PostgreSQL`);
  const rows = counts.reduce((sum, { postgres }) => sum + postgres, 0);
  console.log(`Copied ${counts.length} tables, ${rows} rows, in ${Date.now() - started} ms; every table's count matches.`);
  console.log(`Start the bot with DATABASE_URL=${target} (with its password) to run on PostgreSQL; ${request.from} is left as it was.`);
}

runCli('Migration to PostgreSQL', main);
