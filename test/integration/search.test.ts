import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyImportBundle } from '../../src/newsroom/import-items.js';
import { type Newsroom, SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { searchSite } from '../../src/newsroom/search-site.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { openSqliteStore } from '../../src/store/database.js';
import { ensureSearchIndex, reindexArticles } from '../../src/store/search-index.js';
import { buildTestServer, type Client, signIn } from '../admin.js';
import { ON_POSTGRES } from '../databases.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';
import { searchCorpus, TOPICS } from '../search-corpus.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
  editor = await signIn(app, newsroom, 'editor', 'Nadia Okafor');
  await newsroom.store.db
    .insertInto('section')
    .values({ parent_id: null, slug: 'news', path: 'news', name: 'News', position: 0 })
    .execute();
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

type Draft = {
  title: string;
  standfirst?: string;
  text?: string;
  language?: string;
  tags?: string[];
  leadMediaId?: number;
};

async function write(draft: Draft): Promise<{ id: number; url: string }> {
  const created = await editor.send('POST', '/api/articles', {
    title: draft.title,
    standfirst: draft.standfirst ?? '',
    section: 'news',
    language: draft.language ?? 'en',
    body: {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: draft.text ?? 'Text.' }] }],
    },
    tags: draft.tags ?? [],
    ...(draft.leadMediaId ? { leadMediaId: draft.leadMediaId } : {}),
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json();
}

async function publish(draft: Draft, at?: string): Promise<{ id: number; url: string }> {
  if (at) newsroom.now = () => new Date(at);
  const article = await write(draft);
  const published = await editor.send('POST', `/api/articles/${article.id}/transitions/publish`);
  expect(published.statusCode, published.body).toBe(200);
  return article;
}

