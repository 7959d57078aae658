import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PageCache } from '../../src/http/page-cache.js';
import { buildMirror } from '../../src/mirror/build.js';
import { readSigningKey } from '../../src/mirror/keys.js';
import { mirrorChangesSince } from '../../src/newsroom/mirrors.js';
import { buildTestServer, type Client, createDraft, publishThroughApi, signIn } from '../admin.js';
import { openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';
import { BROWSER_AGENT } from '../site-fixtures.js';

// Live coverage through the admin API and on the reader's side: entries by
// several people at once, conflicts only on the same entry, the page, its
// live endpoint and feed purged as entries come, and the end of coverage.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let cache: PageCache;
let editor: Client;
let colleague: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  cache = new PageCache(16 * 1024 * 1024);
  app = await buildTestServer(newsroom, { pageCache: cache });
  editor = await signIn(app, newsroom, 'editor', 'Live Editor');
  colleague = await signIn(app, newsroom, 'editor', 'Second Desk');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const paragraphs = (...texts: string[]) => ({
  type: 'doc',
  content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});

async function get(path: string) {
  return app.inject({ url: path, headers: { 'user-agent': BROWSER_AGENT } });
}

async function page(path: string) {
  const response = await get(path);
  expect(response.statusCode, path).toBe(200);
  return parse(response.body);
}

async function liveArticle() {
  const article = await publishThroughApi(editor, { title: 'Election night', section: 'news' });
  const started = await editor.send('POST', `/api/articles/${article.id}/live`);
  expect(started.statusCode, started.body).toBe(200);
  expect(started.json().coverage).toMatchObject({ state: 'live', endedAt: null });
  return article;
}

async function addEntry(client: Client, articleId: number, fields: Record<string, unknown>) {
  const response = await client.send('POST', `/api/articles/${articleId}/entries`, {
    body: paragraphs('Something happened.'),
    ...fields,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: number; version: number; title: string };
}

describe('live coverage', () => {
  it('takes entries from two people at once; only edits of one entry conflict', async () => {
    const article = await liveArticle();
    const [a, b] = await Promise.all([
      addEntry(editor, article.id, { title: 'Polls close', isKeyEvent: true }),
      addEntry(colleague, article.id, { title: 'First results' }),
    ]);
    expect(a?.version).toBe(1);
    // Each edits their own entry from the same moment: neither conflicts.
    const [editA, editB] = await Promise.all([
      editor.send('PATCH', `/api/articles/${article.id}/entries/${a.id}`, {
        version: 1,
        title: 'Polls have closed',
      }),
      colleague.send('PATCH', `/api/articles/${article.id}/entries/${b.id}`, {
        version: 1,
        body: paragraphs('First results are in.'),
      }),
    ]);
    expect(editA.statusCode, editA.body).toBe(200);
    expect(editB.statusCode, editB.body).toBe(200);
    expect(editA.json()).toMatchObject({ version: 2, title: 'Polls have closed' });
    // The colleague, still holding version 1 of A, is told and given A as it is now.
    const stale = await colleague.send('PATCH', `/api/articles/${article.id}/entries/${a.id}`, {
      version: 1,
      title: 'Polls closed at ten',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    expect(stale.json().error.current).toMatchObject({
      id: a.id,
      version: 2,
      title: 'Polls have closed',
      author: { name: 'Live Editor' },
    });
    const listed = await colleague.send('GET', `/api/articles/${article.id}/entries`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().coverage.state).toBe('live');
    // Newest first; the two were posted at the same instant, so the one stored last leads
    // (which one that is, the race between the two requests decides).
    expect(listed.json().entries.map((entry: { id: number }) => entry.id)).toEqual(
      [a.id, b.id].sort((x, y) => y - x),
    );
    // Pinning one unpins the other (and moves it to its next version).
    const pinA = await editor.send('PATCH', `/api/articles/${article.id}/entries/${a.id}`, {
      version: 2,
      isPinned: true,
    });
    expect(pinA.statusCode, pinA.body).toBe(200);
    await addEntry(colleague, article.id, { title: 'Pinned now', isPinned: true });
    const after = (await editor.send('GET', `/api/articles/${article.id}/entries`)).json();
    const pinned = after.entries.filter((entry: { isPinned: boolean }) => entry.isPinned);
    expect(pinned.map((entry: { title: string }) => entry.title)).toEqual(['Pinned now']);
    expect(after.entries.find((entry: { id: number }) => entry.id === a.id).version).toBe(4);
  });

  it('shows a new entry on the cached page and live endpoint at once', async () => {
    const article = await liveArticle();
    const first = await addEntry(editor, article.id, { title: 'Doors open' });
    // Cache both.
    const before = await page(article.url);
    expect(before.querySelector('.live-badge')?.text).toBe('Live');
    expect(before.querySelector('.live-blog')?.getAttribute('data-live-url')).toBe(
      `${article.url}/live.json`,
    );
    expect(before.querySelector(`#entry-${first.id} h3`)?.text).toBe('Doors open');
    const endpoint = await get(`${article.url}/live.json`);
    expect(endpoint.statusCode).toBe(200);
    expect(endpoint.headers['content-type']).toContain('application/json');
    expect(endpoint.json().entries.map((entry: { id: number }) => entry.id)).toEqual([first.id]);
    expect(cache.has(article.url)).toBe(true);
    expect(cache.has(`${article.url}/live.json`)).toBe(true);

    const second = await addEntry(colleague, article.id, {
      title: 'Speech begins',
      body: paragraphs('The mayor speaks.'),
    });
    const now = await page(article.url);
    expect(now.querySelectorAll('.live-entries article').map((entry) => entry.id)).toEqual([
      `entry-${second.id}`,
      `entry-${first.id}`,
    ]);
    const update = (await get(`${article.url}/live.json`)).json();
    expect(update.state).toBe('live');
    expect(update.entries[0].id).toBe(second.id);
    expect(parse(update.entries[0].html).querySelector('h3')?.text).toBe('Speech begins');

    // Edits and deletions show too.
    const removed = await editor.send('DELETE', `/api/articles/${article.id}/entries/${first.id}`);
    expect(removed.statusCode).toBe(204);
    expect((await page(article.url)).querySelector(`#entry-${first.id}`)).toBeNull();

    // A mirror build picks the change up for the article's page.
    const since = new Date(newsroom.now().getTime() - 1000).toISOString();
    expect((await mirrorChangesSince(newsroom, since)).articleIds).toContain(article.id);
  });

  it('serves the entries as an Atom feed, linked from the page while live', async () => {
    const article = await liveArticle();
    const entry = await addEntry(editor, article.id, { title: 'Count under way' });
    const head = (await page(article.url)).querySelector('link[rel=alternate][href$="/live.atom"]');
    expect(head?.getAttribute('type')).toBe('application/atom+xml');
    const feed = await get(`${article.url}/live.atom`);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    const xml = parse(feed.body);
    expect(xml.querySelector('entry > id')?.text).toBe(
      `${newsroom.publicUrl}${article.url}#entry-${entry.id}`,
    );
    expect(xml.querySelector('entry > title')?.text).toContain('Count under way');
    // A newer entry reaches the cached feed.
    await addEntry(colleague, article.id, { title: 'Count finished' });
    expect((await get(`${article.url}/live.atom`)).body).toContain('Count finished');
    // An ordinary article has neither.
    const plain = await publishThroughApi(editor, { title: 'Plain story', section: 'news' });
    expect((await get(`${plain.url}/live.atom`)).statusCode).toBe(404);
    expect((await get(`${plain.url}/live.json`)).statusCode).toBe(404);
  });

  it('ends: the entries stay as the record, no badge, no polling, no feed link', async () => {
    const article = await liveArticle();
    const entry = await addEntry(editor, article.id, { title: 'Winner declared' });
    await page(article.url);
    const ended = await editor.send('DELETE', `/api/articles/${article.id}/live`);
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().coverage).toMatchObject({ state: 'ended' });
    expect(ended.json().coverage.endedAt).not.toBeNull();
    const root = await page(article.url);
    expect(root.querySelector('.live-badge')).toBeNull();
    expect(root.querySelector('[data-live-url]')).toBeNull();
    expect(root.querySelector('link[href$="/live.atom"]')).toBeNull();
    expect(root.querySelector('.live-ended')?.text).toContain('Live coverage ended');
    expect(root.querySelector(`#entry-${entry.id} h3`)?.text).toBe('Winner declared');
    const jsonLd = JSON.parse(
      root.querySelector('script[type="application/ld+json"]')?.text ?? '{}',
    );
    expect(jsonLd['@graph'][0]).toMatchObject({
      '@type': 'LiveBlogPosting',
      coverageEndTime: ended.json().coverage.endedAt,
    });
    // The endpoint says so, and pages that still poll stop.
    expect((await get(`${article.url}/live.json`)).json().state).toBe('ended');
    // No more entries until it starts again; ending twice says why.
    const late = await editor.send('POST', `/api/articles/${article.id}/entries`, {
      body: paragraphs('Too late.'),
    });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.message).toContain('ended');
    expect((await editor.send('DELETE', `/api/articles/${article.id}/live`)).statusCode).toBe(400);
  });

  it('writes one audit line for each start and end, none for a start while already live', async () => {
    const article = await liveArticle();
    const again = await editor.send('POST', `/api/articles/${article.id}/live`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().coverage).toMatchObject({ state: 'live' });
    expect((await editor.send('DELETE', `/api/articles/${article.id}/live`)).statusCode).toBe(200);
    expect((await editor.send('POST', `/api/articles/${article.id}/live`)).statusCode).toBe(200);
    const lines = await newsroom.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject', '=', `article:${article.id}`)
      .where('action', 'like', 'live.%')
      .orderBy('id')
      .execute();
    expect(lines.map((line) => line.action)).toEqual(['live.start', 'live.end', 'live.start']);
  });

  it('keeps entries on a draft until it is published, and checks who may do what', async () => {
    const author = await signIn(app, newsroom, 'author', 'Ann Author');
    const contributor = await signIn(app, newsroom, 'contributor', 'Cory Contributor');
    const draft = await createDraft(author, 'Storm coverage');
    // An author may start coverage of their own article (they may publish it).
    const started = await author.send('POST', `/api/articles/${draft.id}/live`);
    expect(started.statusCode, started.body).toBe(200);
    await addEntry(author, draft.id, { title: 'Wind rising' });
    // A contributor may neither start coverage of it nor write its entries.
    expect((await contributor.send('POST', `/api/articles/${draft.id}/live`)).statusCode).toBe(404);
    const own = await createDraft(contributor, 'Contributor story');
    expect((await contributor.send('POST', `/api/articles/${own.id}/live`)).statusCode).toBe(403);
    // Before coverage starts there is nowhere to add entries.
    const early = await contributor.send('POST', `/api/articles/${own.id}/entries`, {
      body: paragraphs('Too early.'),
    });
    expect(early.statusCode).toBe(400);
    // Bodies are checked like an article's.
    const bad = await author.send('POST', `/api/articles/${draft.id}/entries`, {
      body: { type: 'doc', content: [{ type: 'text', text: 'loose' }] },
    });
    expect(bad.statusCode).toBe(400);
    // Without the CSRF token nothing is written.
    const forged = await author.send(
      'POST',
      `/api/articles/${draft.id}/entries`,
      { body: paragraphs('Forged.') },
      { csrf: null },
    );
    expect(forged.statusCode).toBe(403);
    // Published, the waiting entry is on the page.
    const published = await editor.send('POST', `/api/articles/${draft.id}/transitions/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const root = await page(published.json().url);
    expect(root.querySelector('.live-entries h3')?.text).toBe('Wind rising');
  });

  it('labels the teasers of live articles while live', async () => {
    const article = await liveArticle();
    const label = async () =>
      (await page('/news'))
        .querySelectorAll('.teaser-label')
        .find((kicker) => kicker.parentNode?.querySelector(`a[href="${article.url}"]`))?.text;
    expect(await label()).toBe('Live');
    await editor.send('DELETE', `/api/articles/${article.id}/live`);
    expect(await label()).toBeUndefined();
  });

  it('is a static page on a mirror: the entries, without polling', async () => {
    const article = await liveArticle();
    const entry = await addEntry(editor, article.id, { title: 'Mirrored update' });
    const keys = await runCliOn(newsroom, ['keys', 'init']);
    expect(keys.code, keys.lines.join('\n')).toBe(0);
    const workDir = await mkdtemp(join(tmpdir(), 'masthead-live-mirror-'));
    try {
      await buildMirror(newsroom, {
        directory: workDir,
        baseUrl: 'https://mirror.example/lantern/',
        key: await readSigningKey(newsroom.dataDir),
      });
      const html = await readFile(join(workDir, `${article.url.slice(1)}/index.html`), 'utf8');
      const root = parse(html);
      expect(root.querySelector(`#entry-${entry.id} h3`)?.text).toBe('Mirrored update');
      expect(root.querySelector('[data-live-url]')).toBeNull();
      expect(root.querySelector('[data-live-new]')).toBeNull();
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
