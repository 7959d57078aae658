import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.js';
import {
  looksLikeWxr,
  type WxrAuthor,
  type WxrEvent,
  type WxrItem,
  WxrReader,
  type WxrSite,
  type WxrTerm,
} from './wxr-reader.js';

// The WordPress theme-test export (WPTest, WXR 1.2, ~650 KB) in shared/.
const FIXTURE = new URL('../../../shared/fixtures/wordpress/wptest.xml', import.meta.url);
const wptest = new Uint8Array(readFileSync(FIXTURE));
const encoder = new TextEncoder();

function readAll(bytes: Uint8Array, chunkSize: number, fileName = 'wptest.xml'): WxrEvent[] {
  const reader = new WxrReader(fileName);
  const events: WxrEvent[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) {
    events.push(...reader.write(bytes.subarray(at, at + chunkSize)));
  }
  events.push(...reader.close());
  expect(reader.bytesRead).toBe(bytes.length);
  return events;
}

/** The DomainError `read` throws (fails the test if it throws none). */
function failure(read: () => unknown): DomainError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

/** 1-based line of a byte offset. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the n-th (0-based) occurrence of `needle` at or after `from`. */
function nth(bytes: Uint8Array, needle: string, n: number, from = 0): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = from - 1;
  for (let i = 0; i <= n; i++) {
    at = buffer.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`no occurrence ${n} of ${needle}`);
  }
  return at;
}

function replaced(bytes: Uint8Array, at: number, length: number, text: string): Uint8Array {
  return Buffer.concat([bytes.subarray(0, at), encoder.encode(text), bytes.subarray(at + length)]);
}

const sites = (events: WxrEvent[]): WxrSite[] =>
  events.flatMap((event) => (event.kind === 'site' ? [event.site] : []));
const authors = (events: WxrEvent[]): WxrAuthor[] =>
  events.flatMap((event) => (event.kind === 'author' ? [event.author] : []));
const terms = (events: WxrEvent[]): WxrTerm[] =>
  events.flatMap((event) => (event.kind === 'term' ? [event.term] : []));
const items = (events: WxrEvent[]): WxrItem[] =>
  events.flatMap((event) => (event.kind === 'item' ? [event.item] : []));

function countBy<T>(values: T[], key: (value: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[key(value)] = (counts[key(value)] ?? 0) + 1;
  return counts;
}

// The same file read whole by another parser, for counts not written down by hand.
type Node = Record<string, unknown>;
const REPEATED = ['item', 'wp:author', 'wp:category', 'wp:tag', 'wp:term', 'wp:comment'];
const whole = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => [...REPEATED, 'category', 'wp:postmeta'].includes(name),
}).parse(Buffer.from(wptest).toString('utf8')) as { rss: { channel: Node } };
const channel = whole.rss.channel;
const list = (node: Node, key: string): Node[] => (node[key] as Node[] | undefined) ?? [];
const textOf = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '' : String(value);

