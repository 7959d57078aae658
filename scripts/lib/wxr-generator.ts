// A WordPress export (WXR 1.2) of N posts, generated and streamed to disk with
// what real newsroom exports hold: Gutenberg and classic posts, images bound to
// attachments, quotes, lists, a few tables and [gallery] shortcodes, nested
// categories, tags, authors, drafts and scheduled posts. Deterministic: the
// same N gives the same file. Used by the benchmarks (own words, no fixture text).
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

const CHUNK = 256 * 1024;
export const SITE = 'https://gazette.bench.example';

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

export type ExportCounts = {
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
export async function writeExport(file: string, posts: number): Promise<ExportCounts> {
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
