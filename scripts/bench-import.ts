// npm run bench:import [-- 10000] — how fast, and in how much memory, a
// WordPress export (WXR 1.2) of N posts imports. The export is generated into a
// temp directory, streamed to disk, with what real newsroom exports hold:
// Gutenberg and classic posts, images bound to attachments, quotes, lists, a
// few tables and [gallery] shortcodes, nested categories, tags, authors,
// drafts and scheduled posts. It is then imported through the real path
// (importSource over a file stream, as `masthead import` does) into a fresh
// SQLite database. Printed: the time of each pass, articles per second, the
// process's peak RSS, and a reference measured in the same run on the same
// file: the WXR reader (saxes) alone, no database; the ratio import/parse-only
// says what the database work costs on top of reading the XML. Last, the same
// file is imported again: the time of an import that changes nothing.
//
// With several sizes (`-- 2000 10000`) each runs in a process of its own, so
// their peak RSS can be compared, and the growth per 1000 posts is printed.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WxrReader } from '../src/formats/wxr-reader.js';
import { importSource } from '../src/newsroom/import-file.js';
import type { ImportResult, ImportSource } from '../src/newsroom/import-report.js';
import type { Newsroom } from '../src/newsroom/newsroom.js';
import { openSqliteStore } from '../src/store/database.js';
import { mediaFilesAt } from '../src/store/media-files.js';

const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const CHUNK = 256 * 1024; // as the CLI reads files
const SITE = 'https://gazette.bench.example';
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------
// The export

const WORDS = (
  'council budget harbour ferry tender district mayor clinic ward school teacher union strike ' +
  'vote ballot quarry river bridge tramline depot bakery market square museum archive library ' +
  'orchard vineyard drought flood levee pump station engineer inspector auditor ledger invoice ' +
  'contract bidder supplier courier warehouse runway terminal cargo crane dockworker shift night ' +
  'morning weekend season harvest rainfall forecast pylon turbine substation grid outage repair ' +
  'crew volunteer neighbour tenant landlord rent lease permit zoning planner hearing objection ' +
  'petition signature deadline committee chair minutes agenda motion amendment quorum recess ' +
  'verdict appeal magistrate witness testimony clerk registry census survey sample margin ' +
  'poll turnout precinct campaign leaflet canvasser rally stage microphone banner slogan ' +
  'pension benefit allowance subsidy levy tariff duty customs border checkpoint convoy patrol ' +
  'ambulance paramedic shelter blanket kitchen canteen ration supply backlog queue waiting ' +
  'ledger spreadsheet dataset record filing disclosure leak source editor reporter desk ' +
  'headline column correction apology retraction statement spokesperson briefing press ' +
  'hospital ward nurse surgeon theatre midwife pharmacy prescription vaccine clinic trial ' +
  'gravel asphalt pothole junction roundabout cyclist pedestrian crossing signal detour'
).split(' ');
const VERBS =
  'approved rejected delayed postponed announced questioned funded closed reopened inspected audited surveyed repaired expanded reduced doubled'.split(
    ' ',
  );
const FIRST_NAMES =
  'Ada Bruno Chidi Dagny Emil Farah Goran Hana Ilse Jonas Kemal Lotte Mirela Nuno Oksana Pavel'.split(
    ' ',
  );
const SURNAMES =
  'Aalto Brennan Castell Dimitrov Eriksen Fonseca Grubić Halloran Iwanek Jansen Kovač Lindqvist'.split(
    ' ',
  );

/** A small deterministic generator (mulberry32): the same N gives the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(20261124);
const below = (n: number): number => Math.floor(rand() * n);
const chance = (p: number): boolean => rand() < p;
function pick<T>(items: readonly T[]): T {
  return items[below(items.length)] as T;
}
const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function words(min: number, max: number): string[] {
  const count = min + below(max - min + 1);
  return Array.from({ length: count }, (_, i) =>
    i > 0 && i % 5 === 0 && chance(0.5) ? pick(VERBS) : pick(WORDS),
  );
}

function phrase(min: number, max: number): string {
  return capitalise(words(min, max).join(' '));
}

/** A sentence with, now and then, inline markup. */
function sentence(): string {
  const parts = words(6, 18);
  if (chance(0.15)) {
    const at = below(parts.length);
    parts[at] = `<strong>${parts[at]}</strong>`;
  }
  if (chance(0.1)) {
    const at = below(parts.length);
    parts[at] = `<em>${parts[at]}</em>`;
  }
  if (chance(0.12)) {
    const at = below(parts.length);
    parts[at] = `<a href="${SITE}/${2015 + below(10)}/${parts[at]}-report/">${parts[at]}</a>`;
  }
  return `${capitalise(parts.join(' '))}${chance(0.1) ? '?' : '.'}`;
}

