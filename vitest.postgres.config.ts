import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:postgres` (tests/support/testPostgres.ts, which sets TEST_DATABASE_URL): the tests
 * whose bot or store is built by tests/support/testDatabase.ts, on PostgreSQL. Each bot gets a
 * database of its own, created and dropped by the test. Not merged with vitest.config.ts: a merge
 * would add its `include` (every test) to this one.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['tests/postgres/**/*.test.ts', 'tests/store/**/*.test.ts', 'tests/flows/**/*.test.ts', 'tests/listeners/**/*.test.ts'],
    exclude: [
      '**/node_modules/**',
      // SQLite by nature: a damaged, deleted or replaced file, and /health on a file.
      'tests/store/db.test.ts',
      // A full disk (SQLite's query_only stands in for it), counted with sqlite_master.
      'tests/flows/declareFaults.test.ts',
      'tests/listeners/acknowledgedWork.test.ts',
      'tests/listeners/timelineFaults.test.ts',
      // Reads the SQLite file itself to see what was stored.
      'tests/listeners/declareFailures.test.ts',
    ],
    testTimeout: 60_000,
    globalSetup: ['tests/support/postgresTeardown.ts'],
  },
});
