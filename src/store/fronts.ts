import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type StoredFront = {
  language: string;
  path: string;
  layout: string;
  version: number;
  updatedAt: string;
  updatedBy: number | null;
};

export async function getFront(
  db: Kysely<Database>,
  language: string,
  path: string,
): Promise<StoredFront | null> {
  const row = await db
    .selectFrom('front')
    .selectAll()
    .where('language', '=', language)
    .where('path', '=', path)
    .executeTakeFirst();
  return row
    ? {
        language: row.language,
        path: row.path,
        layout: row.layout,
        version: row.version,
        updatedAt: row.updated_at,
        updatedBy: row.updated_by,
      }
    : null;
}

/** Which fronts have been arranged, and when. */
export async function listFronts(
  db: Kysely<Database>,
): Promise<{ language: string; path: string; updatedAt: string }[]> {
  const rows = await db.selectFrom('front').select(['language', 'path', 'updated_at']).execute();
  return rows.map((row) => ({ language: row.language, path: row.path, updatedAt: row.updated_at }));
}

/**
 * Writes a front if it is still at `version` (0: never saved). False when
 * someone saved it meanwhile: nothing is written.
 */
export async function saveFront(
  db: Kysely<Database>,
  front: { language: string; path: string; layout: string; version: number },
  at: string,
  userId: number | null,
): Promise<boolean> {
  if (front.version === 0) {
    const inserted = await db
      .insertInto('front')
      .values({
        language: front.language,
        path: front.path,
        layout: front.layout,
        version: 1,
        updated_at: at,
        updated_by: userId,
      })
      .onConflict((oc) => oc.columns(['language', 'path']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const updated = await db
    .updateTable('front')
    .set({ layout: front.layout, version: front.version + 1, updated_at: at, updated_by: userId })
    .where('language', '=', front.language)
    .where('path', '=', front.path)
    .where('version', '=', front.version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Adds reads to each article's count for `day`. */
export async function addReads(
  db: Kysely<Database>,
  day: string,
  reads: ReadonlyMap<number, number>,
): Promise<void> {
  if (reads.size === 0) return;
  // Reads of an article deleted since are dropped, not an error.
  const existing = new Set(
    (
      await db
        .selectFrom('article')
        .select('id')
        .where('id', 'in', [...reads.keys()])
        .execute()
    ).map((row) => row.id),
  );
  const rows = [...reads]
    .filter(([id]) => existing.has(id))
    .map(([articleId, count]) => ({ article_id: articleId, day, count }));
  if (rows.length === 0) return;
  await db
    .insertInto('article_read')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['article_id', 'day'])
        .doUpdateSet((eb) => ({ count: eb('article_read.count', '+', eb.ref('excluded.count')) })),
    )
    .execute();
}

/** The most read published articles since `fromDay`, most read first. */
export async function mostReadArticleIds(
  db: Kysely<Database>,
  fromDay: string,
  options: { limit: number; language?: string; sectionIds?: number[] },
): Promise<number[]> {
  let query = db
    .selectFrom('article_read')
    .innerJoin('article', 'article.id', 'article_read.article_id')
    .select(['article_read.article_id as id', (eb) => eb.fn.sum<number>('count').as('reads')])
    .where('article_read.day', '>=', fromDay)
    .where('article.status', '=', 'published');
  if (options.language) query = query.where('article.language', '=', options.language);
  if (options.sectionIds) {
    if (options.sectionIds.length === 0) return [];
    query = query.where('article.section_id', 'in', options.sectionIds);
  }
  const rows = await query
    .groupBy('article_read.article_id')
    .orderBy('reads', 'desc')
    .orderBy('article_read.article_id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => row.id);
}
