/**
 * `npm run backup -- <file>`: a consistent copy of the live database, taken with SQLite's online
 * backup while the bot keeps running, then checked. Restoring is copying it back (see README).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { runCli, settingsWithDatabase, UsageError } from './cliSupport.js';

const USAGE = 'Usage: npm run backup -- <file> [--force]   (copies the database at DATABASE_PATH to <file>)';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const target = positionals[0]!;
  const { databasePath, postgres } = settingsWithDatabase();
  if (postgres) throw new UsageError('npm run backup copies the SQLite file at DATABASE_PATH; with DATABASE_URL set the data is in PostgreSQL: back it up with pg_dump.');
  if (existsSync(target) && !values.force) throw new UsageError(`${target} already exists; choose a new file name, or add --force to replace it.`);

  // `backups/incidents-$(date +%F).db` in a fresh checkout: the folder is part of the name given.
  mkdirSync(dirname(target), { recursive: true });
  const started = Date.now();
  const source = new Database(databasePath, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(target);
  } finally {
    source.close();
  }
  const copy = new Database(target, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
    const { incidents } = copy.prepare('select count(*) as incidents from incidents').get() as { incidents: number };
    console.log(`Backed up ${databasePath} to ${target}: ${incidents} incidents, ${Math.ceil(statSync(target).size / 1024)} KiB, integrity ok, in ${Date.now() - started} ms.`);
  } finally {
    copy.close();
  }
}

runCli('Backup', main);
