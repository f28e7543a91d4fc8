/**
 * The store's errors and what /health reports, apart from the drivers: start-up error handling names
 * them on every start, and must not load PostgreSQL's driver for a bot on SQLite, or SQLite's for
 * one on PostgreSQL.
 */

/** What /health reports about the database. */
export type DatabaseHealth =
  | { ok: true; database: 'ok' }
  | { ok: false; database: 'unwritable' | 'missing' | 'replaced' | 'unreachable'; detail: string };

/** The database file or its folder could not be created or opened: a setting to fix, not a bug. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
    message = `cannot open the database at ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
  ) {
    super(message, { cause });
    this.name = 'DatabaseOpenError';
  }
}

/** The file opens but its pages are damaged (or it is not a SQLite database): only a backup helps. */
export class DatabaseDamagedError extends DatabaseOpenError {
  constructor(path: string, problem: string) {
    super(
      path,
      problem,
      `the database at ${path} is damaged (${problem}): restore the latest backup over it as README's "Backups" says, or start afresh with a new file`,
    );
    this.name = 'DatabaseDamagedError';
  }
}

/** PostgreSQL could not be reached or refused the bot at start-up: a setting (or a server) to fix. */
export class DatabaseUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`cannot connect to PostgreSQL at ${redactedUrl(url)} (DATABASE_URL): ${whyNot(cause)}`, { cause });
    this.name = 'DatabaseUnreachableError';
  }
}

/** Node reports a host with several addresses (localhost) refusing on all of them as an AggregateError with no message of its own. */
function whyNot(cause: unknown): string {
  if (cause instanceof AggregateError && !cause.message) return cause.errors.map(whyNot).join('; ');
  if (cause instanceof Error) return cause.message || ('code' in cause ? String(cause.code) : cause.name);
  return String(cause);
}

/** The URL with its password replaced, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unreadable URL)';
  }
}
