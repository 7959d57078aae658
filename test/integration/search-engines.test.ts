import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SitemapSources } from '../../src/core/views.js';
import { sitemapFiles } from '../../src/site/sitemaps.js';
import { buildTestServer, type Client, signIn } from '../admin.js';
import { FIXED_NOW, openTestNewsroom, type TestNewsroom } from '../newsroom.js';
import { validateWithSchema } from '../xml.js';

// Sitemaps are checked with libxml2 (test/xml.ts) against schemas written
// from the sitemaps.org and Google News specifications, kept in
// test/fixtures/schemas.

const SCHEMAS = new URL('../fixtures/schemas/', import.meta.url).pathname;
const EN = '/news/politics/velmora-council-agrees-to-publish-every-contract-it-signs';
const RU = '/news/politics/velmora-budet-publikovat-vse-munitsipalnye-kontrakty';

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

/** Validates `xml` against `schema`; resolves to "validates", or rejects with its errors. */
async function validate(xml: string, schema: string): Promise<string> {
  return await validateWithSchema(xml, join(SCHEMAS, schema));
}

async function get(url: string) {
  const response = await app.inject(url);
  expect(response.statusCode, url).toBe(200);
  return response;
}

function head(html: string) {
  const root = parse(html);
  const meta = (key: string) =>
    root
      .querySelectorAll(`meta[property="${key}"], meta[name="${key}"]`)
      .map((m) => m.getAttribute('content'));
  return { root, meta };
}

describe('sitemaps', () => {
  it('serves a valid sitemap index over valid per-kind sitemaps, each with lastmod', async () => {
    const index = (await get('/sitemap.xml')).body;
    expect(await validate(index, 'siteindex.xsd')).toBe('validates');
    const locations = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locations).toEqual([
      'https://news.example/sitemaps/articles-1.xml',
      'https://news.example/sitemaps/sections.xml',
      'https://news.example/sitemaps/authors.xml',
      'https://news.example/sitemaps/tags.xml',
      'https://news.example/sitemaps/pages.xml',
    ]);
    for (const location of locations) {
      const xml = (await get(String(location).replace('https://news.example', ''))).body;
      expect(await validate(xml, 'sitemap.xsd'), location).toBe('validates');
      // The schema leaves lastmod optional; every address here has one.
      const urls = xml.match(/<url>/g)?.length ?? 0;
      expect(urls, location).toBeGreaterThan(0);
      expect(xml.match(/<lastmod>/g)?.length, location).toBe(urls);
    }
    expect(index.match(/<lastmod>/g)?.length).toBe(locations.length);
    const articles = (await get('/sitemaps/articles-1.xml')).body;
    expect(articles).toContain(`<loc>https://news.example${EN}</loc>`);
    expect((await get('/sitemaps/pages.xml')).body).toContain(
      '<loc>https://news.example/masthead</loc>',
    );
    expect((await app.inject('/sitemaps/nothing.xml')).statusCode).toBe(404);
  });

  it('would fail the schema check on a broken sitemap (the check can fail)', async () => {
    const broken = (await get('/sitemaps/pages.xml')).body.replace(
      /<lastmod>[^<]+/,
      '<lastmod>yesterday',
    );
    await expect(validate(broken, 'sitemap.xsd')).rejects.toThrow(/lastmod/);
  });

  it('splits articles into files of at most 50 000 addresses', () => {
    const entry = (n: number) => ({ url: `/news/a-${n}`, lastmod: '2026-01-01T00:00:00.000Z' });
    const sources: SitemapSources = {
      publicationName: 'X',
      articles: Array.from({ length: 120_001 }, (_, n) => entry(n)),
      sections: [entry(0)],
      authors: [],
      tags: [],
      pages: [entry(1)],
      news: [],
    };
    const files = sitemapFiles(sources);
    expect(files.map((file) => [file.path, file.entries.length])).toEqual([
      ['/sitemaps/articles-1.xml', 50_000],
      ['/sitemaps/articles-2.xml', 50_000],
      ['/sitemaps/articles-3.xml', 20_001],
      ['/sitemaps/sections.xml', 1],
      ['/sitemaps/pages.xml', 1],
    ]);
  });

  it('lists in the Google News sitemap only the last 48 hours, with name, language, date and title', async () => {
    const xml = (await get('/news-sitemap.xml')).body;
    expect(await validate(xml, 'news-urlset.xsd')).toBe('validates');
    expect(xml).toContain(
      '<news:publication><news:name>The Lantern</news:name><news:language>ru</news:language></news:publication>',
    );
    expect(xml).toContain(
      '<news:title>Вельмора будет публиковать все муниципальные контракты</news:title>',
    );
    const dates = [...xml.matchAll(/<news:publication_date>([^<]+)</g)].map((m) => String(m[1]));
    expect(dates.length).toBe(5);
    for (const date of dates)
      expect(FIXED_NOW.getTime() - new Date(date).getTime()).toBeLessThanOrEqual(48 * 3600_000);
    // An hour later, the article published 48 hours ago has left it.
    newsroom.now = () => new Date(FIXED_NOW.getTime() + 3600_000);
    const later = (await get('/news-sitemap.xml')).body;
    expect(later.match(/<url>/g)).toHaveLength(4);
    expect(later).not.toContain('corrections-at-the-top');
    // After a quiet week the list is empty, and still a sitemap.
    newsroom.now = () => new Date(FIXED_NOW.getTime() + 7 * 24 * 3600_000);
    const quiet = await get('/news-sitemap.xml');
    expect(quiet.statusCode).toBe(200);
    expect(quiet.headers['content-type']).toMatch(/^application\/xml/);
    expect(quiet.body).toMatch(/<urlset [^>]*><\/urlset>$/);
  });

  it('names both sitemaps in robots.txt', async () => {
    const robots = (await get('/robots.txt')).body;
    expect(robots).toContain('Sitemap: https://news.example/sitemap.xml\n');
    expect(robots).toContain('Sitemap: https://news.example/news-sitemap.xml\n');
    expect(robots).toContain('Disallow: /api/\n');
  });
});

