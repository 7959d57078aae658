import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * How an article presents itself in search results and link previews, when
 * the newsroom wants it to differ from the page: a title and description for
 * search engines and social cards ('' to use the headline and standfirst), and
 * a photo for the card (null to use the lead photo).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('article')
    .addColumn('meta_title', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('article')
    .addColumn('meta_description', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('article')
    .addColumn('social_media_id', 'integer', (col) => col.references('media.id'))
    .execute();
}
