import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/http/assets.js';
import { PageCache } from '../../src/http/page-cache.js';
import { buildServer } from '../../src/http/server.js';
import { type AudienceCounter, startAudience } from '../../src/newsroom/audience.js';
import type { Newsroom } from '../../src/newsroom/newsroom.js';
import { installSampleContent } from '../../src/newsroom/sample-content.js';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/database.js';
import { type Client, signIn } from '../admin.js';
import { FIXED_NOW, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Audience numbers counted where pages are answered: through a real server
// on a socket, so cached answers take the fast path before Fastify as they
// do for readers. Known addresses, browsers and referrers go in; afterwards
// every table of the database is searched for them.

const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const READER_A = '203.0.113.41';
const READER_B = '2001:db8::7';
const SEARCH_WORDS = 'whistleblower+contracts+velmora';
const TELEGRAM_POST = 'https://t.me/private_reading_group/42';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let cache: PageCache;
let counter: AudienceCounter;
let base: string;
let article: { id: number; path: string };

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  await installSampleContent(newsroom);
  cache = new PageCache(16 * 1024 * 1024);
  newsroom.changed = (change) => cache.purge(change);
  // Behind a proxy that says whom it forwards for: the reader addresses below.
  app = await buildServer({
    newsroom,
    assets: await loadAssets(),
    logLevel: 'silent',
    pageCache: cache,
    trustProxy: true,
  });
  // Written when the test says (flush), not on a timer.
  counter = startAudience(
    newsroom,
    (error) => {
      throw error;
    },
    3_600_000,
  );
  cache.onView = counter.count;
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const row = await newsroom.store.db
    .selectFrom('article')
    .innerJoin('section', 'section.id', 'article.section_id')
    .select(['article.id', 'article.slug', 'section.path'])
    .where('article.status', '=', 'published')
    .orderBy('article.id')
    .executeTakeFirstOrThrow();
  article = { id: row.id, path: `/${row.path}/${row.slug}` };
});

afterEach(async () => {
  await counter.stop();
  await app.close();
  await newsroom.dispose();
});

type Visit = {
  path: string;
  agent?: string;
  address?: string;
  referer?: string;
  language?: string;
  method?: string;
  headers?: Record<string, string>;
};

async function visit(one: Visit): Promise<number> {
  const response = await fetch(`${base}${one.path}`, {
    method: one.method ?? 'GET',
    headers: {
      ...(one.agent ? { 'user-agent': one.agent } : {}),
      ...(one.address ? { 'x-forwarded-for': one.address } : {}),
      ...(one.referer ? { referer: one.referer } : {}),
      ...(one.language ? { 'accept-language': one.language } : {}),
      ...one.headers,
    },
  });
  await response.arrayBuffer();
  return response.status;
}

/** Two readers' visits, and requests that are not readers' views. */
async function readAndCrawl(): Promise<void> {
  // Reader A, on a desktop in Russian: from a search, again (cached), from Telegram's link.
  const a = { agent: DESKTOP, address: READER_A, language: 'ru-RU,ru;q=0.9' };
  expect(
    await visit({
      ...a,
      path: article.path,
      referer: `https://www.google.com/search?q=${SEARCH_WORDS}`,
    }),
  ).toBe(200);
  await visit({ ...a, path: article.path });
  await visit({ ...a, path: `${article.path}?ref=telegram` });
  // Reader B, on a phone: from a Telegram post, then the home page twice.
  const b = { agent: PHONE, address: READER_B };
  await visit({ ...b, path: article.path, referer: TELEGRAM_POST });
  await visit({ ...b, path: '/' });
  await visit({ ...b, path: '/' });
  // Not views: crawlers, tools, no user agent, prefetches, HEAD, print, feeds, a missing page.
  const crawler = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
  await visit({ path: article.path, agent: crawler, address: READER_A });
  await visit({ path: '/', agent: crawler });
  await visit({ path: article.path, agent: 'curl/8.5.0' });
  await visit({ path: article.path });
  await visit({ ...a, path: article.path, headers: { 'sec-purpose': 'prefetch' } });
  await visit({ ...a, path: article.path, method: 'HEAD' });
  await visit({ ...a, path: `${article.path}?print` });
  await visit({ ...a, path: '/feed.xml' });
  expect(await visit({ ...a, path: '/no-such-page' })).toBe(404);
}

