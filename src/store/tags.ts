import type { Kysely } from 'kysely';
import { tagsFromNames } from '../core/tags.js';
import type { Tag } from '../core/types.js';
import type { Database } from './schema.js';

/**
 * The tags with these names, created when missing, in the order given and one
 * per slug. An existing tag keeps its stored name. Throws `invalid_input`
 * (field `tags`) for a name with no slug.
 */
export async function findOrCreateTags(
  db: Kysely<Database>,
  names: readonly string[],
): Promise<(Tag & { id: number })[]> {
  const wanted = tagsFromNames(names);
  if (wanted.length === 0) return [];
  // "Do nothing" on a taken slug rather than look-then-insert: two saves adding
  // the same new tag at once must not fail on the unique constraint.
  await db
    .insertInto('tag')
    .values(wanted.map(({ name, slug }) => ({ name, slug })))
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  const rows = await db
    .selectFrom('tag')
    .select(['id', 'name', 'slug'])
    .where(
      'slug',
      'in',
      wanted.map((tag) => tag.slug),
    )
    .execute();
  const bySlug = new Map(rows.map((row) => [row.slug, row]));
  return wanted.map((tag) => {
    const row = bySlug.get(tag.slug);
    if (!row) throw new Error(`tag "${tag.slug}" was neither found nor created`);
    return row;
  });
}

/**
 * The tag with this slug, created with this name when the slug is free (an
 * imported tag keeps the address it had). A tag already holding the slug is
 * the same tag and keeps its stored name.
 */
export async function findOrCreateTagWithSlug(
  db: Kysely<Database>,
  tag: Tag,
): Promise<Tag & { id: number }> {
  await db
    .insertInto('tag')
    .values({ name: tag.name, slug: tag.slug })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  return await db
    .selectFrom('tag')
    .select(['id', 'name', 'slug'])
    .where('slug', '=', tag.slug)
    .executeTakeFirstOrThrow();
}

/** Sets an article's tags to these tag ids, in this order (a repeated id counts once). */
export async function replaceArticleTagIds(
  db: Kysely<Database>,
  articleId: number,
  tagIds: readonly number[],
): Promise<void> {
  await db.deleteFrom('article_tag').where('article_id', '=', articleId).execute();
  const unique = [...new Set(tagIds)];
  if (unique.length === 0) return;
  await db
    .insertInto('article_tag')
    .values(unique.map((tagId, position) => ({ article_id: articleId, tag_id: tagId, position })))
    .execute();
}

/** Adds tags to articles that have none yet, several articles in one statement. */
export async function insertArticleTags(
  db: Kysely<Database>,
  rows: readonly { articleId: number; tagId: number; position: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('article_tag')
    .values(
      rows.map((row) => ({
        article_id: row.articleId,
        tag_id: row.tagId,
        position: row.position,
      })),
    )
    .execute();
}

/** The tag with this id, or null. */
export async function findTagById(db: Kysely<Database>, id: number): Promise<Tag | null> {
  const row = await db
    .selectFrom('tag')
    .select(['name', 'slug'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

/** Sets an article's tags to these names, in this order (see `findOrCreateTags`). */
export async function replaceArticleTags(
  db: Kysely<Database>,
  articleId: number,
  names: readonly string[],
): Promise<void> {
  const tags = await findOrCreateTags(db, names);
  await db.deleteFrom('article_tag').where('article_id', '=', articleId).execute();
  if (tags.length === 0) return;
  await db
    .insertInto('article_tag')
    .values(tags.map((tag, position) => ({ article_id: articleId, tag_id: tag.id, position })))
    .execute();
}

/** Tags of the given articles, keyed by article id, in each article's order. */
export async function getArticleTags(
  db: Kysely<Database>,
  articleIds: number[],
): Promise<Map<number, Tag[]>> {
  const out = new Map<number, Tag[]>();
  if (articleIds.length === 0) return out;
  const rows = await db
    .selectFrom('article_tag')
    .innerJoin('tag', 'tag.id', 'article_tag.tag_id')
    .select(['article_tag.article_id', 'tag.name', 'tag.slug'])
    .where('article_tag.article_id', 'in', articleIds)
    .orderBy('article_tag.article_id')
    .orderBy('article_tag.position')
    .execute();
  for (const row of rows) {
    const list = out.get(row.article_id) ?? [];
    list.push({ name: row.name, slug: row.slug });
    out.set(row.article_id, list);
  }
  return out;
}

/** Every tag with how many articles use it, by name. */
export async function listTagsWithCounts(
  db: Kysely<Database>,
): Promise<(Tag & { articleCount: number })[]> {
  const rows = await db
    .selectFrom('tag')
    .leftJoin('article_tag', 'article_tag.tag_id', 'tag.id')
    .select([
      'tag.name',
      'tag.slug',
      (eb) => eb.fn.count<number>('article_tag.article_id').as('articleCount'),
    ])
    .groupBy(['tag.id', 'tag.name', 'tag.slug'])
    .orderBy('tag.name')
    .execute();
  return rows.map((row) => ({
    name: row.name,
    slug: row.slug,
    articleCount: Number(row.articleCount),
  }));
}

/** Renames a tag; its slug (and so its future address) stays. Returns false when there is no such tag. */
export async function renameTag(
  db: Kysely<Database>,
  slug: string,
  name: string,
): Promise<boolean> {
  const result = await db
    .updateTable('tag')
    .set({ name })
    .where('slug', '=', slug)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The tag with this slug, or null. */
export async function findTagBySlug(db: Kysely<Database>, slug: string): Promise<Tag | null> {
  const row = await db
    .selectFrom('tag')
    .select(['name', 'slug'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row ?? null;
}
