import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ArticleView } from '../core/views.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import {
  listArticlePreviewLinks,
  openPreviewLink,
  PREVIEW_PATH,
  previewForStaff,
  revokeArticlePreviewLink,
  sharePreview,
} from '../newsroom/preview-links.js';
import { readSiteChrome } from '../newsroom/read-site.js';
import { ArticlePage } from '../site/pages/article-page.js';
import { PreviewClosedPage } from '../site/pages/not-found-page.js';
import { renderHtml } from '../site/render-page.js';
import { idParam, parse, type SignedIn } from './admin-api.js';
import type { LoadedAssets } from './assets.js';

/**
 * Previews: the reader page of an article before readers have it, for staff
 * in the editor (session) and for outsiders through a preview link (token).
 * Neither is ever cached (not by the page cache, a proxy or the browser),
 * indexed, or passed on as a referrer; neither is in a sitemap, feed or mirror,
 * which only list what is published.
 */
export function registerPreviewRoutes(
  app: FastifyInstance,
  newsroom: Newsroom,
  assets: LoadedAssets,
  signedIn: SignedIn,
): void {
  const sendPreview = async (
    reply: FastifyReply,
    view: ArticleView,
    expiresAt: string | null,
  ): Promise<FastifyReply> => {
    const chrome = await readSiteChrome(newsroom);
    const page = ArticlePage({
      view,
      chrome,
      assets: assets.urls,
      isPrintView: false,
      preview: { expiresAt },
    });
    return privately(reply).type('text/html; charset=utf-8').send(renderHtml(page));
  };

  app.get<{ Params: { id: string } }>('/api/articles/:id/preview', async (request, reply) => {
    const { actor } = await signedIn(request);
    const view = await previewForStaff(newsroom, actor, idParam(request.params.id, 'article'));
    return sendPreview(reply, view, null);
  });

  app.get<{ Params: { id: string } }>('/api/articles/:id/preview-links', async (request) => {
    const { actor } = await signedIn(request);
    return {
      links: await listArticlePreviewLinks(newsroom, actor, idParam(request.params.id, 'article')),
    };
  });
  app.post<{ Params: { id: string } }>(
    '/api/articles/:id/preview-links',
    async (request, reply) => {
      const { actor } = await signedIn(request);
      // The range is sharePreview's rule; here only the type.
      const { hours } = parse(z.object({ hours: z.number().optional() }), request.body);
      const shared = await sharePreview(
        newsroom,
        actor,
        idParam(request.params.id, 'article'),
        hours,
      );
      return reply.code(201).send(shared);
    },
  );
  app.delete<{ Params: { id: string; linkId: string } }>(
    '/api/articles/:id/preview-links/:linkId',
    async (request) => {
      const { actor } = await signedIn(request);
      const link = await revokeArticlePreviewLink(
        newsroom,
        actor,
        idParam(request.params.id, 'article'),
        idParam(request.params.linkId, 'preview link'),
      );
      return { link };
    },
  );

  app.get<{ Params: { token: string } }>(`${PREVIEW_PATH}:token`, async (request, reply) => {
    const opened = await openPreviewLink(newsroom, request.params.token);
    if (opened) return sendPreview(reply, opened.view, opened.expiresAt);
    const chrome = await readSiteChrome(newsroom);
    return privately(reply)
      .code(404)
      .type('text/html; charset=utf-8')
      .send(renderHtml(PreviewClosedPage({ chrome, assets: assets.urls })));
  });
}

/**
 * Headers of every preview answer: no cache anywhere keeps it, no search
 * engine lists it, and no link followed from it tells the next site its
 * address (which, for a preview link, holds the token).
 */
function privately(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'private, no-store')
    .header('x-robots-tag', 'noindex, nofollow')
    .header('referrer-policy', 'no-referrer');
}
