/**
 * vitest.postgres.config.ts's global setup: after the run, drops the test databases it left on the
 * server (those standing for a SQLite file are kept while the run lasts; a crashed worker leaves its
 * own), so a long-lived TEST_DATABASE_URL server does not fill up.
 */
import pg from 'pg';
import { TEST_DATABASE_PREFIX } from './testDatabase.js';

export default function setup(): () => Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('vitest.postgres.config.ts needs TEST_DATABASE_URL: run it with `npm run test:postgres`');
  return async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('select datname as name from pg_database where starts_with(datname, $1)', [TEST_DATABASE_PREFIX]);
      for (const { name } of rows) await client.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await client.end();
    }
  };
}