async function views(where: { path?: string; channel?: string; device?: string }) {
  let query = newsroom.store.db
    .selectFrom('audience_view')
    .select((eb) => eb.fn.sum<number | string>('views').as('views'));
  if (where.path) query = query.where('path', '=', where.path);
  if (where.channel) query = query.where('channel', '=', where.channel);
  if (where.device) query = query.where('device', '=', where.device);
  return Number((await query.executeTakeFirst())?.views ?? 0);
}

/** Every table of the database, as text: what a seized server would give away. */
async function everyTableAsText(store: Store): Promise<Map<string, string>> {
  const names =
    store.dialect === 'postgres'
      ? (
          await sql<{ name: string }>`
            select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(store.db)
        ).rows
      : (
          await sql<{ name: string }>`
            select name from sqlite_master where type = 'table'`.execute(store.db)
        ).rows;
  const tables = new Map<string, string>();
  for (const { name } of names) {
    const rows = await sql`select * from ${sql.table(name)}`.execute(store.db);
    tables.set(name, JSON.stringify(rows.rows));
  }
  return tables;
}

describe('counting readers without watching them', () => {
  it('counts views answered from the cache and rendered, not crawlers, and keeps nothing that identifies a reader', async () => {
    await readAndCrawl();
    // The repeated pages were answered from the cache.
    expect(cache.stats().hits).toBeGreaterThanOrEqual(2);
    // An hour long past the retention: gone at the next write.
    await newsroom.store.db
      .insertInto('audience_view')
      .values({
        hour: '2020-01-01T00',
        path: '/old',
        article_id: null,
        channel: 'direct',
        referrer: '',
        language: '',
        device: 'desktop',
        views: 9,
      })
      .execute();
    await counter.flush();

    expect(await views({ path: article.path })).toBe(4);
    expect(await views({ path: '/' })).toBe(2);
    expect(await views({})).toBe(6);
    expect(await views({ path: '/old' })).toBe(0);
    expect(await views({ path: article.path, channel: 'search' })).toBe(1);
    expect(await views({ path: article.path, channel: 'telegram' })).toBe(2);
    expect(await views({ path: article.path, channel: 'direct' })).toBe(1);
    expect(await views({ device: 'phone' })).toBe(3);
    expect(await views({ device: 'desktop' })).toBe(3);
    const rows = await newsroom.store.db
      .selectFrom('audience_view')
      .select(['hour', 'article_id', 'referrer', 'language'])
      .where('path', '=', article.path)
      .execute();
    expect(new Set(rows.map((row) => row.hour))).toEqual(new Set(['2026-03-01T09']));
    expect(new Set(rows.map((row) => row.article_id))).toEqual(new Set([article.id]));
    expect(new Set(rows.map((row) => row.referrer))).toEqual(new Set(['', 'google.com', 't.me']));
    expect(new Set(rows.map((row) => row.language))).toEqual(new Set(['ru', '']));
    // Two readers (a salted hash each, for today only).
    const readers = await newsroom.store.db.selectFrom('audience_reader').selectAll().execute();
    expect(readers).toEqual([{ day: '2026-03-01', readers: 2 }]);

    // The search page is a page: counted, what was searched for never kept.
    await visit({
      path: `/search?q=${SEARCH_WORDS}`,
      agent: DESKTOP,
      address: READER_A,
      referer: `${base}/`,
    });
    await counter.flush();
    expect(await views({ path: '/search', channel: 'internal' })).toBe(1);

    const tables = await everyTableAsText(newsroom.store);
    expect(tables.has('audience_view')).toBe(true);
    const secrets = [
      READER_A,
      READER_B,
      '2001:db8',
      DESKTOP,
      PHONE,
      'Firefox/133.0',
      'iPhone OS 17_4',
      'whistleblower',
      'private_reading_group',
      'Googlebot',
    ];
    for (const [table, text] of tables) {
      for (const secret of secrets) expect(text, `${table} holds ${secret}`).not.toContain(secret);
    }
  });

  it('shows editors the numbers of a period, an article’s numbers to its writers, and CSV', async () => {
    await readAndCrawl();
    await counter.flush();
    const editor = await signIn(app, newsroom, 'editor', 'Eda Editor');
    const today = (await editor.send('GET', '/api/audience?period=today')).json();
    expect(today).toMatchObject({
      period: 'today',
      step: 'hour',
      views: 6,
      readers: 2,
      pages: [{ path: '/', views: 2 }],
      articles: [{ articleId: article.id, path: article.path, views: 4 }],
      referrers: [
        { key: 'google.com', views: 1 },
        { key: 't.me', views: 1 },
      ],
      devices: expect.arrayContaining([
        { key: 'desktop', label: 'desktop', views: 3 },
        { key: 'phone', label: 'phone', views: 3 },
      ]),
      languages: expect.arrayContaining([{ key: 'ru', label: 'ru', views: 3 }]),
    });
    expect(today.channels).toEqual([
      { key: 'direct', label: 'direct', views: 3 },
      { key: 'telegram', label: 'telegram', views: 2 },
      { key: 'search', label: 'search', views: 1 },
    ]);
    expect(today.series).toHaveLength(24);
    // Hours of the newsroom's day (the sample newsroom's zone is not UTC), all there.
    expect(today.series.filter((point: { views: number }) => point.views > 0)).toEqual([
      { at: '2026-03-01T09:00:00.000Z', views: 6 },
    ]);
    expect(today.sections.reduce((sum: number, row: { views: number }) => sum + row.views, 0)).toBe(
      4,
    );
    // Each author of the article counts its views (an article by two counts for both).
    expect(
      today.authors.reduce((sum: number, row: { views: number }) => sum + row.views, 0),
    ).toBeGreaterThanOrEqual(4);

    const recent = (await editor.send('GET', '/api/audience?period=realtime')).json();
    expect(recent).toMatchObject({ step: 'minute', views: 6, readers: null });
    expect(recent.series).toHaveLength(30);
    expect(recent.articles).toEqual([expect.objectContaining({ articleId: article.id, views: 4 })]);

    const month = (await editor.send('GET', '/api/audience?period=30d')).json();
    expect(month.series).toHaveLength(30);
    expect(month.series.at(-1)).toEqual({ at: '2026-03-01', views: 6 });

    const csv = await editor.send('GET', '/api/audience.csv?period=7d');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('audience-2026-02-23-to-2026-03-01.csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe(
      'hour_utc,path,article_id,headline,channel,referrer,language,device,views',
    );
    expect(lines.slice(1).some((line) => line.includes(`${article.path},${article.id},`))).toBe(
      true,
    );
    expect(lines.slice(1).reduce((sum, line) => sum + Number(line.split(',').at(-1)), 0)).toBe(6);

    // Views two months ago count in all, not in the last 30 days.
    await newsroom.store.db
      .insertInto('audience_view')
      .values({
        hour: '2026-01-01T12',
        path: article.path,
        article_id: article.id,
        channel: 'direct',
        referrer: '',
        language: '',
        device: 'desktop',
        views: 7,
      })
      .execute();
    const own = (await editor.send('GET', `/api/articles/${article.id}/audience`)).json();
    expect(own).toMatchObject({ today: 4, last7Days: 4, last30Days: 4, total: 11 });
    expect(own.channels).toContainEqual({ key: 'telegram', label: 'telegram', views: 2 });

    // Writers see their own articles' numbers, not the site's nor others'.
    const author = await signIn(app, newsroom, 'author', 'Ann Author');
    expect((await author.send('GET', '/api/audience?period=today')).statusCode).toBe(403);
    expect((await author.send('GET', '/api/audience.csv')).statusCode).toBe(403);
    expect((await author.send('GET', `/api/articles/${article.id}/audience`)).statusCode).toBe(403);
    const bad = await editor.send('GET', '/api/audience?period=forever');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('period');
  });

  it('lets the editor-in-chief stop counting distinct readers, which forgets the day’s hashes', async () => {
    await readAndCrawl();
    await counter.flush();
    expect(
      await newsroom.store.db.selectFrom('audience_seen').select('hash').execute(),
    ).toHaveLength(2);
    const editor = await signIn(app, newsroom, 'editor', 'Eda Editor');
    expect(
      (await editor.send('PUT', '/api/audience/settings', { countReaders: false })).statusCode,
    ).toBe(403);
    const chief: Client = await signIn(app, newsroom, 'editor-in-chief', 'Cleo Chief');
    const noCsrf = await chief.send(
      'PUT',
      '/api/audience/settings',
      { countReaders: false },
      { csrf: null },
    );
    expect(noCsrf.statusCode).toBe(403);
    const tooShort = await chief.send('PUT', '/api/audience/settings', { retentionDays: 5 });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().error.field).toBe('retentionDays');
    const off = await chief.send('PUT', '/api/audience/settings', {
      countReaders: false,
      retentionDays: 400,
    });
    expect(off.json()).toEqual({ countReaders: false, retentionDays: 400 });
    expect(await newsroom.store.db.selectFrom('audience_seen').selectAll().execute()).toEqual([]);
    expect(await newsroom.store.db.selectFrom('audience_salt').selectAll().execute()).toEqual([]);
    // Views still count; readers no longer.
    await visit({ path: '/', agent: DESKTOP, address: '192.0.2.99' });
    await counter.flush();
    await visit({ path: '/', agent: DESKTOP, address: '192.0.2.98' });
    await counter.flush();
    expect(await views({ path: '/' })).toBe(4);
    expect(await newsroom.store.db.selectFrom('audience_salt').selectAll().execute()).toEqual([]);
    expect(await newsroom.store.db.selectFrom('audience_seen').selectAll().execute()).toEqual([]);
    // The day's count made before stays; the two new visitors added nothing to it.
    expect(await newsroom.store.db.selectFrom('audience_reader').selectAll().execute()).toEqual([
      { day: '2026-03-01', readers: 2 },
    ]);
    const today = (await editor.send('GET', '/api/audience?period=today')).json();
    expect(today.readers).toBeNull();
    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'settings.audience')
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe('a flood of made-up referrers', () => {
  it('still counts every view, but keeps no more than a few thousand kinds of view an hour', async () => {
    for (let view = 0; view < 6000; view++) {
      counter.count({
        path: article.path,
        articleId: article.id,
        request: {
          userAgent: DESKTOP,
          referer: `https://spam-${view}.example/`,
          acceptLanguage: 'en',
          query: '',
        },
        address: undefined,
      });
    }
    await counter.flush();
    expect(await views({ path: article.path })).toBe(6000);
    const rows = await newsroom.store.db
      .selectFrom('audience_view')
      .select((eb) => eb.fn.countAll<number | string>().as('rows'))
      .executeTakeFirstOrThrow();
    expect(Number(rows.rows)).toBe(5001);
  });
});

