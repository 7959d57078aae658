import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import { formatReportLine, summarize } from '../../src/newsroom/import-report.js';
import { saveRedirects } from '../../src/store/redirects.js';
import { buildTestServer } from '../admin.js';
import {
  countRows,
  openTestNewsroom,
  runCliOn,
  type TestNewsroom,
  tableChecksums,
} from '../newsroom.js';

// The WordPress theme-unit-test export, read in place. What it should become
// is counted by the test itself from the XML with fast-xml-parser, not by the
// importer's own reader (saxes), and not written down by hand.

const WPTEST = new URL('../../../shared/fixtures/wordpress/wptest.xml', import.meta.url);

type Item = Record<string, unknown>;
const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

async function expected() {
  const xml = await readFile(WPTEST, 'utf8');
  const channel = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml).rss
    .channel;
  const items = asArray<Item>(channel.item);
  const of = (type: string) => items.filter((item) => item['wp:post_type'] === type);
  const posts = of('post').filter((item) => item['wp:status'] !== 'trash');
  const categories = new Set([
    ...asArray<Item>(channel['wp:category']).map((c) => String(c['wp:category_nicename'])),
    ...asArray<Item>(channel['wp:term'])
      .filter((t) => t['wp:term_taxonomy'] === 'category')
      .map((t) => String(t['wp:term_slug'])),
  ]);
  const tags = new Set([
    ...asArray<Item>(channel['wp:tag']).map((t) => String(t['wp:tag_slug'])),
    ...asArray<Item>(channel['wp:term'])
      .filter((t) => t['wp:term_taxonomy'] === 'post_tag')
      .map((t) => String(t['wp:term_slug'])),
  ]);
  return {
    posts,
    // A password-protected post is imported as a draft: Masthead has no passwords for readers.
    published: posts.filter((item) => item['wp:status'] === 'publish' && !item['wp:post_password']),
    pages: of('page').filter((item) => item['wp:status'] === 'publish'),
    attachments: of('attachment'),
    categories: categories.size,
    tags: tags.size,
    authors: asArray<Item>(channel['wp:author']).length,
    link: (item: Item) => new URL(String(item.link)).pathname,
    id: (item: Item) => Number(item['wp:post_id']),
  };
}

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

async function importWptest() {
  return importSource(newsroom, bytesSource('wptest.xml', await readFile(WPTEST)));
}

