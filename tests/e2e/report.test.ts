import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planResolve, planStatusUpdate } from '../../src/domain/lifecycle.js';
import { openDatabase } from '../../src/store/sqlite/db.js';
import { sqliteStore } from '../../src/store/sqlite/index.js';
import { runScript, scratchDir } from '../support/launcher.js';

const REPORT = 'dist/cli/report.js';
const USAGE = 'Usage: npm run report -- --since <90d | 12w> [--format md|csv] [--out FILE]';

/**
 * `npm run report` as users run it: the compiled tool, as a child process, on a SQLite file the
 * bot would have written (declared, updated, resolved through the store's own writes).
 */
describe('npm run report', () => {
  let dir: string;
  let dbPath: string;
  const env = () => ({ DATABASE_PATH: dbPath, INCIDENT_TIMEZONE: 'Europe/Berlin' });
  const daysAgo = (days: number, minutes = 0) => new Date(Date.now() - days * 86_400_000 + minutes * 60_000);

  beforeAll(async () => {
    dir = scratchDir();
    dbPath = join(dir, 'incidents.db');
    const database = openDatabase(dbPath);
    const store = sqliteStore(database.db, 'test');
    const declare = async (key: string, title: string, declaredAt: Date, drill = false) => {
      const declaration = { title, severity: 'SEV1' as const, impact: 'Checkouts fail', commanderId: 'UBOB', isPrivate: false };
      const { incident } = await store.incidents.recordDeclaration(key, declaration, 'UALICE', declaredAt, drill ? { scenario: 'db-failover', script: [] } : undefined);
      await store.incidents.recordChannel(incident.id, { id: `C${key}`, name: `incident-${key.toLowerCase()}` }, declaredAt);
      await store.incidents.markLive(incident.id, { kickoffTs: '1.1', participants: [], firstEntry: { kind: 'declared', actorId: 'UALICE', at: declaredAt, text: 'Declared' } });
      return incident.id;
    };
    const resolved = await declare('R1', 'Payments, "EU" down', daysAgo(10));
    const update = { status: 'identified' as const, whatChanged: 'Pool exhausted', impact: '', nextSteps: 'Raise the pool' };
    await store.incidents.applyChange(resolved, (current) => planStatusUpdate(current, update, daysAgo(10, 5), 'UBOB'), { actorId: 'UBOB', at: daysAgo(10, 5) });
    await store.incidents.applyChange(resolved, (current) => planResolve(current, { summary: 'Pool raised', rootCause: 'Pool too small' }, daysAgo(10, 50)), { actorId: 'UBOB', at: daysAgo(10, 50) });
    await store.actions.add({ incidentId: resolved, text: 'Alert on pool use', ownerId: 'UBOB', dueOn: null, createdBy: 'UBOB', createdAt: daysAgo(10, 55) }, 'Action item: Alert on pool use');
    await declare('O1', '=Search slow', daysAgo(2));
    await declare('D1', 'A drill', daysAgo(3), true);
    await declare('X1', 'Long ago', daysAgo(100));
    database.close();
  });

  it('writes the Markdown report and its weekly chart beside it, drills and older incidents left out', async () => {
    const out = join(dir, 'reports', 'q4.md');
    const run = await runScript(REPORT, ['--since', '30d', '--out', out], env());
    expect(run.stderr).toBe(`Wrote the report of 2 incidents to ${out} and its chart to ${join(dir, 'reports', 'q4-weekly.svg')}\n`);
    expect(run.code).toBe(0);
    const markdown = readFileSync(out, 'utf8');
    expect(markdown).toContain('Times are in Europe/Berlin (INCIDENT_TIMEZONE)');
    expect(markdown).toContain('![Incidents per week](q4-weekly.svg)');
    expect(markdown).toMatch(/\| 1 \| Payments, "EU" down \| — \| SEV1 \| [^|]+ \| — \| [^|]+ \| 5 min \| 50 min \| 1 \| 45 min \| 1 \/ 0 \|/);
    expect(markdown).toMatch(/\| 2 \| =Search slow \| — \| SEV1 \| [^|]+ \| — \| — \| — \| — \| 0 \| 2 d \| 0 \/ 0 \|/);
    expect(markdown).not.toMatch(/A drill|Long ago/);
    expect(markdown).toContain('| SEV1 | 2 | 5 min | 50 min |');
    const svg = readFileSync(join(dir, 'reports', 'q4-weekly.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('Incidents declared per week (weeks from Monday, Europe/Berlin)');
  });

  it('prints CSV, formulas made text', async () => {
    const run = await runScript(REPORT, ['--since', '30d', '--format', 'csv'], env());
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toBe('number,title,type,severity_highest,severity_final,declared,impact_started,resolved,tta_minutes,ttr_minutes,updates,longest_silence_minutes,actions_open,actions_done');
    expect(lines[1]).toMatch(/^1,"Payments, ""EU"" down",,SEV1,SEV1,\d{4}-\d\d-\d\dT\d\d:\d\d\+0[12]:00,,\d{4}-[^,]+,5\.0,50\.0,1,45\.0,1,0$/);
    expect(lines[2]).toMatch(/^2,'=Search slow,,SEV1,SEV1,/);
    expect(lines.slice(3)).toEqual(['']);
  });

  it('prints Markdown without writing the chart when no file is given', async () => {
    const cwd = join(dir, 'terminal');
    mkdirSync(cwd);
    const run = await runScript(REPORT, ['--since', '12w'], env(), cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# Incident report: the last 12w');
    expect(run.stdout).toContain('_The chart (an SVG file) is written only with `--out FILE`, beside the report._');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('says there were none in an empty window, and writes no chart', async () => {
    const out = join(dir, 'empty.md');
    const run = await runScript(REPORT, ['--since', '1d', '--out', out], env());
    expect(run.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('No incidents were declared in this period.');
    expect(existsSync(join(dir, 'empty-weekly.svg'))).toBe(false);
  });

  it('refuses bad arguments in one line with exit code 2, before touching any database', async () => {
    const nowhere = { DATABASE_PATH: join(dir, 'nowhere.db') };
    expect(await runScript(REPORT, [], nowhere)).toEqual({ code: 2, stdout: '', stderr: `--since is required. ${USAGE}\n` });
    expect(await runScript(REPORT, ['--since', 'last-quarter'], nowhere)).toMatchObject({ code: 2, stderr: '--since last-quarter is not a window: give a number of days or weeks, such as 90d or 12w (at most 3650 days).\n' });
    expect(await runScript(REPORT, ['--since', '90d', '--format', 'pdf'], nowhere)).toMatchObject({ code: 2, stderr: '--format pdf is not a format: give md (Markdown, the default) or csv.\n' });
    expect(await runScript(REPORT, ['--since', '90d', '--frmat', 'csv'], nowhere)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Unknown option '--frmat'.*\n$/) });
    expect(await runScript(REPORT, ['--help'], nowhere)).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
  });

  it('says where it looked when there is no database', async () => {
    const run = await runScript(REPORT, ['--since', '90d'], { DATABASE_PATH: join(dir, 'nowhere.db') });
    expect(run).toMatchObject({ code: 1, stderr: expect.stringMatching(/^There is no database at .*nowhere\.db \(DATABASE_PATH\)/) });
  });
});
