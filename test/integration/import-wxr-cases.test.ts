import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesSource, importSource, importUpload } from '../../src/newsroom/import-file.js';
import { formatReportLine } from '../../src/newsroom/import-report.js';
import { updatePage } from '../../src/newsroom/manage-site.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { updateArticleContent } from '../../src/store/articles.js';
import { batchTiming } from '../../src/store/write-batches.js';
import { buildTestServer } from '../admin.js';
import {
  openTestNewsroom,
  runCliOn,
  searchIndexAndRebuilt,
  storedBodyJson,
  type TestNewsroom,
  tableChecksums,
} from '../newsroom.js';
import { buildWxr, type TestPost } from '../wxr-builder.js';

// WordPress exports the theme-unit-test file does not cover, written by the test.

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

/** The search index the import wrote is the one rebuilding it from the stored articles gives. */
async function expectIndexAsRebuilt(): Promise<void> {
  const { written, rebuilt } = await searchIndexAndRebuilt(newsroom);
  expect(written).toBe(rebuilt);
}

async function importWxr(xml: string) {
  return importSource(newsroom, bytesSource('site.xml', Buffer.from(xml)));
}

const politics = { slug: 'politics', name: 'Politics' };

/** A one-line post in Politics, its slug and old permalink made from its title. */
function simplePost(id: number, title: string, extra: Partial<TestPost> = {}): TestPost {
  const slug = title.toLowerCase();
  return {
    id,
    title,
    slug,
    link: `https://old.example/${slug}/`,
    content: 'x',
    categories: [politics],
    ...extra,
  };
}

