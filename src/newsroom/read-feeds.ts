import type { Kysely } from 'kysely';
import { articleChangedAt } from '../core/dates.js';
import { imageMediaIds } from '../core/document.js';
import { articleUrl, sectionAndDescendantIds } from '../core/section-path.js';
import { type Article, LANGUAGES, type Section } from '../core/types.js';
import type { FeedItem, FeedView } from '../core/views.js';
import { getArticle, getBylines, listPublishedArticles } from '../store/articles.js';
import { listCorrections } from '../store/corrections.js';
import { getMediaByIds } from '../store/media.js';
import { findPersonBySlug } from '../store/people.js';
import type { Database } from '../store/schema.js';
import { listSections } from '../store/sections.js';
import { findTagBySlug, getArticleTags } from '../store/tags.js';
import type { Newsroom } from './newsroom.js';
import { AUTHORS_PREFIX, readSiteSettings, TAGS_PREFIX } from './read-site.js';

/** How many of the newest articles a feed carries, in full. */
export const FEED_SIZE = 30;

type ListingFilter = Parameters<typeof listPublishedArticles>[1];

/**
 * The feed of a listing page: the home page (""), a section ("/news/politics"),
 * either in one language ("/ru", "/ru/news"), a topic ("/tags/port") or a
 * writer ("/authors/ada-lindqvist"). Null when no such page exists.
 */
export async function readFeed(newsroom: Newsroom, path: string): Promise<FeedView | null> {
  const db = newsroom.store.db;
  const settings = await readSiteSettings(db);
  let segments = path.split('/').filter((segment) => segment !== '');
  const language = LANGUAGES.find((candidate) => candidate === segments[0]) ?? null;
  if (language) segments = segments.slice(1);
  const sections = await listSections(db);
  const byId = new Map(sections.map((section) => [section.id, section]));
  const languageFilter = language ? { language } : {};
  let title = settings.name;
  let description = settings.tagline || settings.name;
  let filter: ListingFilter = { limit: FEED_SIZE, ...languageFilter };

  if (segments.length > 0) {
    const section = sections.find((candidate) => candidate.path === segments.join('/'));
    if (section) {
      title = `${section.name} — ${settings.name}`;
      description = section.name;
      filter = { ...filter, sectionIds: sectionAndDescendantIds(section, sections) };
    } else if (!language && segments.length === 2 && segments[0] === TAGS_PREFIX) {
      const tag = await findTagBySlug(db, segments[1] ?? '');
      if (!tag) return null;
      title = `${tag.name} — ${settings.name}`;
      description = tag.name;
      filter = { ...filter, tagSlug: tag.slug };
    } else if (!language && segments.length === 2 && segments[0] === AUTHORS_PREFIX) {
      const person = await findPersonBySlug(db, segments[1] ?? '');
      if (!person) return null;
      title = `${person.name} — ${settings.name}`;
      description = person.bio || person.name;
      filter = { ...filter, authorPersonId: person.id };
    } else {
      return null;
    }
  }
  const articles = await listPublishedArticles(db, filter);
  return {
    title,
    description,
    path: `/${[...(language ? [language] : []), ...segments].join('/')}`.replace(/^\/$/, ''),
    language: language ?? settings.language,
    items: await feedItems(db, articles, byId),
  };
}

/** Articles with everything a full-text feed entry shows. */
export async function feedItems(
  db: Kysely<Database>,
  articles: Article[],
  byId: ReadonlyMap<number, Section>,
): Promise<FeedItem[]> {
  const ids = articles.map((article) => article.id);
  const mediaIds = articles.flatMap((article) => [
    ...(article.leadMediaId === null ? [] : [article.leadMediaId]),
    ...imageMediaIds(article.body),
  ]);
  const [bylines, tags, media, corrections] = await Promise.all([
    getBylines(db, ids),
    getArticleTags(db, ids),
    getMediaByIds(db, mediaIds),
    listCorrections(db, ids),
  ]);
  return articles.flatMap((article) => {
    const section = byId.get(article.sectionId);
    if (!section) return [];
    return [
      {
        article,
        url: articleUrl(section, article.slug),
        section,
        bylines: bylines.get(article.id) ?? [],
        tags: tags.get(article.id) ?? [],
        lead: article.leadMediaId === null ? null : (media.get(article.leadMediaId) ?? null),
        bodyMedia: imageMediaIds(article.body).flatMap((id) => media.get(id) ?? []),
        modifiedAt: articleChangedAt(
          article.updatedAt,
          corrections.filter((c) => c.articleId === article.id).map((c) => c.createdAt),
        ),
      },
    ];
  });
}

/** One published article with everything an export shows; null for an unknown or unpublished one. */
export async function readPublishedItem(newsroom: Newsroom, id: number): Promise<FeedItem | null> {
  const db = newsroom.store.db;
  const article = await getArticle(db, id);
  if (article?.status !== 'published') return null;
  const sections = await listSections(db);
  const [item] = await feedItems(db, [article], new Map(sections.map((s) => [s.id, s])));
  return item ?? null;
}

/** Every published article, oldest first, in batches (for exports). */
export async function* readAllPublishedItems(
  newsroom: Newsroom,
  batchSize = 200,
): AsyncGenerator<FeedItem> {
  const db = newsroom.store.db;
  const sections = await listSections(db);
  const byId = new Map(sections.map((s) => [s.id, s]));
  const all = (await listPublishedArticles(db, { limit: Number.MAX_SAFE_INTEGER })).reverse();
  for (let at = 0; at < all.length; at += batchSize)
    yield* await feedItems(db, all.slice(at, at + batchSize), byId);
}