type Result = { title: string; url: string; snippet: { text: string; isMatch: boolean }[] };
async function search(query: string, page = 1) {
  const response = await app.inject({
    url: '/api/search',
    query: { q: query, page: String(page) },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    total: number;
    notice: string | null;
    page: number;
    pageCount: number;
    results: Result[];
  };
}
const titles = async (query: string) => (await search(query)).results.map((r) => r.title);

describe('search', () => {
  it('reindexes more articles at once than SQLite takes parameters (a large import)', async () => {
    await publish({ title: 'Port workers strike', text: 'The strike began at dawn.' });
    const [first] = await newsroom.store.db.selectFrom('article').select('id').execute();
    // 40 000 ids, one of them real: one statement could bind at most 32 766.
    const ids = [...Array.from({ length: 40_000 }, (_, i) => i + 1_000_000), Number(first?.id)];
    await reindexArticles(newsroom.store.db, ids);
    expect(await titles('strikes')).toEqual(['Port workers strike']);
  });

  it('finds Russian and English words by their stem', async () => {
    await publish({
      title: 'Посольство закрыли на неделю',
      text: 'Сотрудники посольства покинули здание утром.',
      language: 'ru',
    });
    await publish({ title: 'Port workers strike', text: 'The strike began at dawn.' });
    expect(await titles('посольства')).toEqual(['Посольство закрыли на неделю']);
    expect(await titles('посольству')).toEqual(['Посольство закрыли на неделю']);
    expect(await titles('strikes')).toEqual(['Port workers strike']);
    expect(await titles('striking')).toEqual(['Port workers strike']);
    expect(await titles('ferry')).toEqual([]);
    // And the other way round: a document holding only «посольства» is found by «посольство».
    await publish({ title: 'Новости дня', text: 'У посольства собрались люди.', language: 'ru' });
    expect(new Set(await titles('посольство'))).toEqual(
      new Set(['Новости дня', 'Посольство закрыли на неделю']),
    );
  });

  it('searches standfirst, authors, tags, photo captions and credits too', async () => {
    const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      ),
      alt: 'A lighthouse',
      caption: 'The lighthouse keeper at Orsk',
      credit: 'Reuters / Maarit Koski',
    });
    await publish({ title: 'Coastal news', leadMediaId: photo.id });
    await publish({ title: 'Budget night', standfirst: 'Councillors argued until midnight.' });
    await publish({ title: 'Tagged story', tags: ['Fisheries'] });
    expect(await titles('lighthouse keeper')).toEqual(['Coastal news']);
    expect(await titles('Koski')).toEqual(['Coastal news']);
    expect(await titles('councillor')).toEqual(['Budget night']);
    expect(await titles('fisheries')).toEqual(['Tagged story']);
    expect((await titles('Okafor')).length).toBe(3);
  });

  it('matches a quoted phrase only with its words together and in order', async () => {
    await publish({ title: 'One', text: 'The border crossing reopened on Friday.' });
    await publish({ title: 'Two', text: 'Crossing the river, we reached the border.' });
    expect((await titles('"border crossing"')).sort()).toEqual(['One']);
    expect((await titles('border crossing')).sort()).toEqual(['One', 'Two']);
  });

  it('ranks a headline match above a body match, and the newer of two equal matches first', async () => {
    await publish(
      { title: 'Weather report', text: 'Later, the harbour froze.' },
      '2026-02-01T00:00:00Z',
    );
    await publish(
      { title: 'Harbour reopens', text: 'Boats left at noon.' },
      '2026-01-01T00:00:00Z',
    );
    expect(await titles('harbour')).toEqual(['Harbour reopens', 'Weather report']);
    await publish({ title: 'Old ferry timetable', text: 'Ferry.' }, '2025-06-01T00:00:00Z');
    await publish({ title: 'New ferry timetable', text: 'Ferry.' }, '2026-02-20T00:00:00Z');
    newsroom.now = () => new Date('2026-03-01T00:00:00Z');
    expect(await titles('ferry timetable')).toEqual(['New ferry timetable', 'Old ferry timetable']);
  });

  it('marks the matching words in headline and snippet', async () => {
    await publish({
      title: 'Strikes spread',
      text: `${'Background sentence about other things. '.repeat(12)}Dockers joined the strike on Monday.`,
    });
    const [result] = (await search('strike')).results;
    expect(result?.snippet.filter((part) => part.isMatch).map((part) => part.text)).toEqual([
      'strike',
    ]);
    expect(result?.snippet[0]?.text).toBe('… ');
    const page = parse((await app.inject('/search?q=strike')).body);
    expect(page.querySelectorAll('.search-result h2 mark').map((m) => m.text)).toEqual(['Strikes']);
    expect(page.querySelectorAll('.search-snippet mark').map((m) => m.text)).toEqual(['strike']);
  });

  it('pages through results ten at a time', async () => {
    for (let n = 1; n <= 12; n++)
      await publish(
        { title: `Tide table ${n}` },
        `2026-02-${String(n).padStart(2, '0')}T00:00:00Z`,
      );
    const first = await search('tide');
    expect([first.total, first.pageCount, first.results.length]).toEqual([12, 2, 10]);
    const second = await search('tide', 2);
    expect(second.results.map((r) => r.title)).toEqual(['Tide table 2', 'Tide table 1']);
    const html = parse((await app.inject('/search?q=tide&page=2')).body);
    expect(html.querySelector('ol.search-results')?.getAttribute('start')).toBe('11');
    expect(html.querySelector('nav.pagination a[rel=prev]')?.getAttribute('href')).toBe(
      '/search?q=tide',
    );
  });

  it('keeps the index in step with every change: edits, unpublishing, failed writes', async () => {
    const { id } = await publish({ title: 'Mayor resigns', text: 'Nobody expected it.' });
    expect(await titles('mayor')).toEqual(['Mayor resigns']);
    const edit = {
      title: 'Deputy mayor resigns',
      body: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A surprise.' }] }],
      },
    };
    // Saved but held back from readers: not searchable until Update.
    const held = await editor.send('PATCH', `/api/articles/${id}`, { version: 1, ...edit });
    expect(held.statusCode, held.body).toBe(200);
    expect(await titles('deputy')).toEqual([]);
    expect(await titles('mayor')).toEqual(['Mayor resigns']);
    const edited = await editor.send('POST', `/api/articles/${id}/transitions/update`, {
      version: 2,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await titles('deputy')).toEqual(['Deputy mayor resigns']);
    expect(await titles('expected')).toEqual([]);
    // A refused write changes nothing, in the index either.
    const refused = await editor.send('PATCH', `/api/articles/${id}`, {
      version: 1, // read before the edit above
      title: 'Stale write about a tunnel',
    });
    expect(refused.statusCode).toBe(409);
    expect(await titles('tunnel')).toEqual([]);
    await editor.send('POST', `/api/articles/${id}/transitions/unpublish`);
    expect(await titles('deputy')).toEqual([]);
    // Drafts are never found.
    await write({ title: 'Secret draft about the deputy' });
    expect(await titles('deputy')).toEqual([]);
  });

  it('answers any query, however hostile, with results or a notice, never an error', async () => {
    await publish({ title: 'Council budget', text: 'The council met.' });
    // Operators and SQL are only words: each query finds what its words find.
    const found = ['Council budget'];
    const hostile: [string, string[]][] = [
      ['"unbalanced council', []],
      ['council" OR "x', []],
      ['NEAR(council budget, 2)', []],
      ['council*', found],
      ['^council', found],
      ['title:council', []],
      ["'; DROP TABLE article; --", []],
      ['1=1 UNION SELECT * FROM user', []],
      ['x'.repeat(10_000), []],
      ['council '.repeat(20), found],
      ['""', []],
      ['\u0000\u202e', []],
      ['(((', []],
      ['-council budget', found],
      ['AND OR NOT', []],
    ];
    for (const [query, expected] of hostile) {
      const label = query.slice(0, 40);
      expect(await titles(query), label).toEqual(expected);
      // The page always says something: results, a notice, or why nothing was found.
      const page = await app.inject({ url: '/search', query: { q: query } });
      expect(page.statusCode, label).toBe(200);
      const root = parse(page.body);
      const said = [
        ...root.querySelectorAll('.search-result h2').map((h) => h.text),
        root.querySelector('.search-notice')?.text,
        root
          .querySelector('main')
          ?.text.match(/No published article matches|Type a few words/)?.[0],
      ].filter(Boolean);
      expect(said.length, label).toBeGreaterThan(0);
    }
    expect((await search('"unbalanced council')).notice).toBe('unbalanced_quotes');
    expect((await search('x'.repeat(10_000))).notice).toBe('too_long');
    expect((await search('council '.repeat(20))).notice).toBe('too_many_words');
    expect((await search("'; DROP TABLE article; --")).results).toEqual([]);
    expect((await search('council" OR "x')).results.map((r) => r.title)).toEqual([]);
    expect(await titles('council')).toEqual(['Council budget']);
    const page = parse(
      (await app.inject({ url: '/search', query: { q: '"unbalanced council' } })).body,
    );
    expect(page.querySelector('.search-notice')?.text).toBe(
      'A quotation mark had no partner, so it was ignored.',
    );
    expect((await app.inject('/search?q=a&q=b&page=x')).statusCode).toBe(200);
    expect((await app.inject('/search?page=999999999999')).statusCode).toBe(200);
  });

  it('builds the index for articles published before it existed, and repairs a stale one', async () => {
    await publish({ title: 'Archive piece on lighthouses' });
    await newsroom.store.db.deleteFrom('article_search' as never).execute();
    expect(await titles('lighthouse')).toEqual([]);
    await ensureSearchIndex(newsroom.store.db);
    expect(await titles('lighthouse')).toEqual(['Archive piece on lighthouses']);
  });

  it('follows a photo’s corrected caption and a tag’s corrected name into the index', async () => {
    const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      ),
      alt: 'A pier',
      caption: 'The quay at dawn',
      credit: 'Reuters',
    });
    await publish({ title: 'Harbour story', leadMediaId: photo.id, tags: ['Shiping'] });
    const recaptioned = await editor.send('PATCH', `/api/media/${photo.id}`, {
      caption: 'The lighthouse at dawn',
      credit: [{ name: 'AFP', role: 'agency' }],
    });
    expect(recaptioned.statusCode, recaptioned.body).toBe(200);
    expect(await titles('lighthouse')).toEqual(['Harbour story']);
    expect(await titles('AFP')).toEqual(['Harbour story']);
    expect(await titles('quay')).toEqual([]);
    expect((await editor.send('PATCH', '/api/tags/shiping', { name: 'Shipping' })).statusCode).toBe(
      200,
    );
    expect(await titles('shipping')).toEqual(['Harbour story']);
  });
});

