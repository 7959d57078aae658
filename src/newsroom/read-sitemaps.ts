import { articleChangedAt, newestDate } from '../core/dates.js';
import {
  articleUrl,
  authorUrl,
  pageUrl,
  sectionTrail,
  sectionUrl,
  tagUrl,
} from '../core/section-path.js';
import type { NewsEntry, SitemapEntry, SitemapSources } from '../core/views.js';
import { getBylines, listPublishedArticleStubs } from '../store/articles.js';
import { listCorrections } from '../store/corrections.js';
import { listPages } from '../store/pages.js';
import { listMastheadPeople } from '../store/people.js';
import { listSections } from '../store/sections.js';
import { getArticleTags } from '../store/tags.js';
import type { Newsroom } from './newsroom.js';
import { readSiteSettings } from './read-site.js';

// Everything the sitemaps list, with when each page last changed. Read in a
// few whole-table queries: fine for a newsroom's tens of thousands of articles.

/** Google News sitemaps hold only what was published in the last two days. */
const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000;

export async function readSitemapSources(newsroom: Newsroom): Promise<SitemapSources> {
  const db = newsroom.store.db;
  const [settings, sections, pages, articles, masthead] = await Promise.all([
    readSiteSettings(db),
    listSections(db),
    listPages(db),
    listPublishedArticleStubs(db),
    listMastheadPeople(db),
  ]);
  const ids = articles.map((article) => article.id);
  const [bylines, tags, corrections] = await Promise.all([
    getBylines(db, ids),
    getArticleTags(db, ids),
    listCorrections(db, ids),
  ]);
  const correctionDates = new Map<number, string[]>();
  for (const correction of corrections)
    correctionDates.set(correction.articleId, [
      ...(correctionDates.get(correction.articleId) ?? []),
      correction.createdAt,
    ]);
  const byId = new Map(sections.map((section) => [section.id, section]));
  // People carry no dates: the masthead page, which lists them, stands in.
  const mastheadChanged = pages.find((page) => page.kind === 'masthead')?.updatedAt ?? null;

  const articleEntries: SitemapEntry[] = [];
  // The newest change per listing page: a section (and its parents), an author, a tag.
  const sectionDates = new Map<number, string>();
  const authorDates = new Map<string, string>();
  const tagDates = new Map<string, string>();
  const touch = <K>(map: Map<K, string>, key: K, date: string) =>
    map.set(key, newestDate([map.get(key), date]) ?? date);
  const news: NewsEntry[] = [];
  const since = new Date(newsroom.now().getTime() - NEWS_WINDOW_MS).toISOString();
  // Oldest first, so that an article keeps its place (and its sitemap file) as more are published.
  for (const article of [...articles].reverse()) {
    const section = byId.get(article.sectionId);
    if (!section) continue;
    const url = articleUrl(section, article.slug);
    const lastmod = articleChangedAt(article.updatedAt, correctionDates.get(article.id) ?? []);
    articleEntries.push({ url, lastmod });
    for (const ancestor of sectionTrail(section, byId)) touch(sectionDates, ancestor.id, lastmod);
    for (const byline of bylines.get(article.id) ?? [])
      touch(authorDates, byline.person.slug, lastmod);
    for (const tag of tags.get(article.id) ?? []) touch(tagDates, tag.slug, lastmod);
    if (article.publishedAt && article.publishedAt >= since) {
      news.push({
        url,
        title: article.title,
        language: article.language,
        publishedAt: article.publishedAt,
      });
    }
  }
  return {
    publicationName: settings.name,
    articles: articleEntries,
    // A section with nothing published is an empty page: not worth a crawler's visit.
    sections: sections.flatMap((section) => {
      const lastmod = sectionDates.get(section.id);
      return lastmod ? [{ url: sectionUrl(section), lastmod }] : [];
    }),
    authors: [
      ...[...authorDates].map(([slug, lastmod]) => ({ url: authorUrl(slug), lastmod })),
      // People on the masthead have a page even before their first article.
      ...masthead
        .filter((person) => !authorDates.has(person.slug))
        .map((person) => ({ url: authorUrl(person.slug), lastmod: mastheadChanged })),
    ],
    tags: [...tagDates].map(([slug, lastmod]) => ({ url: tagUrl(slug), lastmod })),
    pages: [
      { url: '/', lastmod: newestDate(articleEntries.map((entry) => entry.lastmod)) },
      ...pages.map((page) => ({ url: pageUrl(page.slug), lastmod: page.updatedAt })),
      {
        url: '/corrections',
        // Until the first correction, the page changed when the site's pages last did.
        lastmod:
          newestDate(corrections.map((c) => c.createdAt)) ??
          newestDate(pages.map((page) => page.updatedAt)) ??
          newestDate(articleEntries.map((entry) => entry.lastmod)),
      },
    ],
    news: news.reverse(),
  };
}
