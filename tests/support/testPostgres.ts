/**
 * `npm run test:postgres`: the store-level and in-process suites on PostgreSQL
 * (vitest.postgres.config.ts). Uses TEST_DATABASE_URL when set (a server where that user may
 * create databases); otherwise starts a throwaway server from the installed PostgreSQL
 * (initdb, pg_ctl) in a temporary folder on a free loopback port, and removes it afterwards.
 */
import { spawn } from 'node:child_process';
import { POSTGRES_ROOT, postgresBin, startThrowawayServer } from './throwawayPostgres.js';

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
    const vitest = spawn('npx', ['vitest', 'run', '--config', 'vitest.postgres.config.ts', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, TEST_DATABASE_URL: url },
    });
    return await new Promise<number>((resolve) => vitest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
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
