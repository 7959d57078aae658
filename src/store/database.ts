import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Dialect } from './dialect.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

export type Store = {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Migrations applied when the store was opened (empty when it was up to date). */
  appliedMigrations: string[];
  close: () => Promise<void>;
};

/**
 * Opens (creating when missing) the embedded SQLite database at `file` and
 * migrates it. WAL lets readers go on while a write is under way.
 */
export async function openSqliteStore(file: string): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const appliedMigrations = await migrateToLatest(db, 'sqlite');
  return { db, dialect: 'sqlite', appliedMigrations, close: () => db.destroy() };
}
