import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, type Client, createDraft, publishThroughApi, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

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

async function publicPage(path: string) {
  const response = await app.inject(path);
  expect(response.statusCode, `${path}: ${response.body.slice(0, 200)}`).toBe(200);
  return parse(response.body);
}

/** The kicker over the teaser that links to `url` on the page at `path`, or null when it has none. */
async function teaserLabel(path: string, url: string): Promise<string | null> {
  const link = (await publicPage(path)).querySelector(`.teaser-title a[href="${url}"]`);
  expect(link, `${path} links ${url}`).not.toBeNull();
  const teaser = link?.closest('li, article');
  return teaser?.querySelector('.teaser-label')?.text ?? null;
}

async function articleLabel(url: string): Promise<string | null> {
  const page = await publicPage(url);
  return page.querySelector('article.article .teaser-label')?.text ?? null;
}

async function articleType(url: string): Promise<unknown> {
  const script = (await publicPage(url)).querySelector('script[type="application/ld+json"]');
  const data = JSON.parse(script?.text ?? '{}') as { '@graph'?: { '@type': string }[] };
  return data['@graph']?.[0]?.['@type'];
}

describe('article labels', () => {
  it('are saved with the article and shown above the headline on teasers and the article page', async () => {
    const created = await editor.send('POST', '/api/articles', {
      title: 'Why the ferry should stay public',
      section: 'opinion',
      language: 'en',
      label: 'opinion',
      body: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Yes.' }] }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().label).toBe('opinion');
    const published = await editor.send(
      'POST',
      `/api/articles/${created.json().id}/transitions/publish`,
    );
    expect(published.statusCode, published.body).toBe(200);
    const { url } = published.json() as { url: string };
    expect(await teaserLabel('/', url)).toBe('Opinion');
    expect(await teaserLabel('/opinion', url)).toBe('Opinion');
    expect(await articleLabel(url)).toBe('Opinion');
    expect(await articleType(url)).toBe('OpinionNewsArticle');
    // Search results are teasers too.
    const search = await app.inject('/api/search?q=ferry');
    expect(search.statusCode, search.body).toBe(200);
    expect(search.json().results).toContainEqual(
      expect.objectContaining({ url: `https://news.example${url}`, label: 'opinion' }),
    );
    expect(await teaserLabel('/search?q=ferry', url)).toBe('Opinion');
  });

  it('speaks the article’s language: Russian on a Russian article', async () => {
    const { id, url } = await publishThroughApi(editor, {
      title: 'Что будет с паромом',
      section: 'news/politics',
      language: 'ru',
    });
    const article = (await editor.send('GET', `/api/articles/${id}`)).json();
    const saved = await editor.send('PATCH', `/api/articles/${id}`, {
      version: article.version,
      label: 'analysis',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const updated = await editor.send('POST', `/api/articles/${id}/transitions/update`, {
      version: saved.json().version,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(await articleLabel(url)).toBe('Анализ');
    expect(await teaserLabel('/ru', url)).toBe('Анализ');
    expect(await teaserLabel('/news/politics', url)).toBe('Анализ');
    expect(await articleType(url)).toBe('AnalysisNewsArticle');
  });

  it('holds a label changed on a published article back from readers until it goes live', async () => {
    const { id, url } = await publishThroughApi(editor, {
      title: 'The port budget, line by line',
      section: 'news/politics',
    });
    expect(await articleLabel(url)).toBeNull();
    expect(await teaserLabel('/news/politics', url)).toBeNull();
    const { version } = (await editor.send('GET', `/api/articles/${id}`)).json();
    const held = await editor.send('PATCH', `/api/articles/${id}`, { version, label: 'analysis' });
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json()).toMatchObject({ label: null, pending: { label: 'analysis' } });
    // Readers still see it unlabelled, everywhere.
    expect(await articleLabel(url)).toBeNull();
    expect(await teaserLabel('/', url)).toBeNull();
    expect(await teaserLabel('/news/politics', url)).toBeNull();
    expect(await articleType(url)).toBe('NewsArticle');
    // The preview shows what going live will put out.
    const preview = await editor.send('GET', `/api/articles/${id}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(parse(preview.body).querySelector('.teaser-label')?.text).toBe('Analysis');
    // A later held-back save that leaves the label out keeps it.
    const again = await editor.send('PATCH', `/api/articles/${id}`, {
      version: held.json().version,
      standfirst: 'Where the money goes.',
    });
    expect(again.json().pending).toMatchObject({ label: 'analysis' });
    const live = await editor.send('POST', `/api/articles/${id}/transitions/update`, {
      version: again.json().version,
    });
    expect(live.statusCode, live.body).toBe(200);
    expect(live.json()).toMatchObject({ label: 'analysis', pending: null });
    expect(await articleLabel(url)).toBe('Analysis');
    expect(await teaserLabel('/news/politics', url)).toBe('Analysis');
    // Taking it off goes the same way: held back, then live.
    const off = await editor.send('PATCH', `/api/articles/${id}`, {
      version: live.json().version,
      label: null,
    });
    expect(off.json()).toMatchObject({ label: 'analysis', pending: { label: null } });
    expect(await articleLabel(url)).toBe('Analysis');
    await editor.send('POST', `/api/articles/${id}/transitions/update`, {
      version: off.json().version,
    });
    expect(await articleLabel(url)).toBeNull();
    // Each save is a revision that remembers the label (publishing saved nothing new).
    const revisions = await newsroom.store.db
      .selectFrom('revision')
      .select('snapshot_json')
      .where('article_id', '=', id)
      .orderBy('version')
      .execute();
    expect(revisions.map((row) => JSON.parse(row.snapshot_json).label)).toEqual([
      null,
      'analysis',
      'analysis',
      'analysis',
      null,
      null,
    ]);
  });

  it('refuses a label it does not know, naming the field, and writes nothing', async () => {
    const created = await createDraft(editor, 'Ferry fares rise');
    const bad = await editor.send('PATCH', `/api/articles/${created.id}`, {
      version: created.version,
      label: 'satire',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_input', field: 'label' });
    expect(bad.json().error.message).toMatch(/opinion, analysis/);
    const create = await editor.send('POST', '/api/articles', {
      title: 'Ferry fares rise',
      language: 'en',
      label: 'Opinion',
      body: { type: 'doc', content: [{ type: 'paragraph' }] },
    });
    expect(create.statusCode).toBe(400);
    expect(create.json().error).toMatchObject({ code: 'invalid_input', field: 'label' });
    const article = (await editor.send('GET', `/api/articles/${created.id}`)).json();
    expect(article).toMatchObject({ version: created.version, label: null });
  });
});
