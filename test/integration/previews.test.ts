import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PageCache } from '../../src/http/page-cache.js';
import { buildTestServer, type Client, createDraft, publishThroughApi, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Previews: the reader page before readers have it. Staff see it from the
// editor; a lawyer or fact-checker through a link that expires and can be
// closed. Neither is cached, indexed, listed in a sitemap or feed, or public.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;
let author: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { pageCache: new PageCache(8 * 1024 * 1024) });
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
  author = await signIn(app, newsroom, 'author', 'Omar Author');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const draft = (title: string, writer: Client = author) => createDraft(writer, title);

const headline = (html: string) => /<h1 class="headline">([^<]*)<\/h1>/.exec(html)?.[1] ?? null;

function expectPrivate(headers: Record<string, unknown>): void {
  expect(headers['cache-control']).toBe('private, no-store');
  expect(headers['x-robots-tag']).toBe('noindex, nofollow');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['set-cookie']).toBeUndefined();
}

describe('the preview in the editor', () => {
  it('shows a draft as readers will see it, to its writer and the desk only', async () => {
    const { id } = await draft('Harbour tolls to double');
    const seen = await author.send('GET', `/api/articles/${id}/preview`);
    expect(seen.statusCode).toBe(200);
    expect(seen.headers['content-type']).toContain('text/html');
    expectPrivate(seen.headers);
    expect(headline(seen.body)).toBe('Harbour tolls to double');
    expect(seen.body).toContain('<meta name="robots" content="noindex"/>');
    expect(seen.body).not.toContain('rel="canonical"');
    expect(seen.body).toContain('class="page-notice"');
    expect((await editor.send('GET', `/api/articles/${id}/preview`)).statusCode).toBe(200);

    const contributor = await signIn(app, newsroom, 'contributor', 'Cleo Contributor');
    expect((await contributor.send('GET', `/api/articles/${id}/preview`)).statusCode).toBe(404);
    expect((await app.inject(`/api/articles/${id}/preview`)).statusCode).toBe(401);
  });

  it('shows a published article with the edits held back from readers', async () => {
    const published = await publishThroughApi(editor, {
      title: 'Ferry strike ends',
      section: 'news/politics',
    });
    const pending = await editor.send('PATCH', `/api/articles/${published.id}`, {
      version: published.version,
      title: 'Ferry strike ends after nine days',
    });
    expect(pending.statusCode, pending.body).toBe(200);
    const preview = await editor.send('GET', `/api/articles/${published.id}/preview`);
    expect(headline(preview.body)).toBe('Ferry strike ends after nine days');
    const live = await app.inject(published.url);
    expect(headline(live.body)).toBe('Ferry strike ends');
  });
});

