import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { frontStories } from '../core/fronts.js';
import {
  fillFrontForStaff,
  getFrontForStaff,
  listFrontsForStaff,
  saveFrontForStaff,
} from '../newsroom/fronts.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { readSiteChrome, resolvePublicPath } from '../newsroom/read-site.js';
import { HomePage } from '../site/pages/home-page.js';
import { SectionPage } from '../site/pages/section-page.js';
import { renderHtml } from '../site/render-page.js';
import { parse, type SignedIn } from './admin-api.js';
import type { LoadedAssets } from './assets.js';

// Shapes only: the arrangement itself is checked by the use case (core/fronts.ts).
const saveSchema = z.object({ layout: z.unknown(), version: z.number().int().min(0) });
const draftSchema = z.object({
  language: z.string(),
  path: z.string().default(''),
  layout: z.unknown(),
});

/** "/api/fronts/ru/news/politics" → language "ru", path "news/politics"; "/api/fronts/en" → home. */
function frontParams(rest: string): { language: string; path: string } {
  const [language = '', ...path] = rest.split('/').filter((part) => part !== '');
  return { language, path: path.join('/') };
}

/**
 * Fronts, for editors (`front.manage`): the home page and each section's
 * page per language, read, filled, previewed and saved (docs/admin-api.md).
 */
export function registerFrontsApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  assets: LoadedAssets,
  signedIn: SignedIn,
): void {
  app.get('/api/fronts', async (request) => {
    const { actor } = await signedIn(request);
    return { fronts: await listFrontsForStaff(newsroom, actor) };
  });
  app.get<{ Params: { '*': string } }>('/api/fronts/*', async (request) => {
    const { actor } = await signedIn(request);
    const { language, path } = frontParams(request.params['*']);
    return await getFrontForStaff(newsroom, actor, language, path);
  });
  app.put<{ Params: { '*': string } }>('/api/fronts/*', async (request) => {
    const { actor } = await signedIn(request);
    const body = parse(saveSchema, request.body);
    return await saveFrontForStaff(newsroom, actor, {
      ...frontParams(request.params['*']),
      ...body,
    });
  });
  // What the automatic slots of an arrangement not yet saved would show.
  app.post('/api/front-fill', async (request) => {
    const { actor } = await signedIn(request);
    const { filled } = await fillFrontForStaff(newsroom, actor, parse(draftSchema, request.body));
    return { filled };
  });
  // The reader page of an arrangement not yet saved: never cached or indexed.
  app.post('/api/front-preview', async (request, reply) => {
    const { actor } = await signedIn(request);
    const { url, filled } = await fillFrontForStaff(
      newsroom,
      actor,
      parse(draftSchema, request.body),
    );
    const [found, chrome] = await Promise.all([
      resolvePublicPath(newsroom, url),
      readSiteChrome(newsroom),
    ]);
    const props = { chrome, assets: assets.urls };
    let page: ReturnType<typeof HomePage>;
    if (found?.kind === 'home') {
      page = HomePage({ ...props, view: { ...found.view, blocks: filled } });
    } else if (found?.kind === 'section') {
      const onFront = new Set(frontStories(filled).map((story) => story.url));
      page = SectionPage({
        ...props,
        view: {
          ...found.view,
          blocks: filled,
          teasers: found.view.teasers.filter((teaser) => !onFront.has(teaser.url)),
        },
      });
    } else {
      throw new Error(`the front at ${url} has no page`);
    }
    return reply
      .header('cache-control', 'private, no-store')
      .header('x-robots-tag', 'noindex, nofollow')
      .type('text/html; charset=utf-8')
      .send(renderHtml(page));
  });
}
