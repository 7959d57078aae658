import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pageUrl } from '../core/section-path.js';
import type { Page } from '../core/types.js';
import {
  createPage,
  createSection,
  getPageForStaff,
  listPagesForStaff,
  PAGE_KINDS,
  updatePage,
  updateSection,
} from '../newsroom/manage-site.js';
import { listTags, renameTag } from '../newsroom/manage-tags.js';
import { getMenusForStaff, updateMenu } from '../newsroom/menus.js';
import { readMirrorList, readMirrorPublicKey, updateMirrorList } from '../newsroom/mirrors.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { getSiteSettings, updateSiteSettings } from '../newsroom/site-settings.js';
import { parse, type SignedIn } from './admin-api.js';

// Shapes only: lengths, blank names, slugs, language codes, addresses and
// documents are the use cases' to check, so every caller is checked alike.
const newSectionSchema = z.object({
  name: z.string(),
  parent: z.string().nullable().optional(),
  slug: z.string().optional(),
});
const sectionChangeSchema = z.object({
  name: z.string().optional(),
  position: z.number().int().optional(),
  // Addresses are permanent: these are accepted only to refuse a change clearly.
  slug: z.string().optional(),
  parent: z.string().nullable().optional(),
  // Its names in other languages ({"ru": "Новости"}): checked by the use case.
  names: z.unknown().optional(),
});
const newPageSchema = z.object({
  title: z.string(),
  slug: z.string().optional(),
  kind: z.enum(PAGE_KINDS),
  language: z.string(),
  body: z.unknown(),
});
const pageChangeSchema = z.object({
  slug: z.string().optional(),
  title: z.string().optional(),
  body: z.unknown().optional(),
  kind: z.enum(PAGE_KINDS).optional(),
  language: z.string().optional(),
});

// The same refusal shape as the admin API's own bodies: the first issue, with its field.

function presentPageSummary(page: Page) {
  const { id, slug, title, kind, language, position, updatedAt } = page;
  return { id, slug, title, kind, language, position, updatedAt, url: pageUrl(slug) };
}

function presentPage(page: Page) {
  return { ...presentPageSummary(page), body: page.body };
}

/**
 * Sections and static pages, for editors (`taxonomy.manage`, `page.manage`).
 * Reading the section tree stays with the admin API's `GET /api/sections`,
 * which every signed-in user needs for the article editor.
 */
export async function registerSiteApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
): Promise<void> {
  app.post('/api/sections', async (request, reply) => {
    const { actor } = await signedIn(request);
    const section = await createSection(newsroom, actor, parse(newSectionSchema, request.body));
    return reply.code(201).send(section);
  });
  // A section is named by its whole path ("news/politics"), slashes included.
  app.patch<{ Params: { '*': string } }>('/api/sections/*', async (request) => {
    const { actor } = await signedIn(request);
    return updateSection(
      newsroom,
      actor,
      request.params['*'],
      parse(sectionChangeSchema, request.body),
    );
  });

  app.get('/api/tags', async (request) => {
    const { actor } = await signedIn(request);
    return { tags: await listTags(newsroom, actor) };
  });
  app.patch<{ Params: { slug: string } }>('/api/tags/:slug', async (request) => {
    const { actor } = await signedIn(request);
    const { name } = parse(z.object({ name: z.string() }), request.body);
    return renameTag(newsroom, actor, request.params.slug, name);
  });
  // Where else readers find the site: the list editors keep, and the signing key.
  app.get('/api/mirrors', async (request) => {
    await signedIn(request);
    return {
      mirrors: await readMirrorList(newsroom),
      publicKey: await readMirrorPublicKey(newsroom),
    };
  });
  app.put('/api/mirrors', async (request) => {
    const { actor } = await signedIn(request);
    const { mirrors } = parse(z.object({ mirrors: z.unknown() }), request.body);
    return { mirrors: await updateMirrorList(newsroom, actor, mirrors) };
  });
  app.get('/api/menus', async (request) => {
    const { actor } = await signedIn(request);
    return { menus: await getMenusForStaff(newsroom, actor) };
  });
  app.put<{ Params: { language: string } }>('/api/menus/:language', async (request) => {
    const { actor } = await signedIn(request);
    return await updateMenu(newsroom, actor, request.params.language, request.body);
  });
  app.get('/api/settings/site', async (request) => {
    await signedIn(request);
    // The public address too: the editor previews links and search results with it.
    return { ...(await getSiteSettings(newsroom)), publicUrl: newsroom.publicUrl };
  });
  app.put('/api/settings/site', async (request) => {
    const { actor } = await signedIn(request);
    const changes = parse(
      z.object({
        name: z.string().max(200).optional(),
        tagline: z.string().max(500).optional(),
        language: z.string().max(8).optional(),
        timeZone: z.string().max(64).optional(),
        // Per language ({"ru": "…"}): checked by the use case.
        names: z.unknown().optional(),
        taglines: z.unknown().optional(),
      }),
      request.body,
    );
    return {
      ...(await updateSiteSettings(newsroom, actor, changes)),
      publicUrl: newsroom.publicUrl,
    };
  });
  app.get('/api/pages', async (request) => {
    const { actor } = await signedIn(request);
    return { pages: (await listPagesForStaff(newsroom, actor)).map(presentPageSummary) };
  });
  app.post('/api/pages', async (request, reply) => {
    const { actor } = await signedIn(request);
    const page = await createPage(newsroom, actor, parse(newPageSchema, request.body));
    return reply.code(201).send(presentPage(page));
  });
  app.get<{ Params: { slug: string } }>('/api/pages/:slug', async (request) => {
    const { actor } = await signedIn(request);
    return presentPage(await getPageForStaff(newsroom, actor, request.params.slug));
  });
  app.patch<{ Params: { slug: string } }>('/api/pages/:slug', async (request) => {
    const { actor } = await signedIn(request);
    const page = await updatePage(
      newsroom,
      actor,
      request.params.slug,
      parse(pageChangeSchema, request.body),
    );
    return presentPage(page);
  });
}
