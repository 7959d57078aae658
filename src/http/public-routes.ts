import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FeedFormat } from '../core/section-path.js';
import type { SearchView } from '../core/views.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { findOldAddress, hasOldQuery } from '../newsroom/old-addresses.js';
import { readFeed } from '../newsroom/read-feeds.js';
import { readSiteChrome, resolvePublicPath } from '../newsroom/read-site.js';
import { readSitemapSources } from '../newsroom/read-sitemaps.js';
import { searchSite } from '../newsroom/search-site.js';
import { FEED_MEDIA_TYPES, renderFeed } from '../site/feeds.js';
import { ArticlePage } from '../site/pages/article-page.js';
import { CorrectionsPage } from '../site/pages/corrections-page.js';
import { HomePage } from '../site/pages/home-page.js';
import { AuthorPage, TagPage } from '../site/pages/listing-pages.js';
import { NotFoundPage } from '../site/pages/not-found-page.js';
import { SearchPage } from '../site/pages/search-page.js';
import { SectionPage } from '../site/pages/section-page.js';
import { StaticPage } from '../site/pages/static-page.js';
import { renderHtml } from '../site/render-page.js';
import {
  renderNewsSitemap,
  renderRobots,
  renderSitemapIndex,
  renderUrlSet,
  sitemapFiles,
} from '../site/sitemaps.js';
import type { LoadedAssets } from './assets.js';

const HTML_CACHE = 'public, max-age=60, stale-while-revalidate=600';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Reader routes: pages, fingerprinted assets, media files. No cookie is ever set here. */
export function registerPublicRoutes(
  app: FastifyInstance,
  newsroom: Newsroom,
  assets: LoadedAssets,
  /** The WebSub hub the feeds name, or null. */
  websubHub: string | null,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.files.get(request.params.name);
    if (!asset) return sendNotFound(reply, newsroom, assets);
    return reply.header('cache-control', IMMUTABLE).type(asset.contentType).send(asset.body);
  });

  app.get<{ Params: { file: string } }>('/media/:file', async (request, reply) => {
    const found = await newsroom.mediaFiles.read(request.params.file);
    if (!found) return sendNotFound(reply, newsroom, assets);
    return reply.header('cache-control', IMMUTABLE).type(found.contentType).send(found.body);
  });

  app.get('/robots.txt', async (_request, reply) =>
    reply
      .header('cache-control', HTML_CACHE)
      .type('text/plain; charset=utf-8')
      .send(renderRobots(newsroom.publicUrl)),
  );
  app.get('/sitemap.xml', async (_request, reply) => {
    const files = sitemapFiles(await readSitemapSources(newsroom));
    return sendXml(reply, await renderSitemapIndex(files, newsroom.publicUrl));
  });
  app.get<{ Params: { name: string } }>('/sitemaps/:name', async (request, reply) => {
    const files = sitemapFiles(await readSitemapSources(newsroom));
    const file = files.find((candidate) => candidate.path === `/sitemaps/${request.params.name}`);
    if (!file) return sendNotFound(reply, newsroom, assets);
    return sendXml(reply, await renderUrlSet(file.entries, newsroom.publicUrl));
  });
  app.get('/news-sitemap.xml', async (_request, reply) => {
    const sources = await readSitemapSources(newsroom);
    return sendXml(
      reply,
      await renderNewsSitemap(sources.news, sources.publicationName, newsroom.publicUrl),
    );
  });

  // Search: the page for readers (a plain GET form, so no JavaScript needed) and JSON.
  app.get<{ Querystring: { q?: unknown; page?: unknown } }>('/search', async (request, reply) => {
    const [view, chrome] = await Promise.all([
      searchSite(newsroom, queryText(request.query.q), Number(request.query.page ?? 1)),
      readSiteChrome(newsroom),
    ]);
    return reply
      .header('cache-control', HTML_CACHE)
      .type('text/html; charset=utf-8')
      .send(renderHtml(SearchPage({ view, chrome, assets: assets.urls })));
  });
  app.get<{ Querystring: { q?: unknown; page?: unknown } }>(
    '/api/search',
    async (request, reply) => {
      const view = await searchSite(
        newsroom,
        queryText(request.query.q),
        Number(request.query.page ?? 1),
      );
      return reply
        .header('cache-control', HTML_CACHE)
        .send(presentSearch(view, newsroom.publicUrl));
    },
  );

  app.get('/*', async (request, reply) => {
    // The admin API owns /api: an unknown API path answers in the API's own shape.
    if (isApiRequest(request.url)) return reply.callNotFound();
    const queryStart = request.url.indexOf('?');
    const rawPath = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
    const query = new URLSearchParams(queryStart < 0 ? '' : request.url.slice(queryStart + 1));
    // One canonical form per page: no trailing slash. Leading slashes and
    // backslashes collapse too, so the redirect can never name another host
    // ("//evil.example/", "/\\evil.example/", which browsers read alike).
    if (rawPath.length > 1 && rawPath.endsWith('/')) {
      // An old system's address ("/2013/01/10/slug/") goes straight to its new
      // page — unless the address is one of the site's own ("/news/"): a
      // recorded old address never shadows a real page.
      const trimmed = decodePath(rawPath.replace(/\/+$/, ''));
      if (trimmed !== null && !(await resolvePublicPath(newsroom, trimmed))) {
        const old = await findOldAddress(newsroom, trimmed, query);
        if (old) return reply.redirect(old, 301);
      }
      const search = queryStart < 0 ? '' : request.url.slice(queryStart);
      return reply.redirect(`/${rawPath.replace(/^[/\\]+|\/+$/g, '')}${search}`, 301);
    }
    const path = decodePath(rawPath);
    if (path === null) return sendNotFound(reply, newsroom, assets);
    const feed = FEED_PATH.exec(path);
    if (feed) {
      const format = feed[2] as FeedFormat;
      const [view, chrome] = await Promise.all([
        readFeed(newsroom, feed[1] ?? ''),
        readSiteChrome(newsroom),
      ]);
      if (!view) return sendNotFound(reply, newsroom, assets);
      const body = renderFeed(view, chrome, format, {
        hub: websubHub,
        logoUrl: `${newsroom.publicUrl}${assets.urls.icon}`,
      });
      return reply
        .header('cache-control', HTML_CACHE)
        .type(`${FEED_MEDIA_TYPES[format]}; charset=utf-8`)
        .send(body);
    }
    if (hasOldQuery(query)) {
      const old = await findOldAddress(newsroom, path, query, { byPath: false });
      if (old) return reply.redirect(old, 301);
    }
    const [found, chrome] = await Promise.all([
      resolvePublicPath(newsroom, path),
      readSiteChrome(newsroom),
    ]);
    if (!found) {
      const old = await findOldAddress(newsroom, path, new URLSearchParams());
      if (old) return reply.redirect(old, 301);
      return sendNotFound(reply, newsroom, assets);
    }
    const urls = assets.urls;
    let html: string;
    switch (found.kind) {
      case 'home':
        html = renderHtml(HomePage({ view: found.view, chrome, assets: urls }));
        break;
      case 'section':
        html = renderHtml(SectionPage({ view: found.view, chrome, assets: urls }));
        break;
      case 'article':
        html = renderHtml(
          ArticlePage({
            view: found.view,
            chrome,
            assets: urls,
            isPrintView: query.has('print'),
          }),
        );
        break;
      case 'page':
        html = renderHtml(StaticPage({ view: found.view, chrome, assets: urls }));
        break;
      case 'corrections':
        html = renderHtml(CorrectionsPage({ view: found.view, chrome, assets: urls }));
        break;
      case 'tag':
        html = renderHtml(TagPage({ view: found.view, chrome, assets: urls }));
        break;
      case 'author':
        html = renderHtml(AuthorPage({ view: found.view, chrome, assets: urls }));
        break;
    }
    return reply.header('cache-control', HTML_CACHE).type('text/html; charset=utf-8').send(html);
  });
}

