import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PageCache } from '../../src/http/page-cache.js';
import { emptyTrash } from '../../src/newsroom/articles.js';
import { buildTestServer, type Client, createDraft, publishThroughApi, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// What the editor relies on from the server: a draft stored from its first
// word, an address that follows the headline until publication, transitions
// that save the edits on screen in the same transaction, and edits to a
// published article held back from readers until Update.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let cache: PageCache;
let editor: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  cache = new PageCache(8 * 1024 * 1024);
  app = await buildTestServer(newsroom, { pageCache: cache });
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const paragraph = (text: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

/** A draft in News › Politics, written by `writer` (the editor unless told). */
const draft = (title: string, writer: Client = editor) => createDraft(writer, title);

async function reader(url: string): Promise<string> {
  const page = await app.inject(url);
  expect(page.statusCode, url).toBe(200);
  return /<h1[^>]*>([^<]*)<\/h1>/.exec(page.body)?.[1] ?? '';
}

describe('drafts stored as they are typed', () => {
  it('creates a draft from a first word of body, with no headline or section yet, signed by its writer', async () => {
    const created = await editor.send('POST', '/api/articles', {
      language: 'en',
      body: paragraph('The'),
    });
    expect(created.statusCode, created.body).toBe(201);
    const article = created.json();
    // The site's first top-level section, and a placeholder address.
    expect(article).toMatchObject({ status: 'draft', title: '', section: 'news', slug: 'article' });
    expect(article.authors.map((a: { name: string }) => a.name)).toEqual(['Ada Editor']);
    // Publishing still needs a headline.
    const refused = await editor.send('POST', `/api/articles/${article.id}/transitions/publish`, {
      version: article.version,
    });
    expect(refused.json().error.code).toBe('no_headline');
  });

  it('lets the address follow the headline until publication, unless it was chosen by hand', async () => {
    const created = await draft('F');
    expect(created.slug).toBe('f');
    const typed = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: created.version,
      title: 'Ferry fares rise',
    });
    expect(typed.json().slug).toBe('ferry-fares-rise');
    const chosen = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: typed.json().version,
      slug: 'fares',
    });
    const retitled = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: chosen.json().version,
      title: 'Ferry fares rise by a fifth',
    });
    expect(retitled.json()).toMatchObject({ slug: 'fares', title: 'Ferry fares rise by a fifth' });
  });
});

describe('transitions with the edits on screen', () => {
  it('publishes the headline sent with Publish, in one request', async () => {
    const created = await draft('Old headline');
    const published = await editor.send('POST', `/api/articles/${created.id}/transitions/publish`, {
      version: created.version,
      changes: { title: 'The headline on screen' },
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({
      status: 'published',
      title: 'The headline on screen',
    });
    expect(await reader(published.json().url)).toBe('The headline on screen');
  });

  it('refuses edits made on an old version with the current article, and writes nothing', async () => {
    const created = await draft('First');
    await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: created.version,
      title: 'Someone else saved this',
    });
    const stale = await editor.send('POST', `/api/articles/${created.id}/transitions/publish`, {
      version: created.version,
      changes: { title: 'Mine' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'version_conflict',
      current: { title: 'Someone else saved this', status: 'draft' },
    });
    // Changes must name the version they were made on.
    const unnamed = await editor.send('POST', `/api/articles/${created.id}/transitions/publish`, {
      changes: { title: 'Mine' },
    });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error.field).toBe('version');
  });

  it('keeps nothing of the edits when the transition is refused', async () => {
    const created = await draft('Has a headline');
    const refused = await editor.send('POST', `/api/articles/${created.id}/transitions/publish`, {
      version: created.version,
      changes: { title: 'New headline', authors: [] },
    });
    expect(refused.json().error.code).toBe('no_byline');
    const after = (await editor.send('GET', `/api/articles/${created.id}`)).json();
    expect(after).toMatchObject({ version: created.version, title: 'Has a headline' });
  });
});

