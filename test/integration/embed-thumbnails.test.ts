import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMBED_PLAYER_ORIGINS } from '../../src/core/embeds.js';
import { buildTestServer, type Client, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// An embed's thumbnail is fetched by the server, once, and kept as a photo:
// readers never fetch it from the provider. A local HTTP server on 127.0.0.1
// stands in for YouTube's image host and for Vimeo's and SoundCloud's oEmbed;
// the newsroom is told to ask it (as MASTHEAD_EMBED_*_URL tell a real
// server), and to let 127.0.0.1 and no other private address through. Tests
// never contact any other address.

const VIDEO_ID = 'dQw4w9WgXcQ';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let stand: Server;
let origin: string;
let picture: Buffer;
let writer: Client;
const requests: string[] = [];

beforeAll(async () => {
  picture = await sharp({ create: { width: 480, height: 360, channels: 3, background: '#a33' } })
    .jpeg()
    .toBuffer();
  stand = createServer((request, response) => {
    const url = request.url ?? '';
    requests.push(url);
    if (url === `/yt/vi/${VIDEO_ID}/hqdefault.jpg`) response.end(picture);
    else if (url.startsWith('/yt/vi/')) response.writeHead(500).end('down');
    else if (url.startsWith('/vimeo/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F76979871')) {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ type: 'video', thumbnail_url: `${origin}/img/vimeo.jpg` }));
    } else if (url.startsWith('/vimeo/api/oembed.json')) {
      // An answer pointing inside the server's network: never fetched.
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ thumbnail_url: 'http://10.0.0.1/inside.jpg' }));
    } else if (url.startsWith('/sc/oembed')) response.end('not json');
    else if (url === '/img/vimeo.jpg') response.end(picture);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => stand.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(stand.address() as AddressInfo).port}`;

  newsroom = await openTestNewsroom();
  newsroom.embedThumbnails = {
    bases: { youtubeImages: `${origin}/yt`, vimeo: `${origin}/vimeo`, soundcloud: `${origin}/sc` },
    allowAddress: (address) => address === '127.0.0.1',
    timeoutMs: 5_000,
  };
  app = await buildTestServer(newsroom);
  writer = await signIn(app, newsroom, 'contributor', 'Cora Writer');
});

afterAll(async () => {
  await app?.close();
  await newsroom?.dispose();
  await new Promise<void>((resolve) => stand.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
});

type ThumbnailAnswer = {
  thumbnail: { id: number; url: string; credit: { name: string }[]; alt: string } | null;
  problem: string | null;
};

async function askThumbnail(client: Client, url: string, title = ''): Promise<ThumbnailAnswer> {
  const response = await client.send('POST', '/api/embeds/thumbnail', { url, title });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as ThumbnailAnswer;
}

describe('POST /api/embeds/thumbnail', () => {
  it('stores a YouTube thumbnail as a photo credited to YouTube, served from /media', async () => {
    const answer = await askThumbnail(
      writer,
      `https://www.youtube.com/watch?v=${VIDEO_ID}`,
      'The speech',
    );
    expect(requests).toEqual([`/yt/vi/${VIDEO_ID}/hqdefault.jpg`]);
    expect(answer.problem).toBeNull();
    expect(answer.thumbnail?.url).toMatch(/^\/media\/[a-f0-9]{32}\.jpg$/);
    expect(answer.thumbnail?.credit.map((part) => part.name)).toEqual(['YouTube']);
    expect(answer.thumbnail?.alt).toBe('YouTube: The speech');
    const served = await app.inject(answer.thumbnail?.url ?? '');
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .select(['action', 'subject'])
      .where('subject', '=', `media:${answer.thumbnail?.id}`)
      .execute();
    expect(audit).toEqual([{ action: 'media.upload', subject: `media:${answer.thumbnail?.id}` }]);
  });

  it('follows Vimeo’s oEmbed answer to its thumbnail', async () => {
    const answer = await askThumbnail(writer, 'https://vimeo.com/76979871');
    expect(requests).toEqual([
      '/vimeo/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F76979871',
      '/img/vimeo.jpg',
    ]);
    expect(answer.thumbnail?.credit.map((part) => part.name)).toEqual(['Vimeo']);
  });

  it('survives a failing provider: no picture, the reason, and nothing stored', async () => {
    const before = await mediaCount();
    const failing = await askThumbnail(writer, 'https://youtu.be/AAAAAAAAAAA');
    expect(failing.thumbnail).toBeNull();
    expect(failing.problem).toMatch(/^no picture from YouTube: the server answered 500/);
    const notJson = await askThumbnail(writer, 'https://soundcloud.com/lantern/show');
    expect(notJson.thumbnail).toBeNull();
    expect(notJson.problem).toBe('no picture from SoundCloud: its oEmbed answer is not JSON');
    // An oEmbed answer naming a private address is refused before any connection.
    const inside = await askThumbnail(writer, 'https://vimeo.com/5');
    expect(inside.thumbnail).toBeNull();
    expect(inside.problem).toMatch(/10\.0\.0\.1 is a private or local address/);
    expect(requests.some((url) => url.includes('inside'))).toBe(false);
    expect(await mediaCount()).toBe(before);
  });

  it('has no picture for a post, and asks no one', async () => {
    const answer = await askThumbnail(writer, 'https://t.me/lantern/123');
    expect(answer).toEqual({
      thumbnail: null,
      problem: 'Telegram gives no picture for this address',
    });
    expect(requests).toEqual([]);
  });

  it('refuses an address off the allow-list with a 400 naming url', async () => {
    for (const url of [
      'https://tracker.example/watch?v=dQw4w9WgXcQ',
      'http://www.youtube.com/watch?v=dQw4w9WgXcQ',
      `${origin}/yt/vi/${VIDEO_ID}/hqdefault.jpg`,
      42,
    ]) {
      const response = await writer.send('POST', '/api/embeds/thumbnail', { url });
      expect(response.statusCode, String(url)).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'invalid_input', field: 'url' });
    }
    expect(requests).toEqual([]);
  });

  it('answers 401 without a session and 403 without the CSRF token', async () => {
    const body = { url: `https://youtu.be/${VIDEO_ID}` };
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/embeds/thumbnail',
      payload: body,
    });
    expect(anonymous.statusCode).toBe(401);
    for (const csrf of [null, 'forged']) {
      const response = await writer.send('POST', '/api/embeds/thumbnail', body, { csrf });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('csrf_invalid');
    }
    expect(requests).toEqual([]);
  });
});

