import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import SqliteDatabase from 'better-sqlite3';
import { DEFAULT_MIGRATION_TABLE, type Kysely, sql } from 'kysely';
import { DomainError } from '../core/errors.js';
import { openSqliteStore } from './database.js';
import { type Dialect, dialectOf } from './dialect.js';
import type { Database } from './schema.js';
import { reindexArticles } from './search-index.js';
import { importUnderWay, undoAbandonedImports } from './write-batches.js';

// The rows of a backup: every table that holds what the newsroom made, dumped
// through Kysely as one JSON object per line (columns as stored, in primary-key
// order) and loaded back the same way, so a backup taken on SQLite can later be
// restored into PostgreSQL. No file copying: the database file's layout is the
// dialect's business, the rows are ours.

type TableName = keyof Database & string;

type BackupTable = {
  name: TableName;
  /** The primary key: rows are written in its order, so two dumps of one database are alike. */
  key: readonly string[];
  /** A column naming another row of the same table, whose row must be inserted first. */
  parent?: string;
};

/**
 * The tables a backup carries, in dependency order: each comes after every
 * table its foreign keys name, so a restore inserts them one by one with the
 * constraints on. Users stay although they hold password hashes and TOTP
 * secrets: revisions, corrections, articles and the audit log name them, and
 * the restored newsroom must be able to sign in. A backup file is therefore
 * as secret as the database itself.
 */
export const BACKUP_TABLES: readonly BackupTable[] = [
  { name: 'setting', key: ['key'] },
  { name: 'section', key: ['id'], parent: 'parent_id' },
  // Media before people: a person's portrait names a photo.
  { name: 'media', key: ['id'] },
  { name: 'person', key: ['id'] },
  { name: 'user', key: ['id'] },
  { name: 'article', key: ['id'] },
  { name: 'article_author', key: ['article_id', 'person_id'] },
  { name: 'article_source', key: ['article_id', 'position'] },
  { name: 'tag', key: ['id'] },
  { name: 'article_tag', key: ['article_id', 'tag_id'] },
  { name: 'page', key: ['id'] },
  { name: 'revision', key: ['id'] },
  { name: 'correction', key: ['id'] },
  { name: 'audit_log', key: ['id'] },
  { name: 'import_ref', key: ['format', 'external_id'] },
  { name: 'redirect', key: ['from_path'] },
  // Channels keep their bot tokens: a backup is as secret as the database.
  { name: 'channel', key: ['id'] },
  // Where each article went: a restored site still edits and deletes its posts.
  { name: 'delivery', key: ['id'] },
  // Readers' addresses: as secret as the rest of the backup.
  { name: 'newsletter_list', key: ['id'] },
  { name: 'subscriber', key: ['id'] },
  { name: 'subscription', key: ['list_id', 'subscriber_id'] },
  // What went to whom: a restored site does not send a newsletter twice.
  { name: 'newsletter_send', key: ['id'] },
  { name: 'newsletter_recipient', key: ['send_id', 'subscriber_id'] },
  // The fediverse actor's keys (followers know it by them), followers and what came in.
  { name: 'fedi_key', key: ['identifier'] },
  { name: 'fedi_follower', key: ['id'] },
  { name: 'fedi_following', key: ['id'] },
  { name: 'fedi_interaction', key: ['id'] },
  { name: 'fedi_received', key: ['id'] },
  // Fronts as editors arranged them.
  { name: 'front', key: ['language', 'path'] },
  // Audience numbers (aggregates only; "most read" ranks from them).
  { name: 'audience_view', key: ['hour', 'path', 'channel', 'referrer', 'language', 'device'] },
  { name: 'audience_reader', key: ['day'] },
  { name: 'audience_event', key: ['day', 'kind', 'subject'] },
  // Live coverage's entries: the record of what was reported as it happened.
  { name: 'live_entry', key: ['id'] },
  // The newsroom's notes on drafts (never public) and whom they name: a
  // thread's replies come after its first note, in id order.
  { name: 'article_note', key: ['id'] },
  { name: 'note_mention', key: ['note_id', 'user_id'] },
  // The desk: stories given to writers, what each person should know, and how they hear of it.
  { name: 'assignment', key: ['id'] },
  { name: 'notification', key: ['id'] },
  { name: 'notification_choice', key: ['user_id', 'kind'] },
];

/**
 * Tables a backup leaves out, and why. A table in neither list stops an
 * export (see `checkTablesClassified`): a new migration must decide.
 */
