import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Live coverage (a live blog): an article whose `live_state` is 'live' while
 * the newsroom covers an event as it happens, 'ended' afterwards, and null for
 * every ordinary article. Its updates are rows of `live_entry`, each with its
 * own version, so several people add and correct entries at once without
 * stepping on one another (only two edits of the same entry conflict).
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('article').addColumn('live_state', 'text').execute();
  await db.schema.alterTable('article').addColumn('live_started_at', 'text').execute();
  await db.schema.alterTable('article').addColumn('live_ended_at', 'text').execute();
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('live_entry')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    // The entry's author; a person who is removed takes their entries' byline with them.
    .addColumn('person_id', 'integer', (col) => col.references('person.id').onDelete('set null'))
    .addColumn('title', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('is_key_event', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('is_pinned', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('live_entry_article')
    .on('live_entry')
    .columns(['article_id', 'created_at'])
    .execute();
}
