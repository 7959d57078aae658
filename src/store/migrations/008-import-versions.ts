import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * The version an imported article had when the import last wrote it: a later
 * import finding a higher version knows the newsroom has edited the article
 * since, and leaves its text alone.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('import_ref').addColumn('entity_version', 'integer').execute();
}
