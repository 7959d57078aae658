import { hostname } from 'node:os';
import { type ControlledTransaction, type Kysely, sql } from 'kysely';
import { isDomainError } from '../core/errors.js';
import { dialectOf } from './dialect.js';
import type { Database } from './schema.js';
import { reindexArticles } from './search-index.js';

// A large import in short batches on SQLite, all-or-nothing all the same.
//
// SQLite has one write lock for the whole file. An import written in one
// transaction holds it for its whole write pass (20 s and more for 10 000
// WordPress posts), and every save, sign-in and scheduled publication of the
// servers waits for it and is then refused. Written here instead, an import
// commits every HOLD_MS and lets go of the lock for PAUSE_MS, in which the
// servers' writes (which wait for the lock after timers, write-retry.ts) get
// through.
//
// What makes it one import rather than many: before anything commits, every
// row it changes is noted in the import journal (migration 014) by TEMP
// triggers on this connection, which note only while a batch of the import is
// open. If the import fails, or its process dies (kill -9, a power cut), the
// journal is played backwards in one transaction: what it inserted is deleted,
// what it updated or deleted is put back as it was. A run whose process is
// gone is taken back out by the next process to open the database, and by the
// servers' scheduler within a minute.
//
// Between batches the imported rows are in the database: a page rendered then
// (not one already in the page cache, which is purged only at the end) may
// show part of the import, and a failed import takes that part back out.
//
// PostgreSQL locks rows, not the database: an import there is one transaction,
// which keeps the servers' other writes waiting for nothing.

/** How long a batch holds the write lock before it commits and lets others write. */
const HOLD_MS = 150;
/** How long the lock is left free between two batches. */
const PAUSE_MS = 75;
/** How long a batch waits, in all, to begin when the servers keep the lock busy. */
const BEGIN_WAIT_MS = 60_000;
/** A run from another machine that has not committed for this long is taken to be dead. */
const STALE_RUN_MS = 10 * 60_000;

/** An import's way to the database: the transaction to write in now, and where it may pause. */
export type WriteBatches = {
  /** The transaction under way; it changes at each pause, so read it again after `between`. */
  readonly db: Kysely<Database>;
  /**
   * Between two items: on SQLite, once the batch has held the write lock for
   * a while, commits it and lets the servers write before going on.
   */
  between: () => Promise<void>;
};

/** The batches each open import transaction belongs to: a nested import writes in them. */
const batchesOf = new WeakMap<Kysely<Database>, WriteBatches>();

/**
 * Runs `work` as one import: all of it lands, or none of it. Inside a
 * transaction already (a directory of files imported together) it writes in
 * that one's batches.
 */
export async function writeInBatches<T>(
  db: Kysely<Database>,
  work: (batches: WriteBatches) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) {
    return await work(batchesOf.get(db) ?? { db, between: async () => {} });
  }
  if (dialectOf(db) === 'postgres') {
    return await db.transaction().execute((trx) => work({ db: trx, between: async () => {} }));
  }
  return await new SqliteBatches(db).run(work);
}

class SqliteBatches implements WriteBatches {
  #trx: ControlledTransaction<Database> | null = null;
  #openedAt = 0;
  #runId = 0;

  constructor(private readonly root: Kysely<Database>) {}