describe('WxrReader on the WPTest export', () => {
  const events = readAll(wptest, 1000);

  it('sends the site first, once, with the channel header', () => {
    expect(events[0]?.kind).toBe('site');
    expect(sites(events)).toEqual([
      {
        title: textOf(channel.title),
        link: textOf(channel.link),
        description: textOf(channel.description),
        language: textOf(channel.language),
        baseSiteUrl: textOf(channel['wp:base_site_url']),
        baseBlogUrl: textOf(channel['wp:base_blog_url']),
        wxrVersion: '1.2',
      },
    ]);
  });

  it('finds every author, category, tag and term another parser finds', () => {
    expect(authors(events).map((author) => author.login)).toEqual(
      list(channel, 'wp:author').map((author) => textOf(author['wp:author_login'])),
    );
    const expected = {
      ...countBy(list(channel, 'wp:term'), (term) => textOf(term['wp:term_taxonomy'])),
    };
    expected.category = (expected.category ?? 0) + list(channel, 'wp:category').length;
    expected.post_tag = (expected.post_tag ?? 0) + list(channel, 'wp:tag').length;
    expect(countBy(terms(events), (term) => term.taxonomy)).toEqual(expected);
    expect(list(channel, 'wp:category').length).toBeGreaterThan(0);
    expect(list(channel, 'wp:tag').length).toBeGreaterThan(0);

    const categories = terms(events).filter((term) => term.taxonomy === 'category');
    expect(categories.map((term) => term.slug)).toContain('alignment');
    const child = categories.find((term) => term.parentSlug !== null);
    expect(categories.some((term) => term.slug === child?.parentSlug)).toBe(true);
  });

  it('finds every item, by post type, with its comments counted', () => {
    const expected = list(channel, 'item');
    expect(countBy(items(events), (item) => item.postType)).toEqual(
      countBy(expected, (item) => textOf(item['wp:post_type'])),
    );
    expect(items(events).map((item) => [item.postId, item.title, item.commentCount])).toEqual(
      expected.map((item) => [
        Number(item['wp:post_id']),
        textOf(item.title).trim(),
        list(item, 'wp:comment').length,
      ]),
    );
    const starts = expected.slice(0, 5).map((_, n) => lineAt(wptest, nth(wptest, '<item>', n)));
    expect(
      items(events)
        .slice(0, 5)
        .map((item) => item.line),
    ).toEqual(starts);
  });

  it('reads one known post field by field', () => {
    const post = items(events).find((item) => item.postId === 151);
    const other = list(channel, 'item').find((item) => item['wp:post_id'] === '151') ?? {};
    expect(post).toMatchObject({
      postType: 'post',
      slug: 'pingbacks-an-trackbacks',
      status: 'publish',
      creator: 'admin',
      postDate: '2013-01-01 10:17:18',
      postDateGmt: '2013-01-01 16:17:18',
      parentId: 0,
      menuOrder: 0,
      isSticky: false,
      password: '',
      attachmentUrl: null,
      excerpt: '',
      link: textOf(other.link),
      guid: textOf((other.guid as Node)['#text']),
      content: textOf(other['content:encoded']),
      commentCount: list(other, 'wp:comment').length,
      terms: [
        { domain: 'category', slug: 'comments', name: 'Comments' },
        { domain: 'category', slug: 'pingbacks', name: 'Pingbacks' },
        { domain: 'category', slug: 'trackbacks', name: 'Trackbacks' },
      ],
    });
    expect(post?.content).toContain('<ol><li>');
    expect(post?.meta).toContainEqual({ key: '_wp_old_slug', value: 'many-trackbacks' });
    expect(post?.meta.length).toBe(list(other, 'wp:postmeta').length);
  });

  it('gives the same events whatever the chunk size (7 bytes splits characters and tags)', () => {
    expect(readAll(wptest, 7)).toEqual(events);
    expect(readAll(wptest, wptest.length)).toEqual(events);
    expect(readAll(wptest, 65_536)).toEqual(events);
  });

  it('keeps non-ASCII text whole across chunk boundaries', () => {
    const about = items(events).find((item) => item.postId === 1086);
    expect(about?.content).toContain('WordPress’ Theme Unit Test');
  });

  it('streams: items come out while the file is still being written', () => {
    const reader = new WxrReader('wptest.xml');
    const half = Math.floor(wptest.length / 2);
    const early = reader.write(wptest.subarray(0, half));
    expect(reader.bytesRead).toBe(half);
    expect(items(early).length).toBeGreaterThan(0);
    const late = [...reader.write(wptest.subarray(half)), ...reader.close()];
    expect([...early, ...late]).toEqual(events);
  });
});

