import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['gateway/**/*.test.ts', 'drivers/**/*.test.ts', 'firmware/**/*.test.ts', 'wallboard/**/*.test.ts', 'test/**/*.test.ts'],
    // Two cores on CI: forks keep native better-sqlite3 handles per process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // bin/ccgate.mjs, which tests spawn, runs the sources (through tsx) rather than a dist/ that may be older.
    env: { CCGATE_FROM_SOURCE: '1' },
  },
});
