import { openDatabase } from './src/store/db.ts';
import { WorkJournal } from './src/store/workJournal.ts';
import Database from 'better-sqlite3';
const path = process.argv[2]!;
const database = openDatabase(path);
const journal = new WorkJournal(database.db, 'me');
const ids: number[] = [];
for (let n = 0; n < 400; n++) {
  try { ids.push(journal.start({ what: 'x'.repeat(2000), userId: 'U' }, new Date())); } catch (e) { console.log('threw at', n, (e as any).code, (e as Error).message); break; }
}
console.log('ids returned', ids.length, ids.slice(-3));
database.close();
const check = new Database(path, { readonly: true });
console.log('rows stored', check.prepare('select count(*) c from work_in_progress').get());
