import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import {
  formatReportLine,
  NOTE_LONG_TAG,
  NOTE_MANY_TAGS,
} from '../../src/newsroom/import-report.js';
import { buildTestServer } from '../admin.js';
import { countRows, openTestNewsroom, storedBodyJson, type TestNewsroom } from '../newsroom.js';
import { buildWxr, type TestPost } from '../wxr-builder.js';

// What a WordPress import keeps of the file, or names in its report: pictures
// bound to the right attachment, items the file cannot identify, repeated ids,
// tag slugs and archive addresses, and links between the old site's pages.

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

async function importWxr(xml: string) {
  return importSource(newsroom, bytesSource('site.xml', Buffer.from(xml)));
}

const politics = { slug: 'politics', name: 'Politics' };
const UPLOADS = 'https://old.example/wp-content/uploads';

function post(id: number, slug: string, extra: Partial<TestPost> = {}): TestPost {
  return {
    id,
    title: slug.toUpperCase(),
    slug,
    link: `https://old.example/2024/05/${slug}/`,
    content: 'x',
    categories: [politics],
    ...extra,
  };
}

function attachment(id: number, file: string): TestPost {
  return {
    id,
    title: file,
    slug: file.replace(/\./g, '-'),
    link: `https://old.example/${file}/`,
    content: '',
    type: 'attachment',
    status: 'inherit',
    attachmentUrl: `${UPLOADS}/${file}`,
  };
}

type StoredNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: StoredNode[];
  marks?: { type: string; attrs?: { href?: string } }[];
};

async function storedBody(slug: string): Promise<StoredNode> {
  return JSON.parse(await storedBodyJson(newsroom, slug)) as StoredNode;
}

function walk(node: StoredNode, visit: (node: StoredNode) => void): void {
  visit(node);
  for (const child of node.content ?? []) walk(child, visit);
}

/** The source address of each picture in an article's body, in order. */
async function pictureSources(slug: string): Promise<(string | null)[]> {
  const ids: number[] = [];
  walk(await storedBody(slug), (node) => {
    if (node.type === 'image') ids.push(Number(node.attrs?.mediaId));
  });
  const media = await newsroom.store.db.selectFrom('media').select(['id', 'source_url']).execute();
  return ids.map((id) => media.find((row) => row.id === id)?.source_url ?? null);
}

/** Each link's href in an article's body, in order (a picture that leads somewhere too). */
async function linkHrefs(slug: string): Promise<string[]> {
  const hrefs: string[] = [];
  walk(await storedBody(slug), (node) => {
    if (node.type === 'image' && typeof node.attrs?.href === 'string') hrefs.push(node.attrs.href);
    for (const mark of node.marks ?? []) {
      if (mark.type === 'link' && mark.attrs?.href) hrefs.push(mark.attrs.href);
    }
  });
  return hrefs;
}

async function location(url: string): Promise<string | undefined> {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, url).toBe(301);
  return response.headers.location;
}