describe('several processes counting at once', () => {
  let second: Store;
  afterEach(async () => {
    await second.close();
  });

  it('adds their views up, tells one reader seen by both apart once, and forgets a day’s salt with it', async () => {
    second = newsroom.databaseUrl
      ? await openPostgresStore(newsroom.databaseUrl)
      : await openSqliteStore(join(newsroom.dataDir, 'masthead.sqlite'));
    let now = FIXED_NOW;
    const clocked = (store: Store): Newsroom => ({ ...newsroom, store, now: () => now });
    const fail = (error: unknown) => {
      throw error;
    };
    const one = startAudience(clocked(newsroom.store), fail, 3_600_000);
    const two = startAudience(clocked(second), fail, 3_600_000);
    const reader = {
      path: article.path,
      articleId: article.id,
      request: { userAgent: PHONE, referer: undefined, acceptLanguage: 'en', query: '' },
    };
    for (let view = 0; view < 50; view++) {
      one.count({ ...reader, address: READER_A });
      two.count({ ...reader, address: view % 2 === 0 ? READER_A : READER_B });
    }
    await Promise.all([one.flush(), two.flush()]);
    await Promise.all([one.flush(), two.flush()]);
    expect(await views({ path: article.path })).toBe(100);
    expect(await newsroom.store.db.selectFrom('audience_reader').selectAll().execute()).toEqual([
      { day: '2026-03-01', readers: 2 },
    ]);
    const salts = await newsroom.store.db.selectFrom('audience_salt').select('day').execute();
    expect(salts).toEqual([{ day: '2026-03-01' }]);

    // The next day: yesterday's salt and hashes go; its count stays.
    now = new Date(FIXED_NOW.getTime() + 86_400_000);
    one.count({ ...reader, address: READER_A });
    await one.flush();
    expect(await newsroom.store.db.selectFrom('audience_salt').select('day').execute()).toEqual([
      { day: '2026-03-02' },
    ]);
    const seen = await newsroom.store.db.selectFrom('audience_seen').select('day').execute();
    expect(seen).toEqual([{ day: '2026-03-02' }]);
    expect(
      await newsroom.store.db.selectFrom('audience_reader').selectAll().orderBy('day').execute(),
    ).toEqual([
      { day: '2026-03-01', readers: 2 },
      { day: '2026-03-02', readers: 1 },
    ]);
    await Promise.all([one.stop(), two.stop()]);
  });
});
