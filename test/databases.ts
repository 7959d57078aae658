import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPostgresStore, openSqliteStore, type Store } from '../src/store/database.js';

// Which database the store, newsroom and search suites run on. The
// `integration-pg` project sets MASTHEAD_TEST_DATABASE=postgres and needs a
// server (TEST_DATABASE_URL, else DATABASE_URL, a role that may create
// databases); each test then gets a database of its own, a copy of a template
// migrated once for the suite (test/postgres-template.ts).
//
// Copying the template and dropping a database cost ~0.25 s of waiting per
// test, several minutes over the suite: so each worker copies the template
// for its next test while the current one runs, and drops a test's database
// without waiting for it. Whatever is left when the suite ends (the copy made
// for a test that never came, a drop cut short) the template's teardown drops
// by name: every test database's name begins with the template's.

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? null;
export const ON_POSTGRES = process.env.MASTHEAD_TEST_DATABASE === 'postgres';

/** The prefix of every test database of this suite run (see postgres-template.ts). */
export function testDatabasePrefix(template: string): string {
  return `${template}_t_`;
}

/** Runs one statement on the PostgreSQL server at `url` (its own connection). */
export async function runOnServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

/** One statement on the test server (TEST_DATABASE_URL's maintenance database). */
function onServer(sql: string): Promise<void> {
  if (!TEST_DATABASE_URL) throw new Error('the PostgreSQL suite needs TEST_DATABASE_URL');
  return runOnServer(TEST_DATABASE_URL, sql);
}

/** A new copy of the suite's migrated template; answers its name. */
async function copyTemplate(): Promise<string> {
  const template = inject('postgresTemplate');
  const name = `${testDatabasePrefix(template)}${randomBytes(6).toString('hex')}`;
  await onServer(`create database ${name} template ${template}`);
  return name;
}

/** The copy made for this worker's next test, under way. */
let nextCopy: Promise<string> | null = null;

/** A copy of the template for this test, and the next one started. */
async function takeCopy(): Promise<string> {
  const copy = nextCopy ?? copyTemplate();
  nextCopy = copyTemplate();
  // Awaited by the next test, which sees its failure; not an unhandled rejection meanwhile.
  nextCopy.catch(() => {});
  return await copy;
}

/**
 * Drops a test's database once its connections are gone. Cleanup only, on a
 * throwaway server: a database still busy (an autovacuum worker, a
 * connection closing) is tried again a few times, then left to the teardown.
 */
async function dropQuietly(name: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await onServer(`drop database if exists ${name}`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A fresh, migrated store: a SQLite file in `dataDir`, or a new PostgreSQL database. */
export async function openFreshStore(
  sqliteFile: string,
): Promise<{ store: Store; databaseUrl: string | null; drop: () => Promise<void> }> {
  if (!ON_POSTGRES) {
    const store = await openSqliteStore(sqliteFile);
    return { store, databaseUrl: null, drop: async () => {} };
  }
  if (!TEST_DATABASE_URL) throw new Error('the PostgreSQL suite needs TEST_DATABASE_URL');
  const name = await takeCopy();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const store = await openPostgresStore(url.toString());
  return {
    store,
    databaseUrl: url.toString(),
    // Not awaited: the next test need not wait for it (see above).
    drop: async () => {
      void dropQuietly(name);
    },
  };
}
