/** What the person who asked is told when the bot's database refused or could not be reached. */

/** SQLite's file was deleted or replaced under the running bot. */
export const DATABASE_FILE_GONE =
  "The bot's database file was deleted or replaced while the bot was running, so this was not done. Tell whoever runs the bot (they should put the file back at DATABASE_PATH, or restart the bot), and keep going by hand in Slack meanwhile.";

/** SQLite cannot write: `why` says how (the disk is full…), `code` is SQLite's. */
export const databaseUnwritable = (why: string, code: string) =>
  `The bot cannot write to its database (${why}: ${code}), so this was not done. Tell whoever runs the bot (they should check the disk and DATABASE_PATH), and keep going by hand in Slack meanwhile.`;

/** PostgreSQL went away (restarted, failed over, the network dropped): it usually comes back within seconds. */
export const DATABASE_UNREACHABLE =
  "The bot lost its connection to its database (it may be restarting), so this was not done. Try again in a moment; if it keeps failing, tell whoever runs the bot.";

/** A statement ran past DATABASE_STATEMENT_TIMEOUT and the server cancelled it. */
export const DATABASE_TOO_SLOW =
  "The bot's database took too long to answer, so this was not done. Try again in a moment; if it keeps failing, tell whoever runs the bot.";
