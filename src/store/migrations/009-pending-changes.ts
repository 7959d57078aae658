import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Two article states the newsroom app needs. Edits to a published article wait here (a revision snapshot as JSON) until
 * someone with the right presses Update: an autosave never puts a half-edited
 * sentence in front of readers. Null when the live text is the latest.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('article').addColumn('pending_json', 'text').execute();
  // When a draft went to the trash: it is deleted for good some days later.
  await db.schema.alterTable('article').addColumn('trashed_at', 'text').execute();
}