describe('search over a generated corpus of 200 articles in English and Russian', () => {
  it('finds every article on a topic by any form of its word, and phrases exactly', async () => {
    const corpus = searchCorpus(200, newsroom.now());
    await applyImportBundle(newsroom, corpus.bundle);
    for (const [language, topics] of Object.entries(TOPICS)) {
      for (const [topic, forms] of Object.entries(topics)) {
        const expected = corpus.topicCounts[language]?.[topic] ?? 0;
        // Every topic is in the corpus, so a form that found nothing would fail here.
        expect(expected, `${language} ${topic}`).toBeGreaterThan(0);
        for (const form of forms) {
          expect((await search(form)).total, `${language} ${form}`).toBe(expected);
        }
      }
    }
    expect(corpus.topicCounts.ru?.посольство).toBeGreaterThan(0);
    expect((await search('"night shift"')).total).toBe(corpus.phraseTogether);
    expect((await search('night shift')).total).toBe(corpus.phraseTogether + corpus.phraseApart);
    expect(corpus.phraseApart).toBeGreaterThan(0);
    // Two topics together: only articles about both.
    const both = await search('посольства порту');
    expect(both.total).toBeGreaterThan(0);
    expect(both.total).toBeLessThan(corpus.topicCounts.ru?.посольство ?? 0);
    for (const result of both.results)
      expect(result.title).toMatch(/посольство.*порт|порт.*посольство/);
  });

  it('answers the hostile queries over the corpus too', async () => {
    await applyImportBundle(newsroom, searchCorpus(200, newsroom.now()).bundle);
    for (const query of [
      '"unbalanced strike',
      'strike" NEAR "port',
      'x'.repeat(10_000),
      "' OR 1=1 --",
      'suд*',
    ]) {
      const response = await app.inject({ url: '/api/search', query: { q: query } });
      expect(response.statusCode, query.slice(0, 30)).toBe(200);
    }
  });
});