describe('WxrReader refuses broken files', () => {
  it('names the element a truncated file ends inside, and where it opened', () => {
    for (const fraction of [0.01, 0.3, 0.5, 0.77, 0.999]) {
      const cut = Math.floor(wptest.length * fraction);
      const error = failure(() => readAll(wptest.subarray(0, cut), 1000, 'export.xml'));
      expect(error.code).toBe('malformed_file');
      expect(error.message).toMatch(
        /^export\.xml: the file ends inside <[^>]+> opened at line \d+/,
      );
      expect(error.message).toContain('(truncated?)');
      const head = Buffer.from(wptest.subarray(0, cut));
      const itemStart = head.lastIndexOf('<item>');
      if (itemStart > head.lastIndexOf('</item>')) {
        expect(error.message).toContain(`<item> opened at line ${lineAt(wptest, itemStart)}`);
      }
    }
  });

  it('names the truncation when the file is cut inside a character', () => {
    const multibyte = wptest.findIndex((byte) => byte >= 0xe0);
    const error = failure(() => readAll(wptest.subarray(0, multibyte + 1), 1000));
    expect(error.message).toMatch(/ends inside <[^>]+> opened at line \d+/);
  });

  it('names the line of a mistyped close tag', () => {
    const at = nth(wptest, '</title>', 0, nth(wptest, '<item>', 9));
    const broken = replaced(wptest, at, '</title>'.length, '</titel>');
    const error = failure(() => readAll(broken, 7, 'export.xml'));
    expect(error.code).toBe('malformed_file');
    expect(error.message).toMatch(
      new RegExp(
        `^export\\.xml: line ${lineAt(wptest, at)}, column \\d+: broken XML: close tag </titel> where </title> was expected$`,
      ),
    );
  });

  it('names the tag found and the tag expected when an outer element is closed early', () => {
    const at = nth(wptest, '</title>', 0, nth(wptest, '<item>', 3));
    const broken = replaced(wptest, at, '</title>'.length, '</item>');
    for (const chunkSize of [1000, 7]) {
      const error = failure(() => readAll(broken, chunkSize, 'export.xml'));
      expect(error.message).toMatch(
        new RegExp(
          `^export\\.xml: line ${lineAt(wptest, at)}, column \\d+: broken XML: close tag </item> where </title> was expected$`,
        ),
      );
    }
  });

  it('names the field and line of a number that is not one', () => {
    const at = nth(wptest, '<wp:post_id>151<', 0);
    const broken = replaced(wptest, at, '<wp:post_id>151'.length, '<wp:post_id>15l');
    const error = failure(() => readAll(broken, 1000, 'export.xml'));
    expect(error.code).toBe('malformed_file');
    expect(error.message).toMatch(
      new RegExp(`^export\\.xml: line ${lineAt(wptest, at)}, column \\d+: <wp:post_id> `),
    );
    expect(error.message).toContain('"15l"');
  });

  it('names the byte offset and line of bytes that are not UTF-8', () => {
    const at = nth(wptest, '<wp:post_name>', 20) + 3;
    const broken = wptest.slice();
    broken[at] = 0xff;
    for (const chunkSize of [7, 1000, broken.length]) {
      const error = failure(() => readAll(broken, chunkSize, 'export.xml'));
      expect(error.code).toBe('invalid_encoding');
      expect(error.message).toBe(
        `export.xml: line ${lineAt(wptest, at)}: not valid UTF-8 (bad byte 0xff at byte offset ${at})`,
      );
    }
  });

  it('finds a broken character that began in an earlier chunk', () => {
    const lead = wptest.findIndex((byte) => byte >= 0xe0 && byte < 0xf0);
    const broken = wptest.slice();
    broken[lead + 2] = 0x41; // the third byte of a three-byte character
    const reader = new WxrReader('export.xml');
    reader.write(broken.subarray(0, lead + 1));
    reader.write(broken.subarray(lead + 1, lead + 2));
    const error = failure(() => reader.write(broken.subarray(lead + 2)));
    expect(error.message).toContain(`at byte offset ${lead})`);
    expect(error.message).toContain(`line ${lineAt(wptest, lead)}:`);
    // A reader that failed keeps failing.
    expect(failure(() => reader.close())).toBe(error);
  });
});

