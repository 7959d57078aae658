import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * A photo's focal point, in percent of its width and height from the top left:
 * what a teaser keeps when it crops the photo to its own shape. Null for the
 * centre, which is what every photo had before.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('media').addColumn('focus_x', 'integer').execute();
  await db.schema.alterTable('media').addColumn('focus_y', 'integer').execute();
}
