import { hostname } from 'node:os';
import { type ControlledTransaction, type Kysely, sql } from 'kysely';
import { DomainError, isDomainError } from '../core/errors.js';
import { type LockWaits, lockWaits } from './database.js';
import { dialectOf } from './dialect.js';
import { articlesUsingMedia } from './media.js';
import type { Database } from './schema.js';
import { reindexArticles } from './search-index.js';

// A large import in short batches on SQLite, all-or-nothing all the same.
//
// SQLite has one write lock for the whole file. An import written in one
// transaction holds it for its whole write pass (20 s and more for 10 000
// WordPress posts), and every save, sign-in and scheduled publication of the
// servers waits for it and is then refused. Written here instead, an import
// commits as soon as another writer waits for the lock, and leaves the lock
// free until that writer is through.
//
// SQLite keeps no queue of waiting writers: a statement it refuses is noted
// (database.ts, LockWaits) and tried again after a timer (write-retry.ts),
// 125 ms apart at the most. Between two items, once a batch has held the lock
// for minHoldMs (a commit costs a sync of the log: not one per post), the
// import looks for a refusal since its batch began, or a query of its own
// process queued for the connection. If there is one, it commits and keeps the
// lock free until another connection has committed (the waiting writer is
// through) or pauseMs, longer than a writer's longest gap between two tries,
// have passed. A writer waits for the lock about one of its tries (20 to 125
// ms), where it waited up to a whole batch and pause before (150 + 75 ms, and
// again when its try missed the pause). Nobody waiting, a batch runs on, and
// commits and pauses anyway after holdMs: that lets in a writer that could not
// note its refusal (the file not writable to it), within its 3 s wait.
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

/**
 * minHoldMs: how long a batch holds the write lock, at least, before it
 * commits for a writer waiting; holdMs: at most, with nobody seen waiting;
 * pauseMs: how long the lock is then left free, at most (a pause ends once
 * another connection has committed). Tests make batches tiny, so that a small
 * import spans several.
 */
export const batchTiming = { minHoldMs: 20, holdMs: 1000, pauseMs: 130 };
/** How often a pause looks whether the waiting writer is through. */
const PAUSE_POLL_MS = 5;
/** How often, at the most, a batch looks whether a writer was refused the lock. */
const LOOK_EVERY_MS = 5;
/** How long a batch waits, in all, to begin when the servers keep the lock busy. */
const BEGIN_WAIT_MS = 60_000;
/**
 * A run that has not committed for this long, whose process is gone, is
 * taken to be dead. A live import commits several times a second, so a run
 * this quiet is never one still writing, even in a process this one cannot
 * see (another container with the same host name).
 */
const QUIET_RUN_MS = 30_000;
/** A run from another machine that has not committed for this long is taken to be dead. */
const STALE_RUN_MS = 10 * 60_000;
/** Journal rows forgotten per transaction once an import is in. */
const FORGET_STEP = 5000;

/** An import's way to the database: the transaction to write in now, and where it may pause. */
export type WriteBatches = {
  /** The transaction under way; it changes at each pause, so read it again after `between`. */
  readonly db: Kysely<Database>;
  /**
   * Between two items: on SQLite, when a writer waits for the lock (or the
   * batch has held it long), commits it and lets the writer through before
   * going on.
   */
  between: () => Promise<void>;
  /**
   * Runs `work` (encoding photos, say) with no batch open, so that it does not
   * hold the write lock meanwhile.
   */
  outside: <T>(work: () => Promise<T>) => Promise<T>;
};

/** The batches each open import transaction belongs to: a nested import writes in them. */
const batchesOf = new WeakMap<Kysely<Database>, WriteBatches>();

/** The runs this process is writing now: one of its own pid that is not here is dead. */
const liveRuns = new Set<number>();

/**
 * Runs `work` as one import: all of it lands, or none of it. Inside a
 * transaction already (a directory of files imported together) it writes in
 * that one's batches. One import at a time per database: another one under
 * way is refused with `import_under_way`.
 */
export async function writeInBatches<T>(
  db: Kysely<Database>,
  work: (batches: WriteBatches) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) {
    return await work(batchesOf.get(db) ?? inOneTransaction(db));
  }
  if (dialectOf(db) === 'postgres') {
    return await db.transaction().execute((trx) => work(inOneTransaction(trx)));
  }
  return await new SqliteBatches(db).run(work);
}

/** One transaction as batches that never pause (PostgreSQL; a caller's own transaction). */
function inOneTransaction(trx: Kysely<Database>): WriteBatches {
  return { db: trx, between: async () => {}, outside: (work) => work() };
}