const WXR_1_1 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wordpress="http://wordpress.org/export/1.1/">
<channel>
  <title>Small &amp; Local</title>
  <link>https://example.org</link>
  <wordpress:wxr_version>1.1</wordpress:wxr_version>
  <wordpress:category><wordpress:term_id>7</wordpress:term_id><wordpress:category_nicename>city</wordpress:category_nicename><wordpress:category_parent>news</wordpress:category_parent><wordpress:cat_name><![CDATA[City]]></wordpress:cat_name></wordpress:category>
  <wordpress:tag><wordpress:tag_slug>rain</wordpress:tag_slug><wordpress:tag_name>Rain</wordpress:tag_name></wordpress:tag>
  <item>
    <title>Draft about a café</title>
    <dc:creator>ed</dc:creator>
    <content:encoded><![CDATA[<p>Line one</p>
]]>and &lt;more&gt;</content:encoded>
    <excerpt:encoded></excerpt:encoded>
    <wordpress:post_id>42</wordpress:post_id>
    <wordpress:post_date>0000-00-00 00:00:00</wordpress:post_date>
    <wordpress:post_date_gmt></wordpress:post_date_gmt>
    <wordpress:status>draft</wordpress:status>
    <wordpress:post_type>post</wordpress:post_type>
    <wordpress:menu_order>-1</wordpress:menu_order>
    <wordpress:is_sticky>1</wordpress:is_sticky>
    <category><![CDATA[Rain]]></category>
    <category domain="tag" nicename="rain"><![CDATA[Rain]]></category>
    <wordpress:postmeta><wordpress:meta_key>k</wordpress:meta_key><wordpress:meta_value> v </wordpress:meta_value></wordpress:postmeta>
    <wordpress:comment><wordpress:comment_content>kept out</wordpress:comment_content></wordpress:comment>
  </item>