describe('WordPress import, edge cases', () => {
  it('redirects a Cyrillic permalink however the browser escapes it', async () => {
    await importWxr(
      buildWxr({
        categories: [politics],
        posts: [
          {
            id: 7,
            title: 'Выборы',
            slug: '%d0%b2%d1%8b%d0%b1%d0%be%d1%80%d1%8b',
            link: 'https://old.example/2024/05/%d0%b2%d1%8b%d0%b1%d0%be%d1%80%d1%8b/',
            content: '<p>Текст.</p>',
            categories: [politics],
          },
        ],
      }),
    );
    for (const url of [
      '/2024/05/%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B/',
      '/2024/05/%d0%b2%d1%8b%d0%b1%d0%be%d1%80%d1%8b',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(301);
      expect(response.headers.location, url).toBe('/politics/vybory');
    }
  });

  it('files posts of a "Posts only" export (no categories in the channel) under their own categories', async () => {
    const result = await importWxr(
      buildWxr({
        posts: [simplePost(1, 'A')],
      }),
    );
    expect(result.lines.map(formatReportLine)).toContain('created article /politics/a');
    expect(result.notes.get('category named only by its posts (made a top-level section)')).toBe(1);
  });

  it('reads escaped tag names alike in the channel and in posts: one tag', async () => {
    const tag = { slug: 'tom-jerry', name: 'Tom &amp; Jerry' };
    await importWxr(
      buildWxr({
        categories: [politics],
        tags: [tag],
        posts: [simplePost(1, 'A', { tags: [tag] })],
      }),
    );
    const tags = await newsroom.store.db.selectFrom('tag').select(['name', 'slug']).execute();
    expect(tags).toEqual([{ name: 'Tom & Jerry', slug: 'tom-jerry' }]);
  });

  it('skips a post too large to store, with the reason, and imports the rest', async () => {
    // Preformatted text is kept as HTML, whose size is bounded (tables now
    // become table blocks, so the results come as a listing).
    const rows = Array.from({ length: 80_000 }, (_, i) => `${i}\tdistrict ${i}`).join('\n');
    const result = await importWxr(
      buildWxr({
        categories: [politics],
        posts: [
          {
            id: 1,
            title: 'Results',
            slug: 'results',
            link: 'https://old.example/results/',
            content: `<pre>${rows}</pre>`,
            categories: [politics],
          },
          simplePost(2, 'Small'),
        ],
      }),
    );
    const lines = result.lines.map(formatReportLine);
    expect(
      lines.some((line) =>
        /^skipped post #1 “Results”: its body cannot be stored: .*attrs\.html/.test(line),
      ),
    ).toBe(true);
    expect(lines).toContain('created article /politics/small');
  });

  it('resolves relative picture addresses against the old site, and counts pictures it cannot find', async () => {
    const result = await importWxr(
      buildWxr({
        categories: [politics],
        posts: [
          {
            id: 1,
            title: 'A',
            slug: 'a',
            link: 'https://old.example/a/',
            content:
              '<p><img src="/wp-content/uploads/crane.jpg" alt="Crane"></p>[gallery ids="77,78"]<p><img class="wp-image-99"></p>',
            categories: [politics],
          },
        ],
      }),
    );
    const media = await newsroom.store.db.selectFrom('media').select('source_url').execute();
    expect(media).toEqual([{ source_url: 'https://old.example/wp-content/uploads/crane.jpg' }]);
    expect(result.notes.get('picture whose attachment is not in the file (left out)')).toBe(3);
  });

  it('indexes posts whose links to later posts are rewritten at the end as a rebuild of the index would', async () => {
    const later = (id: number) => `https://old.example/2024/05/later-${id}/`;
    const posts = Array.from({ length: 6 }, (_, i) =>
      simplePost(i + 1, `Story ${i + 1}`, {
        slug: `later-${i + 1}`,
        link: later(i + 1),
        // Each links to the one after it, which is not written yet.
        content: `<p>Harbour news, then <a href="${later(i + 2)}">the next story</a> on cranes.</p>`,
      }),
    );
    const result = await importWxr(buildWxr({ categories: [politics], posts }));
    expect(result.notes.get('link to the old site rewritten to its new address')).toBe(5);
    const first = await storedBodyJson(newsroom, 'later-1');
    expect(first).toContain('/politics/later-2');
    await expectIndexAsRebuilt();
  });

  it('imports a scheduled post with an uncredited featured image as a draft, saying why', async () => {
    const result = await importWxr(
      buildWxr({
        categories: [politics],
        posts: [
          {
            id: 5,
            title: 'Photo',
            slug: 'photo',
            link: 'https://old.example/photo/',
            content: '',
            type: 'attachment',
            status: 'inherit',
            attachmentUrl: 'https://old.example/p.jpg',
          },
          {
            id: 6,
            title: 'Later',
            slug: 'later',
            link: 'https://old.example/?p=6',
            content: 'x',
            status: 'future',
            date: '2030-01-01 08:00:00',
            categories: [politics],
            meta: [{ key: '_thumbnail_id', value: '5' }],
          },
        ],
      }),
    );
    expect(result.lines.map(formatReportLine)).toContain(
      'created article /politics/later (draft; scheduled in WordPress, but its featured image has no credit: add one and schedule it again)',
    );
    const article = await newsroom.store.db
      .selectFrom('article')
      .select(['status', 'scheduled_at'])
      .executeTakeFirstOrThrow();
    expect(article).toEqual({ status: 'draft', scheduled_at: null });
    // Indexed as a draft, as rebuilding the index from the stored article gives.
    await expectIndexAsRebuilt();
  });

  it('imports a directory whole or not at all: a failure while writing the last file undoes the first', async () => {
    const dir = join(newsroom.dataDir, 'drop');
    await mkdir(dir);
    await writeFile(
      join(dir, 'a.xml'),
      buildWxr({
        categories: [politics],
        posts: [simplePost(1, 'A')],
      }),
    );
    // Well-formed, but its categories are each other's parents: found only while writing.
    await writeFile(
      join(dir, 'b.xml'),
      buildWxr({
        base: 'https://other.example',
        categories: [
          { slug: 'x', name: 'X', parent: 'y' },
          { slug: 'y', name: 'Y', parent: 'x' },
        ],
        posts: [],
      }),
    );
    const before = await tableChecksums(newsroom);
    // Batches as small as they go, so the first file is committed, in several
    // batches, before the second fails (on SQLite; PostgreSQL imports in one
    // transaction).
    const timing = { ...batchTiming };
    Object.assign(batchTiming, { holdMs: 0, pauseMs: 0 });
    const failed = await runCliOn(newsroom, ['import', dir]).finally(() =>
      Object.assign(batchTiming, timing),
    );
    expect(failed.code).toBe(1);
    expect(failed.lines.join('\n')).toMatch(/category “x” is its own ancestor/);
    expect(await tableChecksums(newsroom)).toEqual(before);
  });

  it('leaves a page the newsroom edited since the import alone when the file is imported again, and updates one it did not', async () => {
    const page = (id: number, slug: string, content: string): TestPost => ({
      id,
      title: slug,
      slug,
      link: `https://old.example/${slug}/`,
      type: 'page',
      content,
    });
    await importWxr(
      buildWxr({ posts: [page(7, 'about', 'Who we are.'), page(8, 'tips', 'Write to us.')] }),
    );
    // A day later, an editor rewrites one of them.
    newsroom.now = () => new Date('2026-03-02T12:00:00.000Z');
    await updatePage(newsroom, SYSTEM_ACTOR, 'about', {
      body: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Who we are now.' }] }],
      },
    });
    const result = await importWxr(
      buildWxr({
        posts: [
          page(7, 'about', 'Who we were, corrected.'),
          page(8, 'tips', 'Write to us, or call.'),
        ],
      }),
    );
    expect(result.lines.map(formatReportLine)).toEqual(
      expect.arrayContaining([
        'unchanged page /about (edited in Masthead since it was imported: the file’s version was not applied)',
        'updated page /tips',
      ]),
    );
    const bodies = await newsroom.store.db
      .selectFrom('page')
      .select(['slug', 'body_json'])
      .orderBy('slug')
      .execute();
    expect(
      bodies.map((row) => [
        row.slug,
        row.body_json.includes('Who we are now.') || row.body_json.includes('or call.'),
      ]),
    ).toEqual([
      ['about', true],
      ['tips', true],
    ]);
  });

  it('takes people’s public contacts from a Masthead export only from the editor-in-chief', async () => {
    const contacts = {
      email: 'nora@news.example',
      signal: '',
      pgpFingerprint: '',
      pgpKeyUrl: '',
      links: [],
    };
    const file = buildWxr({ categories: [politics], posts: [simplePost(1, 'Harbour')] })
      .replace('xmlns:wp=', 'xmlns:masthead="urn:masthead:wxr:1" xmlns:wp=')
      .replace(
        /<wp:author>.*<\/wp:author>/,
        `<wp:author><wp:author_login>editor</wp:author_login><wp:author_display_name>Nora Quill</wp:author_display_name><masthead:contacts>${JSON.stringify(contacts)}</masthead:contacts></wp:author>`,
      );
    const upload = { name: 'site.xml', bytes: Buffer.from(file) };
    const contactsOf = async () =>
      (
        await newsroom.store.db
          .selectFrom('person')
          .select('contacts')
          .where('name', '=', 'Nora Quill')
          .executeTakeFirstOrThrow()
      ).contacts;
    // An editor may import, but not publish a way to reach someone (newsroom/profiles.ts).
    const byEditor = await importUpload(newsroom, { ...SYSTEM_ACTOR, role: 'editor' }, upload);
    expect([...byEditor.notes.keys()]).toContain(
      'author contacts or portrait (left out: only the editor-in-chief imports people’s public profiles)',
    );
    expect(JSON.parse(await contactsOf()).email ?? '').toBe('');
    await newsroom.store.db.deleteFrom('article').execute();
    await newsroom.store.db.deleteFrom('import_ref').execute();
    await newsroom.store.db.deleteFrom('person').where('name', '=', 'Nora Quill').execute();
    await importUpload(newsroom, SYSTEM_ACTOR, upload);
    expect(JSON.parse(await contactsOf())).toEqual(contacts);
  });

  it('leaves an article the newsroom edited since the import alone when the file is imported again', async () => {
    const first = buildWxr({ categories: [politics], posts: [simplePost(1, 'Harbour')] });
    await importWxr(first);
    const article = await newsroom.store.db
      .selectFrom('article')
      .selectAll()
      .executeTakeFirstOrThrow();
    await updateArticleContent(newsroom.store.db, article.id, {
      title: 'Harbour, rewritten by the desk',
      standfirst: '',
      body: JSON.parse(article.body_json),
      language: article.language,
      leadMediaId: null,
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
    const changed = buildWxr({
      categories: [politics],
      posts: [{ ...simplePost(1, 'Harbour'), content: 'A corrected paragraph from the old site.' }],
    });
    const result = await importWxr(changed);
    expect(result.lines.map(formatReportLine)).toContain(
      'unchanged article /politics/harbour (edited in Masthead since it was imported: the file’s version was not applied)',
    );
    const after = await newsroom.store.db
      .selectFrom('article')
      .select('title')
      .executeTakeFirstOrThrow();
    expect(after.title).toBe('Harbour, rewritten by the desk');
  });

  it('imports a post id the file holds twice once, and the text of a post nested thousands deep', async () => {
    const deep = `${'<div>'.repeat(20_000)}Still here${'</div>'.repeat(20_000)}`;
    const xml = buildWxr({
      categories: [politics],
      posts: [
        simplePost(1, 'First'),
        simplePost(1, 'Again'),
        { ...simplePost(2, 'Deep'), content: deep },
      ],
    });
    const result = await importWxr(xml);
    const lines = result.lines.map(formatReportLine);
    expect(lines).toContain(
      'skipped post #1 “Again”: the file holds post id 1 twice; the other one was imported',
    );
    expect(lines).toContain('created article /politics/deep');
    expect(
      result.notes.get(
        'HTML nested more than 100 elements deep (the deeper tags dropped, their text kept)',
      ),
    ).toBe(1);
    const deepBody = await storedBodyJson(newsroom, 'deep');
    expect(deepBody).toContain('Still here');
    const again = await importWxr(xml);
    expect(
      again.lines.filter((line) => line.action === 'updated' || line.action === 'created'),
    ).toEqual([]);
  });
});
