import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * An author who wants to be followed on the fediverse has a handle of their
 * own (`ada` in @ada@your.domain); null for the others. One handle, one person.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('person').addColumn('fediverse_handle', 'text').execute();
  await db.schema
    .createIndex('person_fediverse_handle')
    .on('person')
    .column('fediverse_handle')
    .unique()
    .execute();
}
