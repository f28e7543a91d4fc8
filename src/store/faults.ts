import { DATABASE_FILE_GONE, DATABASE_TOO_SLOW, DATABASE_UNREACHABLE, databaseUnwritable } from '../messages/database.js';

/**
 * The database cannot be written for a reason retrying at once will not fix: the disk is full, an
 * I/O error, a damaged or read-only file, or the file at DATABASE_PATH deleted or replaced under
 * the bot (a write would go to a file nobody will open again). Flows stop on it and tell the user
 * `userMessage`. DatabaseUnavailableError, below, is the kind that passes by itself.
 */
export class DatabaseFaultError extends Error {
  readonly code: 'database_unwritable' | 'database_unavailable' = 'database_unwritable';

  constructor(
    /** SQLite's code (SQLITE_FULL, SQLITE_IOERR_WRITE, SQLITE_CORRUPT…), or `file_missing` / `file_replaced`. */
    readonly fault: string,
    readonly detail: string,
    cause?: Error,
  ) {
    super(`the database cannot be written: ${detail}`, { cause });
    this.name = 'DatabaseFaultError';
  }

  /** What we tell the person who was trying to do something: what happened and what to do. */
  get userMessage(): string {
    if (this.fault === 'file_missing' || this.fault === 'file_replaced') return DATABASE_FILE_GONE;
    const why = this.fault === 'SQLITE_FULL' ? 'the disk is full' : this.fault.startsWith('SQLITE_IOERR') ? 'the disk reported an error' : 'its file is damaged or read-only';
    return databaseUnwritable(why, this.fault);
  }
}

/**
 * The database server is out of reach for now (PostgreSQL restarting, a failover, a dropped
 * connection) or cancelled a statement that ran too long: nothing was done, and the same request
 * a moment later will likely work. Handled wherever a DatabaseFaultError is.
 */
export class DatabaseUnavailableError extends DatabaseFaultError {
  override readonly code = 'database_unavailable';

  constructor(
    /** `unreachable`, or `statement_timeout` (DATABASE_STATEMENT_TIMEOUT). */
    override readonly fault: 'unreachable' | 'statement_timeout',
    detail: string,
    cause?: Error,
  ) {
    super(fault, detail, cause);
    this.message = `the database is unavailable: ${detail}`;
    this.name = 'DatabaseUnavailableError';
  }

  override get userMessage(): string {
    return this.fault === 'statement_timeout' ? DATABASE_TOO_SLOW : DATABASE_UNREACHABLE;
  }
}
