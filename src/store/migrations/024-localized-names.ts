import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * A section's name in each interface language ({"ru": "Новости"}), shown on
 * pages in that language; `name` stays the name in the site's own language.
 * (The site's name, tagline and menus per language are settings.)
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('section')
    .addColumn('names', 'text', (col) => col.notNull().defaultTo('{}'))
    .execute();
}