describe('edits to a published article', () => {
  it('holds them back from readers, search and the cache until Update', async () => {
    const published = await publishThroughApi(editor, {
      title: 'Tram line reopens',
      section: 'news/politics',
    });
    expect(await reader(published.url)).toBe('Tram line reopens');
    expect(cache.has(published.url)).toBe(true);

    const saved = await editor.send('PATCH', `/api/articles/${published.id}`, {
      version: published.version,
      title: 'Tram line reopens after a year',
      body: paragraph('Half-written zebrafish'),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const held = saved.json();
    // The editor gets the edits back; the live fields are what readers see.
    expect(held.title).toBe('Tram line reopens');
    expect(held.pending).toMatchObject({ title: 'Tram line reopens after a year' });
    expect(held.version).toBe(published.version + 1);
    // Nothing purged, nothing changed for readers or search.
    expect(cache.has(published.url)).toBe(true);
    expect(await reader(published.url)).toBe('Tram line reopens');
    const search = await app.inject('/api/search?q=zebrafish');
    expect(search.json().results).toEqual([]);

    // A second save builds on the first.
    const again = await editor.send('PATCH', `/api/articles/${published.id}`, {
      version: held.version,
      body: paragraph('A whole sentence.'),
    });
    expect(again.json().pending).toMatchObject({
      title: 'Tram line reopens after a year',
      body: paragraph('A whole sentence.'),
    });
    // Every save is a revision, the held-back ones too.
    const revisions = (await editor.send('GET', `/api/articles/${published.id}/revisions`)).json()
      .revisions;
    expect(revisions[0].snapshot.title).toBe('Tram line reopens after a year');

    const updated = await editor.send('POST', `/api/articles/${published.id}/transitions/update`, {
      version: again.json().version,
      changes: { standfirst: 'After a year of works.' },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({
      status: 'published',
      title: 'Tram line reopens after a year',
      standfirst: 'After a year of works.',
      pending: null,
      url: published.url,
    });
    expect(await reader(published.url)).toBe('Tram line reopens after a year');
  });

  it('lets only those who may publish it press Update', async () => {
    const published = await publishThroughApi(editor, {
      title: 'Power cut in the port',
      section: 'news/politics',
    });
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    const refused = await contributor.send(
      'POST',
      `/api/articles/${published.id}/transitions/update`,
      { version: published.version },
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('not_allowed_for_role');
  });
});

describe('sending back, withdrawing, the trash', () => {
  async function submitted(writer: Client): Promise<{ id: number; version: number }> {
    const created = await draft('Port strike enters its second week', writer);
    const done = await writer.send('POST', `/api/articles/${created.id}/transitions/submit`, {
      version: created.version,
    });
    expect(done.json().status).toBe('in_review');
    return done.json();
  }

  it('lets the desk send a submission back with a note the writer sees, and the writer withdraw one', async () => {
    const writer = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    const article = await submitted(writer);
    // The writer reads it, read-only, while the desk has it; the desk may change it.
    const asWriter = (await writer.send('GET', `/api/articles/${article.id}`)).json();
    expect(asWriter.readOnlyReason).toMatch(/with the editors for review/);
    expect(
      (await editor.send('GET', `/api/articles/${article.id}`)).json().readOnlyReason,
    ).toBeNull();
    const noNote = await editor.send('POST', `/api/articles/${article.id}/transitions/send-back`, {
      note: '  ',
    });
    expect(noNote.json().error).toMatchObject({ code: 'invalid_input', field: 'note' });
    const back = await editor.send('POST', `/api/articles/${article.id}/transitions/send-back`, {
      note: 'Name the second source, please.',
    });
    expect(back.statusCode, back.body).toBe(200);
    const seen = (await writer.send('GET', `/api/articles/${article.id}`)).json();
    expect(seen).toMatchObject({
      status: 'draft',
      sentBack: { note: 'Name the second source, please.', by: 'Ada Editor' },
    });
    // The writer may not send back; they withdraw their own submission instead.
    const again = await writer.send('POST', `/api/articles/${article.id}/transitions/submit`);
    expect(again.json().sentBack).toBeNull();
    const withdrawn = await writer.send('POST', `/api/articles/${article.id}/transitions/withdraw`);
    expect(withdrawn.json().status).toBe('draft');
    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject', '=', `article:${article.id}`)
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual([
      'article.create',
      'article.submit',
      'article.send-back',
      'article.submit',
      'article.withdraw',
    ]);
  });

  it('moves a draft to the trash, out of the lists, restores it, and deletes it for good after 30 days', async () => {
    const created = await draft('A draft nobody needs');
    const trashed = await editor.send('POST', `/api/articles/${created.id}/transitions/trash`);
    expect(trashed.json()).toMatchObject({ status: 'trashed', transitions: ['restore'] });
    expect(trashed.json().trashedAt).toEqual(expect.any(String));
    const listed = (await editor.send('GET', '/api/articles')).json().articles;
    expect(listed.map((a: { id: number }) => a.id)).not.toContain(created.id);
    const trash = (await editor.send('GET', '/api/articles?status=trashed')).json().articles;
    expect(trash.map((a: { id: number }) => a.id)).toEqual([created.id]);
    const edit = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: trashed.json().version,
      title: 'Edited in the trash',
    });
    expect(edit.json().error.code).toBe('invalid_transition');

    const restored = await editor.send('POST', `/api/articles/${created.id}/transitions/restore`);
    expect(restored.json()).toMatchObject({ status: 'draft', trashedAt: null });

    // A published article must be unpublished before it can be thrown away.
    const published = await publishThroughApi(editor, {
      title: 'Taken down later',
      section: 'news/politics',
    });
    const refused = await editor.send('POST', `/api/articles/${published.id}/transitions/trash`);
    expect(refused.json().error.code).toBe('invalid_transition');

    await editor.send('POST', `/api/articles/${created.id}/transitions/trash`);
    expect(await emptyTrash(newsroom)).toEqual([]);
    const realNow = newsroom.now;
    newsroom.now = () => new Date(realNow().getTime() + 31 * 24 * 3600 * 1000);
    expect(await emptyTrash(newsroom)).toEqual([created.id]);
    newsroom.now = realNow;
    expect((await editor.send('GET', `/api/articles/${created.id}`)).statusCode).toBe(404);
  });
});