  get db(): Kysely<Database> {
    if (!this.#trx) throw new Error('the import has no batch open');
    return this.#trx;
  }

  async run<T>(work: (batches: WriteBatches) => Promise<T>): Promise<T> {
    await undoAbandonedImports(this.root);
    await installJournalTriggers(this.root);
    const now = new Date().toISOString();
    const run = await this.root
      .insertInto('import_run')
      .values({ host: hostname(), pid: process.pid, started_at: now, heartbeat_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.#runId = run.id;
    try {
      await this.begin();
      const value = await work(this);
      // The last batch forgets the journal: from its commit on, the import is in.
      await this.db.deleteFrom('import_undo').where('run_id', '=', this.#runId).execute();
      await this.db.deleteFrom('import_run').where('id', '=', this.#runId).execute();
      await this.commit();
      return value;
    } catch (error) {
      if (this.#trx) {
        const trx = this.#trx;
        this.#trx = null;
        await trx.rollback().execute();
      }
      await undoImportRun(this.root, this.#runId);
      throw error;
    }
  }

  async between(): Promise<void> {
    if (performance.now() - this.#openedAt < HOLD_MS) return;
    await this.db
      .updateTable('import_run')
      .set({ heartbeat_at: new Date().toISOString() })
      .where('id', '=', this.#runId)
      .execute();
    await this.commit();
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    await this.begin();
  }

  private async begin(): Promise<void> {
    const started = performance.now();
    for (;;) {
      try {
        this.#trx = await this.root.startTransaction().execute();
        break;
      } catch (error) {
        // The servers' own writes are short: wait for them longer than a
        // request would, rather than give up a long import.
        const waited = performance.now() - started;
        if (!isDomainError(error, 'database_busy') || waited > BEGIN_WAIT_MS) throw error;
      }
    }
    batchesOf.set(this.#trx, this);
    // From here to the commit, the triggers note every change in the journal.
    await sql`insert into temp.import_journal_on (run_id) values (${this.#runId})`.execute(
      this.#trx,
    );
    this.#openedAt = performance.now();
  }

  private async commit(): Promise<void> {
    const trx = this.#trx;
    if (!trx) return;
    await sql`delete from temp.import_journal_on`.execute(trx);
    this.#trx = null;
    await trx.commit().execute();
  }
}

// ---------------------------------------------------------------------------
// The journal's triggers

/** Tables whose rows no import journal notes: its own, the migrator's and the derived ones. */
function isJournaled(table: { name: string; sql: string | null }): boolean {
  if (table.name.startsWith('sqlite_') || table.name.startsWith('kysely_')) return false;
  if (['import_run', 'import_undo', 'change_log'].includes(table.name)) return false;
  // The search index is an FTS5 table (no triggers on those) kept in shadow
  // tables named after it; undoing an import rebuilds the rows it touched.
  if (table.name.startsWith('article_search')) return false;
  return !/^\s*create\s+virtual/i.test(table.sql ?? '');
}

type JournaledTable = { name: string; columns: string[] };

async function journaledTables(db: Kysely<Database>): Promise<JournaledTable[]> {
  const { rows } = await sql<{
    name: string;
    sql: string | null;
  }>`select name, sql from main.sqlite_master where type = 'table' order by name`.execute(db);
  const tables: JournaledTable[] = [];
  for (const table of rows.filter(isJournaled)) {
    const columns = await sql<{
      name: string;
    }>`select name from pragma_table_info(${table.name})`.execute(db);
    tables.push({ name: table.name, columns: columns.rows.map((column) => column.name) });
  }
  return tables;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Creates, on this connection, the TEMP triggers that note an import's
 * changes in the journal. They note nothing unless `temp.import_journal_on`
 * holds a run: only an import's open batch puts one there, so the server's
 * own writes between batches, on the same connection, are never noted. TEMP
 * triggers fire for this connection's statements only; another process's
 * writes are never noted either.
 */
async function installJournalTriggers(db: Kysely<Database>): Promise<void> {
  await sql`create temp table if not exists import_journal_on (run_id integer not null)`.execute(
    db,
  );
  for (const table of await journaledTables(db)) {
    const oldRow = `json_object('rowid', old.rowid, ${table.columns
      .map((column) => `${text(column)}, old.${quoted(column)}`)
      .join(', ')})`;
    const note = (op: string, key: string, row: string) =>
      `insert into import_undo (run_id, table_name, op, row_key, old_row)
       select run_id, ${text(table.name)}, '${op}', ${key}, ${row} from temp.import_journal_on;`;
    const trigger = (op: string, event: string, body: string) =>
      sql.raw(`create temp trigger if not exists ${quoted(`import_journal_${table.name}_${op}`)}
        after ${event} on ${quoted(table.name)} begin ${body} end`);
    await trigger('insert', 'insert', note('insert', 'new.rowid', 'null')).execute(db);
    await trigger('update', 'update', note('update', 'new.rowid', oldRow)).execute(db);
    await trigger('delete', 'delete', note('delete', 'old.rowid', oldRow)).execute(db);
  }
}

// ---------------------------------------------------------------------------
// Taking an import back out

/**
 * Plays a run's journal backwards in one transaction, then forgets the run:
 * the database is as it was before the import began, but for what other
 * writers did meanwhile. The search index rows of the articles it touched are
 * rebuilt from what the articles are again.
 */
export async function undoImportRun(db: Kysely<Database>, runId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Rows come back one at a time, a parent perhaps after its children:
    // foreign keys are checked once all are back.
    await sql`pragma defer_foreign_keys = on`.execute(trx);
    const tables = new Map((await journaledTables(trx)).map((table) => [table.name, table]));
    const articleIds = new Set<number>();
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const entries = await trx
        .selectFrom('import_undo')
        .select(['seq', 'table_name', 'op', 'row_key', 'old_row'])
        .where('run_id', '=', runId)
        .where('seq', '<', before)
        .orderBy('seq', 'desc')
        .limit(1000)
        .execute();
      if (entries.length === 0) break;
      for (const entry of entries) {
        const table = tables.get(entry.table_name);
        if (!table) {
          throw new Error(
            `the import journal names a table this database lacks: ${entry.table_name}`,
          );
        }
        await undoEntry(trx, table, entry);
        if (table.name === 'article') articleIds.add(entry.row_key);
        before = entry.seq;
      }
    }
    await reindexArticles(trx, [...articleIds]);
    await trx.deleteFrom('import_undo').where('run_id', '=', runId).execute();
    await trx.deleteFrom('import_run').where('id', '=', runId).execute();
  });
}

async function undoEntry(
  db: Kysely<Database>,
  table: JournaledTable,
  entry: { op: string; row_key: number; old_row: string | null },
): Promise<void> {
  const name = sql.raw(quoted(table.name));
  const value = (column: string) =>
    sql`json_extract(${entry.old_row}, ${`$.${JSON.stringify(column)}`})`;
  if (entry.op === 'insert') {
    await sql`delete from ${name} where rowid = ${entry.row_key}`.execute(db);
  } else if (entry.op === 'update') {
    const assignments = ['rowid', ...table.columns].map(
      (column) => sql`${sql.raw(column === 'rowid' ? column : quoted(column))} = ${value(column)}`,
    );
    await sql`update ${name} set ${sql.join(assignments)} where rowid = ${entry.row_key}`.execute(
      db,
    );
  } else {
    const columns = ['rowid', ...table.columns];
    await sql`insert into ${name} (${sql.raw(columns.map((c) => (c === 'rowid' ? c : quoted(c))).join(', '))})
      values (${sql.join(columns.map(value))})`.execute(db);
  }
}

/**
 * Takes back out every import whose process is gone (killed mid-import): on
 * this machine, a process id no longer running; from another, a run that has
 * not committed for ten minutes. Returns how many. PostgreSQL never leaves
 * one: there an import is one transaction, which a dead process rolls back.
 */
export async function undoAbandonedImports(db: Kysely<Database>): Promise<number> {
  if (dialectOf(db) === 'postgres') return 0;
  const runs = await db.selectFrom('import_run').selectAll().execute();
  let undone = 0;
  for (const run of runs) {
    if (!isAbandoned(run)) continue;
    await undoImportRun(db, run.id);
    undone++;
  }
  return undone;
}

function isAbandoned(run: { host: string; pid: number; heartbeat_at: string }): boolean {
  if (Date.now() - Date.parse(run.heartbeat_at) > STALE_RUN_MS) return true;
  if (run.host !== hostname()) return false;
  if (run.pid === process.pid) return false;
  try {
    process.kill(run.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process is there, only someone else's.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** True while an import is being written in batches (a backup waits for it to end). */
export async function importUnderWay(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('import_run').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}