function paragraph(): string {
  return Array.from({ length: 2 + below(4) }, sentence).join(' ');
}

function personName(): string {
  return `${pick(FIRST_NAMES)} ${pick(SURNAMES)}`;
}

function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

const slugOf = (text: string): string =>
  text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

type Php = string | number | Php[] | { [key: string]: Php };

/** PHP's serialize(): string lengths in bytes, as WordPress writes them. */
function php(value: Php): string {
  if (typeof value === 'string') return `s:${Buffer.byteLength(value)}:"${value}";`;
  if (typeof value === 'number') return Number.isInteger(value) ? `i:${value};` : `d:${value};`;
  const entries: [string | number, Php][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  const body = entries
    .map(([key, item]) => (typeof key === 'number' ? `i:${key};` : php(key)) + php(item))
    .join('');
  return `a:${entries.length}:{${body}}`;
}

type Attachment = { id: number; file: string; width: number; height: number; alt: string };

/** "2019/04/harbour-crane-1234" → its address at a size ("…-1024x683.jpg"), or the original. */
function uploadUrl(attachment: Attachment, width?: number, height?: number): string {
  const size = width && height ? `-${width}x${height}` : '';
  return `${SITE}/wp-content/uploads/${attachment.file}${size}.jpg`;
}

function attachmentMetadata(attachment: Attachment): string {
  const base = attachment.file.split('/').pop() ?? attachment.file;
  const size = (width: number, height: number) => ({
    file: `${base}-${width}x${height}.jpg`,
    width,
    height,
    'mime-type': 'image/jpeg',
    filesize: 8000 + below(60_000),
  });
  const mediumHeight = Math.round((300 * attachment.height) / attachment.width);
  const largeHeight = Math.round((1024 * attachment.height) / attachment.width);
  return php({
    width: attachment.width,
    height: attachment.height,
    file: `${attachment.file}.jpg`,
    filesize: 200_000 + below(3_000_000),
    sizes: {
      medium: size(300, mediumHeight),
      large: size(1024, largeHeight),
      thumbnail: size(150, 150),
    },
    image_meta: {
      aperture: pick(['2.8', '4', '5.6', '8']),
      credit: chance(0.4) ? `${personName()}/Gazette Pictures` : '',
      camera: pick(['X-T4', 'EOS R6', 'Z 6II', '']),
      caption: '',
      created_timestamp: String(1_500_000_000 + below(200_000_000)),
      copyright: chance(0.2) ? `© ${2015 + below(10)} Bench Gazette` : '',
      focal_length: pick(['23', '35', '50', '85']),
      iso: pick(['100', '400', '1600']),
      shutter_speed: pick(['0.004', '0.008', '0.0166']),
      title: '',
      orientation: '1',
      keywords: [],
    },
  });
}

const block = (name: string, html: string, attributes?: object): string =>
  `<!-- wp:${name}${attributes ? ` ${JSON.stringify(attributes)}` : ''} -->\n${html}\n<!-- /wp:${name} -->`;

function listItems(depth: number): string {
  return Array.from({ length: 3 + below(4) }, (_, i) => {
    const nested = depth === 0 && i === 1 && chance(0.15) ? `<ul>${listItems(1)}</ul>` : '';
    return `<li>${phrase(3, 9)}${nested}</li>`;
  }).join('');
}

function imageFigure(attachment: Attachment, gutenberg: boolean): string {
  const height = Math.round((1024 * attachment.height) / attachment.width);
  const caption = chance(0.7) ? phrase(5, 12) : '';
  const img = `<img src="${uploadUrl(attachment, 1024, height)}" alt="${attachment.alt}" class="wp-image-${attachment.id}"/>`;
  if (!gutenberg) {
    return caption
      ? `[caption id="attachment_${attachment.id}" align="aligncenter" width="1024"]${img} ${caption}[/caption]`
      : img;
  }
  return block(
    'image',
    `<figure class="wp-block-image size-large">${img}${caption ? `<figcaption class="wp-element-caption">${caption}</figcaption>` : ''}</figure>`,
    { id: attachment.id, sizeSlug: 'large', linkDestination: 'none' },
  );
}

function table(): string {
  const columns = 3 + below(3);
  const row = (cell: () => string, tag: string) =>
    `<tr>${Array.from({ length: columns }, () => `<${tag}>${cell()}</${tag}>`).join('')}</tr>`;
  const head = row(() => capitalise(pick(WORDS)), 'th');
  const rows = Array.from({ length: 3 + below(6) }, () =>
    row(() => (chance(0.5) ? String(below(100_000)) : pick(WORDS)), 'td'),
  ).join('');
  return `<figure class="wp-block-table"><table><thead>${head}</thead><tbody>${rows}</tbody></table></figure>`;
}

function gutenbergContent(image: Attachment | null, gallery: Attachment[]): string {
  const blocks: string[] = [];
  const paragraphs = (count: number) => {
    for (let i = 0; i < count; i++) blocks.push(block('paragraph', `<p>${paragraph()}</p>`));
  };
  paragraphs(2 + below(3));
  if (image) blocks.push(imageFigure(image, true));
  blocks.push(block('heading', `<h2 class="wp-block-heading">${phrase(3, 8)}</h2>`));
  paragraphs(1 + below(3));
  if (chance(0.6)) {
    const ordered = chance(0.3);
    blocks.push(
      block(
        'list',
        `<${ordered ? 'ol' : 'ul'}>${listItems(0)}</${ordered ? 'ol' : 'ul'}>`,
        ordered ? { ordered: true } : undefined,
      ),
    );
  }
  if (chance(0.45)) {
    blocks.push(
      block(
        'quote',
        `<blockquote class="wp-block-quote"><p>${sentence()}</p><cite>${personName()}, ${pick(WORDS)} ${pick(['chair', 'spokesperson', 'resident', 'engineer'])}</cite></blockquote>`,
      ),
    );
  }
  if (chance(0.05)) blocks.push(block('table', table()));
  if (gallery.length > 0) {
    blocks.push(block('shortcode', `[gallery ids="${gallery.map((a) => a.id).join(',')}"]`));
  }
  paragraphs(1 + below(4));
  return blocks.join('\n\n');
}

function classicContent(image: Attachment | null, gallery: Attachment[]): string {
  const parts: string[] = [];
  for (let i = 0, n = 3 + below(5); i < n; i++) {
    // A single line break inside a paragraph now and then, as classic editors typed them.
    parts.push(chance(0.1) ? `${sentence()}\n${paragraph()}` : paragraph());
    if (i === 1 && image) parts.push(imageFigure(image, false));
    if (i === 2 && chance(0.3)) parts.push(`<h3>${phrase(3, 7)}</h3>`);
  }
  if (chance(0.2)) parts.push(`<ul>\n${listItems(0)}\n</ul>`);
  if (gallery.length > 0) parts.push(`[gallery ids="${gallery.map((a) => a.id).join(',')}"]`);
  return parts.join('\n\n');
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2019-04-12 08:30:00": WordPress's date format. */
function wpDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

type ExportCounts = {
  posts: number;
  published: number;
  drafts: number;
  scheduled: number;
  pages: number;
  attachments: number;
  categories: number;
  tags: number;
  authors: number;
  tables: number;
  galleries: number;
};

/** Writes an export of `posts` posts to `file`, item by item, as it is generated. */
async function writeExport(file: string, posts: number): Promise<ExportCounts> {
  const out: WriteStream = createWriteStream(file, { highWaterMark: CHUNK });
  let buffered = '';
  const write = async (text: string) => {
    buffered += text;
    if (buffered.length < 64 * 1024) return;
    const flushed = out.write(buffered);
    buffered = '';
    if (!flushed) await once(out, 'drain');
  };

  const authors = Array.from({ length: 10 }, (_, i) => {
    const first = FIRST_NAMES[i] ?? 'Ada';
    const last = SURNAMES[(i * 5) % SURNAMES.length] ?? 'Aalto';
    return { login: `${first.toLowerCase()}${i + 1}`, first, last };
  });
  const parents = ['news', 'politics', 'business', 'culture', 'sport'];
  const categories = [
    ...parents.map((slug) => ({ slug, name: capitalise(slug), parent: '' })),
    ...Array.from({ length: 15 }, (_, i) => {
      const name = `${capitalise(WORDS[i * 7] ?? 'desk')} ${capitalise(WORDS[i * 7 + 3] ?? 'desk')}`;
      return { slug: slugOf(name), name, parent: parents[i % parents.length] ?? '' };
    }),
  ];
  const tags = Array.from(new Set(WORDS))
    .flatMap((word) => [word, `${word} ${pick(VERBS)}`])
    .slice(0, 200)
    .map((name) => ({ slug: slugOf(name), name }));
  const counts: ExportCounts = {
    posts,
    published: 0,
    drafts: 0,
    scheduled: 0,
    pages: 0,
    attachments: 0,
    categories: categories.length,
    tags: tags.length,
    authors: authors.length,
    tables: 0,
    galleries: 0,
  };

  await write(`<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="bench-import" (a made-up site for Masthead's import benchmark) -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Bench Gazette</title>
	<link>${SITE}</link>
	<description>Local news, generated</description>
	<pubDate>Tue, 24 Nov 2026 12:00:00 +0000</pubDate>
	<language>en-GB</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>${SITE}</wp:base_site_url>
	<wp:base_blog_url>${SITE}</wp:base_blog_url>
`);
  for (const [i, author] of authors.entries()) {
    await write(`	<wp:author><wp:author_id>${i + 1}</wp:author_id><wp:author_login>${cdata(author.login)}</wp:author_login><wp:author_email>${cdata(`${author.login}@gazette.bench.example`)}</wp:author_email><wp:author_display_name>${cdata(`${author.first} ${author.last}`)}</wp:author_display_name><wp:author_first_name>${cdata(author.first)}</wp:author_first_name><wp:author_last_name>${cdata(author.last)}</wp:author_last_name></wp:author>
`);
  }
  for (const [i, category] of categories.entries()) {
    await write(`	<wp:category><wp:term_id>${i + 2}</wp:term_id><wp:category_nicename>${cdata(category.slug)}</wp:category_nicename><wp:category_parent>${cdata(category.parent)}</wp:category_parent><wp:cat_name>${cdata(category.name)}</wp:cat_name><wp:category_description>${cdata(chance(0.5) ? sentence() : '')}</wp:category_description></wp:category>
`);
  }
  for (const [i, tag] of tags.entries()) {
    await write(`	<wp:tag><wp:term_id>${i + 100}</wp:term_id><wp:tag_slug>${cdata(tag.slug)}</wp:tag_slug><wp:tag_name>${cdata(tag.name)}</wp:tag_name><wp:tag_description>${cdata('')}</wp:tag_description></wp:tag>
`);
  }

  const item = (fields: {
    id: number;
    title: string;
    link: string;
    guid: string;
    creator: string;
    content: string;
    excerpt: string;
    date: Date | null;
    modified: Date;
    slug: string;
    status: string;
    parent: number;
    type: string;
    extra?: string;
  }) => {
    const local = fields.date ? wpDate(new Date(fields.date.getTime() + 3_600_000)) : null;
    return `	<item>
		<title>${cdata(fields.title)}</title>
		<link>${fields.link}</link>
		<pubDate>${fields.date ? fields.date.toUTCString().replace('GMT', '+0000') : 'Mon, 30 Nov -0001 00:00:00 +0000'}</pubDate>
		<dc:creator>${cdata(fields.creator)}</dc:creator>
		<guid isPermaLink="false">${fields.guid}</guid>
		<description></description>
		<content:encoded>${cdata(fields.content)}</content:encoded>
		<excerpt:encoded>${cdata(fields.excerpt)}</excerpt:encoded>
		<wp:post_id>${fields.id}</wp:post_id>
		<wp:post_date>${cdata(local ?? wpDate(fields.modified))}</wp:post_date>
		<wp:post_date_gmt>${cdata(fields.date ? wpDate(fields.date) : '0000-00-00 00:00:00')}</wp:post_date_gmt>
		<wp:post_modified>${cdata(wpDate(fields.modified))}</wp:post_modified>
		<wp:post_modified_gmt>${cdata(wpDate(fields.modified))}</wp:post_modified_gmt>
		<wp:comment_status>${cdata('open')}</wp:comment_status>
		<wp:ping_status>${cdata('closed')}</wp:ping_status>
		<wp:post_name>${cdata(fields.slug)}</wp:post_name>
		<wp:status>${cdata(fields.status)}</wp:status>
		<wp:post_parent>${fields.parent}</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>${cdata(fields.type)}</wp:post_type>
		<wp:post_password>${cdata('')}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
${fields.extra ?? ''}	</item>
`;
  };
  const meta = (key: string, value: string) =>
    `		<wp:postmeta>\n			<wp:meta_key>${cdata(key)}</wp:meta_key>\n			<wp:meta_value>${cdata(value)}</wp:meta_value>\n		</wp:postmeta>\n`;

  const start = Date.UTC(2015, 0, 1);
  const span = Date.UTC(2025, 11, 31) - start;
  const attachments: Attachment[] = [];
  const slugs = new Set<string>();
  let nextId = 10;
  for (let n = 0; n < posts; n++) {
    const author = pick(authors);
    const roll = rand();
    const status = roll < 0.02 ? 'draft' : roll < 0.03 ? 'future' : 'publish';
    const date =
      status === 'future'
        ? new Date(Date.UTC(2031, 0, 1) + below(365) * 86_400_000)
        : status === 'draft'
          ? null
          : new Date(start + Math.floor((span * n) / posts) + below(3_600_000));
    const modified = new Date((date?.getTime() ?? start + span) + below(30) * 86_400_000);
    const postId = nextId++;
    // One post in five brings a photo of its own: its featured image, shown in the body too.
    let own: Attachment | null = null;
    if (n % 5 === 0) {
      const name = `${pick(WORDS)}-${pick(WORDS)}-${postId}`;
      const year = (date ?? modified).getUTCFullYear();
      const landscape = chance(0.8);
      own = {
        id: nextId++,
        file: `${year}/${pad((date ?? modified).getUTCMonth() + 1)}/${name}`,
        width: landscape ? 4000 : 3000,
        height: landscape ? 2667 : 4000,
        alt: chance(0.8) ? phrase(4, 10) : '',
      };
      attachments.push(own);
      counts.attachments++;
      await write(
        item({
          id: own.id,
          title: name,
          link: `${SITE}/${name}/`,
          guid: uploadUrl(own),
          creator: author.login,
          content: '',
          excerpt: chance(0.5) ? phrase(5, 14) : '',
          date: date ?? modified,
          modified,
          slug: name,
          status: 'inherit',
          parent: postId,
          type: 'attachment',
          extra: `		<wp:attachment_url>${cdata(uploadUrl(own))}</wp:attachment_url>\n${meta('_wp_attached_file', `${own.file}.jpg`)}${meta('_wp_attachment_metadata', attachmentMetadata(own))}${meta('_wp_attachment_image_alt', own.alt)}`,
        }),
      );
    }
    const image = own ?? (attachments.length > 0 && chance(0.4) ? pick(attachments) : null);
    const gallery =
      attachments.length >= 4 && chance(0.03)
        ? Array.from({ length: 3 + below(3) }, () => pick(attachments))
        : [];
    if (gallery.length > 0) counts.galleries++;
    const gutenberg = chance(0.7);
    const content = gutenberg ? gutenbergContent(image, gallery) : classicContent(image, gallery);
    if (content.includes('<table>')) counts.tables++;
    const title = phrase(4, 10);
    let slug = slugOf(title);
    for (let k = 2; slugs.has(slug); k++) slug = `${slugOf(title)}-${k}`;
    slugs.add(slug);
    const when = date ?? modified;
    const postCategories = [pick(categories), ...(chance(0.2) ? [pick(categories)] : [])];
    const postTags = Array.from({ length: below(6) }, () => pick(tags));
    const terms = [
      ...postCategories.map(
        (c) => `		<category domain="category" nicename="${c.slug}">${cdata(c.name)}</category>\n`,
      ),
      ...[...new Set(postTags)].map(
        (t) => `		<category domain="post_tag" nicename="${t.slug}">${cdata(t.name)}</category>\n`,
      ),
    ].join('');
    let comments = '';
    for (let c = 0, count = chance(0.1) ? 1 + below(3) : 0; c < count; c++) {
      comments += `		<wp:comment><wp:comment_id>${postId * 10 + c}</wp:comment_id><wp:comment_author>${cdata(personName())}</wp:comment_author><wp:comment_content>${cdata(sentence())}</wp:comment_content><wp:comment_approved>${cdata('1')}</wp:comment_approved></wp:comment>\n`;
    }
    if (status === 'publish') counts.published++;
    else if (status === 'draft') counts.drafts++;
    else counts.scheduled++;
    await write(
      item({
        id: postId,
        title,
        link:
          status === 'publish'
            ? `${SITE}/${when.getUTCFullYear()}/${pad(when.getUTCMonth() + 1)}/${pad(when.getUTCDate())}/${slug}/`
            : `${SITE}/?p=${postId}`,
        guid: `${SITE}/?p=${postId}`,
        creator: author.login,
        content,
        excerpt: chance(0.3) ? sentence() : '',
        date,
        modified,
        slug: status === 'draft' ? '' : slug,
        status,
        parent: 0,
        type: 'post',
        extra: `${terms}${meta('_edit_last', '1')}${own ? meta('_thumbnail_id', String(own.id)) : ''}${comments}`,
      }),
    );
  }
  // A few pages, one under another, as newsrooms have ("About", "About / Staff").
  let aboutId = 0;
  for (const [i, title] of [
    'About',
    'Staff',
    'Contact',
    'Corrections policy',
    'Advertise',
  ].entries()) {
    const id = nextId++;
    if (i === 0) aboutId = id;
    counts.pages++;
    await write(
      item({
        id,
        title,
        link: `${SITE}/${slugOf(title)}/`,
        guid: `${SITE}/?page_id=${id}`,
        creator: authors[0]?.login ?? 'admin',
        content: Array.from({ length: 3 }, () => `<p>${paragraph()}</p>`).join('\n\n'),
        excerpt: '',
        date: new Date(start),
        modified: new Date(start + span),
        slug: slugOf(title),
        status: 'publish',
        parent: i === 1 ? aboutId : 0,
        type: 'page',
      }),
    );
  }
  await write('</channel>\n</rss>\n');
  out.end(buffered);
  await once(out, 'finish');
  return counts;
}

// ---------------------------------------------------------------------------
// Measuring

/** global.gc, when node runs with --expose-gc: then the live heap is measured too. */
const forceGc = (globalThis as { gc?: () => void }).gc;

/**
 * The process's peak RSS in a phase, sampled every 50 ms and at each progress
 * report; and its peak heap: live objects only (after a forced full GC, once a
 * second) under --expose-gc, otherwise heapUsed, garbage not yet collected included.
 */
class MemoryPeak {
  private rss = 0;
  private heap = 0;
  private lastGc = 0n;
  private timer: NodeJS.Timeout | null = null;

  start(): void {
    this.rss = 0;
    this.heap = 0;
    this.lastGc = 0n;
    this.sample();
    this.timer = setInterval(() => this.sample(), 50);
  }

  sample(): void {
    const collect = forceGc !== undefined && process.hrtime.bigint() - this.lastGc > 1_000_000_000n;
    if (collect) {
      forceGc();
      this.lastGc = process.hrtime.bigint();
    }
    const usage = process.memoryUsage();
    this.rss = Math.max(this.rss, usage.rss);
    if (collect || forceGc === undefined) this.heap = Math.max(this.heap, usage.heapUsed);
  }

  stop(): { rss: number; heap: number } {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return { rss: this.rss, heap: this.heap };
  }
}

/** maxRSS so far over the life of the process (the kernel's figure), in bytes. */
const maxRss = (): number => process.resourceUsage().maxRSS * 1024;

const seconds = (from: bigint, to: bigint = process.hrtime.bigint()): number =>
  Number(to - from) / 1e9;

function fileSource(path: string, size: number): ImportSource {
  return {
    name: 'bench.xml',
    size,
    open: () => createReadStream(path, { highWaterMark: CHUNK }),
  };
}

type Phase = {
  label: string;
  seconds: number;
  items?: number;
  articles?: number;
  rss?: number;
  heap?: number;
  maxRss?: number;
};

type Summary = {
  posts: number;
  fileMb: number;
  parseSeconds: number;
  importSeconds: number;
  reimportSeconds: number;
  /** The import's own figures: sampled peak RSS, kernel maxRSS at its end, peak heap. */
  importRss: number;
  importMaxRss: number;
  importHeap: number;
  /** maxRSS at the end of the unchanged re-import (the whole run). */
  runMaxRss: number;
};

function counted(result: ImportResult) {
  const count = (action: string, entity?: string) =>
    result.lines.filter(
      (line) => line.action === action && (entity === undefined || line.entity === entity),
    ).length;
  return {
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    articles: count('created', 'article'),
  };
}

async function bench(posts: number): Promise<Summary> {
  const baseline = process.memoryUsage().rss;
  const directory = await mkdtemp(join(tmpdir(), 'masthead-bench-import-'));
  try {
    const file = join(directory, 'bench.xml');
    const generating = process.hrtime.bigint();
    const made = await writeExport(file, posts);
    const size = (await stat(file)).size;
    console.log(
      `\nWXR import, ${posts} posts: ${made.published} published, ${made.drafts} drafts, ${made.scheduled} scheduled; ` +
        `${made.attachments} attachments, ${made.pages} pages, ${made.categories} categories, ${made.tags} tags, ` +
        `${made.authors} authors; ${made.tables} tables, ${made.galleries} galleries`,
    );
    console.log(
      `file: ${(size / 1e6).toFixed(1)} MB (${(size / MB).toFixed(1)} MiB), generated in ${seconds(generating).toFixed(1)} s; ` +
        `RSS of the process before it: ${(baseline / MB).toFixed(0)} MiB`,
    );
    const phases: Phase[] = [];
    const peak = new MemoryPeak();

    // Reference 1: the bytes alone, off the disk (cached by now).
    let started = process.hrtime.bigint();
    let bytes = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK }))
      bytes += (chunk as Buffer).length;
    phases.push({ label: 'reference: read the file', seconds: seconds(started) });
    if (bytes !== size) throw new Error(`read ${bytes} bytes of ${size}`);

    // Reference 2: the WXR reader (saxes) over the same file, no database.
    peak.start();
    started = process.hrtime.bigint();
    let items = 0;
    const reader = new WxrReader('bench.xml');
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
      for (const event of reader.write(chunk as Buffer)) if (event.kind === 'item') items++;
    }
    for (const event of reader.close()) if (event.kind === 'item') items++;
    const parseSeconds = seconds(started);
    const parsePeak = peak.stop();
    phases.push({
      label: 'reference: parse only (WxrReader)',
      seconds: parseSeconds,
      items,
      rss: parsePeak.rss,
      heap: parsePeak.heap,
      maxRss: maxRss(),
    });

    const store = await openSqliteStore(join(directory, 'data', 'masthead.sqlite'));
    const now = new Date('2026-11-24T12:00:00.000Z');
    const newsroom: Newsroom = {
      store,
      mediaFiles: mediaFilesAt(
        join(directory, 'data', 'media'),
        join(directory, 'data', 'originals'),
      ),
      now: () => now,
      newId: () => randomBytes(16).toString('hex'),
      newToken: () => randomBytes(32).toString('base64url'),
      publicUrl: 'https://bench.example',
    };
    const importOnce = async (label: string) => {
      peak.start();
      const begin = process.hrtime.bigint();
      let pass1End = begin;
      let pass1Items = 0;
      let pass2Items = 0;
      const result = await importSource(newsroom, fileSource(file, size), {
        onProgress: (progress) => {
          peak.sample();
          if (progress.pass === 1) {
            pass1End = process.hrtime.bigint();
            pass1Items = progress.items;
          } else pass2Items = progress.items;
        },
      });
      const end = process.hrtime.bigint();
      const memory = peak.stop();
      const total = seconds(begin, end);
      const tally = counted(result);
      phases.push(
        { label: `${label}: pass 1 (check)`, seconds: seconds(begin, pass1End), items: pass1Items },
        { label: `${label}: pass 2 (write)`, seconds: seconds(pass1End, end), items: pass2Items },
        {
          label: `${label}: total`,
          seconds: total,
          items: pass2Items,
          articles: label === 'import' ? tally.articles : posts,
          rss: memory.rss,
          heap: memory.heap,
          maxRss: maxRss(),
        },
      );
      console.log(
        `${label}: ${tally.created} created, ${tally.updated} updated, ${tally.unchanged} unchanged, ${tally.skipped} skipped; ${result.redirects} redirects`,
      );
      return total;
    };
    let importSeconds = 0;
    let reimportSeconds = 0;
    try {
      importSeconds = await importOnce('import');
      reimportSeconds = await importOnce('re-import, unchanged');
    } finally {
      await store.close();
    }
    const database = (await stat(join(directory, 'data', 'masthead.sqlite'))).size;

    const mb = (value: number | undefined) =>
      value === undefined ? '' : `${(value / MB).toFixed(0)} MiB`;
    const rate = (count: number | undefined, time: number) =>
      count === undefined ? '' : `${Math.round(count / time)}/s`;
    console.log('');
    console.log(
      `  ${'phase'.padEnd(38)}${'time'.padStart(9)}${'items/s'.padStart(10)}${'articles/s'.padStart(12)}${'peak RSS'.padStart(11)}${(forceGc ? 'live heap' : 'heap used').padStart(11)}${'maxRSS'.padStart(10)}`,
    );
    for (const phase of phases) {
      console.log(
        `  ${phase.label.padEnd(38)}${`${phase.seconds.toFixed(2)} s`.padStart(9)}${rate(phase.items, phase.seconds).padStart(10)}${rate(phase.articles, phase.seconds).padStart(12)}${mb(phase.rss).padStart(11)}${mb(phase.heap).padStart(11)}${mb(phase.maxRss).padStart(10)}`,
      );
    }
    console.log('');
    console.log(
      `  ratio import/parse-only: ${(importSeconds / parseSeconds).toFixed(1)}× (the database work on top of reading the XML)`,
    );
    console.log(
      `  ratio re-import/parse-only: ${(reimportSeconds / parseSeconds).toFixed(1)}× (an import that changes nothing)`,
    );
    console.log(
      forceGc
        ? '  live heap: after a forced full GC, once a second (the times include those GCs)'
        : '  heap used includes garbage not collected yet; run with NODE_OPTIONS=--expose-gc for the live heap',
    );
    console.log('  maxRSS: the kernel’s peak for the whole process so far (generation included)');
    console.log(
      `  database after import: ${(database / MB).toFixed(1)} MiB; process maxRSS over the run: ${mb(maxRss())}`,
    );
    const importPhase = phases.find((phase) => phase.label === 'import: total');
    return {
      posts,
      fileMb: size / MB,
      parseSeconds,
      importSeconds,
      reimportSeconds,
      importRss: importPhase?.rss ?? 0,
      importMaxRss: importPhase?.maxRss ?? 0,
      importHeap: importPhase?.heap ?? 0,
      runMaxRss: maxRss(),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Each size in a process of its own, so one's memory does not count in another's peak. */
async function benchInChild(posts: number): Promise<Summary> {
  const child = fork(fileURLToPath(import.meta.url), [String(posts)], {
    env: { ...process.env, BENCH_IMPORT_CHILD: '1' },
  });
  let summary: Summary | null = null;
  child.on('message', (message) => {
    summary = message as Summary;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0 || summary === null)
    throw new Error(`the ${posts}-post run failed (exit ${code})`);
  return summary;
}

const sizes = SIZES.length > 0 ? SIZES : [10_000];
if (sizes.length === 1) {
  const summary = await bench(sizes[0] ?? 10_000);
  if (process.env.BENCH_IMPORT_CHILD && process.send) process.send(summary);
} else {
  const summaries: Summary[] = [];
  for (const size of sizes) summaries.push(await benchInChild(size));
  const heapLabel = forceGc ? 'live heap' : 'heap used';
  console.log('\nmemory by size (each in its own process):');
  for (const summary of summaries) {
    console.log(
      `  ${String(summary.posts).padStart(7)} posts  ${summary.fileMb.toFixed(1).padStart(6)} MiB file  import ${summary.importSeconds.toFixed(1).padStart(6)} s:  ` +
        `sampled peak RSS ${(summary.importRss / MB).toFixed(0).padStart(5)} MiB, maxRSS ${(summary.importMaxRss / MB).toFixed(0).padStart(5)} MiB, ` +
        `${heapLabel} ${(summary.importHeap / MB).toFixed(0).padStart(5)} MiB;  with the re-import, maxRSS ${(summary.runMaxRss / MB).toFixed(0).padStart(5)} MiB`,
    );
  }
  const first = summaries[0];
  const last = summaries[summaries.length - 1];
  if (first && last && last.posts > first.posts) {
    const per1000 = (a: number, b: number) =>
      (((b - a) / MB / (last.posts - first.posts)) * 1000).toFixed(1);
    console.log(
      `  growth per 1000 posts more (${first.posts} → ${last.posts}): import maxRSS ${per1000(first.importMaxRss, last.importMaxRss)} MiB, ` +
        `${heapLabel} ${per1000(first.importHeap, last.importHeap)} MiB, whole run maxRSS ${per1000(first.runMaxRss, last.runMaxRss)} MiB`,
    );
  }
}