export const EXCLUDED_TABLES: Readonly<Record<string, string>> = {
  // A restored site must not let whoever held a cookie when the backup was
  // taken walk in (a backup may be restored on another machine, after a
  // seizure); sessions expire within days anyway, and staff sign in again.
  session: 'sign-in sessions: staff sign in again after a restore',
  // Throttle counters keep e-mail addresses and IP addresses for minutes:
  // personal data worth nothing a day later, and carried over they could lock
  // someone out of the restored site.
  login_attempt: 'sign-in throttle counters: short-lived, and they hold IP addresses',
  // One-time password links: a restore must not revive a link that was meant
  // to expire or was already spent; an editor-in-chief can issue a new one.
  password_token: 'one-time password links: a restore must not revive them',
  // Links shown to people outside the newsroom: a restore must not reopen a
  // link someone revoked or meant to expire; staff share a new one.
  preview_link: 'preview links: a restore must not reopen them',
  // Derived from the articles: rebuilt by every restore (rebuildSearchIndex).
  article_search: 'the search index: rebuilt from the articles on restore',
  // Messages between the servers running when the backup was taken, minutes
  // old: a restored site starts with empty page caches and has nothing to purge.
  change_log: 'cache purges told between running servers: minutes old, no news after a restore',
  // A backup waits for an import being written in batches to end (dumpTables),
  // so the journal of one is always empty in the snapshot.
  import_run: 'the import being written in batches: a backup waits for it to end',
  import_undo: 'the journal of an import being written: a backup waits for it to end',
  // Fedify's cache of other servers' keys and documents: fetched again as needed.
  fedi_kv: 'the fediverse cache of other servers’ keys and documents: fetched again',
  // The body's shared document is made again from the article's body, as a
  // new generation: browsers' offline copies of the old one are not merged
  // into it (they would double the text).
  shared_doc: 'co-editing documents: made again from the articles’ bodies',
  shared_doc_update: 'co-editing updates: already in the articles’ bodies once saved',
  // Minutes old, and the day's reader hashes must die with the day's salt:
  // a backup carrying them would keep them past it.
  audience_minute: 'views of the last hour: “right now” is over after a restore',
  audience_seen: 'the day’s salted reader hashes: never kept past their day',
  audience_salt: 'the day’s salt for reader hashes: never kept past its day',
};

// FTS5 keeps an index's data in shadow tables named after it (article_search_data,
// _idx, _content, _docsize, _config): derived too, and the dialect's own business.
const DERIVED_PREFIX = 'article_search_';

/** A table's rows as JSON lines, one object per row. */
export type TableLines = AsyncIterable<string>;

// Rows move as stored, whatever their table: the typed schema cannot describe
// "a row of the table named at run time", so these queries go through an
// untyped view of the same connection. Values are checked by hand below.
type StoredValue = string | number | null;
type UntypedDb = Kysely<Record<string, Record<string, StoredValue>>>;

function untyped(db: Kysely<Database>): UntypedDb {
  return db as unknown as UntypedDb;
}

/**
 * Refuses to go on when the database has a table that neither the backup
 * carries nor leaves out on purpose: a backup silently missing a new table
 * would restore a different site.
 */
export async function checkTablesClassified(db: Kysely<Database>): Promise<void> {
  const carried = new Set<string>(BACKUP_TABLES.map((table) => table.name));
  const unknown = (await db.introspection.getTables())
    .map((table) => table.name)
    .filter(
      (name) =>
        !carried.has(name) && !(name in EXCLUDED_TABLES) && !name.startsWith(DERIVED_PREFIX),
    );
  if (unknown.length > 0)
    throw new Error(
      `the database has tables a backup does not know of (${unknown.join(', ')}): add each to BACKUP_TABLES or EXCLUDED_TABLES in src/store/backup-rows.ts`,
    );
}

/** The name of the newest migration applied to this database: its schema level. */
export async function schemaLevel(db: Kysely<Database>): Promise<string> {
  const row = await sql<{ name: string }>`select name from ${sql.table(
    DEFAULT_MIGRATION_TABLE,
  )} order by name desc limit 1`.execute(db);
  const name = row.rows[0]?.name;
  if (!name) throw new Error('the database has no migrations applied');
  return name;
}

/**
 * Every schema level this Masthead knows, oldest first. The list of
 * migrations is private to migrate.ts; a fresh in-memory database applies
 * them all, so its applied list is exactly that list.
 */
export async function knownSchemaLevels(): Promise<string[]> {
  const store = await openSqliteStore(':memory:');
  try {
    return [...store.appliedMigrations];
  } finally {
    await store.close();
  }
}

/**
 * The first backed-up table holding a row in the SQLite database at `file`,
 * or null when it holds none. Opened read-only: asking must not migrate or
 * otherwise change a database that is not ours to touch.
 */
