import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/http/assets.js';
import { buildServer } from '../../src/http/server.js';
import { importFile } from '../../src/newsroom/import-items.js';
import { installSampleContent } from '../../src/newsroom/sample-content.js';
import { readSeed, SEED_ARTICLE_PATH } from '../fixtures.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;

beforeAll(async () => {
  newsroom = await openTestNewsroom();
  await installSampleContent(newsroom);
  await importFile(newsroom, { name: 'seed.txt', bytes: readSeed() });
  app = await buildServer({ newsroom, assets: await loadAssets(), logLevel: 'silent' });
});
afterAll(async () => {
  await app.close();
  await newsroom.dispose();
});

describe('the public site over HTTP', () => {
  it('answers the health check with a small JSON body', async () => {
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it.each([
    '/',
    '/news',
    '/news/politics',
    '/opinion',
    SEED_ARTICLE_PATH,
    '/masthead',
    '/terms-of-use',
    '/privacy-policy',
  ])('serves %s as HTML with no cookie and a same-origin-only content policy', async (path) => {
    const response = await app.inject(path);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.body.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('answers an unknown path with the helpful 404 page', async () => {
    const response = await app.inject('/news/politics/no-such-story');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page not found');
    expect(response.body).toContain('href="/news"');
  });

  it('does not show an article under a section it is not in', async () => {
    const wrongSection = SEED_ARTICLE_PATH.replace('/news/politics/', '/opinion/');
    expect((await app.inject(wrongSection)).statusCode).toBe(404);
  });

  it('redirects a trailing slash to the canonical path', async () => {
    const response = await app.inject('/news/politics/');
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe('/news/politics');
  });

  it('never redirects to another host', async () => {
    for (const url of ['//evil.example/', '///evil.example//']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(301);
      expect(response.headers.location, url).toBe('/evil.example');
    }
    // A raw backslash (browsers read "/\\host" as "//host"): inject would
    // normalise it away, so it goes over a real socket.
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    for (const target of ['/\\evil.example/', '/\\/evil.example/']) {
      const head = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
        );
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString('latin1');
        });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(head, target).toMatch(/^HTTP\/1\.1 301/);
      expect(head, target).toMatch(/\r\nlocation: \/evil\.example\r\n/i);
    }
  });

  it('answers a path with broken percent-encoding with the 404 page', async () => {
    const response = await app.inject('/news/%E0%A4%A');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('Page not found');
  });

  it('answers any method on an unknown route with the 404 page, and API paths with JSON', async () => {
    const page = await app.inject({ method: 'POST', url: '/' });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    const api = await app.inject('/api/nothing');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({
      error: { code: 'not_found', message: 'no route for GET /api/nothing' },
    });
  });

  it('finds a page whose path was percent-encoded', async () => {
    expect((await app.inject('/%6Eews/politics')).statusCode).toBe(200);
  });

  it('serves fingerprinted assets with immutable caching', async () => {
    const home = await app.inject('/');
    const href = /href="(\/assets\/site\.[0-9a-f]{10}\.css)"/.exec(home.body)?.[1];
    expect(href).toBeDefined();
    const css = await app.inject(href ?? '');
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await app.inject('/assets/site.0000000000.css')).statusCode).toBe(404);
  });

  it('serves the sample photos it generated, and refuses paths outside the media folder', async () => {
    const article = await app.inject(
      '/news/politics/velmora-council-agrees-to-publish-every-contract-it-signs',
    );
    const src = /<img src="(\/media\/[0-9a-f]{32}\.jpg)"/.exec(article.body)?.[1];
    expect(src).toBeDefined();
    const image = await app.inject(src ?? '');
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await app.inject('/media/..%2Fmasthead.sqlite')).statusCode).toBe(404);
  });

  it('offers AVIF, WebP and JPEG renditions, made once and then served from disk', async () => {
    const article = await app.inject(
      '/news/politics/velmora-council-agrees-to-publish-every-contract-it-signs',
    );
    const avif = /<source type="image\/avif" srcSet="([^"]+)"/.exec(article.body)?.[1] ?? '';
    expect(avif.split(', ').map((entry) => entry.split(' ')[1])).toEqual([
      '320w',
      '640w',
      '960w',
      '1280w',
    ]);
    const webp = /(\/media\/[a-f0-9]{32}-640\.webp)/.exec(article.body)?.[1] ?? '';
    const first = await app.inject(webp);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/webp');
    expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const { width } = await sharp(first.rawPayload).metadata();
    expect(width).toBe(640);
    const cached = join(join(newsroom.dataDir, 'media'), webp.replace('/media/', ''));
    expect((await stat(cached)).size).toBe(first.rawPayload.length);
    const avifResponse = await app.inject(webp.replace('.webp', '.avif'));
    expect(avifResponse.headers['content-type']).toBe('image/avif');
    // Widths outside the list, and upscales, are not made on request.
    expect((await app.inject(webp.replace('-640.', '-641.'))).statusCode).toBe(404);
    const master = webp.replace('-640.webp', '');
    expect((await app.inject(`${master}-1600.jpg`)).statusCode).toBe(404);
  });

  it('compresses pages for clients that accept it', async () => {
    const response = await app.inject({
      url: SEED_ARTICLE_PATH,
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(response.headers['content-encoding']).toBe('br');
  });

  it('puts the masthead line and legal pages in the footer of every page', async () => {
    const body = (await app.inject(SEED_ARTICLE_PATH)).body;
    expect(body).toContain('<a href="/masthead">Editor in chief — Mira Castell</a>');
    expect(body).toContain('<a href="/masthead">Editor in chief — Kirill Martynov</a>');
    expect(body).toContain('<a href="/terms-of-use">Terms of use</a>');
    expect(body).toContain('<a href="/privacy-policy">Privacy policy</a>');
  });
});

describe('when the database fails', () => {
  it('shows readers an error page that needs no database, and leaks nothing', async () => {
    const broken = await openTestNewsroom();
    const server = await buildServer({
      newsroom: broken,
      assets: await loadAssets(),
      logLevel: 'silent',
    });
    await broken.store.close();
    try {
      const response = await server.inject('/');
      expect(response.statusCode).toBe(500);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('Something went wrong on our side');
      expect(response.body).not.toMatch(/sqlite|kysely|driver|destroyed/i);
    } finally {
      await server.close();
      await broken.dispose().catch(() => undefined);
    }
  });
});
