/**
 * `npm run test:postgres`: the store-level and in-process suites on PostgreSQL
 * (vitest.postgres.config.ts). Uses TEST_DATABASE_URL when set (a server where that user may
 * create databases); otherwise starts a throwaway server (throwawayPostgres.ts) and removes it afterwards.
 */
import { spawn } from 'node:child_process';
import { POSTGRES_ROOT, postgresBin, startThrowawayServer } from './throwawayPostgres.js';

/** Test files that measure time across bot processes, run after the others and by themselves. */
const RUN_ALONE = ['tests/postgres/replicas.test.ts'];

function vitest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn('npx', ['vitest', 'run', '--config', 'vitest.postgres.config.ts', ...args], { stdio: 'inherit', env });
  return new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<number> {
  let url = process.env.TEST_DATABASE_URL;
  let stop = () => {};
  if (!url) {
    const bin = postgresBin();
    if (!bin) {
      console.error(
        `test:postgres needs PostgreSQL: set TEST_DATABASE_URL to a server where its user may create databases, or install PostgreSQL (apt-get install postgresql) so that ${POSTGRES_ROOT}/<version>/bin/initdb exists.`,
      );
      return 1;
    }
    const server = await startThrowawayServer(bin);
    url = server.url;
    stop = server.stop;
    console.log(`test:postgres: a throwaway PostgreSQL from ${bin} on ${url}`);
  }
  try {
    const env = { ...process.env, TEST_DATABASE_URL: url };
    const files = process.argv.slice(2);
    if (files.length > 0) return await vitest(files, env);
    // The failover bound is a time measured across processes, so it is measured with the machine to
    // itself: run among the other files in CI, a failover of 8.5–9.8 s took 15.4 s.
    const rest = await vitest(RUN_ALONE.flatMap((file) => ['--exclude', file]), env);
    const alone = await vitest(RUN_ALONE, env);
    return rest || alone;
  } finally {
    stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:postgres: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