class SqliteBatches implements WriteBatches {
  #trx: ControlledTransaction<Database> | null = null;
  #openedAt = 0;
  #runId = 0;
  /** Who waits for the lock, where the store tells (database.ts). */
  readonly #waits: LockWaits | undefined;
  /** The last refusal noted when the batch began: a later one is a writer waiting. */
  #refusedBefore = 0;
  /** When between() last looked for a refusal. */
  #lookedAt = 0;

  constructor(private readonly root: Kysely<Database>) {
    this.#waits = lockWaits(root);
  }

  get db(): Kysely<Database> {
    if (!this.#trx) throw new Error('the import has no batch open');
    return this.#trx;
  }

  async run<T>(work: (batches: WriteBatches) => Promise<T>): Promise<T> {
    await undoAbandonedImports(this.root);
    await installJournalTriggers(this.root);
    this.#runId = await startRun(this.root);
    liveRuns.add(this.#runId);
    try {
      await this.begin();
      const value = await work(this);
      // The import is in once this batch commits without its run.
      await this.db.deleteFrom('import_run').where('id', '=', this.#runId).execute();
      await this.commit();
      await forgetJournal(this.root, this.#runId);
      return value;
    } catch (error) {
      throw await this.takeBackOut(error);
    } finally {
      liveRuns.delete(this.#runId);
    }
  }

  /** After a failure: ends the open batch, plays the journal backwards; the error to throw. */
  private async takeBackOut(error: unknown): Promise<unknown> {
    const trx = this.#trx;
    this.#trx = null;
    try {
      if (trx) await trx.rollback().execute();
      await undoImportRun(this.root, this.#runId);
      return error;
    } catch (undoError) {
      // The run stays in the journal: the next process to open the database,
      // or a server's scheduler, takes it out. The import's own error is the
      // one to report.
      const message = error instanceof Error ? error.message : String(error);
      return new Error(
        `${message} (taking the import back out failed too: ${(undoError as Error).message}; it is taken out when the database is next opened)`,
        { cause: error },
      );
    }
  }

  async between(): Promise<void> {
    const held = performance.now() - this.#openedAt;
    const { minHoldMs, holdMs, pauseMs } = batchTiming;
    if (held < Math.min(minHoldMs, holdMs)) return;
    const waits = this.#waits;
    // A stat of the file: every LOOK_EVERY_MS, not after every item.
    const now = performance.now();
    const isLooking = waits !== undefined && now - this.#lookedAt >= LOOK_EVERY_MS;
    if (isLooking) this.#lookedAt = now;
    const isRefused = isLooking && waits.lastRefused() !== this.#refusedBefore;
    if (isRefused || held >= holdMs) {
      await this.pause(() => this.untilOtherCommits(pauseMs));
    } else if (waits !== undefined && waits.queued > 0) {
      // The process's own queries: queued for the connection, they have it
      // as soon as the batch commits, before the next batch begins.
      await this.pause(async () => {});
    }
  }

  /**
   * Leaves the lock free for up to `ms`, or until another connection has
   * committed (SQLite's data_version changes): the writer that was waiting is
   * through, and the import need not wait out the rest.
   */
  private async untilOtherCommits(ms: number): Promise<void> {
    if (ms <= 0) return;
    const until = performance.now() + ms;
    const version = await dataVersion(this.root);
    for (;;) {
      const left = until - performance.now();
      if (left <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(PAUSE_POLL_MS, left)));
      if ((await dataVersion(this.root)) !== version) return;
    }
  }

  async outside<T>(work: () => Promise<T>): Promise<T> {
    return await this.pause(work);
  }

  /** Commits the batch, runs `work` with the lock free, and begins the next batch. */
  private async pause<T>(work: () => Promise<T>): Promise<T> {
    await this.db
      .updateTable('import_run')
      .set({ heartbeat_at: new Date().toISOString() })
      .where('id', '=', this.#runId)
      .execute();
    await this.commit();
    const value = await work();
    await this.begin();
    return value;
  }

  private async begin(): Promise<void> {
    const started = performance.now();
    let trx: ControlledTransaction<Database>;
    for (;;) {
      try {
        trx = await this.root.startTransaction().execute();
        break;
      } catch (error) {
        // The servers' own writes are short: wait for them longer than a
        // request would, rather than give up a long import.
        const waited = performance.now() - started;
        if (!isDomainError(error, 'database_busy') || waited > BEGIN_WAIT_MS) throw error;
      }
    }
    this.#trx = trx;
    batchesOf.set(trx, this);
    // Another process took this run for dead and took it back out: writing on
    // would leave half an import in.
    const run = await trx
      .selectFrom('import_run')
      .select('id')
      .where('id', '=', this.#runId)
      .executeTakeFirst();
    if (!run) throw new Error('the import was taken back out by another process while it paused');
    // From here to the commit, the triggers note every change in the journal.
    await sql`insert into temp.import_journal_on (run_id) values (${this.#runId})`.execute(trx);
    // Refusals from here on are writers waiting for this batch (this import's
    // own, waiting to begin it, are behind).
    this.#refusedBefore = this.#waits?.lastRefused() ?? 0;
    this.#openedAt = performance.now();
  }

  private async commit(): Promise<void> {
    const trx = this.#trx;
    if (!trx) return;
    await sql`delete from temp.import_journal_on`.execute(trx);
    await trx.commit().execute();
    // Only once committed: a failed commit leaves the batch for takeBackOut to roll back.
    this.#trx = null;
  }
}

/** SQLite's count of commits by other connections, as this one has seen them. */
async function dataVersion(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(db);
  return Number(rows[0]?.data_version ?? 0);
}

/** Records a new run, refusing when another import is being written. */
async function startRun(db: Kysely<Database>): Promise<number> {
  return await db.transaction().execute(async (trx) => {
    const other = await trx.selectFrom('import_run').selectAll().limit(1).executeTakeFirst();
    if (other) {
      throw new DomainError(
        'import_under_way',
        `another import is being written (since ${other.started_at}): try again once it has ended`,
      );
    }
    const now = new Date().toISOString();
    const run = await trx
      .insertInto('import_run')
      .values({ host: hostname(), pid: process.pid, started_at: now, heartbeat_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return run.id;
  });
}

/** Deletes a finished run's journal a step at a time, letting other writers in between. */
async function forgetJournal(db: Kysely<Database>, runId: number): Promise<void> {
  for (;;) {
    const { numDeletedRows } = await db
      .deleteFrom('import_undo')
      .where(
        'seq',
        'in',
        db
          .selectFrom('import_undo')
          .select('seq')
          .where('run_id', '=', runId)
          .orderBy('seq')
          .limit(FORGET_STEP),
      )
      .executeTakeFirst();
    if (Number(numDeletedRows) < FORGET_STEP) return;
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

/** What taking an import back out did: rows put back as they were, and rows kept because others use them. */
export type UndoOutcome = { undone: number; kept: number };

/**
 * Plays a run's journal backwards in one transaction, then forgets the run:
 * the database is as it was before the import began, but for what other
 * writers did meanwhile. A row the others have come to rely on since (a tag
 * the import made that an editor has put on an article) cannot go without
 * breaking theirs: it stays, and is counted as kept. The search index rows
 * of the articles it touched are rebuilt from what they are again.
 *
 * With `seen`, the run must still be as it was when found abandoned (same
 * last commit): one that has committed since is alive after all, and one
 * gone was taken out by another process. Null then, and nothing is done.
 */
export async function undoImportRun(
  db: Kysely<Database>,
  runId: number,
  seen?: { heartbeatAt: string },
): Promise<UndoOutcome | null> {
  return await db.transaction().execute(async (trx) => {
    if (seen) {
      const run = await trx
        .selectFrom('import_run')
        .select('heartbeat_at')
        .where('id', '=', runId)
        .executeTakeFirst();
      if (run?.heartbeat_at !== seen.heartbeatAt) return null;
    }
    const tables = new Map((await journaledTables(trx)).map((table) => [table.name, table]));
    const touched = new Map<string, Set<number>>();
    const note = (table: string, id: unknown) => {
      if (typeof id !== 'number') return;
      const ids = touched.get(table) ?? new Set<number>();
      ids.add(id);
      touched.set(table, ids);
    };
    const outcome: UndoOutcome = { undone: 0, kept: 0 };
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
        before = entry.seq;
        const table = tables.get(entry.table_name);
        // A table dropped since: nothing of it to put back.
        if (!table) continue;
        // Each row in a savepoint of its own: one that breaks a constraint
        // is left as it is, and the rest still go back.
        await sql.raw('savepoint undo_row').execute(trx);
        try {
          const row = await undoEntry(trx, table, entry);
          await sql.raw('release undo_row').execute(trx);
          outcome.undone++;
          note(table.name, table.name === 'article' ? entry.row_key : row?.article_id);
          if (['media', 'person', 'tag'].includes(table.name)) note(table.name, entry.row_key);
        } catch (error) {
          if (!String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
            throw error;
          }
          await sql.raw('rollback to undo_row').execute(trx);
          await sql.raw('release undo_row').execute(trx);
          outcome.kept++;
        }
      }
    }
    await reindexArticles(trx, await articlesTouched(trx, touched));
    await trx.deleteFrom('import_undo').where('run_id', '=', runId).execute();
    await trx.deleteFrom('import_run').where('id', '=', runId).execute();
    return outcome;
  });
}

/** The articles whose search text may have changed: named, or showing a photo, person or tag that was. */
async function articlesTouched(
  db: Kysely<Database>,
  touched: Map<string, Set<number>>,
): Promise<number[]> {
  const ids = new Set(touched.get('article'));
  for (const table of ['article_author', 'article_tag', 'article_source']) {
    for (const id of touched.get(table) ?? []) ids.add(id);
  }
  for (const mediaId of touched.get('media') ?? []) {
    for (const article of await articlesUsingMedia(db, mediaId)) ids.add(article.id);
  }
  const people = [...(touched.get('person') ?? [])];
  if (people.length > 0) {
    const rows = await db
      .selectFrom('article_author')
      .select('article_id')
      .where('person_id', 'in', people)
      .execute();
    for (const row of rows) ids.add(row.article_id);
  }
  const tags = [...(touched.get('tag') ?? [])];
  if (tags.length > 0) {
    const rows = await db
      .selectFrom('article_tag')
      .select('article_id')
      .where('tag_id', 'in', tags)
      .execute();
    for (const row of rows) ids.add(row.article_id);
  }
  return [...ids];
}

/**
 * Puts one row back as it was; returns the row as it was (for an insert, as
 * the import made it), to tell which article it belonged to.
 */
async function undoEntry(
  db: Kysely<Database>,
  table: JournaledTable,
  entry: { op: string; row_key: number; old_row: string | null },
): Promise<Record<string, unknown> | undefined> {
  const name = sql.raw(quoted(table.name));
  if (entry.op === 'insert') {
    const { rows } = await sql<
      Record<string, unknown>
    >`delete from ${name} where rowid = ${entry.row_key} returning *`.execute(db);
    return rows[0];
  }
  const old = JSON.parse(entry.old_row ?? '{}') as Record<string, unknown>;
  // Only columns both the table and the noted row have: a column added by a
  // migration since keeps its value.
  const columns = ['rowid', ...table.columns.filter((column) => column in old)];
  const ref = (column: string) => sql.raw(column === 'rowid' ? column : quoted(column));
  if (entry.op === 'update') {
    const assignments = columns.map((column) => sql`${ref(column)} = ${old[column] ?? null}`);
    await sql`update ${name} set ${sql.join(assignments)} where rowid = ${entry.row_key}`.execute(
      db,
    );
  } else {
    await sql`insert into ${name} (${sql.join(columns.map(ref))})
      values (${sql.join(columns.map((column) => old[column] ?? null))})`.execute(db);
  }
  return old;
}

/**
 * Takes back out every import whose process is gone (killed mid-import):
 * quiet for half a minute, and on this machine run by a process no longer
 * there (or by this one, in a run it is not writing: a restart given the
 * same process id); from another machine, quiet for ten minutes. Forgets the
 * journal a finished import left behind (its process died while forgetting).
 * Returns how many runs it took out. PostgreSQL never leaves one: an import
 * there is one transaction, which a dead process rolls back.
 */
export async function undoAbandonedImports(
  db: Kysely<Database>,
  now: number = Date.now(),
): Promise<number> {
  if (dialectOf(db) === 'postgres') return 0;
  const runs = await db.selectFrom('import_run').selectAll().execute();
  let undone = 0;
  for (const run of runs) {
    if (!isAbandoned(run, now)) continue;
    if (await undoImportRun(db, run.id, { heartbeatAt: run.heartbeat_at })) undone++;
  }
  const orphans = await db
    .selectFrom('import_undo')
    .select('run_id')
    .where('run_id', 'not in', db.selectFrom('import_run').select('id'))
    .groupBy('run_id')
    .execute();
  for (const { run_id } of orphans) await forgetJournal(db, run_id);
  return undone;
}

function isAbandoned(
  run: { id: number; host: string; pid: number; heartbeat_at: string },
  now: number,
): boolean {
  const quietFor = now - Date.parse(run.heartbeat_at);
  if (quietFor > STALE_RUN_MS) return true;
  if (quietFor < QUIET_RUN_MS || run.host !== hostname()) return false;
  if (run.pid === process.pid) return !liveRuns.has(run.id);
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
