import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/db.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { appEnvironment } from '../support/harness.js';
import { runAppToExit, scratchDir } from '../support/launcher.js';

/** A database the bot made, then closed, then its pages from `page` on overwritten with junk. */
function damagedDatabase(dir: string, page: number): string {
  const path = join(dir, 'data', 'incidents.db');
  openDatabase(path).close();
  const file = openSync(path, 'r+');
  writeSync(file, Buffer.alloc(4096, 0x5a), 0, 4096, 4096 * page);
  closeSync(file);
  return path;
}

describe('starting on a damaged database', () => {
  let fake: SlackEmulator | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it.each([
    ['damaged pages', (dir: string) => damagedDatabase(dir, 3)],
    ['a file that is not a database', (dir: string) => {
      const path = join(dir, 'data', 'incidents.db');
      openDatabase(path).close();
      writeFileSync(path, 'these are not the pages you are looking for\n'.repeat(200));
      return path;
    }],
  ])('%s: refuses to start, in one line naming the file, DATABASE_PATH and the backup to restore', async (_case, damage) => {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    const path = damage(dir);
    const result = await runAppToExit(appEnvironment(fake, dir, { DATABASE_PATH: path }), dir);

    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Start-up error: the database at ${path} is damaged \\(.+\\): restore the latest backup over it as README's "Backups" says, or start afresh with a new file \\(check DATABASE_PATH\\)$`));
    expect(fake.callsTo('auth.test')).toHaveLength(0);
  });
});
