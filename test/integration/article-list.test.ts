import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, type Client, signIn, simpleBody } from '../admin.js';
import { FIXED_NOW, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// GET /api/articles pages and sorts in SQL: one page at a time, with the
// count of every match, in an order that never repeats or skips an article.
// Every headline here has "tide" in it, so `q=tide` leaves the sample
// newsroom's own articles out.

type Listed = { id: number; title: string; status: string; section: string; updatedAt: string };
type ListAnswer = { articles: Listed[]; total: number; page: number; pageSize: number };

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

/** Sets the newsroom's clock to `minutes` after the fixed test time. */
function setClock(minutes: number): void {
  const at = new Date(FIXED_NOW.getTime() + minutes * 60_000);
  newsroom.now = () => at;
}

async function write(
  client: Client,
  title: string,
  options: { minute?: number; section?: string } = {},
): Promise<number> {
  if (options.minute !== undefined) setClock(options.minute);
  const response = await client.send('POST', '/api/articles', {
    title,
    section: options.section ?? 'news/politics',
    language: 'en',
    body: simpleBody,
  });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { id: number }).id;
}

async function move(id: number, transition: string, minute: number, body?: object): Promise<void> {
  setClock(minute);
  const response = await editor.send('POST', `/api/articles/${id}/transitions/${transition}`, body);
  expect(response.statusCode, response.body).toBe(200);
}

