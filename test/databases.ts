import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPostgresStore, openSqliteStore, type Store } from '../src/store/database.js';

// Which database the store, newsroom and search suites run on. The
// `integration-pg` project sets MASTHEAD_TEST_DATABASE=postgres and needs a
// server (TEST_DATABASE_URL, else DATABASE_URL, a role that may create
// databases); each test then gets a database of its own, a copy of a template
// migrated once for the suite (test/postgres-template.ts), dropped afterwards.

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? null;
export const ON_POSTGRES = process.env.MASTHEAD_TEST_DATABASE === 'postgres';

/** A fresh, migrated store: a SQLite file in `dataDir`, or a new PostgreSQL database. */
export async function openFreshStore(
  sqliteFile: string,
): Promise<{ store: Store; databaseUrl: string | null; drop: () => Promise<void> }> {
  if (!ON_POSTGRES) {
    const store = await openSqliteStore(sqliteFile);
    return { store, databaseUrl: null, drop: async () => {} };
  }
  if (!TEST_DATABASE_URL) throw new Error('the PostgreSQL suite needs TEST_DATABASE_URL');
  const name = `masthead_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    // A copy of the schema migrated once for the suite (test/postgres-template.ts).
    await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const store = await openPostgresStore(url.toString());
  return {
    store,
    databaseUrl: url.toString(),
    // Cleanup only, on a throwaway server: a database still busy (an
    // autovacuum worker, a connection closing) is retried a few times, then
    // left behind rather than failing the test that used it.
    drop: async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const dropper = new pg.Client({
          connectionString: TEST_DATABASE_URL,
          connectionTimeoutMillis: 2000,
        });
        let connected = false;
        try {
          await dropper.connect();
          connected = true;
          await dropper.query(`drop database if exists ${name}`);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        } finally {
          // end() on a client that never connected may never settle.
          if (connected) await dropper.end().catch(() => {});
        }
      }
    },
  };
}