export function firstTableWithRows(file: string): string | null {
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const exists = sqlite.prepare<[string], { n: number }>(
      `select count(*) as n from sqlite_master where type = 'table' and name = ?`,
    );
    for (const { name } of BACKUP_TABLES) {
      if ((exists.get(name)?.n ?? 0) === 0) continue;
      // The name comes from BACKUP_TABLES, never from input.
      if (sqlite.prepare(`select 1 from "${name}" limit 1`).get() !== undefined) return name;
    }
    return null;
  } finally {
    sqlite.close();
  }
}

/**
 * Streams every backed-up table to `write`, table by table, from one
 * consistent snapshot: a save committed during the dump is either wholly in
 * it or wholly out. `write` must consume the lines it is given.
 */
export async function dumpTables(
  db: Kysely<Database>,
  dialect: Dialect,
  write: (table: TableName, lines: TableLines) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    // An import that died while the backup waited is taken out, and the wait ends.
    await undoAbandonedImports(db).catch(() => 0);
    const dumped = await db.connection().execute(async (connection) => {
      // Kysely's transactions begin IMMEDIATE here (database.ts), which would
      // hold the write lock for the whole dump. A read needs only a snapshot:
      // a deferred BEGIN under WAL, or REPEATABLE READ on PostgreSQL, lets the
      // newsroom go on saving while the backup is written.
      const begin =
        dialect === 'postgres' ? 'begin transaction isolation level repeatable read' : 'begin';
      await sql.raw(begin).execute(connection);
      try {
        // An import written in batches (store/write-batches.ts) is half in
        // the database until it ends: a snapshot then would keep half of it.
        if (await importUnderWay(connection)) return false;
        for (const table of BACKUP_TABLES) await write(table.name, tableLines(connection, table));
        return true;
      } finally {
        // Nothing was written: ending the snapshot either way is the same.
        await sql.raw('rollback').execute(connection);
      }
    });
    if (dumped) return;
    if (Date.now() - started > IMPORT_WAIT_MS) {
      throw new DomainError(
        'import_under_way',
        'an import has been writing to the database for over 30 minutes: back up once it has ended',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** How long a backup waits for an import under way to end. */
const IMPORT_WAIT_MS = 30 * 60_000;

async function* tableLines(db: Kysely<Database>, table: BackupTable): TableLines {
  let query = untyped(db).selectFrom(table.name).selectAll();
  for (const column of table.key) query = query.orderBy(sql.ref(column));
  for await (const row of query.stream()) yield JSON.stringify(row);
}

/** Each backed-up table's columns in this database, for checking rows before they are inserted. */
export async function backupTableColumns(
  db: Kysely<Database>,
): Promise<Map<TableName, Set<string>>> {
  const tables = await db.introspection.getTables();
  const columns = new Map<TableName, Set<string>>();
  for (const { name } of BACKUP_TABLES) {
    const found = tables.find((table) => table.name === name);
    if (found) columns.set(name, new Set(found.columns.map((column) => column.name)));
  }
  return columns;
}

/** Reads a file's stream as lines (a final newline does not make an empty last line). */
export function linesOf(stream: Readable): TableLines {
  return createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
}

// Rows per INSERT: well under SQLite's limit of bound parameters with the widest table.
const BATCH = 100;

/**
 * Inserts every table's rows into an empty, migrated database in one
 * transaction, ids as they were, in dependency order, then rebuilds the
 * search index from them. `linesFor` gives a table's lines, or null for a
 * table the backup does not hold (one taken before that table existed).
 * `beforeCommit` runs last, inside the transaction (the photo files are put
 * in place there when the database is a server's). Returns the number of
 * rows inserted per table. On any failure nothing stays.
 */
export async function restoreTables(
  db: Kysely<Database>,
  linesFor: (table: TableName) => TableLines | null,
  beforeCommit?: () => Promise<void>,
): Promise<Map<TableName, number>> {
  const columns = await backupTableColumns(db);
  const counts = new Map<TableName, number>();
  await db.transaction().execute(async (trx) => {
    for (const table of BACKUP_TABLES) {
      const lines = linesFor(table.name);
      if (lines === null) continue;
      const known = columns.get(table.name);
      if (!known) throw new Error(`this database has no table ${table.name}`);
      try {
        counts.set(table.name, await insertLines(untyped(trx), table, known, lines));
      } catch (error) {
        if (!isRowRefusal(error)) throw error;
        throw new DomainError(
          'malformed_file',
          `tables/${table.name}.jsonl: its rows do not fit this Masthead's database (${(error as Error).message})`,
        );
      }
    }
    // PostgreSQL's serial columns draw from sequences that explicit ids do
    // not move: without this, the next article would collide with a restored
    // one. SQLite's AUTOINCREMENT follows the largest id by itself.
    if (dialectOf(trx) === 'postgres') await moveSequencesPastRows(trx);
    await rebuildSearchIndex(trx);
    // Last, inside the transaction: a failure here undoes the rows too.
    await beforeCommit?.();
  });
  return counts;
}

async function moveSequencesPastRows(trx: Kysely<Database>): Promise<void> {
  for (const table of BACKUP_TABLES) {
    if (table.key.join() !== 'id') continue;
    // The name comes from BACKUP_TABLES, never from input.
    await sql`select setval(sequence, coalesce((select max(id) from ${sql.table(table.name)}), 0) + 1, false)
      from (select pg_get_serial_sequence(${`"${table.name}"`}, 'id') as sequence) as serial
      where sequence is not null`.execute(trx);
  }
}

/**
 * The first backed-up table holding a row in an open (migrated) database, or
 * null when it holds none: the PostgreSQL side of `firstTableWithRows`.
 */
export async function firstTableWithRowsIn(db: Kysely<Database>): Promise<string | null> {
  for (const { name } of BACKUP_TABLES) {
    const row = await untyped(db)
      .selectFrom(name)
      .select(sql`1`.as('one'))
      .limit(1)
      .executeTakeFirst();
    if (row !== undefined) return name;
  }
  return null;
}

/** A database refusing a row (a constraint, a type), as opposed to the database failing. */
function isRowRefusal(error: unknown): boolean {
  if (error instanceof DomainError) return false;
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  // SQLite's constraint and type errors; PostgreSQL's integrity class (23xxx) and bad values (22xxx).
  return /^SQLITE_(CONSTRAINT|MISMATCH)/.test(code) || /^2[23][0-9A-Z]{3}$/.test(code);
}

async function insertLines(
  db: UntypedDb,
  table: BackupTable,
  columns: Set<string>,
  lines: TableLines,
): Promise<number> {
  const rows: Record<string, StoredValue>[] = [];
  const flush = async () => {
    await db.insertInto(table.name).values(rows.splice(0, BATCH)).execute();
  };
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    rows.push(parseRow(line, columns, `tables/${table.name}.jsonl line ${lineNumber}`));
    // A self-referencing table (sections) is held whole, to be reordered below.
    if (!table.parent && rows.length >= BATCH) await flush();
  }
  // Parents go in before their children, whatever their ids: a section may
  // have been moved under a newer one.
  if (table.parent) rows.splice(0, rows.length, ...parentsFirst(rows, table.parent, table.name));
  while (rows.length > 0) await flush();
  return lineNumber;
}

function parseRow(line: string, columns: Set<string>, where: string): Record<string, StoredValue> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new DomainError('malformed_file', `${where}: not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DomainError('malformed_file', `${where}: a row must be a JSON object`);
  const row: Record<string, StoredValue> = {};
  for (const [column, cell] of Object.entries(value)) {
    if (!columns.has(column))
      throw new DomainError(
        'malformed_file',
        `${where}: column "${column}" is not in this Masthead's table`,
      );
    if (cell !== null && typeof cell !== 'string' && typeof cell !== 'number')
      throw new DomainError(
        'malformed_file',
        `${where}: column "${column}" holds ${Array.isArray(cell) ? 'an array' : typeof cell}; stored values are text, numbers or null`,
      );
    row[column] = cell;
  }
  if (Object.keys(row).length === 0)
    throw new DomainError('malformed_file', `${where}: the row has no columns`);
  return row;
}

function parentsFirst(
  rows: Record<string, StoredValue>[],
  parent: string,
  table: string,
): Record<string, StoredValue>[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const placed = new Set<Record<string, StoredValue>>();
  const out: Record<string, StoredValue>[] = [];
  const place = (row: Record<string, StoredValue>, depth: number): void => {
    if (placed.has(row)) return;
    if (depth > rows.length)
      throw new DomainError(
        'malformed_file',
        `tables/${table}.jsonl: the rows' parents form a loop`,
      );
    const up = row[parent];
    const parentRow = up === null || up === undefined ? undefined : byId.get(up);
    if (parentRow) place(parentRow, depth + 1);
    placed.add(row);
    out.push(row);
  };
  for (const row of rows) place(row, 0);
  return out;
}

/** Rebuilds the search index of every published article, inside the caller's transaction. */
export async function rebuildSearchIndex(db: Kysely<Database>): Promise<void> {
  await sql`delete from article_search`.execute(db);
  const rows = await db
    .selectFrom('article')
    .select('id')
    .where('status', '=', 'published')
    .orderBy('id')
    .execute();
  for (let at = 0; at < rows.length; at += 200)
    await reindexArticles(
      db,
      rows.slice(at, at + 200).map((row) => row.id),
    );
}
