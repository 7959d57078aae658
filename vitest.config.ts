import { defineConfig } from 'vitest/config';

// Suites: unit (pure code, fast, part of `npm run check`), integration (real
// database, HTTP through inject, the CLI), integration-pg (the same on
// PostgreSQL, when a server is given) and e2e (a real server and Chromium).
const postgresUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (!postgresUrl) {
  console.log(
    'integration-pg: skipped (no PostgreSQL). Set TEST_DATABASE_URL=postgres://… (a role that may create databases) to run the store, newsroom and search suites on PostgreSQL too.',
  );
}

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: on CI's two cores,
    // one file at a time. Integration tests spend much of their time waiting
    // on the database, and browser tests on their server and Chromium, so two
    // files run side by side (each e2e file starts its own server and port).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts'],
          // Pure code: files share a worker's loaded modules rather than each
          // importing them again, which was three quarters of the suite's time
          // (27 s → 6 s; it passes in any file order, --sequence.shuffle.files).
          isolate: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Files share a worker's loaded modules instead of importing the
          // whole app again each (that import was a third of the suite's
          // time); every test opens its own database and server, and the
          // whole suite passes so. About 5 minutes instead of 7.5 on CI.
          isolate: false,
          // Sized for a loaded two-core machine: a test taking 7 s alone can
          // take several times that beside another suite.
          testTimeout: 60_000,
          // The SQLite run: a DATABASE_URL in the shell must not switch it.
          env: { MASTHEAD_TEST_DATABASE: 'sqlite' },
        },
      },
      ...(postgresUrl
        ? [
            {
              test: {
                name: 'integration-pg',
                include: ['test/integration/**/*.test.ts'],
                isolate: false,
                testTimeout: 60_000,
                // Each test creates and drops a database of its own, copied
                // from a template the global setup migrates once.
                hookTimeout: 60_000,
                globalSetup: ['test/postgres-template.ts'],
                env: { MASTHEAD_TEST_DATABASE: 'postgres', TEST_DATABASE_URL: postgresUrl },
              },
            },
          ]
        : []),
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: true,
        },
      },
    ],
  },
});
