/** What the command-line tools share: the bot's settings without Slack, and one-line errors. */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DatabaseOpenError, DatabaseUnreachableError } from '../store/errors.js';
import { TemplateError } from '../render/templates.js';

/** A mistake of the person running the tool: printed as it is, exit code 1. */
export class UsageError extends Error {}

/** Arguments the tool cannot read: printed as they are, exit code 2, as command-line tools do for misuse. */
export class ArgumentError extends UsageError {}

/** The bot's settings (`.env` included, as `npm start` reads them), with its SQLite file required to exist (PostgreSQL's database is checked on connecting). */
export function settingsWithDatabase(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env, { offline: true });
  if (!config.postgres && !existsSync(config.databasePath)) throw new UsageError(`There is no database at ${config.databasePath} (DATABASE_PATH): run this where the bot runs, with its settings.`);
  return config;
}

/** Runs a tool; any problem is one line on stderr and exit code 1 (2 for arguments it cannot read), never a stack trace. */
export function runCli(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
    else if (error instanceof UsageError || error instanceof TemplateError || error instanceof DatabaseOpenError || error instanceof DatabaseUnreachableError) console.error(error.message);
    else console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof ArgumentError ? 2 : 1;
  });
}
