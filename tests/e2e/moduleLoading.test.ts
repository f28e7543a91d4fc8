import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { appEnvironment } from '../support/harness.js';
import { REPO_ROOT, runAppToExit, scratchDir, startApp, type RunningApp } from '../support/launcher.js';

/**
 * Node's module hooks, registered before the bot's first import (NODE_OPTIONS=--import): every
 * module the bot loads is written to MODULE_TRACE_FILE, one URL a line. The bot itself has no
 * debug switch for this; what is traced is what `npm start` loads.
 */
const TRACE_HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  appendFileSync(process.env.MODULE_TRACE_FILE, url + '\\n');
  return nextLoad(url, context);
}`;
const REGISTER = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(TRACE_HOOKS)}`)});`;

/**
 * dist/ is a bundle (scripts/build.mjs): a file the bot loads there holds many sources. esbuild's
 * metafile, written next to it, says which: each loaded bundle file stands for the sources in it.
 */
function bundledSources(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist/meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  return new Map(Object.entries(meta.outputs).map(([output, { inputs }]) => [pathToFileURL(resolve(REPO_ROOT, output)).href, Object.keys(inputs).map((input) => pathToFileURL(resolve(REPO_ROOT, input)).href)]));
}

function tracing(dir: string): { env: Record<string, string>; loaded: () => string[] } {
  const file = join(dir, 'modules.txt');
  return {
    env: { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(REGISTER)}`, MODULE_TRACE_FILE: file },
    loaded: () => {
      const sources = bundledSources();
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((url) => {
          if (!url.startsWith(pathToFileURL(join(REPO_ROOT, 'dist')).href + '/')) return [url];
          const inside = sources.get(url);
          if (!inside) throw new Error(`${fileURLToPath(url)} is not in dist/meta.json: build again (npm run build)`);
          return inside;
        });
    },
  };
}

// A driver, drizzle's adapter for it, and the bot's store on it, whether loaded as files of their own
// or inside a bundle file. (drizzle-orm's core loads a few of pg-core's files whatever the database:
// those are not a store's.)
const POSTGRES_MODULES = /\/node_modules\/(pg|pg-[a-z-]+)\/|\/drizzle-orm\/node-postgres\/|\/src\/store\/postgres\//;
const SQLITE_MODULES = /\/node_modules\/better-sqlite3\/|\/drizzle-orm\/better-sqlite3\/|\/src\/store\/sqlite\//;

/** A loopback port nothing listens on: taken, then let go. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

// Every module's load passes through the hooks' thread: start-up takes several times as long as usual.
const TRACED_START_MS = 60_000;

describe('what the bot loads at start-up', { timeout: 2 * TRACED_START_MS }, () => {
  let fake: SlackEmulator | undefined;
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.stop();
    await fake?.close();
    app = undefined;
    fake = undefined;
  });

  it('loads neither PostgreSQL’s driver nor its store when running on SQLite', async () => {
    fake = await startSlackEmulator();
    const dir = scratchDir();
    const trace = tracing(dir);
    app = await startApp({ ...appEnvironment(fake, dir), ...trace.env }, { cwd: dir, timeoutMs: TRACED_START_MS });
    const loaded = trace.loaded();
    // The trace saw the store the bot did open: an empty or broken trace cannot pass.
    expect(loaded.filter((url) => SQLITE_MODULES.test(url)).length).toBeGreaterThan(0);
    expect(loaded.filter((url) => POSTGRES_MODULES.test(url))).toEqual([]);
  });

  it('loads neither SQLite’s driver nor its store when DATABASE_URL is set', async () => {
    const dir = scratchDir();
    const trace = tracing(dir);
    const url = `postgres://bot:secret@127.0.0.1:${await closedPort()}/incidents`;
    // Nothing listens there: the bot gets as far as connecting, which needs the whole PostgreSQL store, then stops.
    const result = await runAppToExit({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'testsigningsecret0123456789abcdef', DATABASE_URL: url, ...trace.env }, dir);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.code).toBe(1);
    const loaded = trace.loaded();
    expect(loaded.filter((url) => POSTGRES_MODULES.test(url)).length).toBeGreaterThan(0);
    expect(loaded.filter((url) => SQLITE_MODULES.test(url))).toEqual([]);
  });
});
