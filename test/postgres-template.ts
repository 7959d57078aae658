import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgresStore } from '../src/store/database.js';
import { runOnServer, testDatabasePrefix } from './databases.js';

// The integration-pg suite gives each test a database of its own. Migrating
// every one of them (28 migrations, a few hundred statements) took longer than
// many tests themselves; instead the schema is migrated once, here, into a
// template, and each test's database is a copy of it (`create database …
// template …`, a file copy on the server). Dropped when the suite ends.

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string;
  }
}

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const name = `masthead_template_${randomBytes(6).toString('hex')}`;

export async function setup(project: TestProject): Promise<void> {
  if (!serverUrl) throw new Error('the PostgreSQL suite needs TEST_DATABASE_URL');
  await runOnServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Migrated, then closed: a template must have no connections while it is copied.
  const store = await openPostgresStore(url.toString());
  await store.close();
  project.provide('postgresTemplate', name);
}

export async function teardown(): Promise<void> {
  if (!serverUrl) return;
  // Cleanup only, on a throwaway server: a server already gone fails nothing.
  await dropLeftovers(serverUrl).catch(() => {});
}

/** The tests' databases left over (see databases.ts), then the template. */
async function dropLeftovers(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const left = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [testDatabasePrefix(name)],
    );
    for (const { datname } of left.rows) {
      await client.query(`drop database if exists ${datname} with (force)`).catch(() => {});
    }
    await client.query(`drop database if exists ${name} with (force)`).catch(() => {});
  } finally {
    await client.end().catch(() => {});
  }
}
