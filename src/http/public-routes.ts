import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isPrefetch, isReaderAgent } from '../core/audience.js';
import {
  articlePageTags,
  authorPageTags,
  CONTACT_TAG,
  contactPageTags,
  correctionsPageTags,
  feedTags,
  homePageTags,
  SITE_TAG,
  SITEMAPS_TAG,
  sectionPageTags,
  staticPageTags,
  tagPageTags,
} from '../core/cache-tags.js';
import { NEWSROOM_KEY_PATH } from '../core/contacts.js';
import { onionLocation } from '../core/mirror-list.js';
import { MIRROR_KEY_PATH } from '../core/mirror-paths.js';
import type { FeedFormat } from '../core/section-path.js';
import type { ArticleView, SearchView, SiteChrome } from '../core/views.js';
import { readContactPage, readNewsroomKey } from '../newsroom/contact-settings.js';
import { readMirrorPublicKey } from '../newsroom/mirrors.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { findOldAddress, hasOldQuery } from '../newsroom/old-addresses.js';
import { readFeed } from '../newsroom/read-feeds.js';
import { readSiteChrome, resolvePublicPath } from '../newsroom/read-site.js';
import { readSitemapSources } from '../newsroom/read-sitemaps.js';
import { searchSite } from '../newsroom/search-site.js';
import { FEED_MEDIA_TYPES, renderFeed } from '../site/feeds.js';
import { liveUpdate } from '../site/live-blog.js';
import { renderLiveFeed } from '../site/live-data.js';
import { mirrorsFeed, mirrorsJson } from '../site/mirrors.js';
import { ArticlePage } from '../site/pages/article-page.js';
import { ContactPage } from '../site/pages/contact-page.js';
import { CorrectionsPage } from '../site/pages/corrections-page.js';
import { HomePage } from '../site/pages/home-page.js';
import { AuthorPage, TagPage } from '../site/pages/listing-pages.js';
import { MirrorsPage } from '../site/pages/mirrors-page.js';
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
import { type CachedPage, PageCache } from './page-cache.js';

const HTML_CACHE = 'public, max-age=60, stale-while-revalidate=600';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** How many shared reads a mirror build keeps at once (beside the chrome and the sitemaps). */
const RECENT_READS = 16;

