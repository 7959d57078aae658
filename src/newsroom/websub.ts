import {
  authorUrl,
  FEED_FORMATS,
  feedUrl,
  sectionTrail,
  sectionUrl,
  tagUrl,
} from '../core/section-path.js';
import { LANGUAGES } from '../core/types.js';
import { getArticle, getBylines } from '../store/articles.js';
import { listSections } from '../store/sections.js';
import { getArticleTags } from '../store/tags.js';
import type { Newsroom } from './newsroom.js';

/**
 * The absolute URLs of every feed an article appears in: the site's, its
 * language's, its section's and each parent's (in all languages and its own),
 * its tags' and its authors'.
 */
export async function feedsOfArticle(newsroom: Newsroom, articleId: number): Promise<string[]> {
  const db = newsroom.store.db;
  const article = await getArticle(db, articleId);
  if (!article) return [];
  const [sections, bylines, tags] = await Promise.all([
    listSections(db),
    getBylines(db, [articleId]),
    getArticleTags(db, [articleId]),
  ]);
  const own = sections.find((section) => section.id === article.sectionId);
  const byId = new Map(sections.map((section) => [section.id, section]));
  const sectionPaths = own ? sectionTrail(own, byId).map(sectionUrl) : [];
  const language = (LANGUAGES as readonly string[]).includes(article.language)
    ? `/${article.language}`
    : null;
  const listings = [
    '',
    ...(language ? [language] : []),
    ...sectionPaths,
    ...(language ? sectionPaths.map((path) => `${language}${path}`) : []),
    ...(tags.get(articleId) ?? []).map((tag) => tagUrl(tag.slug)),
    ...(bylines.get(articleId) ?? []).map((byline) => authorUrl(byline.person.slug)),
  ];
  return listings.flatMap((path) =>
    FEED_FORMATS.map((format) => `${newsroom.publicUrl}${feedUrl(path, format)}`),
  );
}

/**
 * Tells a WebSub hub that these feeds changed (hub.mode=publish, one hub.url
 * per feed), so subscribers fetch them at once instead of polling.
 */
export async function pingHub(
  hub: string,
  feedUrls: string[],
  send: typeof fetch = fetch,
): Promise<void> {
  if (feedUrls.length === 0) return;
  const body = new URLSearchParams([
    ['hub.mode', 'publish'],
    ...feedUrls.map((url): [string, string] => ['hub.url', url]),
  ]);
  const response = await send(hub, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`the WebSub hub ${hub} answered ${response.status}`);
}
