import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * The change log: what one process changed, told to the other servers on the
 * same SQLite file so that they purge their page caches (store/change-log.ts).
 * AUTOINCREMENT keeps ids from being used again once old rows are deleted: a
 * reader waiting for "id > 40" must never miss a new row numbered 1. The
 * table is made on PostgreSQL too, so the schema is one, and stays empty
 * there: LISTEN/NOTIFY carries the changes.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('change_log')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    // The message as NOTIFY would carry it (JSON: the sender and the cache tags).
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  // Old rows are deleted by age on every write.
  await db.schema
    .createIndex('change_log_created_at')
    .on('change_log')
    .column('created_at')
    .execute();
}
