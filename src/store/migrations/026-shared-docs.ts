import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * The shared document of each article's body (co-editing, Yjs): a compacted
 * state (`shared_doc`) and the updates received since (`shared_doc_update`),
 * each kept the moment it arrives so no keystroke a server acknowledged is
 * lost. `generation` names one lineage of the document: a browser's offline
 * copy merges only into the generation it was made from. A revision records
 * every editor whose typing it holds (`editors_json`), as several people may
 * have typed into one save of the shared text.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('shared_doc')
    .addColumn('article_id', 'integer', (col) =>
      col.primaryKey().references('article.id').onDelete('cascade'),
    )
    .addColumn('generation', 'text', (col) => col.notNull())
    .addColumn('state', bytes, (col) => col.notNull())
    // The newest update merged into `state`; later ones are read from shared_doc_update.
    .addColumn('through_update_id', 'integer', (col) => col.notNull().defaultTo(0))
    // The newest update whose text is in the article's body (saved with a revision).
    .addColumn('body_update_id', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('shared_doc_update')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    .addColumn('data', bytes, (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('shared_doc_update_article')
    .on('shared_doc_update')
    .columns(['article_id', 'id'])
    .execute();
  await db.schema.alterTable('revision').addColumn('editors_json', 'text').execute();
}