</channel>
</rss>
`;

describe('WxrReader on other WXR spellings', () => {
  it('matches elements by namespace, whatever the prefix (WXR 1.1)', () => {
    const events = readAll(encoder.encode(WXR_1_1), 5);
    expect(events.map((event) => event.kind)).toEqual(['site', 'term', 'term', 'item']);
    expect(sites(events)[0]).toMatchObject({ title: 'Small & Local', wxrVersion: '1.1' });
    expect(terms(events)).toEqual([
      {
        taxonomy: 'category',
        id: 7,
        slug: 'city',
        name: 'City',
        parentSlug: 'news',
        description: '',
      },
      {
        taxonomy: 'post_tag',
        id: null,
        slug: 'rain',
        name: 'Rain',
        parentSlug: null,
        description: '',
      },
    ]);
    expect(items(events)[0]).toEqual({
      postId: 42,
      postType: 'post',
      title: 'Draft about a café',
      link: '',
      guid: '',
      creator: 'ed',
      content: '<p>Line one</p>\nand <more>',
      excerpt: '',
      postDate: null,
      postDateGmt: null,
      postModified: null,
      postModifiedGmt: null,
      status: 'draft',
      slug: '',
      parentId: 0,
      menuOrder: -1,
      isSticky: true,
      password: '',
      attachmentUrl: null,
      terms: [{ domain: 'post_tag', slug: 'rain', name: 'Rain' }],
      meta: [{ key: 'k', value: ' v ' }],
      commentCount: 1,
      line: 12,
    });
  });

  it('reads the usual prefixes even when the file does not declare them', () => {
    const undeclared = WXR_1_1.replace('\n  xmlns:wordpress="http://wordpress.org/export/1.1/"', '')
      .replace('\n  xmlns:dc="http://purl.org/dc/elements/1.1/"', '')
      .replaceAll('wordpress:', 'wp:');
    expect(undeclared).not.toContain('xmlns:dc');
    expect(items(readAll(encoder.encode(undeclared), 64))[0]?.creator).toBe('ed');
  });

  it('refuses what is not a WordPress export', () => {
    const cases: [string, RegExp][] = [
      [
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
        /^f\.xml: line 2, column 1: not a WordPress export \(WXR\): the root element is <feed>, not <rss>$/,
      ],
      [
        '<rss version="2.0"><channel><title>News</title><item><title>a</title></item></channel></rss>',
        /^f\.xml: line 1, column 48: not a WordPress export \(WXR\): the <channel> has no <wp:wxr_version> before <item>/,
      ],
      ['<rss version="2.0"></rss>', /^f\.xml: line 1, column 1: .*<rss> has no <channel>$/],
      ['', /^f\.xml: the file is empty$/],
      ['<?xml version="1.0"?>\n<!-- only', /^f\.xml: the file ends before its <rss> element/],
      ['<rss><channel>&nbsp;', /^f\.xml: line 1, column 20: broken XML: an undefined entity/],
    ];
    for (const [text, message] of cases) {
      const error = failure(() => readAll(encoder.encode(text), 3, 'f.xml'));
      expect(error.code).toBe('malformed_file');
      expect(error.message).toMatch(message);
    }
  });

  it('refuses a file whose <wp:wxr_version> is not a version number, as WordPress does', () => {
    for (const version of ['abc', '1', '1.2beta', '1..2']) {
      const text = WXR_1_1.replace(
        '<wordpress:wxr_version>1.1<',
        `<wordpress:wxr_version>${version}<`,
      );
      const error = failure(() => readAll(encoder.encode(text), 100, 'f.xml'));
      expect(error.code).toBe('malformed_file');
      expect(error.message).toMatch(
        new RegExp(
          `^f\\.xml: line 10, column 3: not a WordPress export \\(WXR\\): its <wp:wxr_version> is "${version.replace('.', '\\.')}", not a version number like "1\\.2"$`,
        ),
      );
    }
    for (const version of ['1.0', '1.2', '2.10']) {
      const text = WXR_1_1.replace(
        '<wordpress:wxr_version>1.1<',
        `<wordpress:wxr_version>${version}<`,
      );
      expect(sites(readAll(encoder.encode(text), 100))[0]?.wxrVersion).toBe(version);
    }
  });

  it('hands on an item without <wp:post_id> as skipped, naming its title and line, and reads on', () => {
    const text = WXR_1_1.replace('<wordpress:post_id>42</wordpress:post_id>', '').replace(
      '</channel>',
      '<item><title>Second</title><wordpress:post_id>43</wordpress:post_id></item>\n</channel>',
    );
    const events = readAll(encoder.encode(text), 7);
    expect(events.map((event) => event.kind)).toEqual(['site', 'term', 'term', 'skipped', 'item']);
    expect(events[3]).toEqual({
      kind: 'skipped',
      skipped: { title: 'Draft about a café', line: 12, reason: 'the <item> has no <wp:post_id>' },
    });
    expect(items(events).map((item) => [item.postId, item.title])).toEqual([[43, 'Second']]);
  });

  it('refuses an encoding other than UTF-8', () => {
    const latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><rss/>';
    const error = failure(() => readAll(encoder.encode(latin1), 1000, 'f.xml'));
    expect(error.code).toBe('invalid_encoding');
    expect(error.message).toContain('"ISO-8859-1"');
  });
});

describe('looksLikeWxr', () => {
  it('recognises the head of a WordPress export', () => {
    const head = new TextDecoder().decode(wptest.subarray(0, 256 * 1024));
    expect(looksLikeWxr(head)).toBe(true);
    expect(looksLikeWxr(WXR_1_1.slice(0, 300))).toBe(true);
  });

  it('does not take other feeds or files for one', () => {
    const rss =
      '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>News</title><link>https://example.org</link><item><title>WordPress export tips</title></item></channel></rss>';
    expect(looksLikeWxr(rss)).toBe(false);
    expect(looksLikeWxr('<feed xmlns="http://www.w3.org/2005/Atom"></feed>')).toBe(false);
    expect(looksLikeWxr('{"wp:wxr_version": "1.2"}')).toBe(false);
    expect(looksLikeWxr('')).toBe(false);
  });
});
