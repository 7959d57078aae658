import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Full-text search over published articles. Each row holds an article's
 * fields as stemmed text (core/search-text.ts does the stemming, the same for
 * every store), so the database only matches stems. SQLite: an FTS5 table
 * whose rowid is the article id. PostgreSQL: the same columns and a weighted
 * tsvector over them in the 'simple' configuration, since the text is stemmed
 * already.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await db.schema
      .createTable('article_search')
      .addColumn('article_id', 'integer', (col) =>
        col.primaryKey().references('article.id').onDelete('cascade'),
      )
      .addColumn('headline', 'text', (col) => col.notNull())
      .addColumn('standfirst', 'text', (col) => col.notNull())
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('authors', 'text', (col) => col.notNull())
      .addColumn('tags', 'text', (col) => col.notNull())
      .addColumn('captions', 'text', (col) => col.notNull())
      .addColumn('document', sql`tsvector`, (col) =>
        col
          .generatedAlwaysAs(
            sql`setweight(to_tsvector('simple', headline), 'A') || setweight(to_tsvector('simple', standfirst || ' ' || authors || ' ' || tags), 'B') || setweight(to_tsvector('simple', body || ' ' || captions), 'C')`,
          )
          .stored(),
      )
      .execute();
    await sql`create index article_search_document on article_search using gin (document)`.execute(
      db,
    );
  } else {
    await sql`create virtual table article_search using fts5(headline, standfirst, body, authors, tags, captions, tokenize = 'unicode61 remove_diacritics 2')`.execute(
      db,
    );
  }
  await db.schema
    .createIndex('article_translation_group')
    .on('article')
    .column('translation_group')
    .execute();
}
