import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { readAllPublishedItems } from '../../src/newsroom/read-feeds.js';
import { readSiteChrome } from '../../src/newsroom/read-site.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { articleToNinjs } from '../../src/site/ninjs.js';
import { buildTestServer, type Client, signIn } from '../admin.js';
import { openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';
import { ninjsValidator } from '../ninjs-schema.js';

// Exported ninjs is validated against the IPTC ninjs 2.1 JSON Schema (test/ninjs-schema.ts).

let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
  editor = await signIn(app, newsroom, 'editor', 'Tomas Reyes');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

async function publishWithPhoto(): Promise<number> {
  const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
    bytes: await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#223344' } })
      .jpeg()
      .toBuffer(),
    alt: 'Riot police line a square at night',
    caption: 'Police in the square after the vote.',
    credit: 'EPA / Grigory Sysoev / Sputnik / Kremlin',
  });
  const created = await editor.send('POST', '/api/articles', {
    title: 'Protest after the vote',
    standfirst: 'Thousands gathered despite the ban.',
    section: 'news/politics',
    language: 'en',
    body: {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Crowds filled the square.' }] },
      ],
    },
    leadMediaId: photo.id,
    tags: ['Protests'],
  });
  const { id } = created.json();
  expect((await editor.send('POST', `/api/articles/${id}/transitions/publish`)).statusCode).toBe(
    200,
  );
  return id;
}

describe('ninjs export', () => {
  it('answers a published article as ninjs 2.1 that the IPTC schema accepts', async () => {
    const validate = await ninjsValidator('2.1');
    const id = await publishWithPhoto();
    const response = await editor.send('GET', `/api/articles/${id}.ninjs.json`);
    expect(response.statusCode, response.body).toBe(200);
    const ninjs = response.json();
    expect(validate(ninjs), JSON.stringify(validate.errors)).toBe(true);
    expect(ninjs).toMatchObject({
      uri: 'https://news.example/news/politics/protest-after-the-vote',
      type: 'text',
      language: 'en',
      pubstatus: 'usable',
      headlines: [{ role: 'main', value: 'Protest after the vote' }],
      descriptions: [{ role: 'summary', value: 'Thousands gathered despite the ban.' }],
      by: 'Tomas Reyes',
      subjects: [
        { name: 'Politics', rel: 'section' },
        { name: 'Protests', rel: 'tag' },
      ],
    });
    expect(ninjs.bodies[0]).toMatchObject({ role: 'main', contenttype: 'text/html' });
    expect(ninjs.bodies[0].value).toContain('<p>Crowds filled the square.</p>');
    const [picture] = ninjs.associations;
    expect(picture).toMatchObject({
      name: 'leadimage',
      type: 'picture',
      by: 'Grigory Sysoev',
      copyrightholder: 'EPA',
      copyrightnotice: 'Photo: EPA / Grigory Sysoev / Sputnik / Kremlin',
      infosources: [
        { name: 'EPA', role: 'agency' },
        { name: 'Grigory Sysoev', role: 'photographer' },
        { name: 'Sputnik', role: 'distributor' },
        { name: 'Kremlin', role: 'pool' },
      ],
      descriptions: [
        { role: 'caption', value: 'Police in the square after the vote.' },
        { role: 'alt', value: 'Riot police line a square at night' },
      ],
    });
    expect(picture.renditions.find((r: { name: string }) => r.name === 'preview')).toMatchObject({
      width: 1280,
      height: 720,
      contenttype: 'image/jpeg',
    });
  });

  it('validates every article of the sample site, and the check can fail', async () => {
    const validate = await ninjsValidator('2.1');
    const chrome = await readSiteChrome(newsroom);
    let count = 0;
    for await (const item of readAllPublishedItems(newsroom)) {
      const ninjs = articleToNinjs(item, chrome);
      expect(validate(ninjs), `${item.url}: ${JSON.stringify(validate.errors)}`).toBe(true);
      count++;
    }
    expect(count).toBeGreaterThan(3);
    expect(validate({ uri: 'https://x.example/a', type: 'story', colour: 'red' })).toBe(false);
  });

  it('refuses drafts, unknown articles and callers without a session', async () => {
    const draft = (
      await editor.send('POST', '/api/articles', {
        title: 'Unfinished',
        section: 'news',
        language: 'en',
        body: { type: 'doc', content: [{ type: 'paragraph' }] },
      })
    ).json();
    expect((await editor.send('GET', `/api/articles/${draft.id}.ninjs.json`)).statusCode).toBe(404);
    expect((await editor.send('GET', '/api/articles/99999.ninjs.json')).statusCode).toBe(404);
    expect((await app.inject('/api/articles/1.ninjs.json')).statusCode).toBe(401);
  });
});

describe('masthead export ninjs', () => {
  it('writes one valid file per published article', async () => {
    const validate = await ninjsValidator('2.1');
    await publishWithPhoto();
    const directory = await mkdtemp(join(tmpdir(), 'masthead-ninjs-'));
    try {
      const { code, lines } = await runCliOn(newsroom, ['export', 'ninjs', directory]);
      expect(code, lines.join('\n')).toBe(0);
      const files = (await readdir(directory)).sort();
      expect(lines.at(-1)).toBe(`exported ${files.length} articles as ninjs 2.1 into ${directory}`);
      expect(files.every((file) => file.endsWith('.ninjs.json'))).toBe(true);
      for (const file of files) {
        const ninjs = JSON.parse(await readFile(join(directory, file), 'utf8'));
        expect(validate(ninjs), file).toBe(true);
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
