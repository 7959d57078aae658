import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type CorrectionRow = {
  id: number;
  articleId: number;
  type: string;
  text: string;
  createdAt: string;
};

export async function insertCorrection(
  db: Kysely<Database>,
  correction: {
    articleId: number;
    type: string;
    text: string;
    userId: number | null;
    createdAt: string;
  },
): Promise<void> {
  await db
    .insertInto('correction')
    .values({
      article_id: correction.articleId,
      type: correction.type,
      text: correction.text,
      user_id: correction.userId,
      created_at: correction.createdAt,
    })
    .execute();
}

/** Corrections of the given articles, oldest first (the order readers read them in). */
export async function listCorrections(
  db: Kysely<Database>,
  articleIds: number[],
): Promise<CorrectionRow[]> {
  if (articleIds.length === 0) return [];
  const rows = await db
    .selectFrom('correction')
    .selectAll()
    .where('article_id', 'in', articleIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toCorrection);
}

/** The newest corrections of published articles, for the public /corrections page. */
export async function listRecentPublicCorrections(
  db: Kysely<Database>,
  limit: number,
): Promise<CorrectionRow[]> {
  const rows = await db
    .selectFrom('correction')
    .innerJoin('article', 'article.id', 'correction.article_id')
    .selectAll('correction')
    .where('article.status', '=', 'published')
    .orderBy('correction.created_at', 'desc')
    .orderBy('correction.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toCorrection);
}

function toCorrection(row: {
  id: number;
  article_id: number;
  type: string;
  text: string;
  created_at: string;
}): CorrectionRow {
  return {
    id: row.id,
    articleId: row.article_id,
    type: row.type,
    text: row.text,
    createdAt: row.created_at,
  };
}