describe('preview links', () => {
  it('open the latest saved version without signing in, for 48 hours, never cached or listed', async () => {
    const { id, version } = await draft('Port authority audit');
    const shared = await author.send('POST', `/api/articles/${id}/preview-links`, {});
    expect(shared.statusCode, shared.body).toBe(201);
    const { url, link } = shared.json();
    expect(url).toMatch(/^https?:\/\/[^/]+\/preview\/[A-Za-z0-9_-]{40,}$/);
    expect(link).toMatchObject({
      state: 'open',
      createdBy: 'Omar Author',
      createdAt: newsroom.now().toISOString(),
      expiresAt: new Date(newsroom.now().getTime() + 48 * 3600_000).toISOString(),
      hint: url.slice(-4),
    });
    const path = new URL(url).pathname;

    const opened = await app.inject(path);
    expect(opened.statusCode).toBe(200);
    expectPrivate(opened.headers);
    expect(headline(opened.body)).toBe('Port authority audit');
    expect(opened.body).toContain('<meta name="robots" content="noindex"/>');
    expect(opened.body).toContain('This link stops working on');

    // Not kept anywhere: the next edit shows at once.
    const edited = await author.send('PATCH', `/api/articles/${id}`, {
      version,
      title: 'Port authority audit finds gaps',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(headline((await app.inject(path)).body)).toBe('Port authority audit finds gaps');

    // Listed on the article, never with its token.
    const listed = await author.send('GET', `/api/articles/${id}/preview-links`);
    expect(listed.json().links).toEqual([expect.objectContaining({ id: link.id, state: 'open' })]);
    expect(listed.body).not.toContain(path.slice(PREVIEW_PREFIX.length));

    // Nowhere a crawler or a feed reader looks.
    for (const place of ['/sitemap.xml', '/news-sitemap.xml', '/feed.xml', '/feed.json']) {
      const body = (await app.inject(place)).body;
      expect(body, place).not.toContain('/preview/');
      expect(body, place).not.toContain('Port authority audit');
    }
    expect((await app.inject('/robots.txt')).body).toContain('Disallow: /preview/');
  });

  it('expire when their time is up, or at the hour chosen', async () => {
    const { id } = await draft('Customs records');
    const short = await author.send('POST', `/api/articles/${id}/preview-links`, { hours: 2 });
    const long = await author.send('POST', `/api/articles/${id}/preview-links`, {});
    const shortPath = new URL(short.json().url).pathname;
    const longPath = new URL(long.json().url).pathname;
    const start = newsroom.now();
    newsroom.now = () => new Date(start.getTime() + 3 * 3600_000);
    const closed = await app.inject(shortPath);
    expect(closed.statusCode).toBe(404);
    expectPrivate(closed.headers);
    expect(closed.body).toContain('This preview is no longer open');
    expect(closed.body).not.toContain('Customs records');
    expect((await app.inject(longPath)).statusCode).toBe(200);
    newsroom.now = () => new Date(start.getTime() + 49 * 3600_000);
    expect((await app.inject(longPath)).statusCode).toBe(404);
    const states = (await author.send('GET', `/api/articles/${id}/preview-links`)).json().links;
    expect(states.map((l: { state: string }) => l.state)).toEqual(['expired', 'expired']);

    const tooLong = await author.send('POST', `/api/articles/${id}/preview-links`, { hours: 0 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.field).toBe('hours');
  });

  it('close at once when revoked, by their maker or the desk, and every step is audited', async () => {
    const { id } = await draft('Shipyard contracts');
    const shared = (await author.send('POST', `/api/articles/${id}/preview-links`, {})).json();
    const path = new URL(shared.url).pathname;
    expect((await app.inject(path)).statusCode).toBe(200);

    const contributor = await signIn(app, newsroom, 'contributor', 'Cleo Contributor');
    const refused = await contributor.send(
      'DELETE',
      `/api/articles/${id}/preview-links/${shared.link.id}`,
    );
    expect(refused.statusCode).toBe(404);
    const revoked = await editor.send(
      'DELETE',
      `/api/articles/${id}/preview-links/${shared.link.id}`,
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().link.state).toBe('revoked');
    expect((await app.inject(path)).statusCode).toBe(404);

    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .select(['action', 'user_id'])
      .where('subject', '=', `article:${id}`)
      .where('action', 'like', 'article.preview%')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'article.preview-link', user_id: author.userId },
      { action: 'article.preview-revoke', user_id: editor.userId },
    ]);
  });

  it('show nothing for a trashed article, a made-up token or one of the wrong shape', async () => {
    const { id, version } = await draft('Dredging permits');
    const shared = (await author.send('POST', `/api/articles/${id}/preview-links`, {})).json();
    const trashed = await author.send('POST', `/api/articles/${id}/transitions/trash`, { version });
    expect(trashed.statusCode, trashed.body).toBe(200);
    expect((await app.inject(new URL(shared.url).pathname)).statusCode).toBe(404);
    expect((await author.send('POST', `/api/articles/${id}/preview-links`, {})).statusCode).toBe(
      400,
    );
    expect((await app.inject(`${PREVIEW_PREFIX}${'a'.repeat(43)}`)).statusCode).toBe(404);
    expect((await app.inject(`${PREVIEW_PREFIX}..%2Fadmin`)).statusCode).toBe(404);
  });
});

const PREVIEW_PREFIX = '/preview/';
