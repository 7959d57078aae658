import type { Kysely } from 'kysely';
import { articleChangedAt } from '../core/dates.js';
import { articleMediaIds, imageMediaIds } from '../core/document.js';
import { articleUrl } from '../core/section-path.js';
import type { Article, Section } from '../core/types.js';
import type { FeedItem, FeedView } from '../core/views.js';
import { getArticle, getBylines, listPublishedArticles } from '../store/articles.js';
import { listCorrections } from '../store/corrections.js';
import { getMediaByIds } from '../store/media.js';
import type { Database } from '../store/schema.js';
import { listSections } from '../store/sections.js';
import { getArticleTags } from '../store/tags.js';
import type { Newsroom } from './newsroom.js';
import { findListing, listingFilter, readSiteSettings } from './read-site.js';

/** How many of the newest articles a feed carries, in full. */
export const FEED_SIZE = 30;

/**
 * The feed of a listing page: the home page (""), a section ("/news/politics"),
 * either in one language ("/ru", "/ru/news"), a topic ("/tags/port") or a
 * writer ("/authors/ada-lindqvist"). Null when no such page exists.
 */
export async function readFeed(newsroom: Newsroom, path: string): Promise<FeedView | null> {
  const db = newsroom.store.db;
  const [settings, sections] = await Promise.all([readSiteSettings(db), listSections(db)]);
  const listing = await findListing(db, path, sections);
  if (!listing) return null;
  const named = (name: string) => `${name} — ${settings.name}`;
  const { title, description } =
    listing.kind === 'section'
      ? { title: named(listing.section.name), description: listing.section.name }
      : listing.kind === 'tag'
        ? { title: named(listing.tag.name), description: listing.tag.name }
        : listing.kind === 'author'
          ? {
              title: named(listing.person.name),
              description: listing.person.bio || listing.person.name,
            }
          : { title: settings.name, description: settings.tagline || settings.name };
  const articles = await listPublishedArticles(db, {
    ...listingFilter(listing, sections),
    limit: FEED_SIZE,
  });
  const language = 'language' in listing ? listing.language : null;
  return {
    title,
    description,
    // The listing's own path: "" for home, "/ru/news" for a filtered section.
    path,
    language: language ?? settings.language,
    items: await feedItems(db, articles, new Map(sections.map((s) => [s.id, s]))),
  };
}

/** Articles with everything a full-text feed entry shows. */
export async function feedItems(
  db: Kysely<Database>,
  articles: Article[],
  byId: ReadonlyMap<number, Section>,
): Promise<FeedItem[]> {
  const ids = articles.map((article) => article.id);
  const mediaIds = articles.flatMap(articleMediaIds);
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
