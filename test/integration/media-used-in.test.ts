import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { buildTestServer, type Client, signIn, simpleBody } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// "Where is this photo used?" names only the articles the caller may open:
// the same rule as the article routes (own, published, or every draft for editors).

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
  await newsroom.store.db
    .insertInto('section')
    .values({ parent_id: null, slug: 'news', path: 'news', name: 'News', position: 0 })
    .execute();
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

async function articleWith(
  writer: Client,
  title: string,
  fields: Record<string, unknown>,
): Promise<number> {
  const created = await writer.send('POST', '/api/articles', {
    title,
    standfirst: 'A standfirst.',
    section: 'news',
    language: 'en',
    body: simpleBody,
    ...fields,
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

describe('GET /api/media/:id usedIn', () => {
  it('names for a contributor only their own and published articles, and counts the rest', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    const bytes = await sharp({
      create: { width: 400, height: 300, channels: 3, background: '#335577' },
    })
      .jpeg()
      .toBuffer();
    const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes,
      alt: 'The harbour at dawn',
      credit: 'EPA / Grigory Sysoev',
    });

    const secret = await articleWith(editor, 'Minister to resign, sources say', {
      leadMediaId: photo.id,
    });
    const inBody = await articleWith(editor, 'Unannounced port sale', {
      body: { type: 'doc', content: [{ type: 'image', attrs: { mediaId: photo.id } }] },
    });
    const published = await articleWith(editor, 'Harbour reopens', { socialImageId: photo.id });
    const publish = await editor.send('POST', `/api/articles/${published}/transitions/publish`);
    expect(publish.statusCode, publish.body).toBe(200);
    const own = await articleWith(contributor, 'My harbour diary', { leadMediaId: photo.id });

    const seenBy = async (client: Client) => {
      const response = await client.send('GET', `/api/media/${photo.id}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { usedIn: unknown; otherArticles: number };
    };

    const forContributor = await seenBy(contributor);
    expect(forContributor.usedIn).toEqual([
      { id: published, title: 'Harbour reopens', status: 'published' },
      { id: own, title: 'My harbour diary', status: 'draft' },
    ]);
    expect(forContributor.otherArticles).toBe(2);
    // Neither draft's headline reaches the contributor anywhere in the answer.
    const body = (await contributor.send('GET', `/api/media/${photo.id}`)).body;
    expect(body).not.toContain('Minister to resign');
    expect(body).not.toContain('Unannounced port sale');
    // The same rule as opening the article itself.
    expect((await contributor.send('GET', `/api/articles/${secret}`)).statusCode).toBe(404);

    const forEditor = await seenBy(editor);
    expect(forEditor.usedIn).toEqual([
      { id: secret, title: 'Minister to resign, sources say', status: 'draft' },
      { id: inBody, title: 'Unannounced port sale', status: 'draft' },
      { id: published, title: 'Harbour reopens', status: 'published' },
      { id: own, title: 'My harbour diary', status: 'draft' },
    ]);
    expect(forEditor.otherArticles).toBe(0);
  });
});
