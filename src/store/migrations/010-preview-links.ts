import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Preview links: an unpublished article (or a published one's pending edits)
 * shown to someone outside the newsroom app, a lawyer or a fact-checker. Only
 * a hash of the link's token is stored, as for sessions: a leaked database
 * does not open the previews.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('preview_link')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    .addColumn('created_by_user_id', 'integer', (col) => col.references('user.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    // The token's last characters, so people can tell their links apart.
    .addColumn('hint', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('preview_link_article')
    .on('preview_link')
    .column('article_id')
    .execute();
}
