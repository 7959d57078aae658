import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * An article may be marked as opinion or analysis (core/labels.ts), which
 * readers see above its headline; null for plain news, so every article
 * written before this migration stays unlabelled.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('article').addColumn('label', 'text').execute();
}
