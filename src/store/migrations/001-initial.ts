import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Migrations take an untyped Kysely: they describe the schema at their point in
// history, not the current `Database` type.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDb = Kysely<any>;

/** Sections, people, media, articles and pages: what the seed page needs. */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', id, (col) =>
        dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
      );

  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute();

  await idColumn('section')
    .addColumn('parent_id', 'integer', (col) => col.references('section.id'))
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('path', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await idColumn('person')
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('bio', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('masthead_role', 'text')
    .addColumn('masthead_title', 'text')
    .addColumn('masthead_position', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await idColumn('media')
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('file', 'text')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('alt', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('caption', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('credit_json', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await idColumn('article')
    .addColumn('uuid', 'text', (col) => col.notNull().unique())
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('section_id', 'integer', (col) => col.notNull().references('section.id'))
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('translation_group', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('standfirst', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('body_json', 'text', (col) => col.notNull())
    .addColumn('lead_media_id', 'integer', (col) => col.references('media.id'))
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addUniqueConstraint('article_section_slug', ['section_id', 'slug'])
    .execute();
  await db.schema
    .createIndex('article_status_published')
    .on('article')
    .columns(['status', 'published_at'])
    .execute();

  await db.schema
    .createTable('article_author')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('label', 'text')
    .addPrimaryKeyConstraint('article_author_pk', ['article_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('article_source')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('url', 'text')
    .addPrimaryKeyConstraint('article_source_pk', ['article_id', 'position'])
    .execute();

  await idColumn('page')
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body_json', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('import_ref')
    .addColumn('format', 'text', (col) => col.notNull())
    .addColumn('external_id', 'text', (col) => col.notNull())
    .addColumn('entity', 'text', (col) => col.notNull())
    .addColumn('entity_id', 'integer', (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('import_ref_pk', ['format', 'external_id'])
    .execute();
}
