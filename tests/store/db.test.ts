import { spawnSync } from 'node:child_process';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../src/store/sqlite/db.js';
import { getHealth } from '../support/inProcess.js';
import { REPO_ROOT, scratchDir } from '../support/launcher.js';

const TSX_LOADER = join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs');

describe('a database on a full disk', () => {
  it('throws on a write the disk refuses at its commit, instead of handing back the id of a row never saved', () => {
    const path = join(scratchDir(), 'incidents.db');
    // The file-size limit makes the disk "full" for the database's files; no root, no mount needed.
    const run = spawnSync('sh', ['-c', `ulimit -f 2000 && exec "${process.execPath}" --import "${TSX_LOADER}" tests/support/fillDatabase.ts "${path}"`], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { ids: number; distinctIds: number; error?: { name: string; code: string } };
    const stored = new Database(path, { readonly: true });
    const rows = (stored.prepare('select count(*) as rows from work_in_progress').get() as { rows: number }).rows;
    stored.close();

    expect(result.error).toMatchObject({ name: 'DatabaseFaultError', code: expect.stringMatching(/^SQLITE_(FULL|IOERR)/) });
    expect(result.distinctIds).toBe(result.ids);
    expect(rows).toBe(result.ids);
  });
});

describe('/health', () => {
  const opened: OpenDatabase[] = [];
  afterEach(() => opened.splice(0).forEach((database) => database.close()));
  const open = (path: string) => {
    const database = openDatabase(path);
    opened.push(database);
    return database;
  };

  it('answers 200 while the database file is there and takes writes', async () => {
    const database = open(join(scratchDir(), 'incidents.db'));
    expect(await getHealth(database)).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });
  });

  it('answers 503 once the database file is deleted under the running bot', async () => {
    const path = join(scratchDir(), 'incidents.db');
    const database = open(path);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    expect(await getHealth(database)).toEqual({ status: 503, body: { status: 'unavailable', database: 'missing', detail: `${path} no longer exists; put it back or restart the bot` } });
  });

  it('answers 503 once another file is put in its place (a backup restored without stopping the bot)', async () => {
    const dir = scratchDir();
    const path = join(dir, 'incidents.db');
    const database = open(path);
    open(join(dir, 'backup.db')).close();
    copyFileSync(join(dir, 'backup.db'), join(dir, 'copy.db'));
    renameSync(join(dir, 'copy.db'), path);
    expect(await getHealth(database)).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'replaced' } });
  });
});
