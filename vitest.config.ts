import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The browser tests need Chromium and run on their own: `npm run test:browser`; tests/postgres/
    // need a PostgreSQL server: `npm run test:postgres`.
    exclude: ['tests/browser/**', 'tests/postgres/**', '**/node_modules/**'],
    // End-to-end tests start the real bot as a child process; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default on 2 cores is one file at a time. End-to-end files spend most of their time
    // waiting on a child process or the fake Slack, so two side by side fit on 2 cores; larger and
    // slower files start first.
    maxWorkers: 2,
    // In-process tests marked concurrent spend their time waiting on a slow or failing fake Slack,
    // not on the CPU: let many wait side by side.
    maxConcurrency: 24,
  },
});
