import type { Kysely } from 'kysely';
import type { PreviewLink } from '../core/article-detail.js';
import type { Database } from './schema.js';

/** A stored preview link; whether it still opens depends on the clock (newsroom/preview-links.ts). */
export type PreviewLinkRow = Omit<PreviewLink, 'state'>;

export async function insertPreviewLink(
  db: Kysely<Database>,
  link: {
    tokenHash: string;
    articleId: number;
    userId: number | null;
    createdAt: string;
    expiresAt: string;
    hint: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('preview_link')
    .values({
      token_hash: link.tokenHash,
      article_id: link.articleId,
      created_by_user_id: link.userId,
      created_at: link.createdAt,
      expires_at: link.expiresAt,
      hint: link.hint,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function linkQuery(db: Kysely<Database>) {
  return db
    .selectFrom('preview_link')
    .leftJoin('user', 'user.id', 'preview_link.created_by_user_id')
    .leftJoin('person', 'person.id', 'user.person_id')
    .select([
      'preview_link.id',
      'preview_link.article_id',
      'preview_link.created_by_user_id',
      'person.name',
      'preview_link.created_at',
      'preview_link.expires_at',
      'preview_link.revoked_at',
      'preview_link.hint',
    ]);
}

function toRow(row: {
  id: number;
  article_id: number;
  created_by_user_id: number | null;
  name: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  hint: string;
}): PreviewLinkRow {
  return {
    id: row.id,
    articleId: row.article_id,
    createdByUserId: row.created_by_user_id,
    createdBy: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    hint: row.hint,
  };
}

/** An article's links, newest first, spent ones included (the list shows them as such). */
export async function listPreviewLinks(
  db: Kysely<Database>,
  articleId: number,
): Promise<PreviewLinkRow[]> {
  const rows = await linkQuery(db)
    .where('preview_link.article_id', '=', articleId)
    .orderBy('preview_link.id', 'desc')
    .execute();
  return rows.map(toRow);
}

export async function getPreviewLink(
  db: Kysely<Database>,
  id: number,
): Promise<PreviewLinkRow | null> {
  const row = await linkQuery(db).where('preview_link.id', '=', id).executeTakeFirst();
  return row ? toRow(row) : null;
}

/** The article a token opens: only while the link is neither revoked nor expired. */
export async function findOpenPreviewLink(
  db: Kysely<Database>,
  tokenHash: string,
  now: string,
): Promise<PreviewLinkRow | null> {
  const row = await linkQuery(db)
    .where('preview_link.token_hash', '=', tokenHash)
    .where('preview_link.revoked_at', 'is', null)
    .where('preview_link.expires_at', '>', now)
    .executeTakeFirst();
  return row ? toRow(row) : null;
}

export async function revokePreviewLink(
  db: Kysely<Database>,
  id: number,
  now: string,
): Promise<void> {
  await db
    .updateTable('preview_link')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}
