/** What `npm run migrate-to-postgres` was asked to do, read from its arguments and the environment alone. */
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_PATH, isPostgresUrl } from '../config.js';
import { redactedUrl } from '../store/postgres/db.js';
import { UsageError } from './cliSupport.js';

export const MIGRATE_USAGE = [
  'Usage: npm run migrate-to-postgres -- <DATABASE_URL> [--from <file>]',
  '',
  'Copies the bot\'s SQLite database into the empty PostgreSQL database at <DATABASE_URL>',
  '(postgres://user:password@host:5432/db). The SQLite file is the one given with --from, else the',
  `one DATABASE_PATH names (environment or .env; ${DEFAULT_DATABASE_PATH} when unset). It is only read.`,
  'Stop the bot and back the file up first (npm run backup); afterwards start the bot with DATABASE_URL set.',
].join('\n');

export type MigrateArguments = { help: true } | { help: false; from: string; url: string };

/** `args` without node and the script; `env` with .env already loaded. Throws UsageError for a mistake. */
export function migrateArguments(args: readonly string[], env: Record<string, string | undefined>): MigrateArguments {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { from: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${MIGRATE_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1) throw new UsageError(MIGRATE_USAGE);
  const url = positionals[0]!;
  if (!isPostgresUrl(url)) throw new UsageError(`${redactedUrl(url)} is not a PostgreSQL URL: give one such as postgres://user:password@host:5432/incidents.`);
  const from = values.from?.trim() || env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH;
  return { help: false, from, url };
}
