import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * What imports from other systems need: old addresses that redirect to the new
 * pages, the original address of a photo whose file is fetched later, agency
 * copy kept apart from the newsroom's own drafts, and the source's version of
 * each imported item (a wire sends version 2 of a story; version 1 must not
 * overwrite it).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('redirect')
    // A path with its query ("/?p=42", "/2013/01/10/old-slug/"), as requested.
    .addColumn('from_path', 'text', (col) => col.primaryKey())
    .addColumn('entity', 'text', (col) => col.notNull())
    .addColumn('entity_id', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('redirect_entity')
    .on('redirect')
    .columns(['entity', 'entity_id'])
    .execute();
  await db.schema
    .alterTable('media')
    .addColumn('source_url', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  // One column per statement: SQLite adds one at a time.
  await db.schema
    .alterTable('article')
    .addColumn('origin', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('article')
    .addColumn('agency_status', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('article').addColumn('embargo_until', 'text').execute();
  await db.schema.alterTable('import_ref').addColumn('source_version', 'integer').execute();
}
