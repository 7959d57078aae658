import { unserialize } from 'php-serialize';
import { type CreditChain, creditChainSchema, parseCreditLine } from '../core/credit.js';
import { isSafeHref } from '../core/links.js';
import { slugify } from '../core/slug.js';
import { decodeOrKeep, primaryLanguage } from '../core/text-codes.js';
import type { Source } from '../core/types.js';
import type { Status } from '../core/workflow.js';
import { type Footnote, htmlToDoc, htmlToText, type ImageRef } from './html-to-doc.js';
import type { MappedPost } from './mapped-post.js';
import type { WxrItem, WxrSite } from './wxr-reader.js';

// What a WordPress export means in Masthead's terms, item by item: pure
// mapping, no database. The importer (newsroom/import-wxr.ts) stores it.

/** A WordPress attachment as Masthead keeps it: a photo record whose file is fetched later. */
export type WxrAttachment = {
  postId: number;
  parentId: number;
  url: string;
  title: string;
  alt: string;
  caption: string;
  credit: CreditChain;
  copyright: string;
  width: number | null;
  height: number | null;
  /** When it was uploaded (ISO 8601), or null when the file does not say. */
  createdAt: string | null;
  /** Masthead's export marks the newsroom's own photos (`_masthead_own_photo`). */
  isOwnPhoto: boolean;
};

export type WxrPost = MappedPost & {
  postId: number;
  /** Categories in the file's order (the first is the article's section). */
  categories: { slug: string; name: string }[];
  tagNames: string[];
  authorLogin: string;
  /**
   * What Masthead's export adds (`_masthead_*` post meta), present only where
   * it does: every byline in order (by author login, with its label), the
   * item's own language, its translation group.
   */
  bylines?: { login: string; label: string | null }[];
  language?: string;
  translationGroup?: string;
  /** Its sources (citations), `_masthead_sources`. */
  sources?: Source[];
  thumbnailId: number | null;
};

/** WordPress statuses as workflow states; null for items that are not imported. */
const STATUS: Record<string, Status> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  'auto-draft': 'draft',
  pending: 'in_review',
  private: 'draft',
};

/** Why an item of this type or status is not imported, or null when it is. */
export function skipReason(item: WxrItem): string | null {
  if (!['post', 'page', 'attachment'].includes(item.postType)) {
    return item.postType === 'nav_menu_item'
      ? 'a menu entry (Masthead builds its navigation from sections)'
      : item.postType.startsWith('wp_')
        ? `WordPress theme data (${item.postType})`
        : `a WordPress "${item.postType}" item (only posts, pages and attachments are imported)`;
  }
  if (item.status === 'trash') return 'in the WordPress trash';
  if (item.postType === 'attachment') return null;
  if (item.status === 'inherit') return 'a revision';
  if (!(item.status in STATUS)) return `unknown status "${item.status}"`;
  return null;
}