async function list(query: string, client: Client = editor): Promise<ListAnswer> {
  const response = await client.send('GET', `/api/articles?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as ListAnswer;
}

const titles = (answer: ListAnswer) => answer.articles.map((article) => article.title);

describe('paging the article list', () => {
  it('answers one page at a time with the total, newest change first, and an empty page past the end', async () => {
    for (let n = 1; n <= 7; n++) await write(editor, `Tide report ${n}`, { minute: n });

    const first = await list('q=tide&pageSize=3');
    expect(first).toMatchObject({ total: 7, page: 1, pageSize: 3 });
    expect(titles(first)).toEqual(['Tide report 7', 'Tide report 6', 'Tide report 5']);
    expect(titles(await list('q=tide&pageSize=3&page=2'))).toEqual([
      'Tide report 4',
      'Tide report 3',
      'Tide report 2',
    ]);
    const last = await list('q=tide&pageSize=3&page=3');
    expect(titles(last)).toEqual(['Tide report 1']);
    expect(last.total).toBe(7);

    const beyond = await list('q=tide&pageSize=3&page=4');
    expect(beyond).toEqual({ articles: [], total: 7, page: 4, pageSize: 3 });
  });

  it('shows 50 articles a page unless asked otherwise, and up to 200', async () => {
    for (let n = 1; n <= 52; n++) await write(editor, `Tide table ${n}`);
    const first = await list('q=tide');
    expect(first.pageSize).toBe(50);
    expect(first.articles).toHaveLength(50);
    expect(first.total).toBe(52);
    expect((await list('q=tide&page=2')).articles).toHaveLength(2);
    expect((await list('q=tide&pageSize=200')).articles).toHaveLength(52);
  });

  it('breaks ties on the id, so pages of equal times neither repeat nor skip an article', async () => {
    // The clock stands still: every article has the same change time.
    const ids: number[] = [];
    for (let n = 1; n <= 5; n++) ids.push(await write(editor, `Tide ${n}`, { minute: 0 }));
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      pages.push(...(await list(`q=tide&pageSize=2&page=${page}`)).articles.map((a) => a.id));
    }
    expect(pages).toEqual([...ids].reverse());
    const ascending = [];
    for (let page = 1; page <= 3; page++) {
      ascending.push(
        ...(await list(`q=tide&order=asc&pageSize=2&page=${page}`)).articles.map((a) => a.id),
      );
    }
    expect(ascending).toEqual(ids);
  });

  it('counts only what the filters and the reader’s rights let through', async () => {
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    await write(contributor, 'Tide of letters');
    await write(contributor, 'Tide in the harbour');
    const published = await write(editor, 'Tide tables published');
    await move(published, 'publish', 5);
    await write(editor, 'Tide column', { section: 'opinion' });

    expect((await list('q=tide')).total).toBe(4);
    expect((await list('q=tide', contributor)).total).toBe(2);
    expect((await list('q=tide&status=published')).total).toBe(1);
    expect((await list('q=tide&section=opinion')).total).toBe(1);
    expect((await list('q=tide&section=news')).total).toBe(3);
    expect((await list(`q=tide&author=${contributor.personId}`)).total).toBe(2);
    expect((await list('q=harbour')).total).toBe(1);
    expect(await list('q=tide&section=no-such-section')).toMatchObject({ articles: [], total: 0 });

    // The whole list (the sample newsroom's articles too) is counted, not just one page.
    const all = await list('pageSize=1');
    expect(all.articles).toHaveLength(1);
    expect(all.total).toBeGreaterThan(4);
  });

  it('leaves trashed articles out of the count unless the trash is asked for', async () => {
    const thrown = await write(editor, 'Tide mistake');
    await write(editor, 'Tide kept');
    await move(thrown, 'trash', 3);
    expect(titles(await list('q=tide'))).toEqual(['Tide kept']);
    expect((await list('q=tide')).total).toBe(1);
    expect(await list('q=tide&status=trashed')).toMatchObject({ total: 1 });
  });
});

describe('sorting the article list', () => {
  it('sorts by last change, oldest first when asked', async () => {
    const a = await write(editor, 'Tide A', { minute: 1 });
    await write(editor, 'Tide B', { minute: 2 });
    await write(editor, 'Tide C', { minute: 3 });
    // Editing an article makes it the most recently changed.
    setClock(10);
    const edited = await editor.send('PATCH', `/api/articles/${a}`, {
      version: 1,
      standfirst: 'Now with a standfirst.',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(titles(await list('q=tide'))).toEqual(['Tide A', 'Tide C', 'Tide B']);
    expect(titles(await list('q=tide&sort=updated&order=desc'))).toEqual([
      'Tide A',
      'Tide C',
      'Tide B',
    ]);
    expect(titles(await list('q=tide&sort=updated&order=asc'))).toEqual([
      'Tide B',
      'Tide C',
      'Tide A',
    ]);
  });

  it('sorts by headline without regard to case, A to Z unless asked otherwise', async () => {
    await write(editor, 'banana tide');
    await write(editor, 'Apple tide');
    await write(editor, 'cherry tide');
    await write(editor, 'Banana tide');
    const aToZ = titles(await list('q=tide&sort=title'));
    expect(aToZ).toEqual(['Apple tide', 'banana tide', 'Banana tide', 'cherry tide']);
    expect(titles(await list('q=tide&sort=title&order=desc'))).toEqual([
      'cherry tide',
      'Banana tide',
      'banana tide',
      'Apple tide',
    ]);
  });

  it('sorts by published date, newest first, with the never published last either way', async () => {
    const first = await write(editor, 'Tide published first', { minute: 1 });
    const second = await write(editor, 'Tide published second', { minute: 2 });
    await write(editor, 'Tide never published', { minute: 3 });
    await move(first, 'publish', 10);
    await move(second, 'publish', 20);
    // A correction changes the article later, but not when it was published.
    await move(first, 'correct', 30, { type: 'clarification', text: 'The date was unclear.' });
    expect(titles(await list('q=tide'))[0]).toBe('Tide published first');

    expect(titles(await list('q=tide&sort=published'))).toEqual([
      'Tide published second',
      'Tide published first',
      'Tide never published',
    ]);
    expect(titles(await list('q=tide&sort=published&order=asc'))).toEqual([
      'Tide published first',
      'Tide published second',
      'Tide never published',
    ]);
  });

  it('sorts by status in workflow order, most recently changed first within a status', async () => {
    const published = await write(editor, 'Tide published', { minute: 1 });
    const review = await write(editor, 'Tide in review', { minute: 2 });
    await write(editor, 'Tide draft old', { minute: 3 });
    await write(editor, 'Tide draft new', { minute: 4 });
    await move(published, 'publish', 5);
    await move(review, 'submit', 6);
    expect(titles(await list('q=tide&sort=status'))).toEqual([
      'Tide draft new',
      'Tide draft old',
      'Tide in review',
      'Tide published',
    ]);
    expect(titles(await list('q=tide&sort=status&order=desc'))).toEqual([
      'Tide published',
      'Tide in review',
      'Tide draft new',
      'Tide draft old',
    ]);
  });

  it('sorts by the newsroom’s order of sections, each followed by its subsections', async () => {
    // Added last, so placed last; its address would sort first, and a
    // hyphenated sibling of "news" between "news" and "news/politics".
    for (const section of [
      { name: 'Economy', slug: 'business' },
      { name: 'News in English', slug: 'news-in-english' },
    ]) {
      const created = await editor.send('POST', '/api/sections', section);
      expect(created.statusCode, created.body).toBe(201);
    }
    await write(editor, 'Tide english', { section: 'news-in-english', minute: 1 });
    await write(editor, 'Tide opinion', { section: 'opinion', minute: 2 });
    await write(editor, 'Tide economy', { section: 'business', minute: 3 });
    await write(editor, 'Tide world', { section: 'news/world', minute: 4 });
    await write(editor, 'Tide politics', { section: 'news/politics', minute: 5 });
    const answer = await list('q=tide&sort=section');
    expect(answer.articles.map((article) => article.section)).toEqual([
      'news/politics',
      'news/world',
      'opinion',
      'business',
      'news-in-english',
    ]);
    expect(titles(await list('q=tide&sort=section&order=desc'))).toEqual([
      'Tide english',
      'Tide economy',
      'Tide opinion',
      'Tide world',
      'Tide politics',
    ]);
  });

  it('pages through a sorted list in that order', async () => {
    for (const letter of ['E', 'b', 'D', 'a', 'C']) await write(editor, `${letter} tide`);
    const pages = [];
    for (let page = 1; page <= 3; page++)
      pages.push(...titles(await list(`q=tide&sort=title&pageSize=2&page=${page}`)));
    expect(pages).toEqual(['a tide', 'b tide', 'C tide', 'D tide', 'E tide']);
  });
});

describe('bad list parameters', () => {
  it.each([
    ['sort=popularity', 'sort', 'sort: must be one of updated, published, title, status, section'],
    ['order=up', 'order', 'order: must be asc or desc'],
    ['page=0', 'page', 'page: must be a whole number, 1 or more'],
    ['page=two', 'page', 'page: must be a whole number, 1 or more'],
    ['page=1.5', 'page', 'page: must be a whole number, 1 or more'],
    ['pageSize=201', 'pageSize', 'pageSize: must be a whole number from 1 to 200'],
    ['pageSize=0', 'pageSize', 'pageSize: must be a whole number from 1 to 200'],
  ])('refuses %s with a 400 naming the field', async (query, field, message) => {
    const response = await editor.send('GET', `/api/articles?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'invalid_input', message, field } });
  });
});
