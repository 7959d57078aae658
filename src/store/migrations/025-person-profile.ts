import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * An author's public profile: a portrait from the photo library and the ways
 * to reach them (JSON, core/contacts.ts). The photo is kept while a profile
 * shows it (the library refuses to delete it); were it deleted anyway, the
 * profile loses the photo, not the person.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('person')
    .addColumn('photo_media_id', 'integer', (col) =>
      col.references('media.id').onDelete('set null'),
    )
    .execute();
  await db.schema
    .alterTable('person')
    .addColumn('contacts', 'text', (col) => col.notNull().defaultTo('{}'))
    .execute();
}
