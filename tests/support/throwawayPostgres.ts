/**
 * A throwaway PostgreSQL server from the installed PostgreSQL (initdb, pg_ctl) in a temporary
 * folder on a free loopback port: what `npm run test:postgres` and `npm run bench` run on, and what tests that stop
 * and start their own server use. Importing this starts nothing.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The bin folder of the newest PostgreSQL installed the Debian way, if any. */
export function postgresBin(): string | undefined {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(POSTGRES_ROOT, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(POSTGRES_ROOT, versions[0], 'bin');
}

/** A loopback port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const [file, argv] = asServerUser(command, args);
  const result = spawnSync(file, argv, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} failed (exit ${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
}

function serverUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (apt-get install postgresql creates it)');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export interface ThrowawayServer {
  url: string;
  /** Shuts the server down as an operator's restart does (`pg_ctl stop -m fast`): sessions are cut, data kept. */
  halt(): void;
  /** Starts it again after `halt`, on the same port with the same data; nothing when it runs. */
  resume(): void;
  /** Stops it for good and removes its folder. */
  stop(): void;
}

/** Starts a throwaway server; resolves with its URL and how to stop it. */
export async function startThrowawayServer(bin: string): Promise<ThrowawayServer> {
  const folder = mkdtempSync(join(tmpdir(), 'incident-pg-'));
  const owner = serverUserIds();
  if (owner) chownSync(folder, owner.uid, owner.gid);
  const data = join(folder, 'data');
  const port = await freePort();
  const remove = () => rmSync(folder, { recursive: true, force: true });
  // fsync off: a test server's data is thrown away, and durability costs seconds per test file.
  const serverOptions = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = () => run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(folder, 'server.log'), '-o', serverOptions, '-w', 'start']);
  try {
    run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    start();
  } catch (error) {
    remove();
    throw error;
  }
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    halt() {
      run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    resume() {
      if (running) return;
      start();
      running = true;
    },
    stop() {
      try {
        if (running) run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        remove();
      }
    },
  };
}
