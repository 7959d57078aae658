import type { PreviewLink } from '../core/article-detail.js';
import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import type { ArticleView } from '../core/views.js';
import { recordAudit } from '../store/audit.js';
import {
  findOpenPreviewLink,
  getPreviewLink,
  insertPreviewLink,
  listPreviewLinks,
  type PreviewLinkRow,
  revokePreviewLink,
} from '../store/preview-links.js';
import { getArticleWithRelation } from './articles.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { readArticlePreview } from './read-site.js';
import { tokenHash } from './staff.js';

/** How long a preview link opens the article unless its maker chooses otherwise. */
export const PREVIEW_LINK_HOURS = 48;
/** The longest a link may be made for: a month covers a long legal review. */
export const PREVIEW_LINK_MAX_HOURS = 24 * 31;
/** Where a link leads: a path no sitemap, feed, cache or mirror ever holds. */
export const PREVIEW_PATH = '/preview/';

const HOUR = 3_600_000;

function withState(row: PreviewLinkRow, now: string): PreviewLink {
  const state = row.revokedAt !== null ? 'revoked' : row.expiresAt <= now ? 'expired' : 'open';
  return { ...row, state };
}

/**
 * The article's writers and the desk may show it outside the app; others
 * (a contributor looking at someone's published piece) may not.
 */
async function requireSharer(newsroom: Newsroom, actor: StaffActor, articleId: number) {
  const { detail, isOwn } = await getArticleWithRelation(newsroom, actor, articleId);
  if (!isOwn && !can(actor, 'article.view-drafts')) {
    throw new DomainError(
      'not_allowed_for_role',
      'only the article’s writers and editors share previews of it',
    );
  }
  if (detail.status === 'trashed') {
    throw new DomainError(
      'invalid_input',
      'an article in the trash has no preview: restore it first',
    );
  }
  return detail;
}

/** The article as readers will see it, for someone who may open it in the editor. */
export async function previewForStaff(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<ArticleView> {
  // Throws not_found for an article the actor may not see.
  await getArticleWithRelation(newsroom, actor, articleId);
  const view = await readArticlePreview(newsroom.store.db, articleId);
  if (!view) throw new DomainError('not_found', `there is no article ${articleId} to preview`);
  return view;
}

/**
 * A new link that opens the article's preview without signing in, for
 * `hours` (PREVIEW_LINK_HOURS unless given). The token is in the returned
 * URL only: the database keeps its hash, so this is the one time it is shown.
 */
export async function sharePreview(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  hours: number = PREVIEW_LINK_HOURS,
): Promise<{ link: PreviewLink; url: string }> {
  if (!Number.isInteger(hours) || hours < 1 || hours > PREVIEW_LINK_MAX_HOURS) {
    throw new DomainError(
      'invalid_input',
      `a preview link lasts from 1 to ${PREVIEW_LINK_MAX_HOURS} hours`,
      'hours',
    );
  }
  await requireSharer(newsroom, actor, articleId);
  const token = newsroom.newToken();
  const now = newsroom.now();
  const createdAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + hours * HOUR).toISOString();
  const db = newsroom.store.db;
  const id = await db.transaction().execute(async (trx) => {
    const linkId = await insertPreviewLink(trx, {
      tokenHash: tokenHash(token),
      articleId,
      userId: actor.userId,
      createdAt,
      expiresAt,
      hint: token.slice(-4),
    });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'article.preview-link',
      subject: `article:${articleId}`,
      detail: { link: linkId, expiresAt },
      at: createdAt,
    });
    return linkId;
  });
  const link = await getPreviewLink(db, id);
  if (!link) throw new Error(`preview link ${id} vanished`);
  return { link: withState(link, createdAt), url: `${newsroom.publicUrl}${PREVIEW_PATH}${token}` };
}

/** An article's preview links, newest first, with whether each still opens. */
export async function listArticlePreviewLinks(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<PreviewLink[]> {
  await getArticleWithRelation(newsroom, actor, articleId);
  const now = newsroom.now().toISOString();
  return (await listPreviewLinks(newsroom.store.db, articleId)).map((row) => withState(row, now));
}

/** Closes a link at once: whoever has it sees "no longer available". */
export async function revokeArticlePreviewLink(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  linkId: number,
): Promise<PreviewLink> {
  const db = newsroom.store.db;
  const link = await getPreviewLink(db, linkId);
  if (!link || link.articleId !== articleId) {
    throw new DomainError('not_found', `article ${articleId} has no preview link ${linkId}`);
  }
  const { isOwn } = await getArticleWithRelation(newsroom, actor, articleId);
  if (!isOwn && link.createdByUserId !== actor.userId && !can(actor, 'article.view-drafts')) {
    throw new DomainError(
      'not_allowed_for_role',
      'only the link’s maker, the article’s writers and editors revoke it',
    );
  }
  const now = newsroom.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await revokePreviewLink(trx, linkId, now);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'article.preview-revoke',
      subject: `article:${articleId}`,
      detail: { link: linkId },
      at: now,
    });
  });
  const revoked = await getPreviewLink(db, linkId);
  if (!revoked) throw new Error(`preview link ${linkId} vanished`);
  return withState(revoked, now);
}

/** What a preview link opens now, or null when it is unknown, expired or revoked. */
export async function openPreviewLink(
  newsroom: Newsroom,
  token: string,
): Promise<{ view: ArticleView; expiresAt: string } | null> {
  // Tokens are base64url (newToken); anything else cannot be one, so no lookup.
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const db = newsroom.store.db;
  const link = await findOpenPreviewLink(db, tokenHash(token), newsroom.now().toISOString());
  if (!link) return null;
  const view = await readArticlePreview(db, link.articleId);
  return view ? { view, expiresAt: link.expiresAt } : null;
}
