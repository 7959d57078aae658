import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PageCache } from '../../src/http/page-cache.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { buildTestServer, type Client, createDraft, signIn, signInAs } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// How an article presents itself in search results and shared links: a title,
// a description and a photo the newsroom may choose, falling back to the
// headline, the standfirst and the lead photo, written into the reader page's
// <head> and held back with the other edits of a published article.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

async function photo(caption: string, colour: string) {
  const bytes = await sharp({
    create: { width: 1400, height: 800, channels: 3, background: colour },
  })
    .jpeg()
    .toBuffer();
  return await uploadImage(newsroom, SYSTEM_ACTOR, {
    bytes,
    alt: `A picture: ${caption}`,
    caption,
    credit: 'Lantern Photo / Jonas Feld',
  });
}

/** The reader page's head tags that search engines and link previews read. */
async function head(url: string) {
  const page = await app.inject(url);
  expect(page.statusCode, url).toBe(200);
  const meta = (attribute: string, name: string) =>
    new RegExp(`<meta ${attribute}="${name}" content="([^"]*)"`).exec(page.body)?.[1] ?? null;
  return {
    title: /<title>([^<]*)<\/title>/.exec(page.body)?.[1] ?? null,
    description: meta('name', 'description'),
    ogTitle: meta('property', 'og:title'),
    ogDescription: meta('property', 'og:description'),
    ogImage: meta('property', 'og:image'),
    ogImageAlt: meta('property', 'og:image:alt'),
    twitterTitle: meta('name', 'twitter:title'),
    twitterImage: meta('name', 'twitter:image'),
  };
}

async function publish(id: number, version: number) {
  const published = await editor.send('POST', `/api/articles/${id}/transitions/publish`, {
    version,
  });
  expect(published.statusCode, published.body).toBe(200);
  return published.json() as { id: number; url: string; version: number };
}

