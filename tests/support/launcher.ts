import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The compiled entry point `npm start` runs (`node dist/main.js`; `npm test` builds it first), as an absolute path. */
const MAIN = join(REPO_ROOT, 'dist/main.js');
/** The bot as a command line, for tests that wire its output themselves. */
export const BOT_COMMAND = [process.execPath, MAIN] as const;

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface RunningApp {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the app printed on stdout, raw. */
  stdout(): string;
  stderr(): string;
  /** Its stdout parsed as pino JSON lines. */
  logs(): LogLine[];
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** A fresh scratch folder: the app's working directory and database live there, never in the repo. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'incident-test-'));
}

/** An incident.config.yml in a folder of its own; its path, for INCIDENT_CONFIG. */
export function configFile(yaml: string): string {
  const path = join(scratchDir(), 'incident.config.yml');
  writeFileSync(path, yaml);
  return path;
}

function spawnApp(env: Record<string, string>, cwd: string, script: string = MAIN, args: string[] = [], nodeFlags: string[] = []): ChildProcess {
  // Compiled JavaScript only: a TypeScript file here would mean testing something users do not run.
  if (!script.endsWith('.js')) throw new Error(`${script}: start the compiled file under dist/ (npm run build)`);
  // A clean environment: nothing from the developer's shell or .env leaks into the app under test.
  return spawn(process.execPath, [...nodeFlags, script, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts the real app and resolves once it logs that it is listening (PORT=0 picks a free port). */
export async function startApp(env: Record<string, string>, options: { cwd?: string; timeoutMs?: number; script?: string; nodeFlags?: string[] } = {}): Promise<RunningApp> {
  const cwd = options.cwd ?? scratchDir();
  const child = spawnApp({ PORT: '0', LOG_PRETTY: 'false', ...env }, cwd, options.script, [], options.nodeFlags);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // 'close', not 'exit': by then everything the app printed has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const logs = (): LogLine[] =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 10_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = logs().find(match);
        if (found) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`app did not log the expected line within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      void exited.then(() => {
        if (waiters.has(check)) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`app exited before logging the expected line.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      });
      check();
    });

  const listening = await waitForLog((line) => line.msg === 'incident commander is listening', options.timeoutMs ?? 20_000);
  const port = Number(listening.port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    logs,
    waitForLog,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs the app expecting it to refuse to start; returns what it printed and its exit code. */
export function runAppToExit(env: Record<string, string>, cwd = scratchDir()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runScript('dist/main.js', [], { PORT: '0', LOG_PRETTY: 'false', ...env }, cwd);
}

/** Runs one of the repository's compiled scripts (as `npm run` does: `node dist/…`) to its end. */
export async function runScript(script: string, args: string[], env: Record<string, string>, cwd = scratchDir()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnApp(env, cwd, join(REPO_ROOT, script), args);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