/** Reader routes: pages, fingerprinted assets, media files. No cookie is ever set here. */
export function registerPublicRoutes(
  app: FastifyInstance,
  newsroom: Newsroom,
  assets: LoadedAssets,
  /** The WebSub hub the feeds name, or null. */
  websubHub: string | null,
  /** Rendered pages, purged by the newsroom's changes (a cache of size 0 renders every time). */
  cache: PageCache = new PageCache(0),
  { isMirror }: { isMirror: boolean } = { isMirror: false },
): void {
  // A mirror build reads the site as one snapshot (changes made meanwhile go
  // into the next build), so what many of its files share is read once: the
  // chrome of every page, the sources of every sitemap, a listing's feed for
  // its three formats. The live site reads afresh: its cache is purged instead.
  const recent = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!isMirror) return read();
    const known = recent.get(key) as Promise<T> | undefined;
    if (known) return known;
    const reading = read();
    recent.set(key, reading);
    // A failed read is not kept: the next file asks again.
    reading.catch(() => recent.delete(key));
    // A few at a time: feeds of one listing are asked for close together.
    for (const oldest of recent.keys()) {
      if (recent.size <= RECENT_READS) break;
      if (oldest !== 'chrome' && oldest !== 'sitemaps') recent.delete(oldest);
    }
    return reading;
  };
  const chromeOf = async () => {
    if (!isMirror) return readSiteChrome(newsroom);
    return { ...(await once('chrome', () => readSiteChrome(newsroom))), isMirror };
  };
  const sitemapSources = () => once('sitemaps', () => readSitemapSources(newsroom));
  /**
   * Answers from the cache, or renders (`render` returns null for a page that
   * does not exist: not cached, a 404) and keeps the result for next time.
   */
  const cached = async (
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    render: () => Promise<Rendered | null>,
  ): Promise<FastifyReply> => {
    const generation = cache.generation;
    const hit = await cache.load(key);
    if (hit) return sendPage(request, reply, cache, hit);
    const page = await render();
    return page
      ? keep(request, reply, key, page, generation)
      : sendNotFound(reply, newsroom, assets);
  };
  /** Keeps a rendered page in the cache and sends it. */
  const keep = (
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    page: Rendered,
    renderedAt: number,
  ): FastifyReply => {
    const entry = cache.set(
      key,
      {
        status: 200,
        type: page.type,
        cacheControl: page.cacheControl ?? HTML_CACHE,
        tags: page.tags,
        body: Buffer.from(page.body),
      },
      renderedAt,
    );
    return sendPage(request, reply, cache, entry);
  };

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

  // The public half of the key that signs the newsroom's mirrors: readers and
  // press-freedom groups check a mirror against what the main site says.
  app.get(MIRROR_KEY_PATH, async (request, reply) =>
    cached(request, reply, MIRROR_KEY_PATH, async () => {
      const key = await readMirrorPublicKey(newsroom);
      return key ? { body: `${key}\n`, type: 'text/plain; charset=utf-8', tags: [SITE_TAG] } : null;
    }),
  );
  // Where else to read the newsroom: a page, JSON for programs, a feed.
  // The list is part of the chrome (for Onion-Location); the key is read apart.
  const mirrorsView = async () => {
    const [chrome, publicKey] = await Promise.all([chromeOf(), readMirrorPublicKey(newsroom)]);
    return { chrome, view: { mirrors: chrome.mirrors, publicKey } };
  };
  app.get('/mirrors', async (request, reply) =>
    cached(request, reply, '/mirrors', async () => {
      const { view, chrome } = await mirrorsView();
      setOnionLocation(reply, chrome, '/mirrors');
      return htmlPage(MirrorsPage({ view, chrome, assets: assets.urls }), [SITE_TAG]);
    }),
  );
  // How to reach the newsroom safely, and its public key for encrypted e-mail.
  app.get('/contact', async (request, reply) =>
    cached(request, reply, '/contact', async () => {
      const [view, chrome] = await Promise.all([readContactPage(newsroom), chromeOf()]);
      setOnionLocation(reply, chrome, '/contact');
      return htmlPage(ContactPage({ view, chrome, assets: assets.urls }), contactPageTags(view));
    }),
  );
  app.get(NEWSROOM_KEY_PATH, async (request, reply) =>
    cached(request, reply, NEWSROOM_KEY_PATH, async () => {
      const key = await readNewsroomKey(newsroom);
      // application/pgp-keys (RFC 3156): mail programs and GnuPG recognise it.
      return key ? { body: key, type: 'application/pgp-keys', tags: [CONTACT_TAG] } : null;
    }),
  );
  for (const [path, type, render] of [
    ['/mirrors.json', 'application/json; charset=utf-8', mirrorsJson],
    ['/mirrors.xml', 'application/atom+xml; charset=utf-8', mirrorsFeed],
  ] as const) {
    app.get(path, async (request, reply) =>
      cached(request, reply, path, async () => {
        const { view, chrome } = await mirrorsView();
        return { body: render(chrome, view), type, tags: [SITE_TAG] };
      }),
    );
  }
  app.get('/robots.txt', async (request, reply) =>
    cached(request, reply, '/robots.txt', async () => ({
      body: renderRobots(newsroom.publicUrl),
      type: 'text/plain; charset=utf-8',
      tags: [SITE_TAG],
    })),
  );
  app.get('/sitemap.xml', async (request, reply) =>
    cached(request, reply, '/sitemap.xml', async () => {
      const files = sitemapFiles(await sitemapSources());
      return xmlPage(await renderSitemapIndex(files, newsroom.publicUrl));
    }),
  );
  app.get<{ Params: { name: string } }>('/sitemaps/:name', async (request, reply) =>
    cached(request, reply, `/sitemaps/${request.params.name}`, async () => {
      const files = sitemapFiles(await sitemapSources());
      const file = files.find((candidate) => candidate.path === `/sitemaps/${request.params.name}`);
      return file ? xmlPage(await renderUrlSet(file.entries, newsroom.publicUrl)) : null;
    }),
  );
  app.get('/news-sitemap.xml', async (request, reply) =>
    cached(request, reply, '/news-sitemap.xml', async () => {
      const sources = await sitemapSources();
      return xmlPage(
        await renderNewsSitemap(sources.news, sources.publicationName, newsroom.publicUrl),
      );
    }),
  );

  // Search: the page for readers (a plain GET form, so no JavaScript needed) and JSON.
  app.get<{ Querystring: { q?: unknown; page?: unknown } }>('/search', async (request, reply) => {
    const [view, chrome] = await Promise.all([
      searchSite(newsroom, queryText(request.query.q), Number(request.query.page ?? 1)),
      chromeOf(),
    ]);
    setOnionLocation(reply, chrome, '/search');
    // A view of the search page; what was searched for is never part of it.
    countView(cache, SEARCH_PAGE, request.method, request.url, request.headers, request.ip);
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
    // A live article's newest entries (site.js polls it) and their Atom feed:
    // cached with the article's tags, so each entry's change purges them too.
    const live = LIVE_PATH.exec(path);
    if (live) {
      return cached(request, reply, path, async () => {
        const [found, chrome] = await Promise.all([
          resolvePublicPath(newsroom, live[1] ?? ''),
          chromeOf(),
        ]);
        if (found?.kind !== 'article' || !found.view.live) return null;
        return renderLive(found.view, chrome, live[2] === 'atom' ? 'atom' : 'json', {
          logoUrl: `${newsroom.publicUrl}${assets.urls.icon}`,
        });
      });
    }
    const feed = FEED_PATH.exec(path);
    if (feed) {
      const format = feed[2] as FeedFormat;
      return cached(request, reply, path, async () => {
        const listing = feed[1] ?? '';
        const [view, chrome] = await Promise.all([
          once(`feed:${listing}`, () => readFeed(newsroom, listing)),
          chromeOf(),
        ]);
        if (!view) return null;
        return {
          body: renderFeed(view, chrome, format, {
            hub: websubHub,
            logoUrl: `${newsroom.publicUrl}${assets.urls.icon}`,
          }),
          type: `${FEED_MEDIA_TYPES[format]}; charset=utf-8`,
          tags: feedTags(view),
        };
      });
    }
    if (hasOldQuery(query)) {
      const old = await findOldAddress(newsroom, path, query, { byPath: false });
      if (old) return reply.redirect(old, 301);
    }
    // One entry per page: only ?print changes what a page shows.
    const isPrintView = query.has('print');
    const key = isPrintView ? `${path}?print` : path;
    const generation = cache.generation;
    const hit = await cache.load(key);
    if (hit) return sendPage(request, reply, cache, hit);
    const [found, chrome] = await Promise.all([resolvePublicPath(newsroom, path), chromeOf()]);
    if (!found) {
      const old = await findOldAddress(newsroom, path, new URLSearchParams());
      if (old) return reply.redirect(old, 301);
      return sendNotFound(reply, newsroom, assets);
    }
    setOnionLocation(reply, chrome, path);
    return keep(
      request,
      reply,
      key,
      renderFound(found, chrome, assets.urls, isPrintView),
      generation,
    );
  });
}

