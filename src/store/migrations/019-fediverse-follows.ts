import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Each follower's Follow activity, so that only an Undo of that very Follow
 * (by its id) ends the following; and a lookup of the cache's expired
 * entries, which are dropped as the queue runs.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('fedi_follower')
    .addColumn('follow_iri', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('fedi_kv_expires').on('fedi_kv').column('expires_at').execute();
}
