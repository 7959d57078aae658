import { DomainError } from '../core/errors.js';
import { checkCredit, checkFocus, checkPhotoText } from '../core/photo-input.js';
import { can, isOwnWork, mayOpenArticle } from '../core/policy.js';
import type { Media } from '../core/types.js';
import { getBylines } from '../store/articles.js';
import { recordAudit } from '../store/audit.js';
import {
  articlesUsingMedia,
  deleteMedia,
  distinctCreditChains,
  getMedia,
  isMediaFileReferenced,
  listMedia,
  updateMediaDetails,
} from '../store/media.js';
import { peopleUsingPhoto } from '../store/people.js';
import { articlesShowing, reindexArticles } from '../store/search-index.js';
import type { Newsroom, StaffActor } from './newsroom.js';

const LIST_LIMIT = 200;
const MAX_QUERY = 200;

export type UsedIn = { id: number; title: string; status: string }[];

/** The library, newest first: searched in captions, alt text, credits and creators, filtered by photographer or agency. */
export async function searchMedia(
  newsroom: Newsroom,
  actor: StaffActor,
  filter: { query?: string; photographer?: string; agency?: string },
): Promise<Media[]> {
  if (!can(actor, 'media.upload'))
    throw new DomainError('not_allowed_for_role', 'you may not browse the images');
  // Longer text is no caption or credit anyone typed: the rest is ignored.
  const query = filter.query?.slice(0, MAX_QUERY);
  return await listMedia(newsroom.store.db, {
    ...filter,
    ...(query ? { query } : {}),
    limit: LIST_LIMIT,
  });
}

/** The photographers and agencies named in the library's credits, sorted, for the filters. */
export async function creditNames(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<{ photographers: string[]; agencies: string[] }> {
  if (!can(actor, 'media.upload'))
    throw new DomainError('not_allowed_for_role', 'you may not browse the images');
  const chains = await distinctCreditChains(newsroom.store.db);
  const named = (role: string) =>
    [
      ...new Set(
        chains
          .flat()
          .filter((part) => part.role === role)
          .map((part) => part.name),
      ),
    ].sort((a, b) => a.localeCompare(b));
  return { photographers: named('photographer'), agencies: named('agency') };
}

async function found(newsroom: Newsroom, id: number): Promise<Media> {
  const media = await getMedia(newsroom.store.db, id);
  if (!media) throw new DomainError('not_found', `there is no photo ${id} in the library`);
  return media;
}

/**
 * The articles of `articles` that `actor` may open, by the rule the article
 * routes apply (core/policy.ts mayOpenArticle): published ones, their own
 * (their name is in the byline), and every draft for roles that see drafts.
 */
async function openableBy(
  newsroom: Newsroom,
  actor: StaffActor,
  articles: UsedIn,
): Promise<UsedIn> {
  if (can(actor, 'article.view-drafts')) return articles;
  const unpublished = articles.filter((article) => article.status !== 'published');
  const bylines = await getBylines(
    newsroom.store.db,
    unpublished.map((article) => article.id),
  );
  return articles.filter((article) => {
    const ids = (bylines.get(article.id) ?? []).map((byline) => byline.person.id);
    return mayOpenArticle(actor, article.status, { isOwn: isOwnWork(actor, ids) });
  });
}

/**
 * One photo and the articles that show it: named only where the caller may
 * open them, the others only counted (a contributor learns that a photo is in
 * use, not the headline of someone else's draft).
 */
export async function getMediaDetail(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<{ media: Media; usedIn: UsedIn; otherArticles: number }> {
  if (!can(actor, 'media.upload'))
    throw new DomainError('not_allowed_for_role', 'you may not browse the images');
  const media = await found(newsroom, id);
  const articles = await articlesUsingMedia(newsroom.store.db, id);
  const usedIn = await openableBy(newsroom, actor, articles);
  return { media, usedIn, otherArticles: articles.length - usedIn.length };
}

/**
 * The photo exactly as it was uploaded, for editors: it may carry the GPS
 * position and camera serial number stripped from everything readers see, so
 * each download is written to the audit log.
 */
export async function readOriginal(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<{ body: Buffer; contentType: string; name: string }> {
  if (!can(actor, 'media.manage'))
    throw new DomainError('not_allowed_for_role', 'only editors may download original uploads');
  const media = await found(newsroom, id);
  const original = media.file ? await newsroom.mediaFiles.readOriginal(media.file) : null;
  if (!original) throw new DomainError('not_found', `photo ${id} has no kept original`);
  await recordAudit(newsroom.store.db, {
    userId: actor.userId,
    action: 'media.original',
    subject: `media:${id}`,
    detail: { file: original.name },
    at: newsroom.now().toISOString(),
  });
  return original;
}

/**
 * Corrects a photo's alt text, caption, credit chain or own-photo mark
 * (editors). Every article showing it shows the correction at once.
 */
async function writeUpdateMedia(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  changes: {
    alt?: string;
    caption?: string;
    credit?: unknown;
    isOwnPhoto?: boolean;
    /** null puts the focal point back in the centre; checked like the other fields. */
    focus?: unknown;
  },
): Promise<Media> {
  if (!can(actor, 'media.manage'))
    throw new DomainError('not_allowed_for_role', 'only editors change photo details');
  // The same rules as at upload: a chain of at most 10 parts, alt text required.
  const credit =
    changes.credit === undefined
      ? undefined
      : checkCredit(
          typeof changes.credit === 'string' || Array.isArray(changes.credit)
            ? changes.credit
            : [changes.credit],
        );
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const current = await getMedia(trx, id);
    if (!current) throw new DomainError('not_found', `there is no photo ${id} in the library`);
    const { alt, caption } = checkPhotoText({
      alt: changes.alt ?? current.alt,
      caption: changes.caption ?? current.caption,
    });
    await updateMediaDetails(trx, id, {
      alt,
      caption,
      credit: credit ?? current.credit,
      isOwnPhoto: changes.isOwnPhoto ?? current.isOwnPhoto,
      focus: changes.focus === undefined ? current.focus : checkFocus(changes.focus),
    });
    // Captions and credits are searchable: the articles showing the photo are reindexed.
    await reindexArticles(trx, await articlesShowing(trx, { mediaId: id }));
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'media.edit',
      subject: `media:${id}`,
      detail: { changed: Object.keys(changes) },
      at: newsroom.now().toISOString(),
    });
    const updated = await getMedia(trx, id);
    if (!updated) throw new Error('the photo vanished');
    return updated;
  });
}