/**
 * Tells Tor Browser the page's address on the newsroom's onion service, when
 * there is one (it offers to switch). Set before the page is kept, so cached
 * answers carry it too; a change of the list purges every page.
 */
function setOnionLocation(reply: FastifyReply, chrome: SiteChrome, path: string): void {
  if (chrome.isMirror) return;
  const location = onionLocation(chrome.mirrors, path);
  if (location) reply.header('onion-location', location);
}

/** A found public page rendered, with the cache tags of what it shows. */
function renderFound(
  found: NonNullable<Awaited<ReturnType<typeof resolvePublicPath>>>,
  chrome: SiteChrome,
  urls: LoadedAssets['urls'],
  isPrintView: boolean,
): Rendered {
  switch (found.kind) {
    case 'home':
      return htmlPage(
        HomePage({ view: found.view, chrome, assets: urls }),
        homePageTags(found.view),
      );
    case 'section':
      return htmlPage(
        SectionPage({ view: found.view, chrome, assets: urls }),
        sectionPageTags(found.view),
      );
    case 'article':
      return htmlPage(
        ArticlePage({ view: found.view, chrome, assets: urls, isPrintView }),
        articlePageTags(found.view),
      );
    case 'page':
      return htmlPage(
        StaticPage({ view: found.view, chrome, assets: urls }),
        staticPageTags(found.view),
      );
    case 'corrections':
      return htmlPage(
        CorrectionsPage({ view: found.view, chrome, assets: urls }),
        correctionsPageTags(found.view.entries.map((entry) => entry.article.url)),
      );
    case 'tag':
      return htmlPage(TagPage({ view: found.view, chrome, assets: urls }), tagPageTags(found.view));
    case 'author':
      return htmlPage(
        AuthorPage({ view: found.view, chrome, assets: urls }),
        authorPageTags(found.view),
      );
  }
}