// "/news/politics/feed.atom" → the listing "/news/politics" in Atom; "/feed.xml" → the home page's.
const FEED_PATH = /^(.*)\/feed\.(xml|atom|json)$/;

function sendXml(reply: FastifyReply, xml: string): FastifyReply {
  return reply.header('cache-control', HTML_CACHE).type('application/xml; charset=utf-8').send(xml);
}

/** A query parameter as text; a repeated one (?q=a&q=b) counts once. */
function queryText(value: unknown): string {
  if (Array.isArray(value)) return queryText(value[0]);
  return typeof value === 'string' ? value : '';
}

/** /api/search's answer: the results with absolute URLs and snippets as text with marks. */
function presentSearch(view: SearchView, publicUrl: string) {
  return {
    query: view.query,
    notice: view.notice,
    total: view.total,
    page: view.page,
    pageCount: view.pageCount,
    results: view.results.map((result) => ({
      title: result.title,
      url: `${publicUrl}${result.url}`,
      language: result.language,
      section: result.section.name,
      authors: result.bylines.map((byline) => byline.person.name),
      publishedAt: result.publishedAt,
      standfirst: result.standfirst,
      titleParts: result.titleParts,
      snippet: result.snippet,
    })),
  };
}

/** The decoded path, or null when its percent-encoding is broken ("/%E0%A4%A"). */
function decodePath(rawPath: string): string | null {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return null;
  }
}

/** True for paths under /api, which answer JSON, never reader pages. */
export function isApiRequest(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** The helpful 404 page, with the site's navigation. */
export async function sendNotFound(
  reply: FastifyReply,
  newsroom: Newsroom,
  assets: LoadedAssets,
): Promise<FastifyReply> {
  const chrome = await readSiteChrome(newsroom);
  return reply
    .code(404)
    .header('cache-control', 'public, max-age=60')
    .type('text/html; charset=utf-8')
    .send(renderHtml(NotFoundPage({ chrome, assets: assets.urls })));
}