describe('WordPress import fidelity', () => {
  it('binds a resized copy to a large upload WordPress keeps as “-scaled”', async () => {
    const result = await importWxr(
      buildWxr({
        categories: [politics],
        posts: [
          attachment(70, 'crowd-scaled.jpg'),
          post(71, 'rally', { content: `<p><img src="${UPLOADS}/crowd-1024x683.jpg" alt=""></p>` }),
        ],
      }),
    );
    expect(await pictureSources('rally')).toEqual([`${UPLOADS}/crowd-scaled.jpg`]);
    expect([...result.notes.keys()].some((note) => note.startsWith('picture not among'))).toBe(
      false,
    );
  });

  it('binds a picture by its full address first, by its size-less address only when one attachment has it, and reports the rest', async () => {
    const img = (src: string) => `<p><img src="${src}" alt=""></p>`;
    const result = await importWxr(
      buildWxr({
        categories: [politics],
        posts: [
          // An original whose own name ends in a size, beside the one it seems to be a size of.
          attachment(10, 'a.jpg'),
          attachment(11, 'a-1200x800.jpg'),
          attachment(12, 'photo.jpg'),
          post(1, 'pictures', {
            content: [
              img('http://old.example/wp-content/uploads/a-1200x800.jpg'),
              img(`${UPLOADS}/a.jpg?w=640`),
              img(`${UPLOADS}/photo-300x200.jpg`),
              img(`${UPLOADS}/a-300x200.jpg`),
              img('https://elsewhere.example/x.jpg'),
            ].join(''),
          }),
        ],
      }),
    );
    expect(await pictureSources('pictures')).toEqual([
      `${UPLOADS}/a-1200x800.jpg`,
      `${UPLOADS}/a.jpg`,
      `${UPLOADS}/photo.jpg`,
      // "a.jpg" and "a-1200x800.jpg" both lose their size to "a.jpg": neither is bound.
      `${UPLOADS}/a-300x200.jpg`,
      'https://elsewhere.example/x.jpg',
    ]);
    expect(
      result.notes.get(
        'picture not among the file’s attachments (kept as a photo to fetch from its address)',
      ),
    ).toBe(1);
    expect(
      result.notes.get(
        'picture whose address fits several of the file’s attachments (kept as a photo to fetch from its address)',
      ),
    ).toBe(1);
  });

  it('refuses a file whose WXR version is not a version, naming the file and the value, and writes nothing', async () => {
    const before = await countRows(newsroom);
    const xml = buildWxr({ posts: [post(1, 'a')] }).replace(
      '<wp:wxr_version>1.2</wp:wxr_version>',
      '<wp:wxr_version>abc</wp:wxr_version>',
    );
    const error = await importWxr(xml).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('malformed_file');
    expect((error as DomainError).message).toMatch(/^site\.xml: .*"abc"/);
    expect(await countRows(newsroom)).toEqual(before);
  });

  it('skips an item without a post id, naming its title and line, and imports the rest', async () => {
    const xml = buildWxr({
      categories: [politics],
      posts: [post(1, 'first'), post(2, 'nameless'), post(3, 'third')],
    }).replace('<wp:post_id>2</wp:post_id>', '');
    const line = xml.slice(0, xml.indexOf('<title><![CDATA[NAMELESS')).split('\n').length - 1;
    const result = await importWxr(xml);
    const lines = result.lines.map(formatReportLine);
    expect(lines).toContain(
      `skipped item “NAMELESS” (line ${line}): the <item> has no <wp:post_id>`,
    );
    expect(lines).toContain('created article /politics/first');
    expect(lines).toContain('created article /politics/third');
  });

  it('imports the one importable item of a repeated post id, wherever it stands, and says so truthfully', async () => {
    const xml = buildWxr({
      categories: [politics],
      posts: [
        { ...post(5, 'old-draft'), status: 'inherit', type: 'revision' },
        { ...post(5, 'about'), type: 'page', link: 'https://old.example/about/' },
        { ...post(6, 'gone'), status: 'trash' },
        { ...post(6, 'gone-again'), status: 'trash' },
        post(7, 'kept'),
        { ...post(7, 'copy'), status: 'trash' },
        post(7, 'second-copy'),
      ],
    });
    const result = await importWxr(xml);
    const lines = result.lines.map(formatReportLine);
    expect(lines).toContain('created page /about');
    expect(lines).toContain(
      'skipped revision #5 “OLD-DRAFT”: a WordPress "revision" item (only posts, pages and attachments are imported); the file holds post id 5 twice; the other one was imported',
    );
    expect(lines).toContain(
      'skipped post #6 “GONE”: in the WordPress trash; the file holds post id 6 twice, and neither was imported',
    );
    expect(lines).toContain(
      'skipped post #6 “GONE-AGAIN”: in the WordPress trash; the file holds post id 6 twice, and neither was imported',
    );
    expect(lines).toContain('created article /politics/kept');
    expect(lines).toContain(
      'skipped post #7 “COPY”: in the WordPress trash; the file holds post id 7 3 times; another one was imported',
    );
    expect(lines).toContain(
      'skipped post #7 “SECOND-COPY”: the file holds post id 7 3 times; another one was imported',
    );
    expect(await location('/?page_id=5')).toBe('/about');
  });

  it('imports the next copy of a repeated post id when the copy meant to be imported cannot be stored', async () => {
    // Preformatted text is kept as HTML, whose size is bounded.
    const rows = Array.from({ length: 80_000 }, (_, i) => `${i}\tdistrict ${i}`).join('\n');
    const unstorable = `<pre>${rows}</pre>`;
    const xml = buildWxr({
      categories: [politics],
      posts: [
        { ...post(8, 'trashed'), status: 'trash' },
        { ...post(8, 'broken'), content: unstorable },
        post(8, 'whole'),
        post(8, 'later'),
        { ...post(9, 'broken-alone'), content: unstorable },
        { ...post(9, 'trashed-alone'), status: 'trash' },
        post(10, 'pointer', {
          content: '<p>See <a href="https://old.example/2024/05/whole/">the whole story</a>.</p>',
        }),
      ],
    });
    const result = await importWxr(xml);
    const lines = result.lines.map(formatReportLine);
    expect(
      lines.some((line) => /^skipped post #8 “BROKEN”: its body cannot be stored: /.test(line)),
    ).toBe(true);
    expect(lines).toContain('created article /politics/whole');
    expect(lines).toContain(
      'skipped post #8 “TRASHED”: in the WordPress trash; the file holds post id 8 4 times; another one was imported',
    );
    expect(lines).toContain(
      'skipped post #8 “LATER”: the file holds post id 8 4 times; another one was imported',
    );
    // No copy of 9 could be imported: no line says one was.
    expect(
      lines.some((line) =>
        /^skipped post #9 “BROKEN-ALONE”: its body cannot be stored: /.test(line),
      ),
    ).toBe(true);
    expect(lines).toContain(
      'skipped post #9 “TRASHED-ALONE”: in the WordPress trash; the file holds post id 9 twice, and neither was imported',
    );
    expect(lines.filter((line) => line.startsWith('created article'))).toEqual([
      'created article /politics/whole',
      'created article /politics/pointer',
    ]);
    // A link to the imported copy's old address leads to its new one.
    const pointer = await storedBodyJson(newsroom, 'pointer');
    expect(pointer).toContain('"href":"/politics/whole"');
  });

  it('keeps every tag of a post, and says where the editor takes fewer or shorter ones', async () => {
    const tags = Array.from({ length: 31 }, (_, i) => ({
      slug: `topic-${i}`,
      name: i === 0 ? `A tag named at length, ${'very '.repeat(12)}long` : `Topic ${i}`,
    }));
    const result = await importWxr(
      buildWxr({ categories: [politics], tags, posts: [post(1, 'everything', { tags })] }),
    );
    expect(result.notes.get(NOTE_MANY_TAGS)).toBe(1);
    expect(result.notes.get(NOTE_LONG_TAG)).toBe(1);
    const kept = await newsroom.store.db
      .selectFrom('article_tag')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBe(31);
  });

  it('keeps the export’s tag slugs and redirects the old tag and category archives', async () => {
    const news = { slug: 'news', name: 'News' };
    const city = { slug: 'city', name: 'City', parent: 'news' };
    const file = buildWxr({
      categories: [news, city],
      tags: [{ slug: 'tag1', name: 'foo bar' }],
      posts: [
        post(1, 'a', {
          categories: [city],
          tags: [
            { slug: 'tag1', name: 'foo bar' },
            { slug: 'only-here', name: 'Named by its post' },
          ],
        }),
      ],
    });
    const result = await importWxr(file);
    const tags = await newsroom.store.db
      .selectFrom('tag')
      .select(['slug', 'name'])
      .orderBy('slug')
      .execute();
    expect(tags).toEqual([
      { slug: 'only-here', name: 'Named by its post' },
      { slug: 'tag1', name: 'foo bar' },
    ]);
    const lines = result.lines.map(formatReportLine);
    expect(lines).toContain('created tag /tags/tag1');
    expect(lines).toContain('created tag /tags/only-here');
    const tagged = await newsroom.store.db
      .selectFrom('article_tag')
      .innerJoin('tag', 'tag.id', 'article_tag.tag_id')
      .select('tag.slug')
      .orderBy('article_tag.position')
      .execute();
    expect(tagged.map((row) => row.slug)).toEqual(['tag1', 'only-here']);
    expect(await location('/tag/tag1/')).toBe('/tags/tag1');
    expect(await location('/tag/only-here')).toBe('/tags/only-here');
    expect(await location('/category/news/city/')).toBe('/news/city');
    expect(await location('/category/news/')).toBe('/news');
    // Two tags, two categories and the post's two old addresses (/?p=1 and its permalink).
    expect(result.redirects).toBe(2 + 2 + 2);
    const again = await importWxr(file);
    expect(again.lines.filter((line) => line.action !== 'unchanged')).toEqual([]);
    expect(again.redirects).toBe(0);
  });

  it('leaves out a tag that yields no address, counting it, and imports its post', async () => {
    const star = { slug: '%e2%98%85', name: '★' };
    const result = await importWxr(
      buildWxr({ categories: [politics], tags: [star], posts: [post(1, 'a', { tags: [star] })] }),
    );
    expect(result.notes.get('tag with neither a usable slug nor a name (left out)')).toBe(1);
    expect(result.lines.map(formatReportLine)).toContain('created article /politics/a');
  });

  it('redirects the old archive of a category whose section the newsroom already had', async () => {
    await importWxr(buildWxr({ categories: [politics], posts: [post(1, 'a')] }));
    await newsroom.store.db.deleteFrom('redirect').execute();
    const again = await importWxr(buildWxr({ categories: [politics], posts: [post(1, 'a')] }));
    expect(again.lines.map(formatReportLine)).toContain('unchanged section /politics');
    expect(await location('/category/politics/')).toBe('/politics');
  });

  it('rewrites links to the old site’s posts, pages and archives to their new addresses, once all are in', async () => {
    const a = (href: string, text: string) => `<a href="${href}">${text}</a>`;
    const xml = buildWxr({
      categories: [politics],
      tags: [{ slug: 'port', name: 'Port' }],
      posts: [
        post(1, 'first', {
          content: `<p>${[
            // To a post further on in the file, by its permalink and by its id.
            a('https://old.example/2024/05/later/#more', 'permalink'),
            a('http://www.old.example/?p=2', 'id'),
            a('https://old.example/?page_id=3', 'page'),
            a('https://old.example/tag/port/', 'tag'),
            a('https://old.example/category/politics/', 'category'),
            a(`${UPLOADS}/report.pdf`, 'file'),
            a('https://old.example/2019/01/never-exported/', 'missing'),
            a('https://elsewhere.example/2024/05/later/', 'elsewhere'),
          ].join(
            ' ',
          )}</p>${a('https://old.example/2024/05/later/', '<img src="https://elsewhere.example/p.jpg" alt="">')}`,
        }),
        // Back to one written already: rewritten before it is stored.
        post(2, 'later', { content: `<p>${a('https://old.example/2024/05/first/', 'back')}</p>` }),
        { ...post(3, 'history'), type: 'page', link: 'https://old.example/history/' },
      ],
    });
    const result = await importWxr(xml);
    expect(await linkHrefs('first')).toEqual([
      '/politics/later#more',
      '/politics/later',
      '/history',
      '/tags/port',
      '/politics',
      `${UPLOADS}/report.pdf`,
      'https://old.example/2019/01/never-exported/',
      'https://elsewhere.example/2024/05/later/',
      '/politics/later',
    ]);
    expect(await linkHrefs('later')).toEqual(['/politics/first']);
    expect(result.notes.get('link to the old site rewritten to its new address')).toBe(7);
    expect(result.notes.get('link to the old site with no imported page (left as it was)')).toBe(1);
    // The import's own rewrite is not an edit by the newsroom: a re-import changes nothing.
    const again = await importWxr(xml);
    expect(again.lines.map(formatReportLine)).toContain('unchanged article /politics/first');
    expect(again.lines.filter((line) => line.action === 'updated')).toEqual([]);
    expect(await linkHrefs('first')).toContain('/politics/later#more');
  });

  it('rewrites a link to a page an earlier import of the same site brought in', async () => {
    await importWxr(buildWxr({ categories: [politics], posts: [post(1, 'earlier')] }));
    const result = await importWxr(
      buildWxr({
        categories: [politics],
        posts: [
          post(2, 'newer', {
            content:
              '<p><a href="https://old.example/2024/05/earlier/">then</a> <a href="https://old.example/?p=99">gone</a></p>',
          }),
        ],
      }),
    );
    expect(await linkHrefs('newer')).toEqual(['/politics/earlier', 'https://old.example/?p=99']);
    expect(result.notes.get('link to the old site rewritten to its new address')).toBe(1);
    expect(result.notes.get('link to the old site with no imported page (left as it was)')).toBe(1);
  });
});
