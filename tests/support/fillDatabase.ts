/**
 * Run as a child process under a file-size limit (`ulimit -f`), so that the database's files cannot
 * grow past it, as on a full disk: writes work-journal entries until one fails, then prints on
 * stdout, as JSON, how many ids the bot was handed and the error it got. Usage: fillDatabase.ts <db path>.
 */
import { openDatabase } from '../../src/store/sqlite/db.js';
import { SqliteWorkJournal } from '../../src/store/sqlite/workJournal.js';

const MAX_WRITES = 5000;
const database = openDatabase(process.argv[2] ?? '');
const journal = new SqliteWorkJournal(database.db, 'filler');
const ids: number[] = [];
let error: { name: string; code: string | undefined; message: string } | undefined;
for (let attempt = 0; attempt < MAX_WRITES && !error; attempt += 1) {
  try {
    ids.push(await journal.start({ what: `fill the disk ${'x'.repeat(2000)}`, userId: 'UALICE' }, new Date()));
  } catch (caught) {
    const failure = caught as Error & { fault?: string; code?: string };
    error = { name: failure.name, code: failure.fault ?? failure.code, message: failure.message };
  }
}
database.close();
console.log(JSON.stringify({ ids: ids.length, distinctIds: new Set(ids).size, error }));
