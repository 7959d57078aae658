import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PageCache } from '../../src/http/page-cache.js';
import { startAudience } from '../../src/newsroom/audience.js';
import { mirrorChangesSince } from '../../src/newsroom/mirrors.js';
import { buildTestServer, type Client, publishThroughApi, signIn, simpleBody } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';
import { BROWSER_AGENT } from '../site-fixtures.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let cache: PageCache;
let editor: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  cache = new PageCache(16 * 1024 * 1024);
  app = await buildTestServer(newsroom, { pageCache: cache });
  editor = await signIn(app, newsroom, 'editor', 'Front Editor');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

async function page(path: string) {
  const response = await app.inject({ url: path, headers: { 'user-agent': BROWSER_AGENT } });
  expect(response.statusCode, path).toBe(200);
  return parse(response.body);
}

const leadHref = async (path: string) =>
  (await page(path)).querySelector('.front-lead .teaser-title a')?.getAttribute('href');

describe('fronts', () => {
  it('puts the story an editor pins in the lead, live at once, on its language only', async () => {
    const older = await publishThroughApi(editor, { title: 'The older story', section: 'news' });
    const newer = await publishThroughApi(editor, { title: 'The newest story', section: 'news' });
    // Nothing arranged: the newest leads, and the page is now cached.
    expect(await leadHref('/')).toBe(newer.url);
    const state = await editor.send('GET', '/api/fronts/en');
    expect(state.statusCode).toBe(200);
    const front = state.json();
    expect(front).toMatchObject({ language: 'en', path: '', version: 0, isArranged: false });
    expect(front.filled[0].slots[0].articleId).toBe(newer.id);

    const layout = {
      blocks: [
        { kind: 'banner', tone: 'breaking', text: 'The bridge is closed', url: older.url },
        { kind: 'lead', slots: [older.id] },
        { kind: 'secondary', slots: [null, null] },
      ],
    };
    const saved = await editor.send('PUT', '/api/fronts/en', { layout, version: 0 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, isArranged: true });
    expect(saved.json().filled[1].slots[0]).toMatchObject({ articleId: older.id, isPinned: true });
    // The empty slot after the pinned lead takes the newest story not already shown.
    expect(saved.json().filled[2].slots[0].articleId).toBe(newer.id);

    // Live at once: the cached home page was purged.
    const home = await page('/');
    expect(home.querySelector('.front-lead .teaser-title a')?.getAttribute('href')).toBe(older.url);
    expect(home.querySelector('.front-banner-breaking')?.text).toContain('The bridge is closed');
    expect(await leadHref('/en')).toBe(older.url);
    // The Russian front is its own: not arranged, and filled from Russian articles only.
    const russian = await publishThroughApi(editor, {
      title: 'Русская история',
      section: 'news',
      language: 'ru',
    });
    expect(await leadHref('/ru')).toBe(russian.url);
    const ruPage = await page('/ru');
    expect(ruPage.querySelector('.front-banner')).toBeNull();

    // A second editor who opened version 0 cannot overwrite the first's work unknowingly.
    const stale = await editor.send('PUT', '/api/fronts/en', { layout, version: 0 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');

    // A mirror build rebuilds the pages that show this front.
    const since = new Date(newsroom.now().getTime() - 1000).toISOString();
    const changes = await mirrorChangesSince(newsroom, since);
    expect(changes.pages).toContain('f:en/');
  });

  it('shows a pinned story the moment it is published, though the front was cached before', async () => {
    // A Russian story pinned on the English front: publishing it changes no English listing.
    const created = await editor.send('POST', '/api/articles', {
      title: 'Эмбарго до полудня',
      section: 'news',
      language: 'ru',
      standfirst: 'Коротко.',
      body: simpleBody,
    });
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json() as { id: number };
    const saved = await editor.send('PUT', '/api/fronts/en', {
      layout: { blocks: [{ kind: 'lead', slots: [draft.id] }] },
      version: 0,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    // Not published yet: the slot fills itself, and the page is cached.
    const before = await leadHref('/en');
    expect(cache.has('/en')).toBe(true);
    const published = await editor.send('POST', `/api/articles/${draft.id}/transitions/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(await leadHref('/en')).toBe(published.json().url);
    expect(before).not.toBe(published.json().url);
  });

  it('arranges a section front and lists its other articles below', async () => {
    const stories = [];
    for (const title of ['First', 'Second', 'Third'])
      stories.push(await publishThroughApi(editor, { title, section: 'news' }));
    const [first, second, third] = stories;
    const saved = await editor.send('PUT', '/api/fronts/en/news', {
      layout: { blocks: [{ kind: 'lead', slots: [first?.id] }] },
      version: 0,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const section = await page('/en/news');
    expect(section.querySelector('.front-lead .teaser-title a')?.getAttribute('href')).toBe(
      first?.url,
    );
    const below = section
      .querySelectorAll('.more-stories .teaser-title a')
      .map((link) => link.getAttribute('href'));
    expect(below).toContain(third?.url);
    expect(below).toContain(second?.url);
    expect(below).not.toContain(first?.url);
  });

  it('previews an arrangement not yet saved, privately', async () => {
    const story = await publishThroughApi(editor, { title: 'Preview me', section: 'news' });
    const response = await editor.send('POST', '/api/front-preview', {
      language: 'en',
      path: '',
      layout: { blocks: [{ kind: 'row', heading: 'Just this', slots: [story.id, null] }] },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-store');
    const html = parse(response.body);
    expect(html.querySelector('.front-row h2')?.text).toBe('Just this');
    // Nothing was saved.
    expect((await editor.send('GET', '/api/fronts/en')).json().version).toBe(0);
  });

  it('refuses what is wrong, naming the field, and authors cannot arrange fronts', async () => {
    const tooMany = await editor.send('PUT', '/api/fronts/en', {
      layout: { blocks: [{ kind: 'lead', slots: [null, null] }] },
      version: 0,
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error).toMatchObject({ field: 'layout.blocks.0.slots' });
    expect(tooMany.json().error.message).toContain('at most 1 story');
    const noSection = await editor.send('PUT', '/api/fronts/en', {
      layout: { blocks: [{ kind: 'section', sectionId: 9999, count: 3 }] },
      version: 0,
    });
    expect(noSection.statusCode).toBe(400);
    expect(noSection.json().error.field).toBe('layout.blocks.0.sectionId');
    expect((await editor.send('GET', '/api/fronts/xx')).statusCode).toBe(404);
    expect((await editor.send('GET', '/api/fronts/en/no-such-section')).statusCode).toBe(404);
    const noCsrf = await editor.send(
      'PUT',
      '/api/fronts/en',
      { layout: { blocks: [] }, version: 0 },
      { csrf: null },
    );
    expect(noCsrf.statusCode).toBe(403);
    const author = await signIn(app, newsroom, 'author', 'Some Author');
    expect((await author.send('GET', '/api/fronts')).statusCode).toBe(403);
  });

  it('ranks the most read from counted visits of readers, not of crawlers', async () => {
    const quiet = await publishThroughApi(editor, { title: 'Quiet story', section: 'news' });
    const popular = await publishThroughApi(editor, { title: 'Popular story', section: 'news' });
    const reads = startAudience(newsroom, (error) => {
      throw error;
    });
    cache.onView = reads.count;
    for (let visit = 0; visit < 3; visit++) await page(popular.url);
    await page(quiet.url);
    // Were crawlers, prefetches or print views counted, the quiet story would lead.
    for (let visit = 0; visit < 4; visit++) {
      await app.inject({ url: quiet.url, headers: { 'user-agent': 'Googlebot/2.1' } });
      await app.inject({
        url: quiet.url,
        headers: { 'user-agent': BROWSER_AGENT, 'sec-purpose': 'prefetch' },
      });
      await app.inject({ url: `${quiet.url}?print`, headers: { 'user-agent': BROWSER_AGENT } });
    }
    await reads.stop();
    const ranked = (await page('/'))
      .querySelectorAll('.front-most-read li a')
      .map((link) => link.getAttribute('href'));
    expect(ranked).toEqual([popular.url, quiet.url]);
    const counted = await newsroom.store.db
      .selectFrom('audience_view')
      .select(['path', 'views'])
      .where('article_id', 'is not', null)
      .orderBy('views', 'desc')
      .execute();
    expect(counted).toEqual([
      { path: popular.url, views: 3 },
      { path: quiet.url, views: 1 },
    ]);
  });
});
