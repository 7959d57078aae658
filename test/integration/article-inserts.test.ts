import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  getArticle,
  getBylines,
  insertArticleAuthors,
  insertArticleForId,
} from '../../src/store/articles.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// The writes an import makes many of (store/articles.ts): a new article whose
// body the importer has just validated, answered by its id only, and the
// bylines of many new articles in few statements.

let newsroom: TestNewsroom;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
});
afterEach(async () => {
  await newsroom.dispose();
});

async function section(): Promise<number> {
  const row = await newsroom.store.db
    .insertInto('section')
    .values({ parent_id: null, slug: 'news', path: 'news', name: 'News', position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function person(name: string): Promise<number> {
  const row = await newsroom.store.db
    .insertInto('person')
    .values({
      name,
      slug: name.toLowerCase(),
      bio: '',
      masthead_role: null,
      masthead_title: null,
      masthead_position: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const body = {
  type: 'doc' as const,
  content: [
    { type: 'paragraph' as const, content: [{ type: 'text' as const, text: 'Fares rise.' }] },
  ],
};

function article(sectionId: number, slug: string) {
  return {
    uuid: `00000000-0000-4000-8000-${slug.padStart(12, '0')}`,
    slug,
    sectionId,
    language: 'en',
    status: 'published' as const,
    title: `Ferry ${slug}`,
    standfirst: '',
    body,
    leadMediaId: null,
    publishedAt: '2026-03-01T09:00:00.000Z',
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
  };
}

describe('writing imported articles', () => {
  it('inserts an article answering its id, stored as insertArticle stores it', async () => {
    const sectionId = await section();
    const id = await insertArticleForId(newsroom.store.db, article(sectionId, '1'));
    const stored = await getArticle(newsroom.store.db, id);
    expect(stored).toMatchObject({
      id,
      slug: '1',
      sectionId,
      status: 'published',
      title: 'Ferry 1',
      body,
      version: 1,
      scheduledAt: null,
      translationGroup: null,
      metaTitle: '',
      label: null,
    });
  });

  it('adds the bylines of several new articles at once, in order', async () => {
    const sectionId = await section();
    const ada = await person('Ada');
    const bo = await person('Bo');
    const first = await insertArticleForId(newsroom.store.db, article(sectionId, '1'));
    const second = await insertArticleForId(newsroom.store.db, article(sectionId, '2'));
    await insertArticleAuthors(newsroom.store.db, [
      { articleId: first, personId: bo, position: 1, label: null },
      { articleId: first, personId: ada, position: 0, label: 'Photos' },
      { articleId: second, personId: bo, position: 0, label: null },
    ]);
    await insertArticleAuthors(newsroom.store.db, []);
    const bylines = await getBylines(newsroom.store.db, [first, second]);
    const names = (id: number) =>
      (bylines.get(id) ?? []).map((byline) => [byline.person.name, byline.label]);
    expect(names(first)).toEqual([
      ['Ada', 'Photos'],
      ['Bo', null],
    ]);
    expect(names(second)).toEqual([['Bo', null]]);
  });
});
