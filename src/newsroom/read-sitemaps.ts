import { articleUrl, authorUrl, pageUrl, sectionUrl, tagUrl } from '../core/section-path.js';
import type { NewsEntry, SitemapEntry, SitemapSources } from '../core/views.js';
import { getBylines, listPublishedArticles } from '../store/articles.js';
import { listCorrections } from '../store/corrections.js';
import { listPages } from '../store/pages.js';
import { listSections } from '../store/sections.js';
import { getArticleTags } from '../store/tags.js';
import type { Newsroom } from './newsroom.js';
import { readSiteSettings } from './read-site.js';

// Everything the sitemaps list, with when each page last changed. Read in a
// few whole-table queries: fine for a newsroom's tens of thousands of articles.

const ALL = Number.MAX_SAFE_INTEGER;
/** Google News sitemaps hold only what was published in the last two days. */
const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000;

function newest(dates: Iterable<string>): string | null {
  let latest: string | null = null;
  for (const date of dates) if (latest === null || date > latest) latest = date;
  return latest;
}

export async function readSitemapSources(newsroom: Newsroom): Promise<SitemapSources> {
  const db = newsroom.store.db;
  const [settings, sections, pages, articles] = await Promise.all([
    readSiteSettings(db),
    listSections(db),
    listPages(db),
    listPublishedArticles(db, { limit: ALL }),
  ]);
  const ids = articles.map((article) => article.id);
  const [bylines, tags, corrections] = await Promise.all([
    getBylines(db, ids),
    getArticleTags(db, ids),
    listCorrections(db, ids),
  ]);
  const correctedAt = new Map<number, string>();
  for (const correction of corrections) correctedAt.set(correction.articleId, correction.createdAt);
  const byId = new Map(sections.map((section) => [section.id, section]));

  const articleEntries: SitemapEntry[] = [];
  const sectionDates = new Map<number, string[]>();
  const authorDates = new Map<string, string[]>();
  const tagDates = new Map<string, string[]>();
  const add = <K>(map: Map<K, string[]>, key: K, date: string) =>
    map.set(key, [...(map.get(key) ?? []), date]);
  const news: NewsEntry[] = [];
  const since = new Date(newsroom.now().getTime() - NEWS_WINDOW_MS).toISOString();
  // Oldest first, so that an article keeps its place (and its sitemap file) as more are published.
  for (const article of [...articles].reverse()) {
    const section = byId.get(article.sectionId);
    if (!section) continue;
    const url = articleUrl(section, article.slug);
    const lastmod =
      newest([article.updatedAt, correctedAt.get(article.id) ?? '']) ?? article.updatedAt;
    articleEntries.push({ url, lastmod });
    // A change to an article changes its section's page and every parent's.
    for (const ancestor of sections.filter(
      (s) => section.path === s.path || section.path.startsWith(`${s.path}/`),
    ))
      add(sectionDates, ancestor.id, lastmod);
    for (const byline of bylines.get(article.id) ?? [])
      add(authorDates, byline.person.slug, lastmod);
    for (const tag of tags.get(article.id) ?? []) add(tagDates, tag.slug, lastmod);
    if (article.publishedAt && article.publishedAt >= since) {
      news.push({
        url,
        title: article.title,
        language: article.language,
        publishedAt: article.publishedAt,
      });
    }
  }
  const dated = (url: string, dates: string[] | undefined): SitemapEntry => ({
    url,
    lastmod: newest(dates ?? []),
  });
  return {
    publicationName: settings.name,
    articles: articleEntries,
    sections: sections.map((section) => dated(sectionUrl(section), sectionDates.get(section.id))),
    authors: [...authorDates].map(([slug, dates]) => dated(authorUrl(slug), dates)),
    tags: [...tagDates].map(([slug, dates]) => dated(tagUrl(slug), dates)),
    pages: [
      { url: '/', lastmod: newest(articleEntries.map((entry) => entry.lastmod ?? '')) },
      ...pages.map((page) => ({ url: pageUrl(page.slug), lastmod: page.updatedAt })),
      { url: '/corrections', lastmod: newest(corrections.map((c) => c.createdAt)) },
    ],
    news: news.reverse(),
  };
}
