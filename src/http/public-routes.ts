import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Newsroom } from '../newsroom/newsroom.js';
import { readSiteChrome, resolvePublicPath } from '../newsroom/read-site.js';
import { ArticlePage } from '../site/pages/article-page.js';
import { CorrectionsPage } from '../site/pages/corrections-page.js';
import { HomePage } from '../site/pages/home-page.js';
import { NotFoundPage } from '../site/pages/not-found-page.js';
import { SectionPage } from '../site/pages/section-page.js';
import { StaticPage } from '../site/pages/static-page.js';
import { renderHtml } from '../site/render-page.js';
import type { LoadedAssets } from './assets.js';

const HTML_CACHE = 'public, max-age=60, stale-while-revalidate=600';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Reader routes: pages, fingerprinted assets, media files. No cookie is ever set here. */
export function registerPublicRoutes(
  app: FastifyInstance,
  newsroom: Newsroom,
  assets: LoadedAssets,
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

  app.get('/*', async (request, reply) => {
    // The admin API owns /api: an unknown API path answers in the API's own shape.
    if (isApiRequest(request.url)) return reply.callNotFound();
    const queryStart = request.url.indexOf('?');
    const rawPath = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
    const query = new URLSearchParams(queryStart < 0 ? '' : request.url.slice(queryStart + 1));
    // One canonical form per page: no trailing slash. Leading slashes collapse
    // too, so the redirect can never name another host ("//evil.example/").
    if (rawPath.length > 1 && rawPath.endsWith('/')) {
      const search = queryStart < 0 ? '' : request.url.slice(queryStart);
      return reply.redirect(`/${rawPath.replace(/^\/+|\/+$/g, '')}${search}`, 301);
    }
    const path = decodePath(rawPath);
    if (path === null) return sendNotFound(reply, newsroom, assets);
    const [found, chrome] = await Promise.all([
      resolvePublicPath(newsroom, path),
      readSiteChrome(newsroom),
    ]);
    if (!found) return sendNotFound(reply, newsroom, assets);
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
    }
    return reply.header('cache-control', HTML_CACHE).type('text/html; charset=utf-8').send(html);
  });
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
