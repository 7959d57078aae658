import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, type Client, signIn, simpleBody } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;
let sampleTagIds: number[];
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
  sampleTagIds = (await newsroom.store.db.selectFrom('tag').select('id').execute()).map(
    (row) => row.id,
  );
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

type Detail = { id: number; version: number; url: string; tags: string[] };

async function create(fields: Record<string, unknown> = {}): Promise<Detail> {
  const response = await editor.send('POST', '/api/articles', {
    title: 'Council opens its books',
    section: 'news/politics',
    language: 'en',
    body: simpleBody,
    ...fields,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function patch(id: number, fields: Record<string, unknown>) {
  return await editor.send('PATCH', `/api/articles/${id}`, fields);
}

/** The tags these tests made (the sample newsroom has tags of its own). */
async function tagRows(): Promise<{ name: string; slug: string }[]> {
  return await newsroom.store.db
    .selectFrom('tag')
    .select(['name', 'slug'])
    .where('id', 'not in', [0, ...sampleTagIds])
    .orderBy('id')
    .execute();
}

describe('article tags', () => {
  it('saves the tags given at creation, in order, and shows them to the editor', async () => {
    const created = await create({ tags: ['Local elections', 'Budget', 'Выборы'] });
    expect(created.tags).toEqual(['Local elections', 'Budget', 'Выборы']);
    const loaded = (await editor.send('GET', `/api/articles/${created.id}`)).json();
    expect(loaded.tags).toEqual(['Local elections', 'Budget', 'Выборы']);
    expect(await tagRows()).toEqual([
      { name: 'Local elections', slug: 'local-elections' },
      { name: 'Budget', slug: 'budget' },
      { name: 'Выборы', slug: 'vybory' },
    ]);
  });

  it('creates an article with no tags when none are given', async () => {
    expect((await create()).tags).toEqual([]);
  });

  it('replaces the tags on a save that names them, and keeps them on one that does not', async () => {
    const { id } = await create({ tags: ['Budget', 'Transport'] });
    const retagged = await patch(id, { version: 1, tags: ['Transport', 'Ferries'] });
    expect(retagged.statusCode, retagged.body).toBe(200);
    expect(retagged.json()).toMatchObject({ version: 2, tags: ['Transport', 'Ferries'] });
    const retitled = (await patch(id, { version: 2, title: 'New headline' })).json();
    expect(retitled.tags).toEqual(['Transport', 'Ferries']);
    const cleared = (await patch(id, { version: 3, tags: [] })).json();
    expect(cleared.tags).toEqual([]);
  });

  it('collapses names that are the same tag, and reuses a tag another article made', async () => {
    const first = await create({ tags: ['Climate', 'climate', ' CLIMATE ', 'Sea level'] });
    expect(first.tags).toEqual(['Climate', 'Sea level']);
    // The stored spelling wins: one topic, one name, whoever typed it first.
    const second = await create({ title: 'Second story', tags: ['sea LEVEL', 'climate'] });
    expect(second.tags).toEqual(['Sea level', 'Climate']);
    expect(await tagRows()).toEqual([
      { name: 'Climate', slug: 'climate' },
      { name: 'Sea level', slug: 'sea-level' },
    ]);
  });

  it('refuses an all-punctuation tag on the tags field and writes nothing', async () => {
    const { id } = await create({ tags: ['Budget'] });
    const articlesBefore = await newsroom.store.db.selectFrom('article').select('id').execute();

    const onCreate = await editor.send('POST', '/api/articles', {
      title: 'Punctuation',
      section: 'news/politics',
      language: 'en',
      body: simpleBody,
      tags: ['Housing', '?!…'],
    });
    expect(onCreate.statusCode).toBe(400);
    expect(onCreate.json().error).toMatchObject({ code: 'invalid_input', field: 'tags' });

    const onSave = await patch(id, { version: 1, title: 'Changed', tags: ['Housing', '—'] });
    expect(onSave.statusCode).toBe(400);
    expect(onSave.json().error).toMatchObject({ code: 'invalid_input', field: 'tags' });

    const after = (await editor.send('GET', `/api/articles/${id}`)).json();
    expect(after).toMatchObject({ version: 1, title: 'Council opens its books', tags: ['Budget'] });
    expect(await newsroom.store.db.selectFrom('article').select('id').execute()).toEqual(
      articlesBefore,
    );
    expect((await tagRows()).map((tag) => tag.name)).toEqual(['Budget']);
  });

  it('refuses more than 30 tags and a tag longer than 60 characters', async () => {
    const tooMany = await editor.send('POST', '/api/articles', {
      title: 'Many',
      section: 'news',
      language: 'en',
      body: simpleBody,
      tags: Array.from({ length: 31 }, (_, i) => `Tag ${i}`),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error).toMatchObject({ code: 'invalid_input', field: 'tags' });
    const { id } = await create();
    const tooLong = await patch(id, { version: 1, tags: ['x'.repeat(61)] });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.code).toBe('invalid_input');
    expect(tooLong.json().error.field).toMatch(/^tags/);
  });

  it('shows the tags on the published reader page each linking to its topic page, under “Topics”', async () => {
    const { id, url } = await create({ tags: ['Local elections', 'Budget'] });
    const published = await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const page = await app.inject(url);
    expect(page.statusCode).toBe(200);
    const root = parse(page.body);
    const section = root.querySelector('section.article-tags');
    expect(section?.getAttribute('aria-labelledby')).toBe('tags-heading');
    expect(root.querySelector('#tags-heading')?.text).toBe('Topics');
    expect(section?.querySelectorAll('ul.tags li').map((li) => li.text)).toEqual([
      'Local elections',
      'Budget',
    ]);
    expect(section?.querySelectorAll('a').map((a) => a.getAttribute('href'))).toEqual([
      '/tags/local-elections',
      '/tags/budget',
    ]);
  });

  it('labels the tags in Russian on a Russian article', async () => {
    const { id, url } = await create({ title: 'Бюджет города', language: 'ru', tags: ['Выборы'] });
    await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    const root = parse((await app.inject(url)).body);
    expect(root.querySelector('#tags-heading')?.text).toBe('Темы');
    expect(root.querySelector('ul.tags li')?.text).toBe('Выборы');
  });

  it('keeps the tags in every revision and restores them with the rest', async () => {
    const { id } = await create({ tags: ['Budget'] });
    await patch(id, { version: 1, tags: ['Transport'] });
    const revisions = (await editor.send('GET', `/api/articles/${id}/revisions`)).json().revisions;
    expect(
      revisions.map((r: { version: number; snapshot: { tags: string[] } }) => [
        r.version,
        r.snapshot.tags,
      ]),
    ).toEqual([
      [2, ['Transport']],
      [1, ['Budget']],
    ]);
    const restored = await editor.send(
      'POST',
      `/api/articles/${id}/revisions/${revisions[1].id}/restore`,
      { version: 2 },
    );
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ version: 3, tags: ['Budget'] });
  });

  it('keeps today’s tags when restoring a revision saved before tags existed', async () => {
    const { id } = await create({ title: 'Original headline' });
    await patch(id, { version: 1, title: 'Changed headline', tags: ['Budget'] });
    // Revisions written before migration 003 have no `tags` in their snapshot.
    const oldest = await newsroom.store.db
      .selectFrom('revision')
      .select(['id', 'snapshot_json'])
      .where('article_id', '=', id)
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    const { tags: _dropped, ...withoutTags } = JSON.parse(oldest.snapshot_json);
    await newsroom.store.db
      .updateTable('revision')
      .set({ snapshot_json: JSON.stringify(withoutTags) })
      .where('id', '=', oldest.id)
      .execute();
    const restored = await editor.send(
      'POST',
      `/api/articles/${id}/revisions/${oldest.id}/restore`,
      { version: 2 },
    );
    expect(restored.json()).toMatchObject({ title: 'Original headline', tags: ['Budget'] });
  });
});

describe('managing tags', () => {
  it('lets an editor correct a tag’s spelling everywhere, keeping its slug; others may not', async () => {
    // `editor` is the file's signed-in editor (see beforeEach).
    const author = await signIn(app, newsroom, 'author', 'Tag Author');
    const created = await editor.send('POST', '/api/articles', {
      title: 'Tagged story',
      section: 'news',
      language: 'en',
      body: simpleBody,
      tags: ['ukraine'],
    });
    const { id } = created.json();
    expect((await editor.send('GET', '/api/tags')).json().tags).toContainEqual({
      name: 'ukraine',
      slug: 'ukraine',
      articleCount: 1,
    });
    expect((await author.send('PATCH', '/api/tags/ukraine', { name: 'Ukraine' })).statusCode).toBe(
      403,
    );
    const renamed = await editor.send('PATCH', '/api/tags/ukraine', { name: 'Ukraine' });
    expect(renamed.json()).toEqual({ name: 'Ukraine', slug: 'ukraine' });
    expect((await editor.send('GET', `/api/articles/${id}`)).json().tags).toEqual(['Ukraine']);
    expect((await editor.send('PATCH', '/api/tags/no-such-tag', { name: 'X' })).statusCode).toBe(
      404,
    );
  });
});
