import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/** Tags and which articles carry them, in the order the newsroom gave them. */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';

  // The slug is the tag's identity: "Climate" and "climate" are one tag.
  await db.schema
    .createTable('tag')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .execute();

  await db.schema
    .createTable('article_tag')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    .addColumn('tag_id', 'integer', (col) => col.notNull().references('tag.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('article_tag_pk', ['article_id', 'tag_id'])
    .execute();
  // The primary key serves "tags of an article"; tag pages will ask the other
  // way round ("articles with a tag"), and PostgreSQL does not index a foreign key by itself.
  await db.schema
    .createIndex('article_tag_tag')
    .on('article_tag')
    .columns(['tag_id', 'article_id'])
    .execute();
}