describe('WordPress WXR import', () => {
  it('imports exactly the posts, pages, categories, tags, authors and attachments in the file', async () => {
    const want = await expected();
    const result = await importWptest();
    const counts = await countRows(newsroom);
    expect(counts.article).toBe(want.posts.length);
    expect(counts.page).toBe(want.pages.length);
    expect(counts.section).toBe(want.categories);
    expect(counts.tag).toBe(want.tags);
    expect(counts.person).toBe(want.authors);
    // One photo record per attachment: the posts' pictures all point at attachments in the file.
    expect(counts.media).toBe(want.attachments.length);
    const published = await newsroom.store.db
      .selectFrom('article')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    expect(Number(published.n)).toBe(want.published.length);
    // The report names every item; menus and theme data are skipped with a reason.
    const lines = result.lines.map(formatReportLine);
    expect(lines.filter((line) => line.startsWith('created article'))).toHaveLength(
      want.posts.length,
    );
    expect(lines).toContain(
      'skipped wp_global_styles #1415 “Custom Styles”: WordPress theme data (wp_global_styles)',
    );
    expect(lines.some((line) => /^skipped nav_menu_item #\d+ .*: a menu entry/.test(line))).toBe(
      true,
    );
    // Every construct it could not convert one to one is counted.
    expect(result.notes.size).toBeGreaterThan(0);
    // The file's tables become Masthead tables (editable, scrolling on phones), none kept as HTML.
    const bodies = await newsroom.store.db.selectFrom('article').select('body_json').execute();
    const tables = bodies.flatMap((row) => row.body_json.match(/"type":"table"/g) ?? []);
    expect(tables.length).toBeGreaterThan(0);
    expect(result.notes.get('kept as HTML: table')).toBeUndefined();
    // Custom fields have no place in Masthead: every one is counted, none dropped unsaid.
    const customFields = [...want.posts, ...want.pages]
      .flatMap((item) => asArray<Item>(item['wp:postmeta'] as Item | Item[]))
      .filter((meta) => !String(meta['wp:meta_key']).startsWith('_')).length;
    expect(customFields).toBeGreaterThan(0);
    const counted = [...result.notes]
      .filter(([what]) => what.startsWith('custom field'))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(counted).toBe(customFields);
    expect(
      result.notes.get('page break (<!--nextpage-->): the article is one page'),
    ).toBeGreaterThan(0);
    // The authors' account e-mails are not published: counted, not dropped unsaid.
    expect(
      result.notes.get('author e-mail matching no account here (not kept: invite them as staff)'),
    ).toBe(want.authors);
    expect(summarize('wptest.xml', result)[0]).toMatch(
      /^imported wptest\.xml: \d+ created, 0 updated, 0 unchanged, \d+ skipped$/,
    );
  });

  it('keeps attachments as photo records with their original address, alt text and caption', async () => {
    const want = await expected();
    await importWptest();
    const withAlt = want.attachments.find((item) =>
      asArray<Item>(item['wp:postmeta'] as Item | Item[]).some(
        (meta) =>
          meta['wp:meta_key'] === '_wp_attachment_image_alt' &&
          String(meta['wp:meta_value']).trim(),
      ),
    );
    if (!withAlt) throw new Error('the fixture has an attachment with alt text');
    const alt = String(
      asArray<Item>(withAlt['wp:postmeta'] as Item | Item[]).find(
        (meta) => meta['wp:meta_key'] === '_wp_attachment_image_alt',
      )?.['wp:meta_value'],
    ).trim();
    const row = await newsroom.store.db
      .selectFrom('media')
      .selectAll()
      .where('source_url', '=', String(withAlt['wp:attachment_url']))
      .executeTakeFirstOrThrow();
    expect(row.alt).toBe(alt);
    expect(row.file).toBeNull();
  });

  it('renders every imported published post and page', async () => {
    await importWptest();
    const articles = await newsroom.store.db
      .selectFrom('article')
      .innerJoin('section', 'section.id', 'article.section_id')
      .select(['article.slug', 'section.path'])
      .where('status', '=', 'published')
      .execute();
    const pages = await newsroom.store.db.selectFrom('page').select('slug').execute();
    const urls = [
      ...articles.map((a) => `/${a.path}/${a.slug}`),
      ...pages.map((p) => `/${p.slug}`),
    ];
    expect(urls.length).toBeGreaterThan(20);
    for (const url of urls) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<h1');
    }
  });

  it('redirects /?p=ID and the old permalink to the new page, and not to an unpublished one', async () => {
    const want = await expected();
    await importWptest();
    const post = want.published[0] as Item;
    const byId = await app.inject({ method: 'GET', url: `/?p=${want.id(post)}` });
    expect(byId.statusCode).toBe(301);
    const target = String(byId.headers.location);
    expect((await app.inject({ method: 'GET', url: target })).statusCode).toBe(200);
    const byLink = await app.inject({ method: 'GET', url: want.link(post) });
    expect(byLink.statusCode).toBe(301);
    expect(byLink.headers.location).toBe(target);
    const page = want.pages[0] as Item;
    const pageById = await app.inject({ method: 'GET', url: `/?page_id=${want.id(page)}` });
    expect(pageById.statusCode).toBe(301);
    // The blog lived under /demo: its own forms of the address work too.
    const base = new URL(String(post.link)).pathname.split('/')[1];
    const underBase = await app.inject({ method: 'GET', url: `/${base}/?p=${want.id(post)}` });
    expect(underBase.statusCode).toBe(301);
    expect(underBase.headers.location).toBe(target);
    // A scheduled post is not public yet: its old address leads nowhere until it is.
    const scheduled = want.posts.find((item) => item['wp:status'] === 'future') as Item;
    const home = await app.inject({ method: 'GET', url: `/?p=${want.id(scheduled)}` });
    expect(home.statusCode).toBe(200);
    expect(home.body).not.toContain(String(scheduled.title));
  });

  it('never lets a recorded old address shadow one of the site’s own pages', async () => {
    await importWptest();
    const section = await newsroom.store.db
      .selectFrom('section')
      .select('path')
      .executeTakeFirstOrThrow();
    const article = await newsroom.store.db
      .selectFrom('article')
      .select('id')
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    // An old permalink that happens to be a section's address, with and without a slash.
    await saveRedirects(
      newsroom.store.db,
      [`/${section.path}/`, `/${section.path}`],
      { entity: 'article', entityId: article.id },
      '2026-03-01T09:00:00.000Z',
    );
    const slashed = await app.inject({ method: 'GET', url: `/${section.path}/` });
    expect(slashed.statusCode).toBe(301);
    expect(slashed.headers.location).toBe(`/${section.path}`);
    expect((await app.inject({ method: 'GET', url: `/${section.path}` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/${section.path}?p=999999` })).statusCode).toBe(
      200,
    );
  });

  it('changes nothing when the same file is imported again, and says so item by item', async () => {
    const first = await importWptest();
    const before = await tableChecksums(newsroom);
    const again = await importWptest();
    const count = (lines: typeof first.lines, action: string) =>
      lines.filter((line) => line.action === action).length;
    expect(count(again.lines, 'created') + count(again.lines, 'updated')).toBe(0);
    expect(count(again.lines, 'unchanged')).toBe(count(first.lines, 'created'));
    expect(await tableChecksums(newsroom)).toEqual(before);
  });

  it('fails on a truncated, corrupted or mis-encoded file naming the file and the place, and writes nothing', async () => {
    await importWptest();
    const before = await tableChecksums(newsroom);
    const bytes = await readFile(WPTEST);
    const text = bytes.toString('utf8');
    const titleAt = text.indexOf('</title>', text.indexOf('<item>'));
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    const variants: { name: string; bytes: Uint8Array; message: RegExp }[] = [
      ...[0.25, 0.5, 0.9, 0.999].map((share) => ({
        name: `cut-${share}.xml`,
        bytes: bytes.subarray(0, Math.floor(bytes.length * share)),
        message: /^cut-[\d.]+\.xml: the file ends inside <\w[\w:]*> opened at line \d+/,
      })),
      {
        name: 'typo.xml',
        bytes: Buffer.from(`${text.slice(0, titleAt)}</titel>${text.slice(titleAt + 8)}`),
        message: new RegExp(`^typo\\.xml: line ${lineOf(titleAt)}, column \\d+: broken XML`),
      },
      {
        name: 'latin1.xml',
        bytes: Buffer.concat([
          bytes.subarray(0, 5000),
          Buffer.from([0xff, 0xfe]),
          bytes.subarray(5000),
        ]),
        message: /^latin1\.xml: line \d+: not valid UTF-8 \(bad byte 0xff at byte offset 5000\)/,
      },
    ];
    for (const variant of variants) {
      await expect(
        importSource(newsroom, bytesSource(variant.name, variant.bytes)),
        variant.name,
      ).rejects.toThrow(variant.message);
      expect(await tableChecksums(newsroom), variant.name).toEqual(before);
    }
  });

  it('imports through the CLI with plain progress lines when not on a terminal', async () => {
    const { code, lines } = await runCliOn(newsroom, ['import', WPTEST.pathname]);
    expect(code).toBe(0);
    expect(lines.some((line) => /^created article \/\S+/.test(line))).toBe(true);
    expect(lines.some((line) => /^imported wptest\.xml: \d+ created/.test(line))).toBe(true);
    expect(lines.some((line) => /old addresses now redirect/.test(line))).toBe(true);
    // Not a terminal: progress comes as plain lines (no bar, no carriage returns).
    const progress = lines.filter((line) =>
      /^wptest\.xml: (checking|importing) \(pass [12]\/2\)/.test(line),
    );
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatch(
      /^wptest\.xml: checking \(pass 1\/2\) [\d.]+ MB, \d+ items, \d+ items\/s$/,
    );
    expect(lines.some((line) => line.includes('\r') || /\[[#.]{20}\]/.test(line))).toBe(false);
    const broken = join(newsroom.dataDir, 'broken.xml');
    await writeFile(broken, (await readFile(WPTEST)).subarray(0, 20_000));
    const failed = await runCliOn(newsroom, ['import', broken]);
    expect(failed.code).toBe(1);
    expect(failed.lines.join('\n')).toMatch(/broken\.xml: the file ends inside/);
  });
});
