import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { appEnvironment, declareIncident, readDatabase, type Harness } from '../support/harness.js';
import { REPO_ROOT, runAppToExit, scratchDir, startApp, type RunningApp } from '../support/launcher.js';
import { SIGNING_SECRET } from '../../src/sandbox/slackRequests.js';

/** A refusal to start is one line per problem on stderr, exit code 1, and never a stack trace. */
function expectOneClearLine(result: { code: number | null; stderr: string }, variable: string) {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(variable);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('starting the bot', () => {
  let fake: SlackEmulator | undefined;
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.stop();
    await fake?.close();
    app = undefined;
    fake = undefined;
  });

  it('names the missing setting in one line when the bot token is absent', async () => {
    const result = await runAppToExit({ SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expectOneClearLine(result, 'SLACK_BOT_TOKEN');
    expect(result.stderr).toMatch(/Bot User OAuth Token/);
  });

  it('names the signing secret when neither it nor an app token is set', async () => {
    expectOneClearLine(await runAppToExit({ SLACK_BOT_TOKEN: 'xoxb-1' }), 'SLACK_SIGNING_SECRET');
  });

  it('names a wrong time zone', async () => {
    expectOneClearLine(await runAppToExit({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: SIGNING_SECRET, INCIDENT_TIMEZONE: 'Europe/Atlantis' }), 'INCIDENT_TIMEZONE');
  });

  it('reads settings from .env in the working directory', async () => {
    const dir = scratchDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, '.env'), 'SLACK_BOT_TOKEN=xoxb-from-dotenv\nSLACK_SIGNING_SECRET=\nINCIDENT_CHANNEL_PREFIX=Bad Prefix\n');
    expectOneClearLine(await runAppToExit({ SLACK_SIGNING_SECRET: SIGNING_SECRET }, dir), 'INCIDENT_CHANNEL_PREFIX');
  });

  it('says so in one line when Slack rejects the bot token', async () => {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    const result = await runAppToExit(appEnvironment(fake, dir, { SLACK_BOT_TOKEN: 'xoxb-revoked-token' }), dir);
    expectOneClearLine(result, 'SLACK_BOT_TOKEN');
    expect(result.stderr).toMatch(/invalid_auth/);
  });

  it('names SLACK_APP_TOKEN and where to get a new one when Slack rejects it (Socket Mode)', async () => {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    const result = await runAppToExit(appEnvironment(fake, dir, { SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1-A0001-1-wrong' }), dir);
    expectOneClearLine(result, 'SLACK_APP_TOKEN was rejected by Slack (invalid_auth)');
    expect(result.stderr).toMatch(/Basic Information → App-Level Tokens/);
    expect(fake.callsTo('apps.connections.open')).not.toHaveLength(0);
  });

  it.each([
    ['HTTP mode', {}],
    ['Socket Mode', { SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1-A0001-1-wrong' }],
  ])('names PORT and what to do when the port is taken (%s)', async (_mode, settings) => {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const result = await runAppToExit(appEnvironment(fake, dir, { PORT: String(port), ...settings }), dir);
      expectOneClearLine(result, `PORT ${port} is already in use`);
      expect(result.stderr).toMatch(/set PORT to a free port/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('names DATABASE_PATH when the database cannot be opened', async () => {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    const result = await runAppToExit(appEnvironment(fake, dir, { DATABASE_PATH: '/proc/version/incidents.db' }), dir);
    expectOneClearLine(result, 'DATABASE_PATH');
  });

  it('creates the database folder, uses WAL, and restarts on the same database without losing anything', async () => {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    const env = appEnvironment(fake, dir, { DATABASE_PATH: join(dir, 'nested', 'deeper', 'incidents.db') });
    app = await startApp(env, { cwd: dir });
    const h: Harness = { fake, app, dir, dbPath: env.DATABASE_PATH!, env, close: async () => {} };
    const first = await declareIncident(h, { title: 'Before restart' });
    expect(await app.stop()).toBe(0);

    app = await startApp(env, { cwd: dir });
    const restarted: Harness = { ...h, app };
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
    const second = await declareIncident(restarted, { title: 'After restart' });
    const incidents = readDatabase(h.dbPath).incidents;
    expect(incidents.map((row) => [row.title, row.phase, row.channel_id])).toEqual([
      ['Before restart', 'live', first.channel.id],
      ['After restart', 'live', second.channel.id],
    ]);
    const db = new Database(h.dbPath, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('logs JSON lines and never a token or the signing secret, even at debug level', async () => {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    const env = appEnvironment(fake, dir, { LOG_LEVEL: 'debug' });
    app = await startApp(env, { cwd: dir });
    await declareIncident({ fake, app }, { title: 'Secret keeping' });
    // The outcome reaches the fake Slack before the log line reaches this process through the pipe.
    await app.waitForLog((line) => line.msg === 'incident declared');
    const output = app.stdout() + app.stderr();
    expect(output).not.toContain(fake.botToken);
    expect(output).not.toContain(SIGNING_SECRET);
    const lines = app.stdout().trim().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(app.logs().some((line) => line.msg === 'incident declared' && typeof line.incidentId === 'number')).toBe(true);
  });

  it('runs the compiled JavaScript on `npm start`, with no TypeScript loader in the process', async () => {
    fake = await startSlackEmulator();
    const npm = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...appEnvironment(fake, scratchDir(), { PORT: '0', LOG_PRETTY: 'false' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => npm.once('close', (code) => resolve(code)));
    let output = '';
    npm.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not listen within 20 s:\n${output}`)), 20_000);
      npm.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('"incident commander is listening"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // npm runs the script through a shell that execs node: the bot is npm's one child process.
    const children = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    const [bot] = children(npm.pid!);
    const argv = readFileSync(`/proc/${bot}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const environment = readFileSync(`/proc/${bot}/environ`, 'utf8').split('\0');
    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(argv.slice(1)).toEqual(['dist/main.js']);
    expect(environment.filter((variable) => variable.startsWith('NODE_OPTIONS=') && variable.includes('tsx'))).toEqual([]);
  });
});
