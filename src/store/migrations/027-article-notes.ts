import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Notes on drafts: the newsroom's comments on an article, never shown to
 * readers. A thread starts with a note anchored to a passage of the body
 * (`anchor_json`: two Yjs relative positions in the shared text, so the
 * anchor follows the words as they move; `quote`: the passage as it read
 * then), replies carry `thread_id`. `note_mention` lists the staff a note
 * names with @, for their start screen and notifications.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('article_note')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    .addColumn('thread_id', 'integer', (col) =>
      col.references('article_note.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('anchor_json', 'text')
    .addColumn('quote', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'integer', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('article_note_article')
    .on('article_note')
    .columns(['article_id', 'id'])
    .execute();
  await db.schema
    .createTable('note_mention')
    .addColumn('note_id', 'integer', (col) =>
      col.notNull().references('article_note.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('user.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('note_mention_pk', ['note_id', 'user_id'])
    .execute();
  await db.schema.createIndex('note_mention_user').on('note_mention').column('user_id').execute();
}
