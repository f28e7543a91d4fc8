import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end tests start the real bot as a child process; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // In-process tests marked concurrent spend their time waiting on a slow or failing fake Slack,
    // not on the CPU: let many wait side by side.
    maxConcurrency: 24,
  },
});
