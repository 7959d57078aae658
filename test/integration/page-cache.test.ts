import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPageCache, PageCache } from '../../src/http/page-cache.js';
import { buildTestServer, type Client, publishThroughApi, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Reader pages come from the page cache; every change purges exactly the
// pages that showed what changed.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let cache: PageCache;
let desk: Client;
let opinions: Client;

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  cache = new PageCache(64 * 1024 * 1024);
  app = await buildTestServer(newsroom, { pageCache: cache });
  desk = await signIn(app, newsroom, 'editor', 'Tomas Reyes');
  opinions = await signIn(app, newsroom, 'editor', 'Lena Ortiz');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

/** A 100-byte page tagged with its own article tag. */
function page(text: string) {
  return {
    status: 200,
    type: 'text/html',
    cacheControl: 'x',
    tags: ['site', `a:${text}`],
    body: Buffer.alloc(100, text),
  };
}

/** A folder of the test's own, removed with the newsroom's data directory. */
function workDir(): string {
  return newsroom.dataDir;
}

async function get(url: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url, headers });
}

describe('the page cache', () => {
  it('brings a republished translation back into the language links of the others', async () => {
    const en = await publishThroughApi(desk, { title: 'The ferry returns', section: 'news/world' });
    const ru = await publishThroughApi(desk, {
      title: 'Паром вернулся',
      section: 'news/world',
      language: 'ru',
    });
    const linked = await desk.send('POST', `/api/articles/${en.id}/translations`, {
      articleId: ru.id,
    });
    expect(linked.statusCode, linked.body).toBe(200);
    const switchOn = async (url: string) =>
      parse((await get(url)).body)
        .querySelector('nav.translations a')
        ?.getAttribute('href') ?? null;
    expect(await switchOn(ru.url)).toBe(en.url);
    const off = await desk.send('POST', `/api/articles/${en.id}/transitions/unpublish`);
    expect(off.statusCode, off.body).toBe(200);
    expect(await switchOn(ru.url)).toBeNull();
    // Kept without the English version, which no longer names the Russian page.
    expect(cache.has(ru.url)).toBe(true);
    const on = await desk.send('POST', `/api/articles/${en.id}/transitions/publish`);
    expect(on.statusCode, on.body).toBe(200);
    expect(await switchOn(ru.url)).toBe(en.url);
  });

  it('purges exactly what an edit touches: the article, its listings and the feeds, not an unrelated article', async () => {
    const a = await publishThroughApi(desk, {
      title: 'Harbour cranes stop',
      section: 'news/world',
      tags: ['Port'],
    });
    const b = await publishThroughApi(opinions, {
      title: 'Why the ferry matters',
      section: 'opinion',
      tags: ['Ferries'],
    });
    const pages = [
      a.url,
      b.url,
      '/news/world',
      '/news',
      '/opinion',
      '/',
      '/en',
      '/en/news/world',
      '/ru',
      '/ru/news/world',
      '/feed.xml',
      '/tags/port',
      '/tags/ferries',
    ];
    for (const url of pages) expect((await get(url)).statusCode, url).toBe(200);
    for (const url of pages) expect(cache.has(url), url).toBe(true);

    const edited = await desk.send('POST', `/api/articles/${a.id}/transitions/update`, {
      version: a.version,
      changes: { title: 'Harbour cranes stop for the night' },
    });
    expect(edited.statusCode, edited.body).toBe(200);

    // Gone: A's page, its section and the one above, home, the feeds, its tag's page,
    // and the English listings it is on.
    for (const url of [
      a.url,
      '/news/world',
      '/news',
      '/',
      '/en',
      '/en/news/world',
      '/feed.xml',
      '/tags/port',
    ]) {
      expect(cache.has(url), url).toBe(false);
    }
    // Kept: the unrelated article, its section and its tag's page; the Russian listings.
    for (const url of [b.url, '/opinion', '/tags/ferries', '/ru', '/ru/news/world'])
      expect(cache.has(url), url).toBe(true);
    expect((await get(a.url)).body).toContain('Harbour cranes stop for the night');
    expect((await get('/')).body).toContain('Harbour cranes stop for the night');
  });

  it('shows a publication on the next request: home and section were purged by it', async () => {
    expect((await get('/')).statusCode).toBe(200);
    expect((await get('/news/world')).statusCode).toBe(200);
    const a = await publishThroughApi(desk, {
      title: 'Night ferry cancelled',
      section: 'news/world',
      tags: [],
    });
    expect((await get('/')).body).toContain('Night ferry cancelled');
    expect((await get('/news/world')).body).toContain('Night ferry cancelled');
    const unpublished = await desk.send('POST', `/api/articles/${a.id}/transitions/unpublish`);
    expect(unpublished.statusCode, unpublished.body).toBe(200);
    expect((await get(a.url)).statusCode).toBe(404);
    expect((await get('/')).body).not.toContain('Night ferry cancelled');
  });

  it('answers If-None-Match with 304, and sends a strong ETag, Surrogate-Key and precompressed bodies', async () => {
    const a = await publishThroughApi(desk, {
      title: 'Harbour cranes stop',
      section: 'news/world',
      tags: ['Port'],
    });
    const first = await get(a.url);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(String(first.headers['cache-control'])).toMatch(
      /max-age=\d+, stale-while-revalidate=\d+/,
    );
    const keys = String(first.headers['surrogate-key']).split(' ');
    expect(keys).toContain(`a:${a.url}`);
    expect(keys).toContain('site');
    // A hit is written straight from the cache: the same bytes and every header of the first answer.
    const hit = await get(a.url);
    expect(hit.body).toBe(first.body);
    for (const name of [
      'content-security-policy',
      'x-content-type-options',
      'referrer-policy',
      'etag',
      'surrogate-key',
      'cache-control',
      'content-type',
    ]) {
      expect(hit.headers[name], name).toBe(first.headers[name]);
    }
    expect(hit.headers['set-cookie']).toBeUndefined();
    const again = await get(a.url, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await get(a.url, { 'if-none-match': '"something-else"' })).statusCode).toBe(200);
    // The same bytes in every encoding, chosen by Accept-Encoding.
    const br = await get(a.url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(first.body);
    const gzip = await get(a.url, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString('utf8')).toBe(first.body);
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    // After an edit the page has a new ETag: the old one no longer gets a 304.
    await desk.send('POST', `/api/articles/${a.id}/transitions/update`, {
      version: a.version,
      changes: { title: 'Cranes idle' },
    });
    expect((await get(a.url, { 'if-none-match': etag })).statusCode).toBe(200);
  });

  it('purges every page on a settings change, and the pages showing a photo when its credit is corrected', async () => {
    for (const url of ['/', '/news', '/masthead']) await get(url);
    const eic = await signIn(app, newsroom, 'editor-in-chief', 'Mira Holt');
    const changed = await eic.send('PUT', '/api/settings/site', {
      tagline: 'Reporting from the islands, still.',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(cache.stats().entries).toBe(0);
    expect((await get('/')).body).toContain('Reporting from the islands, still.');

    const withPhoto = await newsroom.store.db
      .selectFrom('article')
      .innerJoin('section', 'section.id', 'article.section_id')
      .select(['article.slug', 'section.path', 'article.lead_media_id'])
      .where('article.status', '=', 'published')
      .where('article.lead_media_id', 'is not', null)
      .executeTakeFirstOrThrow();
    const url = `/${withPhoto.path}/${withPhoto.slug}`;
    await get(url);
    await get('/opinion');
    const corrected = await desk.send('PATCH', `/api/media/${withPhoto.lead_media_id}`, {
      caption: 'The quay at dawn, before the strike began.',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(cache.has(url)).toBe(false);
    expect((await get(url)).body).toContain('The quay at dawn, before the strike began.');
  });

  it('does not keep a page rendered from data read before a purge', () => {
    const renderedAt = cache.generation;
    cache.purge(['a:1']);
    cache.set('/one', page('1'), renderedAt);
    expect(cache.has('/one')).toBe(false);
    cache.set('/one', page('1'), cache.generation);
    expect(cache.has('/one')).toBe(true);
  });

  it('renders every request when the cache is off (size 0)', async () => {
    const off = new PageCache(0);
    off.set('/x', {
      status: 200,
      type: 'text/html',
      cacheControl: 'x',
      tags: ['site'],
      body: Buffer.from('x'),
    });
    expect(off.has('/x')).toBe(false);
    expect(off.enabled).toBe(false);
  });

  it('keeps to its size, dropping the least recently used pages first', () => {
    const small = new PageCache(250);
    small.set('/one', page('1'));
    small.set('/two', page('2'));
    small.get('/one');
    small.set('/three', page('3'));
    expect([small.has('/one'), small.has('/two'), small.has('/three')]).toEqual([
      true,
      false,
      true,
    ]);
    expect(small.purge(['a:3'])).toBe(1);
    expect(small.stats().bytes).toBe(100);
  });

  it('keeps what memory lets go in its disk tier, serves it from there, and purges it there too', async () => {
    const directory = join(workDir(), 'pages');
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, 'left-from-an-earlier-run.page'), 'stale');
    const a = await publishThroughApi(desk, {
      title: 'Quay lights go dark',
      section: 'news/world',
    });
    const b = await publishThroughApi(desk, { title: 'Tug crews vote', section: 'news/world' });
    await get(a.url);
    const pageSize = cache.stats().bytes;
    // Room in memory for one article page, not two; plenty on disk.
    const tiered = await openPageCache(Math.floor(pageSize * 1.5), {
      directory,
      maxBytes: 10 * 1024 * 1024,
    });
    // What an earlier run left was purged by nobody: it is gone.
    expect(await readdir(directory)).toEqual([]);
    const server = await buildTestServer(newsroom, { pageCache: tiered });
    try {
      const first = await server.inject(a.url);
      await server.inject(b.url);
      await tiered.settled();
      expect(tiered.has(a.url)).toBe(false);
      expect(tiered.stats().disk.entries).toBeGreaterThanOrEqual(1);
      expect((await readdir(directory)).length).toBe(tiered.stats().disk.entries);

      // From disk, byte for byte, with the same validator; back in memory after.
      const again = await server.inject(a.url);
      expect(again.body).toBe(first.body);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(tiered.stats().disk.hits).toBe(1);
      expect(tiered.has(a.url)).toBe(true);
      const notModified = await server.inject({
        url: a.url,
        headers: { 'if-none-match': String(first.headers.etag) },
      });
      expect(notModified.statusCode).toBe(304);

      // Push A out again, then edit it: the purge reaches the disk tier.
      await server.inject(b.url);
      await tiered.settled();
      expect(tiered.has(a.url)).toBe(false);
      const onDiskBefore = tiered.stats().disk.entries;
      const edited = await desk.send('POST', `/api/articles/${a.id}/transitions/update`, {
        version: a.version,
        changes: { title: 'Quay lights go dark for a week' },
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(tiered.stats().disk.entries).toBeLessThan(onDiskBefore);
      await tiered.settled();
      expect((await readdir(directory)).length).toBe(tiered.stats().disk.entries);
      expect((await server.inject(a.url)).body).toContain('Quay lights go dark for a week');
      expect(tiered.stats().disk.hits).toBe(1);

      // A file that went missing costs a render, not an error.
      await server.inject(a.url);
      await server.inject(b.url);
      await tiered.settled();
      expect(tiered.has(a.url)).toBe(false);
      for (const name of await readdir(directory)) await rm(join(directory, name));
      const rendered = await server.inject(a.url);
      expect(rendered.statusCode).toBe(200);
      expect(rendered.body).toContain('Quay lights go dark for a week');
    } finally {
      await server.close();
    }
  });

  it('never keeps a purged page on disk, even one purged while its file was being written', async () => {
    const directory = join(workDir(), 'race');
    const tiered = await openPageCache(150, { directory, maxBytes: 1024 * 1024 });
    tiered.set('/one', page('1'));
    // Memory holds one page: /one goes to disk, its file still being written.
    tiered.set('/two', page('2'));
    expect(tiered.purge(['a:1'])).toBe(1);
    // A newer /one, pushed to disk in its turn.
    tiered.set('/one', page('3'));
    tiered.set('/two', page('2'));
    await tiered.settled();
    expect(await readdir(directory)).toHaveLength(1);
    expect((await tiered.load('/one'))?.body.toString()).toBe('3'.repeat(100));
  });
});