/** "2013-01-10 20:15:40" (UTC) as ISO 8601, or null. */
export function wxrDate(value: string | null): string | null {
  if (!value) return null;
  const iso = `${value.trim().replace(' ', 'T')}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The site's primary language ("en-US" → "en"). */
export function siteLanguage(site: WxrSite): string {
  return primaryLanguage(site.language);
}

/** Where the blog lives on its host ("/demo" for http://example.com/demo), '' at the root. */
function basePath(site: WxrSite): string {
  try {
    return decodeOrKeep(new URL(site.baseBlogUrl || site.link).pathname).replace(/\/+$/, '');
  } catch {
    return '';
  }
}

/**
 * The addresses an old link to this item may use: the query forms (`/?p=ID`,
 * and `/?page_id=ID` for pages) and the permalink's path, each at the root and
 * under the blog's own path when it had one (a newsroom moving its domain to
 * Masthead keeps both working).
 */
export function oldPaths(item: WxrItem, site: WxrSite): string[] {
  const base = basePath(site);
  const queries = [
    `?p=${item.postId}`,
    ...(item.postType === 'page' ? [`?page_id=${item.postId}`] : []),
  ];
  const paths = queries.flatMap((query) => [`/${query}`, ...(base ? [`${base}/${query}`] : [])]);
  try {
    const link = new URL(item.link);
    // Kept decoded, as the site looks addresses up: a Cyrillic permalink
    // ("/2020/01/%D0%BF…/") is found whichever way a browser escapes it.
    const path = `${decodeOrKeep(link.pathname)}${link.search}`;
    if (path !== '/' && !/^\/?\?p=/.test(path)) {
      paths.push(path);
      if (base && path.startsWith(`${base}/`)) paths.push(path.slice(base.length));
    }
  } catch {
    // An item without a usable link keeps only its query addresses.
  }
  return [...new Set(paths)];
}

function metaValue(item: WxrItem, key: string): string {
  return item.meta.find((entry) => entry.key === key)?.value ?? '';
}

/** PHP-serialised attachment metadata: size and the photo's embedded credit and copyright. */
function attachmentMetadata(value: string): {
  width: number | null;
  height: number | null;
  credit: string;
  copyright: string;
} {
  const empty = { width: null, height: null, credit: '', copyright: '' };
  if (!value) return empty;
  let data: unknown;
  try {
    // PHP counts string lengths in bytes; the library reads the text as UTF-8 bytes.
    data = unserialize(value);
  } catch {
    return empty;
  }
  if (typeof data !== 'object' || data === null) return empty;
  const record = data as Record<string, unknown>;
  const meta = (
    typeof record.image_meta === 'object' && record.image_meta !== null ? record.image_meta : {}
  ) as Record<string, unknown>;
  const size = (key: string) =>
    typeof record[key] === 'number' && (record[key] as number) > 0 ? (record[key] as number) : null;
  const text = (key: string) => (typeof meta[key] === 'string' ? (meta[key] as string).trim() : '');
  return {
    width: size('width'),
    height: size('height'),
    credit: text('credit'),
    copyright: text('copyright'),
  };
}

/** The credit chain Masthead's export keeps (`_masthead_credit_chain`), each part with its role; null when absent or unreadable. */
function mastheadCreditChain(item: WxrItem): CreditChain | null {
  const value = metaValue(item, '_masthead_credit_chain');
  if (value === '') return null;
  try {
    const parsed = creditChainSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function mapAttachment(item: WxrItem): WxrAttachment {
  const metadata = attachmentMetadata(metaValue(item, '_wp_attachment_metadata'));
  const chain = mastheadCreditChain(item);
  return {
    postId: item.postId,
    parentId: item.parentId,
    url: item.attachmentUrl ?? item.guid,
    title: htmlToText(item.title),
    alt: htmlToText(metaValue(item, '_wp_attachment_image_alt')),
    // WordPress keeps an attachment's caption in its excerpt.
    caption: htmlToText(item.excerpt),
    credit: chain ?? (metadata.credit ? parseCreditLine(metadata.credit) : []),
    copyright: metadata.copyright,
    width: metadata.width,
    height: metadata.height,
    createdAt: wxrDate(item.postDateGmt) ?? wxrDate(item.postDate),
    isOwnPhoto: metaValue(item, '_masthead_own_photo') === '1',
  };
}

/** A page's kind as Masthead's export gives it (`_masthead_page_kind`); 'page' for any other. */
export function mastheadPageKind(item: WxrItem): 'page' | 'masthead' | 'legal' {
  const kind = metaValue(item, '_masthead_page_kind');
  return kind === 'masthead' || kind === 'legal' ? kind : 'page';
}

/** What Masthead's export says of a post beyond WordPress's fields (see WxrPost); {} for others. */
function mastheadPostFields(
  item: WxrItem,
): Pick<WxrPost, 'bylines' | 'language' | 'translationGroup' | 'sources'> {
  const language = metaValue(item, '_masthead_language').trim().toLowerCase();
  const group = metaValue(item, '_masthead_translation_group').trim();
  const bylines = mastheadBylines(metaValue(item, '_masthead_bylines'));
  const sources = mastheadSources(metaValue(item, '_masthead_sources'));
  return {
    ...(bylines ? { bylines } : {}),
    ...(sources ? { sources } : {}),
    ...(/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/.test(language) ? { language } : {}),
    ...(group ? { translationGroup: group } : {}),
  };
}

/**
 * A post meta value holding a JSON list, each entry read by `read`; null when
 * the value is empty or not a list, or when any entry cannot be read (a list
 * half read would lose the rest silently).
 */
function metaList<T>(
  value: string,
  read: (entry: Record<string, unknown>) => T | null,
): T[] | null {
  if (value.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const list: T[] = [];
  for (const entry of parsed) {
    const item = read((entry ?? {}) as Record<string, unknown>);
    if (item === null) return null;
    list.push(item);
  }
  return list;
}

/**
 * `_masthead_sources` ([{"name", "url"}]) read, or null when it is not that;
 * a link that is not a web address is dropped, the source kept.
 */
function mastheadSources(value: string): Source[] | null {
  return metaList(value, ({ name, url }) =>
    typeof name === 'string' && name.trim() !== ''
      ? { name: name.trim(), url: typeof url === 'string' && isSafeHref(url) ? url : null }
      : null,
  );
}

/** `_masthead_bylines` ([{"login", "label"}]) read, or null when it is not that. */
function mastheadBylines(value: string): { login: string; label: string | null }[] | null {
  const bylines = metaList(value, ({ login, label }) =>
    typeof login === 'string' && login.trim() !== ''
      ? { login: login.trim(), label: typeof label === 'string' && label !== '' ? label : null }
      : null,
  );
  return bylines && bylines.length > 0 ? bylines : null;
}

/** The slug a WordPress item keeps (its post_name, percent-decoded), else one from its title. */
export function itemSlug(item: WxrItem, title: string): string {
  return slugify(decodeOrKeep(item.slug)) || slugify(title) || `${item.postType}-${item.postId}`;
}

function count(notes: Map<string, number>, what: string): void {
  notes.set(what, (notes.get(what) ?? 0) + 1);
}

/**
 * The post's footnotes (WordPress 6.3+ keeps them in the `footnotes` field as
 * JSON, `[{"id", "content"}]`), or null when it has none readable.
 */
function footnotesOf(item: WxrItem): Footnote[] | null {
  return metaList(metaValue(item, 'footnotes'), ({ id, content }) =>
    typeof id === 'string' && typeof content === 'string' ? { id, content } : null,
  );
}

export function mapPost(item: WxrItem, galleryImages: () => ImageRef[]): WxrPost {
  const footnotes = footnotesOf(item);
  const converted = htmlToDoc(item.content, {
    autoParagraphs: true,
    galleryImages,
    ...(footnotes ? { footnotes } : {}),
  });
  // What WordPress keeps beside the content and Masthead has no place for is
  // counted too (its own bookkeeping, the keys starting with "_", is not content;
  // readable footnotes are in the body now).
  for (const { key } of item.meta) {
    if (key === 'footnotes' && footnotes) continue;
    if (!key.startsWith('_')) count(converted.notes, `custom field “${key}” (not imported)`);
  }
  if (item.isSticky) count(converted.notes, 'sticky post (Masthead lists articles by date)');
  const remarks: string[] = [];
  let title = htmlToText(item.title);
  if (title === '') {
    title = `Untitled (WordPress ${item.postType} ${item.postId})`;
    remarks.push('it had no title');
  }
  if (item.status === 'private') remarks.push('private in WordPress: imported as a draft');
  if (item.password) remarks.push('password-protected in WordPress: imported as a draft');
  const status: Status = item.password ? 'draft' : (STATUS[item.status] ?? 'draft');
  const date = wxrDate(item.postDateGmt);
  if (!date && item.postDate && status !== 'draft')
    remarks.push('no GMT date: its local date was read as UTC');
  const postedAt = date ?? (status === 'draft' ? null : wxrDate(item.postDate));
  const categories = item.terms
    .filter((term) => term.domain === 'category')
    .map((term) => ({ slug: term.slug, name: htmlToText(term.name) }));
  if (categories.length > 1)
    remarks.push(
      `also in ${categories
        .slice(1)
        .map((category) => category.slug)
        .join(', ')}: an article lives in one section`,
    );
  const thumbnail = Number(metaValue(item, '_thumbnail_id'));
  return {
    postId: item.postId,
    title,
    standfirst: htmlToText(item.excerpt),
    slug: itemSlug(item, title),
    status,
    publishedAt: status === 'published' ? postedAt : null,
    scheduledAt: status === 'scheduled' ? postedAt : null,
    createdAt: postedAt,
    updatedAt: wxrDate(item.postModifiedGmt),
    body: converted.doc,
    images: converted.images,
    notes: converted.notes,
    categories,
    tagNames: item.terms
      .filter((term) => term.domain === 'post_tag')
      .map((term) => htmlToText(term.name)),
    authorLogin: item.creator,
    ...mastheadPostFields(item),
    thumbnailId: Number.isInteger(thumbnail) && thumbnail > 0 ? thumbnail : null,
    remarks,
  };
}