describe.skipIf(!ON_POSTGRES)('search on PostgreSQL against SQLite', () => {
  it('finds the same articles for the same queries over the same corpus', async () => {
    const corpus = searchCorpus(200, newsroom.now());
    const onSqlite: Newsroom = {
      ...newsroom,
      store: await openSqliteStore(join(newsroom.dataDir, 'compare.sqlite')),
    };
    try {
      for (const target of [newsroom, onSqlite]) {
        await target.store.db
          .insertInto('section')
          .values({ parent_id: null, slug: 'news', path: 'news', name: 'News', position: 0 })
          .onConflict((conflict) => conflict.doNothing())
          .execute();
        await applyImportBundle(target, corpus.bundle);
      }
      const queries = [
        ...Object.values(TOPICS).flatMap((topics) => Object.values(topics).flat()),
        '"night shift"',
        'night shift',
        'посольства порту',
        '"unbalanced strike',
        "' OR 1=1 --",
      ];
      for (const query of queries) {
        const [postgres, sqlite] = await Promise.all(
          [newsroom, onSqlite].map((target) => everyResult(target, query)),
        );
        expect(postgres, query).toEqual(sqlite);
      }
    } finally {
      await onSqlite.store.close();
    }
  });
});

/** Every result of a query, all pages, as a sorted list of addresses with the total. */
async function everyResult(
  target: Newsroom,
  query: string,
): Promise<{ total: number; urls: string[] }> {
  const first = await searchSite(target, query, 1);
  const urls = first.results.map((result) => result.url);
  for (let page = 2; page <= first.pageCount; page++)
    urls.push(...(await searchSite(target, query, page)).results.map((result) => result.url));
  return { total: first.total, urls: urls.sort() };
}
