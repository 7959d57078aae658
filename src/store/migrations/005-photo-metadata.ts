import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/** What a photo's IPTC/XMP said about it: creator, source, copyright, how it was made, keywords. */
export async function up(db: AnyDb): Promise<void> {
  // One column per statement: SQLite adds one at a time.
  for (const column of ['creator', 'source', 'copyright', 'digital_source_type']) {
    await db.schema
      .alterTable('media')
      .addColumn(column, 'text', (col) => col.notNull().defaultTo(''))
      .execute();
  }
  await db.schema
    .alterTable('media')
    .addColumn('keywords_json', 'text', (col) => col.notNull().defaultTo('[]'))
    .execute();
}
