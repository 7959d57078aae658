import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type SqliteDatabase as KyselySqliteDatabase,
  PostgresDialect,
  type QueryResult,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Dialect } from './dialect.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';
import { ensureSearchIndex } from './search-index.js';
import { retryWhileBusy } from './write-retry.js';

/**
 * Transactions take the write lock when they begin (BEGIN IMMEDIATE): two
 * processes importing at once then wait for each other instead of one failing
 * with SQLITE_BUSY when its read turns into a write.
 *
 * The waiting happens here, not in SQLite. SQLite's busy_timeout waits inside
 * better-sqlite3, which is synchronous: while another process (a CLI import,
 * `masthead user add`) held the lock, Node's only thread, and with it every
 * request of the server, would stop for the whole wait. The connection's
 * busy_timeout is 0 instead, and a statement refused because the lock is taken
 * is tried again after a timer (write-retry.ts), with the connection free for
 * the process's other queries meanwhile: reads, which WAL never makes wait,
 * go on being answered.
 *
 * Only statements run outside a transaction are tried again. That is enough:
 * a transaction waits for the lock at its BEGIN IMMEDIATE, and once begun it
 * holds the lock, so under WAL nothing in it (COMMIT included) can be refused
 * for a lock. And it is safe: a transaction's work never runs twice, so one
 * that puts files in place before it commits (a restore) does so once.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  #waiting: DatabaseConnection | undefined;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly waits: LockWaits,
  ) {
    super({ database: new StatementCache(sqlite) });
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.queueForConnection();
    this.#waiting ??= new WaitingSqliteConnection(connection, this.sqlite, (statement) =>
      retryWhileBusy(statement, async (ms) => {
        // Whoever holds the lock (an import in batches) learns that a writer waits.
        this.waits.noteRefused();
        // Lets the process's other queries use the connection during the pause.
        await super.releaseConnection();
        await new Promise((resolve) => setTimeout(resolve, ms));
        await this.queueForConnection();
      }),
    );
    return this.#waiting;
  }

  /** Waits for the process's one connection, counted while waiting (LockWaits.queued). */
  private async queueForConnection(): Promise<DatabaseConnection> {
    this.waits.queued++;
    try {
      return await super.acquireConnection();
    } finally {
      this.waits.queued--;
    }
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

/** Kysely's SQLite connection, whose statements outside a transaction wait for a taken lock. */
class WaitingSqliteConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly sqlite: SqliteDatabase.Database,
    private readonly untilGranted: <T>(statement: () => Promise<T>) => Promise<T>,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const run = async () => await this.inner.executeQuery<R>(query);
    // Inside a transaction the lock is already held (see ImmediateSqliteDriver),
    // and releasing the connection there would let others into the transaction.
    return this.sqlite.inTransaction ? await run() : await this.untilGranted(run);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/** How many prepared statements a SQLite connection keeps, by SQL text. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The connection as Kysely's driver sees it, preparing each SQL text once.
 * Kysely's SQLite driver prepares every query anew, and better-sqlite3's
 * prepare compiles the SQL each time: an import of thousands of posts runs the
 * same few dozen statements for every post, and compiling them again took
 * some 8% of its time. Kept here, most recently used last, and the least
 * recently used dropped past STATEMENT_CACHE_SIZE: queries whose text varies (an
 * `in (?, ?, …)` list) pass through without crowding out for long the ones
 * that repeat. A statement still being iterated (a streamed select) cannot
 * run again until it ends: that text is prepared afresh meanwhile. SQLite
 * prepares a cached statement again by itself when the schema changes.
 */
export class StatementCache implements KyselySqliteDatabase {
  readonly #statements = new Map<string, SqliteDatabase.Statement>();

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly size: number = STATEMENT_CACHE_SIZE,
  ) {}

  prepare(sql: string): SqliteDatabase.Statement {
    const cached = this.#statements.get(sql);
    if (cached) {
      if (cached.busy) return this.sqlite.prepare(sql);
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.sqlite.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.size) {
      const oldest = this.#statements.keys().next();
      if (!oldest.done) this.#statements.delete(oldest.value);
    }
    return statement;
  }

  /** How many statements are kept (for tests). */
  get cached(): number {
    return this.#statements.size;
  }

  close(): void {
    this.#statements.clear();
    this.sqlite.close();
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: SqliteDatabase.Database,
    private readonly waits: LockWaits,
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.database, this.waits);
  }
}

/**
 * Who waits for a SQLite database's write lock, as its holder can tell: an
 * import writing in batches (write-batches.ts) commits and lets them in as
 * soon as one waits, instead of at fixed times.
 *
 * SQLite keeps no queue of waiting writers, and a writer of another process
 * waits on a timer (write-retry.ts), unseen. So each time SQLite refuses a
 * statement the lock, the refusal is noted in a file next to the database
 * (`<file>-waiting`, its modification time): a stat tells the lock's holder,
 * in whatever process, that someone was refused since it last looked. Within
 * one process, queries queue for its one connection, and `queued` counts them.
 * The file is a hint: when it cannot be written (permissions, a database in
 * memory), the import still lets writers in at its fixed times.
 */
export class LockWaits {
  /** Queries of this process waiting for its connection (which an open batch holds). */
  queued = 0;

  constructor(private readonly signalFile: string | null) {}

  /** Notes that SQLite refused this process a statement because another held the lock. */
  noteRefused(): void {
    if (this.signalFile === null) return;
    try {
      // Written, not touched: setting the time needs the file's owner, writing
      // it only write permission (a CLI import run by another user).
      writeFileSync(this.signalFile, '1', { mode: 0o666 });
    } catch {
      // A hint only: the import's fixed pauses still let this writer in.
    }
  }

  /** When a writer was last refused the lock (the file's time, in ms; 0 when never). */
  lastRefused(): number {
    if (this.signalFile === null) return 0;
    try {
      return statSync(this.signalFile, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    } catch {
      return 0;
    }
  }
}

const lockWaitsOf = new WeakMap<Kysely<Database>, LockWaits>();

/** The lock waits of a SQLite store's database (undefined for PostgreSQL, or a handle not opened here). */
export function lockWaits(db: Kysely<Database>): LockWaits | undefined {
  return lockWaitsOf.get(db);
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
  // Never wait inside SQLite, which would stop the whole process: the driver
  // waits for a taken lock after a timer instead (ImmediateSqliteDriver).
  sqlite.pragma('busy_timeout = 0');
  // SQLite's own lower() folds ASCII only: "СОКОЛОВА" would never match
  // "соколова". Case-insensitive searches (titles, photo credits) use lower()
  // as PostgreSQL's does, over all of Unicode.
  sqlite.function('lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
  const waits = new LockWaits(file === ':memory:' || file === '' ? null : `${file}-waiting`);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite, waits) });
  lockWaitsOf.set(db, waits);
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