// "/news/politics/vote/live.json" → the live entries of the article "/news/politics/vote".
const LIVE_PATH = /^(\/.+)\/live\.(json|atom)$/;

/**
 * A live article's newest entries as HTML fragments (JSON) or an Atom feed.
 * Its tags are the page's but for `t:`, which counts an article page's reads:
 * a reader's page polling is not a read.
 */
function renderLive(
  view: ArticleView,
  chrome: SiteChrome,
  format: 'json' | 'atom',
  options: { logoUrl: string },
): Rendered | null {
  const tags = articlePageTags(view).filter((tag) => !tag.startsWith('t:'));
  if (format === 'atom') {
    const atom = renderLiveFeed(view, chrome, options);
    return atom === null ? null : { body: atom, type: 'application/atom+xml; charset=utf-8', tags };
  }
  if (!view.live) return null;
  return {
    body: JSON.stringify(liveUpdate(view.live, view.article.language, chrome.settings.timeZone)),
    type: 'application/json; charset=utf-8',
    tags,
    // Pages poll it: browsers ask again soon (an unchanged answer is a 304 by its ETag).
    cacheControl: 'public, max-age=5, stale-while-revalidate=20',
  };
}

// "/news/politics/feed.atom" → the listing "/news/politics" in Atom; "/feed.xml" → the home page's.
const FEED_PATH = /^(.*)\/feed\.(xml|atom|json)$/;

/** What a route renders for the cache: the body, its type and the tags of what it shows. */
type Rendered = { body: string; type: string; tags: readonly string[]; cacheControl?: string };

function htmlPage(element: Parameters<typeof renderHtml>[0], tags: readonly string[]): Rendered {
  return { body: renderHtml(element), type: 'text/html; charset=utf-8', tags };
}

/** Sitemaps: their content follows every public article, section and page. */
function xmlPage(xml: string): Rendered {
  return { body: xml, type: 'application/xml; charset=utf-8', tags: [SITEMAPS_TAG, SITE_TAG] };
}

/**
 * Sends a rendered page with its validators: a strong ETag (304 when the
 * reader already has it), the cache tags as Surrogate-Key for a CDN, and the
 * body precompressed (Brotli, else gzip) when the reader accepts it and the
 * cache keeps the page; uncached pages are compressed on the way out.
 */