describe('link previews and structured data', () => {
  it('gives an article its canonical URL, hreflang, Open Graph, Twitter card and robots tags', async () => {
    const { root, meta } = head((await get(EN)).body);
    expect(root.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe(
      `https://news.example${EN}`,
    );
    expect(
      root
        .querySelectorAll('link[rel=alternate][hreflang]')
        .map((l) => `${l.getAttribute('hreflang')} ${l.getAttribute('href')}`),
    ).toEqual([`en https://news.example${EN}`, `ru https://news.example${RU}`]);
    expect(meta('robots')).toEqual(['index, follow, max-image-preview:large']);
    expect(meta('og:type')).toEqual(['article']);
    expect(meta('og:title')).toEqual(['Velmora council agrees to publish every contract it signs']);
    expect(meta('og:url')).toEqual([`https://news.example${EN}`]);
    expect(meta('og:image')[0]).toMatch(
      /^https:\/\/news\.example\/media\/[a-f0-9]{32}(-\d+)?\.jpg$/,
    );
    expect(meta('og:image:alt')[0]).toBeTruthy();
    expect(meta('twitter:card')).toEqual(['summary_large_image']);
    expect(meta('twitter:image:alt')).toEqual(meta('og:image:alt'));
    expect(meta('article:published_time')[0]).toMatch(/^2026-/);
  });

  it('ties translations together with reciprocal hreflang links', async () => {
    const hreflang = async (url: string) =>
      parse((await get(url)).body)
        .querySelectorAll('link[rel=alternate][hreflang]')
        .map((l) => [l.getAttribute('hreflang'), l.getAttribute('href')]);
    const fromEn = await hreflang(EN);
    const fromRu = await hreflang(RU);
    // Each names itself and the other, with the same pairs from both sides.
    expect(fromEn).toEqual(fromRu.slice().sort());
    expect(new Map(fromRu as [string, string][]).get('en')).toBe(`https://news.example${EN}`);
    expect(new Map(fromEn as [string, string][]).get('ru')).toBe(`https://news.example${RU}`);
  });

  it('describes an article as a NewsArticle with a credited ImageObject, publisher and breadcrumbs', async () => {
    // Corrected a day later, by the desk.
    const desk = await signIn(app, newsroom, 'editor', 'Desk Editor');
    const id = Number(
      (await desk.send('GET', '/api/articles?language=en'))
        .json()
        .articles.find((a: { url: string }) => a.url === EN).id,
    );
    newsroom.now = () => new Date(FIXED_NOW.getTime() + 86_400_000);
    const corrected = await desk.send('POST', `/api/articles/${id}/transitions/correct`, {
      type: 'correction',
      text: 'The vote was 23 to 4, not 24 to 3.',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const { root } = head((await get(EN)).body);
    const data = JSON.parse(
      root.querySelector('script[type="application/ld+json"]')?.textContent ?? '{}',
    );
    const [article, breadcrumbs] = data['@graph'];
    expect(article['@type']).toBe('NewsArticle');
    expect(article.author[0]).toMatchObject({
      '@type': 'Person',
      url: expect.stringMatching(/^https:\/\/news\.example\/authors\//),
    });
    expect(article.image[0]).toMatchObject({
      '@type': 'ImageObject',
      creditText: expect.stringContaining(' / '),
      creator: { '@type': 'Person' },
    });
    expect(article.publisher).toMatchObject({
      '@type': 'NewsMediaOrganization',
      masthead: 'https://news.example/masthead',
      correctionsPolicy: 'https://news.example/corrections',
    });
    expect(article).toMatchObject({
      headline: 'Velmora council agrees to publish every contract it signs',
      articleSection: 'Politics',
      inLanguage: 'en',
      datePublished: expect.stringMatching(/^2026-/),
      dateModified: new Date(FIXED_NOW.getTime() + 86_400_000).toISOString(),
      publisher: { logo: { '@type': 'ImageObject', url: expect.stringMatching(/^https:\/\//) } },
      correction: [
        {
          '@type': 'CorrectionComment',
          text: 'The vote was 23 to 4, not 24 to 3.',
          datePublished: new Date(FIXED_NOW.getTime() + 86_400_000).toISOString(),
        },
      ],
    });
    expect(breadcrumbs['@type']).toBe('BreadcrumbList');
  });

  it('uses page types, not NewsArticle, for the masthead, other pages and listings', async () => {
    const typeOf = async (url: string) =>
      JSON.parse(
        parse((await get(url)).body).querySelector('script[type="application/ld+json"]')
          ?.textContent ?? '{}',
      )['@type'];
    expect(await typeOf('/masthead')).toBe('AboutPage');
    expect(await typeOf('/privacy-policy')).toBe('WebPage');
    expect(await typeOf('/')).toBe('WebSite');
    expect(await typeOf('/news')).toBe('CollectionPage');
  });
});

describe('translations', () => {
  let editor: Client;
  beforeEach(async () => {
    editor = await signIn(app, newsroom, 'editor', 'Jonas Desk');
  });

  it('shows each translation a switch to the other, in its own language', async () => {
    const en = parse((await get(EN)).body);
    const link = en.querySelector('nav.translations a');
    expect(link?.getAttribute('href')).toBe(RU);
    expect(link?.getAttribute('hreflang')).toBe('ru');
    expect(link?.text).toBe('Русский');
    const ru = parse((await get(RU)).body);
    expect(ru.querySelector('nav.translations')?.getAttribute('aria-label')).toBe(
      'Эта статья на других языках',
    );
    expect(ru.querySelector('nav.translations a')?.getAttribute('href')).toBe(EN);
    expect(ru.querySelector('html')?.getAttribute('lang')).toBe('ru');
  });

  it('lets editors link and unlink translations, one article per language', async () => {
    const create = async (title: string, language: string) =>
      (
        await editor.send('POST', '/api/articles', {
          title,
          section: 'news',
          language,
          body: { type: 'doc', content: [{ type: 'paragraph' }] },
        })
      ).json().id as number;
    const english = await create('Fishing quotas cut', 'en');
    const russian = await create('Квоты на вылов сокращены', 'ru');
    const another = await create('Quotas: what changes', 'en');
    const linked = await editor.send('POST', `/api/articles/${english}/translations`, {
      articleId: russian,
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().translations).toEqual([
      { id: russian, title: 'Квоты на вылов сокращены', language: 'ru', status: 'draft' },
    ]);
    const refused = await editor.send('POST', `/api/articles/${another}/translations`, {
      articleId: russian,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('translation_language_taken');
    const author = await signIn(app, newsroom, 'author', 'Ann Author');
    expect(
      (await author.send('POST', `/api/articles/${another}/translations`, { articleId: english }))
        .statusCode,
    ).toBe(403);
    const unlinked = await editor.send('DELETE', `/api/articles/${russian}/translations`);
    expect(unlinked.json().translations).toEqual([]);
    expect((await editor.send('GET', `/api/articles/${english}`)).json().translations).toEqual([]);
  });

  it('filters the home page and sections by language under /ru and /en', async () => {
    const titlesOf = async (url: string) =>
      parse((await get(url)).body)
        .querySelectorAll('.teaser-title a')
        .map((a) => a.text);
    expect(await titlesOf('/ru')).toEqual([
      'Вельмора будет публиковать все муниципальные контракты',
    ]);
    expect(await titlesOf('/ru/news/politics')).toEqual([
      'Вельмора будет публиковать все муниципальные контракты',
    ]);
    expect(await titlesOf('/en/news/politics')).toEqual([
      'Velmora council agrees to publish every contract it signs',
    ]);
    expect((await titlesOf('/')).length).toBeGreaterThan((await titlesOf('/en')).length);
    const ru = parse((await get('/ru')).body);
    expect(ru.querySelector('html')?.getAttribute('lang')).toBe('ru');
    expect(ru.querySelector('nav.language-filter a[aria-current=page]')?.text).toBe('Русский');
    // Russian furniture: the sections in Russian, leading to their Russian articles.
    const nav = ru.querySelector('nav.site-nav a');
    expect(nav?.getAttribute('href')).toBe('/ru/news');
    expect(nav?.text).toBe('Новости');
    expect(ru.querySelector('.site-name')?.text).toBe('Фонарь');
    expect(ru.querySelector('.site-name')?.getAttribute('href')).toBe('/ru');
    expect((await app.inject('/ru/corrections')).statusCode).toBe(404);
  });
});
