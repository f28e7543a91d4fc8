import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: the sandbox page driven in headless Chromium; `npm test` leaves these out. */
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