describe('an embed with its thumbnail on the reader page', () => {
  it('is a facade showing the stored picture; feeds keep a plain link', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ed Itor');
    const { thumbnail } = await askThumbnail(editor, `https://youtu.be/${VIDEO_ID}`, 'The speech');
    const failed = await askThumbnail(editor, 'https://youtu.be/BBBBBBBBBBB', 'No picture');
    expect(failed.thumbnail).toBeNull();
    const created = await editor.send('POST', '/api/articles', {
      title: 'The mayor speaks on the port',
      standfirst: 'The whole speech, on video.',
      section: 'news/world',
      language: 'en',
      body: {
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'The mayor spoke.' }] },
          {
            type: 'embed',
            attrs: {
              url: `https://youtu.be/${VIDEO_ID}`,
              title: 'The speech',
              thumbnailMediaId: thumbnail?.id,
              thumbnailSrc: thumbnail?.url,
            },
          },
          // The provider failed: the embed saves and shows without a picture.
          { type: 'embed', attrs: { url: 'https://youtu.be/BBBBBBBBBBB', title: 'No picture' } },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json() as { id: number };
    const published = await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const { url } = published.json() as { url: string };

    const page = await app.inject(url);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain(
      `frame-src 'self' ${EMBED_PLAYER_ORIGINS.join(' ')};`,
    );
    expect(page.body).toContain(
      `<figure class="embed embed-facade has-thumbnail" data-embed-player="youtube" data-embed-id="${VIDEO_ID}" data-embed-title="The speech"><a href="https://youtu.be/${VIDEO_ID}" class="embed-link"><span class="embed-thumbnail"><picture>`,
    );
    expect(page.body).toContain(`src="${thumbnail?.url}"`);
    expect(page.body).toContain(
      '<figure class="embed embed-facade" data-embed-player="youtube" data-embed-id="BBBBBBBBBBB"',
    );
    // Nothing of the provider's in the article but the links to the videos
    // (share links and the JSON-LD context are the page's, tested elsewhere).
    const articleBody = parse(page.body).querySelector('.article-body')?.outerHTML ?? '';
    const outside = [...articleBody.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((match) => match[0]);
    expect(outside).toEqual([`https://youtu.be/${VIDEO_ID}`, 'https://youtu.be/BBBBBBBBBBB']);

    const feed = await app.inject('/news/world/feed.xml');
    expect(feed.statusCode).toBe(200);
    expect(feed.body).toContain('Watch on YouTube: The speech');
    expect(feed.body).not.toContain('embed-facade');

    // The thumbnail is in use: the library will not delete it from under the facade.
    const removed = await editor.send('DELETE', `/api/media/${thumbnail?.id}`);
    expect(removed.statusCode).toBe(409);
    expect(removed.json().error.code).toBe('media_in_use');
  });
});

async function mediaCount(): Promise<number> {
  const row = await newsroom.store.db
    .selectFrom('media')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
