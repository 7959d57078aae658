import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * The import journal (store/write-batches.ts): on SQLite a large import
 * commits in short batches so that the servers' writes get through between
 * them, and every row it changes is noted here first, so that a failed or
 * interrupted import can be taken back out whole. `import_run` is one row per
 * import under way: the process writing it, and when it last committed.
 * `import_undo` holds, per run, each row the import inserted (its rowid) and
 * the old values of each row it updated or deleted, in order. Both are empty
 * between imports, and always on PostgreSQL, where an import is one
 * transaction that blocks no one.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  // AUTOINCREMENT: a run's id is never used again, so a process taking out a
  // dead run can never take out a new one that got the same number.
  await db.schema
    .createTable('import_run')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('host', 'text', (col) => col.notNull())
    .addColumn('pid', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('heartbeat_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('import_undo')
    .addColumn('seq', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('run_id', 'integer', (col) => col.notNull())
    .addColumn('table_name', 'text', (col) => col.notNull())
    // 'insert', 'update' or 'delete'
    .addColumn('op', 'text', (col) => col.notNull())
    .addColumn('row_key', 'integer', (col) => col.notNull())
    // The row as it was before an update or a delete (JSON, its rowid included).
    .addColumn('old_row', 'text')
    .execute();
  await db.schema
    .createIndex('import_undo_run')
    .on('import_undo')
    .columns(['run_id', 'seq'])
    .execute();
}
