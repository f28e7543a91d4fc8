/**
 * The database cannot be written for a reason retrying at once will not fix: the disk is full, an
 * I/O error, a damaged or read-only file, or the file at DATABASE_PATH deleted or replaced under
 * the bot (a write would go to a file nobody will open again). Flows stop on it and tell the user
 * `userMessage`.
 */
export class DatabaseFaultError extends Error {
  readonly code = 'database_unwritable';

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
    if (this.fault === 'file_missing' || this.fault === 'file_replaced') {
      return "The bot's database file was deleted or replaced while the bot was running, so this was not done. Tell whoever runs the bot (they should put the file back at DATABASE_PATH, or restart the bot), and keep going by hand in Slack meanwhile.";
    }
    const why = this.fault === 'SQLITE_FULL' ? 'the disk is full' : this.fault.startsWith('SQLITE_IOERR') ? 'the disk reported an error' : 'its file is damaged or read-only';
    return `The bot cannot write to its database (${why}: ${this.fault}), so this was not done. Tell whoever runs the bot (they should check the disk and DATABASE_PATH), and keep going by hand in Slack meanwhile.`;
  }
}
