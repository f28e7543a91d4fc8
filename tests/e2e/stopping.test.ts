import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { appEnvironment, waitFor } from '../support/harness.js';
import { BOT_COMMAND, REPO_ROOT, scratchDir, type LogLine } from '../support/launcher.js';

/** The bot's SHUTDOWN_GRACE_MS: supervisors wait about this long before SIGKILL. */
const GRACE_MS = 20_000;

interface Started {
  child: ChildProcess;
  /** The exit code of the process started (npm, or the bot itself). */
  exited: Promise<number | null>;
  /** Resolves when every process holding its output (npm and the bot) has exited. */
  outputClosed: Promise<void>;
  logs(): LogLine[];
}

/** Runs a command in its own process group (as a supervisor or a container runs it), its stdout read as pino lines. */
function startInOwnGroup(command: string, args: string[], env: Record<string, string>, cwd: string): Started {
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_PRETTY: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const outputClosed = new Promise<void>((resolve) => child.stdout?.once('close', () => resolve()));
  const logs = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return { child, exited, outputClosed, logs };
}

/** `npm start`, as README says to run the bot, from the repository. */
const npmStart = (env: Record<string, string>) => startInOwnGroup('npm', ['start'], env, REPO_ROOT);

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** Whether the bot answers GET /health with 200 (its event loop is not stuck on its output). */
async function answersHealth(port: number, child: ChildProcess): Promise<boolean> {
  if (child.exitCode !== null) throw new Error(`the bot exited with code ${child.exitCode}`);
  return fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5000) }).then((response) => response.ok);
}

/** Writes to a non-blocking pipe until it takes no more, down to the last byte. */
function fillUp(fd: number): void {
  for (const size of [65_536, 4096, 1]) {
    const filler = Buffer.alloc(size, 'x');
    for (;;) {
      try {
        writeSync(fd, filler);
      } catch {
        break; // EAGAIN: full for writes of this size
      }
    }
  }
}

async function exitWithin(started: Pick<Started, 'exited'>, ms: number): Promise<{ code: number | null; tookMs: number } | 'still running'> {
  const from = Date.now();
  const timeout = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms));
  return Promise.race([started.exited.then((code) => ({ code, tookMs: Date.now() - from })), timeout]);
}

describe('stopping the bot as supervisors do', () => {
  let fake: SlackEmulator | undefined;
  const groups: number[] = [];
  afterEach(async () => {
    // Whatever a failed test left behind: the whole process group, orphans included.
    for (const group of groups.splice(0)) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await fake?.close();
    fake = undefined;
  });

  async function startedWithNpm(): Promise<{ bot: Started; port: number; dir: string }> {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    const bot = npmStart(appEnvironment(fake, dir));
    groups.push(bot.child.pid!);
    const listening = await waitFor(() => bot.logs().find((line) => line.msg === 'incident commander is listening'), 'the bot to listen');
    return { bot, port: Number(listening.port), dir };
  }

  it('`npm start`: a SIGTERM to npm stops the bot, which closes its database and frees the port', async () => {
    const { bot, port, dir } = await startedWithNpm();
    bot.child.kill('SIGTERM');
    expect(await exitWithin(bot, GRACE_MS)).toMatchObject({ code: 0 });
    await bot.outputClosed;
    expect(await portIsFree(port)).toBe(true);
    expect(bot.logs().filter((line) => line.msg === 'stopped')).toHaveLength(1);
    // A database closed cleanly leaves no write-ahead log behind.
    expect(existsSync(join(dir, 'data', 'incidents.db-wal'))).toBe(false);
  });

  it('`npm start`: a SIGTERM to the whole process group (docker stop, kill -- -PGID) stops the bot once, gracefully', async () => {
    const { bot, port, dir } = await startedWithNpm();
    process.kill(-bot.child.pid!, 'SIGTERM');
    // npm itself dies of the signal; what matters is that the bot, which got it twice, stops cleanly.
    expect(await exitWithin({ exited: bot.outputClosed.then(() => null) }, GRACE_MS)).not.toBe('still running');
    expect(await portIsFree(port)).toBe(true);
    const messages = bot.logs().map((line) => line.msg);
    expect(messages.filter((message) => message === 'shutting down')).toHaveLength(1);
    expect(messages.filter((message) => message === 'stopped')).toHaveLength(1);
    expect(existsSync(join(dir, 'data', 'incidents.db-wal'))).toBe(false);
  });

  it('exits on SIGTERM to its process group within the grace period though nobody reads its stdout and stderr any more', async () => {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    // stdout and stderr on a pipe the test reads until the bot listens, then leaves full and unread.
    const fifo = join(dir, 'bot-output');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const [command, ...args] = BOT_COMMAND;
    const child = spawn(command, args, {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_PRETTY: 'false', ...appEnvironment(fake, dir) },
      stdio: ['ignore', writer, writer],
      detached: true,
    });
    groups.push(child.pid!);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let output = '';
      const chunk = Buffer.alloc(65_536);
      const listening = await waitFor(() => {
        try {
          output += chunk.subarray(0, readSync(reader, chunk)).toString();
        } catch {
          // EAGAIN: nothing new yet
        }
        return /"port":(\d+)[^\n]*"msg":"incident commander is listening"/.exec(output)?.[1];
      }, 'the bot to listen');
      fillUp(writer);
      expect(await answersHealth(Number(listening), child)).toBe(true);

      // To its process group, as docker stop and `kill -- -PGID` send it.
      process.kill(-child.pid!, 'SIGTERM');
      expect(await exitWithin({ exited }, GRACE_MS)).toMatchObject({ code: 0 });
      expect(existsSync(join(dir, 'data', 'incidents.db-wal'))).toBe(false);
    } finally {
      closeSync(writer);
      closeSync(reader);
    }
  });
});