/** Deletes a photo no article uses (editors); one in use is refused with the list of its articles. */
export async function removeMedia(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<void> {
  if (!can(actor, 'media.manage'))
    throw new DomainError('not_allowed_for_role', 'only editors delete photos');
  const media = await found(newsroom, id);
  await newsroom.store.db.transaction().execute(async (trx) => {
    const usedIn = await articlesUsingMedia(trx, id);
    if (usedIn.length > 0) {
      throw new DomainError(
        'media_in_use',
        `this photo is used by ${usedIn.length} article${usedIn.length === 1 ? '' : 's'}: remove it from them first`,
        'id',
        usedIn,
      );
    }
    // A portrait on an author's page is in use too, though no article shows it.
    const portraitOf = await peopleUsingPhoto(trx, id);
    if (portraitOf.length > 0) {
      throw new DomainError(
        'media_in_use',
        `this photo is the portrait of ${portraitOf.map((person) => person.name).join(', ')}: choose another in their public profile first`,
        'id',
        [],
      );
    }
    await deleteMedia(trx, id);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'media.delete',
      subject: `media:${id}`,
      at: newsroom.now().toISOString(),
    });
  });
  // The file goes once the row is gone, unless another record shares it (files are shared by content).
  if (media.file && !(await isMediaFileReferenced(newsroom.store.db, media.file))) {
    await newsroom.mediaFiles.remove(media.file);
  }
}

/** A corrected credit, caption or focal point reaches every page showing the photo. */
export async function updateMedia(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  changes: Parameters<typeof writeUpdateMedia>[3],
): Promise<Media> {
  const result = await writeUpdateMedia(newsroom, actor, id, changes);
  newsroom.changed?.([`m:${id}`]);
  return result;
}
