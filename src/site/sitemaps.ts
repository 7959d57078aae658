import { SitemapIndexStream, SitemapStream, streamToPromise } from 'sitemap';
import { newestDate } from '../core/dates.js';
import type { NewsEntry, SitemapEntry, SitemapSources } from '../core/views.js';

// Sitemaps (sitemaps.org 0.9) and the Google News sitemap, written with the
// `sitemap` package. /sitemap.xml is an index over one file per kind of page;
// articles are split into files of at most 50 000 addresses, as the protocol
// allows no more per file.

export const SITEMAP_MAX_URLS = 50_000;

/** The sitemap files of the index, in order: "/sitemaps/articles-1.xml", …, then the other kinds. */
export type SitemapFile = { path: string; entries: SitemapEntry[] };

export function sitemapFiles(
  sources: SitemapSources,
  maxUrls: number = SITEMAP_MAX_URLS,
): SitemapFile[] {
  const files: SitemapFile[] = [];
  for (let start = 0, n = 1; start < sources.articles.length; start += maxUrls, n++) {
    files.push({
      path: `/sitemaps/articles-${n}.xml`,
      entries: sources.articles.slice(start, start + maxUrls),
    });
  }
  // A sitemap must list at least one address: kinds with none get no file.
  for (const kind of ['sections', 'authors', 'tags', 'pages'] as const)
    if (sources[kind].length > 0)
      files.push({ path: `/sitemaps/${kind}.xml`, entries: sources[kind] });
  return files;
}

async function finish(stream: SitemapStream | SitemapIndexStream): Promise<string> {
  stream.end();
  return (await streamToPromise(stream)).toString('utf8');
}

/** The sitemap index: every file, with the newest change among its addresses. */
export async function renderSitemapIndex(files: SitemapFile[], publicUrl: string): Promise<string> {
  const stream = new SitemapIndexStream();
  for (const file of files) {
    const lastmod = newestDate(file.entries.map((entry) => entry.lastmod));
    stream.write({ url: `${publicUrl}${file.path}`, ...(lastmod ? { lastmod } : {}) });
  }
  return await finish(stream);
}

/** One sitemap file. */
export async function renderUrlSet(entries: SitemapEntry[], publicUrl: string): Promise<string> {
  const stream = new SitemapStream({
    hostname: publicUrl,
    xmlns: { news: false, xhtml: false, image: false, video: false },
  });
  for (const entry of entries)
    stream.write({
      url: `${publicUrl}${entry.url}`,
      ...(entry.lastmod ? { lastmod: entry.lastmod } : {}),
    });
  return await finish(stream);
}

/** The Google News sitemap: the last 48 hours' articles with publication, language, date and title. */
export async function renderNewsSitemap(
  news: NewsEntry[],
  publicationName: string,
  publicUrl: string,
): Promise<string> {
  // Quiet days happen: nothing in the last 48 hours is an empty list, not an
  // error (the package refuses to write a sitemap with no address).
  if (news.length === 0)
    return '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"></urlset>';
  const stream = new SitemapStream({
    hostname: publicUrl,
    xmlns: { news: true, xhtml: false, image: false, video: false },
  });
  for (const entry of news) {
    stream.write({
      url: `${publicUrl}${entry.url}`,
      news: {
        publication: { name: publicationName, language: entry.language },
        publication_date: entry.publishedAt,
        title: entry.title,
      },
    });
  }
  return await finish(stream);
}

/** robots.txt: everything may be crawled but the newsroom's app and API, search and previews; both sitemaps named. */
export function renderRobots(publicUrl: string): string {
  return [
    'User-agent: *',
    'Disallow: /admin/',
    'Disallow: /api/',
    'Disallow: /search',
    'Disallow: /preview/',
    '',
    `Sitemap: ${publicUrl}/sitemap.xml`,
    `Sitemap: ${publicUrl}/news-sitemap.xml`,
    '',
  ].join('\n');
}
