import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
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