function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: PageCache,
  page: CachedPage,
): FastifyReply {
  reply
    .code(page.status)
    .header('cache-control', page.cacheControl)
    .header('etag', page.etag)
    .header('surrogate-key', page.tags.join(' '))
    .header('vary', 'Accept-Encoding')
    .type(page.type);
  if (cache.has(page.key) && page.headers === null) {
    // The answer's full header set, helmet's included, for the fast path.
    page.headers = Object.fromEntries(
      Object.entries(reply.getHeaders())
        .filter(([name, value]) => value !== undefined && !UNKEPT_HEADERS.has(name.toLowerCase()))
        .map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
  }
  countView(cache, page, request.method, request.url, request.headers, request.ip);
  if (matchesEtag(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
  const encoding = cache.enabled ? preferredEncoding(request.headers['accept-encoding']) : null;
  if (!encoding) return reply.send(page.body);
  return reply.header('content-encoding', encoding).send(cache.encoded(page, encoding));
}

/** Headers that belong to one answer, not to the page. */
const UNKEPT_HEADERS = new Set(['content-length', 'content-encoding', 'date', 'connection']);

// Paths the fast path never answers: their own routes decide (or they are not pages).
const NOT_PAGES = /^\/(?:api|admin|assets|media|search|healthz)(?:\/|$)/;

/** A cached answer ready to write: status, headers and body (null for HEAD and 304). */
export type CachedAnswer = { status: number; headers: Record<string, string>; body: Buffer | null };

/**
 * The fast path for a page already in the cache: the kept answer (headers as
 * first sent, helmet's included; body in the reader's encoding; 304 for a
 * matching ETag), or null when the request must take the normal route. Only
 * plain addresses qualify — no query, no escapes, no trailing slash — whose
 * cache key is the address itself.
 */
export function cachedAnswer(
  cache: PageCache,
  method: string | undefined,
  url: string | undefined,
  headers: ViewHeaders & {
    'if-none-match'?: string | undefined;
    'accept-encoding'?: string | undefined;
  },
  address: string | undefined,
): CachedAnswer | null {
  if ((method !== 'GET' && method !== 'HEAD') || !url) return null;
  if (/[?%\\]/.test(url) || (url.length > 1 && url.endsWith('/')) || NOT_PAGES.test(url))
    return null;
  const page = cache.get(url);
  if (!page?.headers) return null;
  countView(cache, page, method, url, headers, address);
  if (matchesEtag(headers['if-none-match'], page.etag)) {
    return { status: 304, headers: page.headers, body: null };
  }
  const encoding = preferredEncoding(headers['accept-encoding']);
  const body = encoding ? cache.encoded(page, encoding) : page.body;
  return {
    status: page.status,
    headers: {
      ...page.headers,
      'content-length': String(body.length),
      ...(encoding ? { 'content-encoding': encoding } : {}),
    },
    body: method === 'HEAD' ? null : body,
  };
}

/** The same fast path as an onRequest hook, ahead of every other (and for `inject`). */
export function serveFromCache(cache: PageCache) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const answer = cachedAnswer(cache, request.method, request.url, request.headers, request.ip);
    if (!answer) return;
    reply.hijack();
    reply.raw.writeHead(answer.status, answer.headers);
    reply.raw.end(answer.body ?? undefined);
  };
}

/** What counting a view reads of a request's headers. */
type ViewHeaders = {
  host?: string | undefined;
  'user-agent'?: string | undefined;
  referer?: string | undefined;
  'accept-language'?: string | undefined;
  'sec-purpose'?: string | undefined;
  purpose?: string | undefined;
};

/**
 * Counts a reader's view of a page (a GET answered with it, or with 304 to
 * a returning browser) for the audience numbers and "most read"; what is
 * kept of it is decided in core/audience.ts. Not counted: crawlers and other
 * programs, pages a browser fetches ahead in case they are opened, print
 * views of a page already read, and anything that is not an HTML page.
 */
/** The search page as counting sees it: one page, whatever was searched for. */
const SEARCH_PAGE = { key: '/search', status: 200, type: 'text/html', tags: [] };

function countView(
  cache: PageCache,
  page: Pick<CachedPage, 'key' | 'status' | 'type' | 'tags'>,
  method: string | undefined,
  url: string | undefined,
  headers: ViewHeaders,
  address: string | undefined,
): void {
  const onView = cache.onView;
  if (!onView || method !== 'GET' || page.status !== 200 || page.key.includes('?')) return;
  if (!page.type.startsWith('text/html')) return;
  const userAgent = headers['user-agent'];
  if (!isReaderAgent(userAgent) || isPrefetch(headers['sec-purpose'], headers.purpose)) return;
  const tag = page.tags.find((candidate) => candidate.startsWith('t:'));
  const query = url?.indexOf('?') ?? -1;
  onView({
    path: page.key,
    articleId: tag ? Number(tag.slice(2)) : null,
    request: {
      userAgent,
      referer: headers.referer,
      acceptLanguage: headers['accept-language'],
      query: query >= 0 && url ? url.slice(query + 1) : '',
      host: headers.host,
    },
    address,
  });
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/** Brotli when the reader takes it, else gzip, else none (q=0 refuses one). */
function preferredEncoding(header: string | undefined): 'br' | 'gzip' | null {
  if (!header) return null;
  const accepted = new Map(
    header.split(',').map((part) => {
      const [name = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
      return [name.trim(), q ? Number(q.slice(2)) : 1] as const;
    }),
  );
  const allows = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return null;
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
      label: result.label,
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
