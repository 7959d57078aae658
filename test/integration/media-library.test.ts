import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { buildTestServer, type Client, signIn, simpleBody } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
  await newsroom.store.db
    .insertInto('section')
    .values({ parent_id: null, slug: 'news', path: 'news', name: 'News', position: 0 })
    .execute();
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

async function photo(caption: string, credit: string, colour: string) {
  const bytes = await sharp({
    create: { width: 700, height: 400, channels: 3, background: colour },
  })
    .jpeg()
    .toBuffer();
  return await uploadImage(newsroom, SYSTEM_ACTOR, {
    bytes,
    alt: `A picture: ${caption}`,
    caption,
    credit,
  });
}

describe('the media library', () => {
  it('searches captions and credits and filters by photographer or agency', async () => {
    await photo('Protest at the port', 'EPA / Grigory Sysoev / Sputnik', '#112233');
    await photo('Ferry at the quay', 'Reuters / Maarit Koski', '#445566');
    const captions = async (query: string) =>
      (await editor.send('GET', `/api/media${query}`))
        .json()
        .media.map((m: { caption: string }) => m.caption);
    expect(await captions('?q=port')).toEqual(['Protest at the port']);
    expect(await captions('?q=SYSOEV')).toEqual(['Protest at the port']);
    expect(await captions('?photographer=Maarit%20Koski')).toEqual(['Ferry at the quay']);
    expect(await captions('?agency=EPA')).toEqual(['Protest at the port']);
    expect(await captions('')).toEqual(['Ferry at the quay', 'Protest at the port']);
    // Case is ignored in every script, not only in Latin.
    await photo('Митинг у порта', 'ТАСС / Ирина Соколова', '#778899');
    expect(await captions('?q=СОКОЛОВА')).toEqual(['Митинг у порта']);
    expect(await captions('?q=митинг')).toEqual(['Митинг у порта']);
    await newsroom.store.db.deleteFrom('media').where('caption', '=', 'Митинг у порта').execute();
    // The filters offer the names the library already knows.
    expect((await editor.send('GET', '/api/media/credit-names')).json()).toEqual({
      photographers: ['Grigory Sysoev', 'Maarit Koski'],
      agencies: ['EPA', 'Reuters'],
    });
  });

  it('finds a photographer’s work beyond the newest 200 photos', async () => {
    const bytes = await sharp({
      create: { width: 40, height: 30, channels: 3, background: '#778899' },
    })
      .jpeg()
      .toBuffer();
    const rows = Array.from({ length: 205 }, (_, i) => ({
      kind: 'image',
      file: null,
      width: null,
      height: null,
      alt: `Filler ${i}`,
      caption: `Filler ${i}`,
      credit_json: JSON.stringify([{ name: 'Other Agency', role: 'agency' }]),
      created_at: '2026-03-01T09:00:00.000Z',
    }));
    const oldest = await uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes,
      alt: 'Old',
      caption: 'Old work',
      credit: 'Maarit Koski',
    });
    await newsroom.store.db.insertInto('media').values(rows).execute();
    const found = (await editor.send('GET', '/api/media?photographer=Maarit%20Koski')).json().media;
    expect(found.map((m: { id: number }) => m.id)).toEqual([oldest.id]);
  });

  it('lets an editor correct the credit chain, shown on every article at once', async () => {
    const media = await photo('Protest at the port', 'EPA / Grigory Sysoev', '#112233');
    const credit = [
      { name: 'EPA', role: 'agency' },
      { name: 'Grigory Sysoev', role: 'photographer' },
      { name: 'Sputnik', role: 'distributor' },
      { name: 'Kremlin', role: 'pool' },
    ];
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    expect((await contributor.send('PATCH', `/api/media/${media.id}`, { credit })).statusCode).toBe(
      403,
    );
    const updated = await editor.send('PATCH', `/api/media/${media.id}`, { credit });
    expect(updated.json().creditLine).toBe('EPA / Grigory Sysoev / Sputnik / Kremlin');
    const bad = await editor.send('PATCH', `/api/media/${media.id}`, {
      credit: [{ name: 'X', role: 'wizard' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('credit.0.role');
    // Corrections follow the upload's rules: at most 10 parts, alt text kept.
    const tooLong = await editor.send('PATCH', `/api/media/${media.id}`, {
      credit: Array.from({ length: 11 }, (_, n) => ({ name: `Part ${n}`, role: 'other' })),
    });
    expect([tooLong.statusCode, tooLong.json().error.field]).toEqual([400, 'credit']);
    const noAlt = await editor.send('PATCH', `/api/media/${media.id}`, { alt: '   ' });
    expect([noAlt.statusCode, noAlt.json().error.field]).toEqual([400, 'alt']);
    expect((await editor.send('GET', `/api/media/${media.id}`)).json().creditLine).toBe(
      'EPA / Grigory Sysoev / Sputnik / Kremlin',
    );
  });

  it('shows where a photo is used and refuses to delete it while it is', async () => {
    const media = await photo('Protest at the port', 'EPA / Grigory Sysoev', '#112233');
    const article = await editor.send('POST', '/api/articles', {
      title: 'Port protest',
      section: 'news',
      language: 'en',
      body: simpleBody,
      leadMediaId: media.id,
    });
    const { id } = article.json();
    expect((await editor.send('GET', `/api/media/${media.id}`)).json().usedIn).toEqual([
      { id, title: 'Port protest', status: 'draft' },
    ]);
    const refused = await editor.send('DELETE', `/api/media/${media.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'media_in_use',
      usedIn: [{ id, title: 'Port protest' }],
    });
    await editor.send('PATCH', `/api/articles/${id}`, { version: 1, leadMediaId: null });
    expect(await readdir(join(newsroom.dataDir, 'originals'))).toHaveLength(1);
    expect((await editor.send('DELETE', `/api/media/${media.id}`)).statusCode).toBe(204);
    // The master, its renditions and the private original all go.
    expect(await readdir(join(newsroom.dataDir, 'media'))).toEqual([]);
    expect(await readdir(join(newsroom.dataDir, 'originals'))).toEqual([]);
    expect((await editor.send('GET', `/api/media/${media.id}`)).statusCode).toBe(404);
  });

  it('finds a photo used inside an article body too', async () => {
    const media = await photo('Ferry at the quay', 'Reuters', '#445566');
    await editor.send('POST', '/api/articles', {
      title: 'Ferries',
      section: 'news',
      language: 'en',
      body: { type: 'doc', content: [{ type: 'image', attrs: { mediaId: media.id } }] },
    });
    expect((await editor.send('DELETE', `/api/media/${media.id}`)).json().error.code).toBe(
      'media_in_use',
    );
  });

  it('keeps a focal point, checks it, and crops the photo around it on reader pages', async () => {
    const media = await photo('Ferry at the quay', 'Reuters', '#445566');
    const set = await editor.send('PATCH', `/api/media/${media.id}`, { focus: { x: 72, y: 18 } });
    expect([set.statusCode, set.json().focus]).toEqual([200, { x: 72, y: 18 }]);
    const bad = await editor.send('PATCH', `/api/media/${media.id}`, { focus: { x: 140, y: 5 } });
    expect([bad.statusCode, bad.json().error.field]).toEqual([400, 'focus']);
    expect((await editor.send('GET', `/api/media/${media.id}`)).json().focus).toEqual({
      x: 72,
      y: 18,
    });
    const draft = await editor.send('POST', '/api/articles', {
      title: 'Ferries',
      section: 'news',
      language: 'en',
      body: simpleBody,
      leadMediaId: media.id,
    });
    const published = await editor.send(
      'POST',
      `/api/articles/${draft.json().id}/transitions/publish`,
    );
    expect(published.statusCode, published.body).toBe(200);
    const home = await app.inject('/');
    expect(home.body).toContain('teaser-image focus-x-70 focus-y-20');
    const cleared = await editor.send('PATCH', `/api/media/${media.id}`, { focus: null });
    expect(cleared.json().focus).toBeNull();
  });

  it('shows a gallery and a caption written for one article, and counts gallery photos as used', async () => {
    const ferry = await photo('Ferry at the quay', 'Reuters', '#445566');
    const port = await photo('Protest at the port', 'EPA', '#112233');
    const draft = await editor.send('POST', '/api/articles', {
      title: 'The night of the count',
      section: 'news',
      language: 'en',
      body: {
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'The count ran late.' }] },
          {
            type: 'image',
            attrs: { mediaId: ferry.id, src: `/media/${ferry.file}`, storyCaption: 'At dawn.' },
          },
          {
            type: 'gallery',
            attrs: {
              photos: [
                { mediaId: ferry.id, src: `/media/${ferry.file}` },
                { mediaId: port.id, src: `/media/${port.file}` },
              ],
              caption: 'Two scenes from the count',
            },
          },
        ],
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    expect((await editor.send('DELETE', `/api/media/${port.id}`)).json().error.code).toBe(
      'media_in_use',
    );
    const published = await editor.send(
      'POST',
      `/api/articles/${draft.json().id}/transitions/publish`,
    );
    expect(published.statusCode, published.body).toBe(200);
    const page = (await app.inject(published.json().url)).body;
    // The article's own caption replaces the library's for this use only.
    expect(page).toContain('<span class="caption">At dawn.</span>');
    expect(page).toContain(
      '<figure class="gallery"><div class="gallery-photos" role="region" tabindex="0" aria-label="Gallery: 2 photos">',
    );
    expect(page).toContain('<span class="caption">Protest at the port</span>');
    expect(page).toContain(
      '<figcaption class="gallery-caption">Two scenes from the count</figcaption>',
    );
    expect((await editor.send('GET', `/api/media/${ferry.id}`)).json().caption).toBe(
      'Ferry at the quay',
    );
    // The article's own captions are found by reader search.
    const found = await app.inject(`/search?q=${encodeURIComponent('scenes')}`);
    expect(found.body).toContain('The night of the count');
  });
});
