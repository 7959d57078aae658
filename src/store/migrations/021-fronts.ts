import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Fronts editors arrange (issue 16): the home page and each section's page,
 * one per language, as a JSON layout (core/fronts.ts) with a version that a
 * save names, so two editors never overwrite each other unknowingly. Path ""
 * is the home page. And how often each article was read, a count a day with
 * nothing about who read it, for the "most read" module.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('front')
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('layout', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('user.id').onDelete('set null'))
    .addPrimaryKeyConstraint('front_pk', ['language', 'path'])
    .execute();
  await db.schema
    .createTable('article_read')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    // The newsroom's UTC day, "2026-12-06".
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('article_read_pk', ['article_id', 'day'])
    .execute();
  await db.schema.createIndex('article_read_day').on('article_read').column('day').execute();
}
