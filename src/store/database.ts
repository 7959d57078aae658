import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Dialect } from './dialect.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';
import { ensureSearchIndex } from './search-index.js';

/**
 * Transactions take the write lock when they begin (BEGIN IMMEDIATE): two
 * processes importing at once then wait for each other (busy_timeout) instead of
 * one failing with SQLITE_BUSY when its read turns into a write.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(private readonly sqlite: SqliteDatabase.Database) {
    super({ database: sqlite });
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  // SQLite itself ends the transaction on some errors (SQLITE_FULL, SQLITE_IOERR,
  // SQLITE_NOMEM): a ROLLBACK then fails with "cannot rollback - no transaction
  // is active", and that error would replace the one that says what happened.
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.inTransaction) await super.rollbackTransaction(connection);
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SqliteDatabase.Database) {
    super({ database });
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.database);
  }
}

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
  // SQLite's own lower() folds ASCII only: "СОКОЛОВА" would never match
  // "соколова". Case-insensitive searches (titles, photo credits) use lower()
  // as PostgreSQL's does, over all of Unicode.
  sqlite.function('lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite) });
  const appliedMigrations = await migrateToLatest(db, 'sqlite');
  // Every write keeps the search index current; this fills it for articles
  // published before it existed (migration 006), and repairs an interrupted fill.
  await ensureSearchIndex(db);
  return { db, dialect: 'sqlite', appliedMigrations, close: () => db.destroy() };
}

/**
 * Opens the PostgreSQL database at `url` (postgres://…) and migrates it: the
 * same migrations as SQLite, each written for both dialects. Several Masthead
 * processes may share it.
 */
export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server ends (a restart, a failover) is replaced on
  // the next query; unhandled, its error would stop the process.
  pool.on('error', () => {});
  // The cursor lets backups stream a table's rows instead of loading them whole.
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  const appliedMigrations = await migrateToLatest(db, 'postgres');
  await ensureSearchIndex(db);
  return { db, dialect: 'postgres', appliedMigrations, close: () => db.destroy() };
}

/** PostgreSQL when `databaseUrl` is given, else the embedded SQLite file. */
export async function openStore(options: {
  databaseUrl: string | null;
  databaseFile: string;
}): Promise<Store> {
  return options.databaseUrl
    ? openPostgresStore(options.databaseUrl)
    : openSqliteStore(options.databaseFile);
}

/** Where the database is, for messages: a PostgreSQL URL without its password, or the file. */
export function databaseName(options: {
  databaseUrl?: string | null;
  databaseFile: string;
}): string {
  return options.databaseUrl
    ? options.databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
    : options.databaseFile;
}