describe('search and social presentation', () => {
  it('uses the headline, the standfirst and the lead photo until the newsroom chooses otherwise', async () => {
    const lead = await photo('Ferry at the quay', '#224466');
    const created = await createDraft(editor, 'Ferry fares rise');
    const saved = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: created.version,
      standfirst: 'The crossing costs a fifth more from May.',
      leadMediaId: lead.id,
    });
    expect(saved.json()).toMatchObject({ metaTitle: '', metaDescription: '', socialImageId: null });
    const { url } = await publish(created.id, saved.json().version);
    const tags = await head(url);
    expect(tags.title).toMatch(/^Ferry fares rise — /);
    expect(tags.description).toBe('The crossing costs a fifth more from May.');
    expect(tags.ogTitle).toBe('Ferry fares rise');
    expect(tags.twitterTitle).toBe('Ferry fares rise');
    expect(tags.ogImage).toContain(lead.file?.replace(/\.[a-z]+$/, '') ?? 'no file');
    expect(tags.ogImageAlt).toBe('A picture: Ferry at the quay');
  });

  it('writes the chosen title, description and photo into the reader page', async () => {
    const lead = await photo('Ferry at the quay', '#224466');
    const card = await photo('Queue at the ticket office', '#664422');
    const created = await createDraft(editor, 'Ferry fares rise');
    const saved = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: created.version,
      standfirst: 'The crossing costs a fifth more from May.',
      leadMediaId: lead.id,
      metaTitle: '  Ferry fares: what the rise means for commuters ',
      metaDescription: 'Who pays more, from when, and the cheaper ways across.',
      socialImageId: card.id,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      metaTitle: 'Ferry fares: what the rise means for commuters',
      metaDescription: 'Who pays more, from when, and the cheaper ways across.',
      socialImageId: card.id,
    });
    const { url } = await publish(created.id, saved.json().version);
    const tags = await head(url);
    // The meta title is the whole <title>: the newsroom chose every word of it.
    expect(tags.title).toBe('Ferry fares: what the rise means for commuters');
    expect(tags.description).toBe('Who pays more, from when, and the cheaper ways across.');
    expect(tags.ogTitle).toBe('Ferry fares: what the rise means for commuters');
    expect(tags.ogDescription).toBe('Who pays more, from when, and the cheaper ways across.');
    expect(tags.ogImage).toContain(card.file?.replace(/\.[a-z]+$/, '') ?? 'no file');
    expect(tags.twitterImage).toBe(tags.ogImage);
    expect(tags.ogImageAlt).toBe('A picture: Queue at the ticket office');
    // The page itself still shows the headline and the lead photo.
    const page = (await app.inject(url)).body;
    expect(page).toMatch(/<h1 class="headline">Ferry fares rise<\/h1>/);
  });

  it('holds changes to a published article back from readers until Update', async () => {
    const created = await createDraft(editor, 'Ferry fares rise');
    const { url, version } = await publish(created.id, created.version);
    const held = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version,
      metaTitle: 'Ferry fares up by a fifth',
    });
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json().pending).toMatchObject({ metaTitle: 'Ferry fares up by a fifth' });
    expect(held.json().metaTitle).toBe('');
    expect((await head(url)).title).toMatch(/^Ferry fares rise — /);
    // The preview shows what Update will put live.
    const preview = await editor.send('GET', `/api/articles/${created.id}/preview`);
    expect(preview.body).toContain('<title>Ferry fares up by a fifth</title>');
    const updated = await editor.send('POST', `/api/articles/${created.id}/transitions/update`, {
      version: held.json().version,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ metaTitle: 'Ferry fares up by a fifth', pending: null });
    expect((await head(url)).title).toBe('Ferry fares up by a fifth');
  });

  it('refuses a photo that is not in the library, and fields past their limit, naming the field', async () => {
    const created = await createDraft(editor, 'Ferry fares rise');
    const missing = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: created.version,
      socialImageId: 9999,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'invalid_input', field: 'socialImageId' });
    const long = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: created.version,
      metaDescription: 'x'.repeat(1001),
    });
    expect(long.statusCode).toBe(400);
    // In plain words, not the validation library's.
    expect(long.json().error).toEqual({
      code: 'invalid_input',
      field: 'metaDescription',
      message: 'metaDescription: too long, at most 1000 characters',
    });
    // Nothing was written by either.
    expect((await editor.send('GET', `/api/articles/${created.id}`)).json().version).toBe(
      created.version,
    );
  });

  it('counts a photo chosen for shared links as in use, so it cannot be deleted', async () => {
    const card = await photo('Queue at the ticket office', '#664422');
    const created = await createDraft(editor, 'Ferry fares rise');
    await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: created.version,
      socialImageId: card.id,
    });
    const media = (await editor.send('GET', `/api/media/${card.id}`)).json();
    expect(media.usedIn.map((use: { id: number }) => use.id)).toEqual([created.id]);
    expect((await editor.send('DELETE', `/api/media/${card.id}`)).statusCode).toBe(409);
  });

  it('keeps the fields in revisions, and a restore brings them back', async () => {
    const created = await createDraft(editor, 'Ferry fares rise');
    const first = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: created.version,
      metaTitle: 'First title for search',
    });
    const second = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: first.json().version,
      metaTitle: 'Second title for search',
    });
    const revisions = (await editor.send('GET', `/api/articles/${created.id}/revisions`)).json()
      .revisions as { id: number; version: number; snapshot: { metaTitle: string } }[];
    const old = revisions.find((revision) => revision.version === first.json().version);
    expect(old?.snapshot.metaTitle).toBe('First title for search');
    const restored = await editor.send(
      'POST',
      `/api/articles/${created.id}/revisions/${old?.id}/restore`,
      { version: second.json().version },
    );
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json().metaTitle).toBe('First title for search');
  });

  it('purges a cached page when the photo chosen for shared links is described anew', async () => {
    const cached = await buildTestServer(newsroom, {
      sample: false,
      pageCache: new PageCache(8 * 1024 * 1024),
    });
    try {
      const client = await signInAs(
        cached,
        'ada.editor@news.example',
        editor.personId,
        editor.userId,
      );
      const card = await photo('Queue at the ticket office', '#664422');
      const created = await createDraft(client, 'Ferry fares rise');
      const saved = await client.send('PATCH', `/api/articles/${created.id}`, {
        version: created.version,
        socialImageId: card.id,
      });
      const published = await client.send(
        'POST',
        `/api/articles/${created.id}/transitions/publish`,
        { version: saved.json().version },
      );
      const url = published.json().url as string;
      const altOf = async () =>
        /<meta property="og:image:alt" content="([^"]*)"/.exec(
          (await cached.inject(url)).body,
        )?.[1];
      expect(await altOf()).toBe('A picture: Queue at the ticket office');
      const described = await client.send('PATCH', `/api/media/${card.id}`, {
        alt: 'Commuters queue at the ferry ticket office.',
      });
      expect(described.statusCode, described.body).toBe(200);
      expect(await altOf()).toBe('Commuters queue at the ferry ticket office.');
    } finally {
      await cached.close();
    }
  });
});
