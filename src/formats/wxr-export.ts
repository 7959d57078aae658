import { XMLBuilder } from 'fast-xml-parser';
import { serialize } from 'php-serialize';
import { wallClockAt } from '../core/dates.js';
import {
  MASTHEAD_WXR_NAMESPACE,
  type WxrAuthor,
  type WxrExport,
  type WxrItem,
} from '../core/wxr.js';

// The WordPress eXtended RSS (WXR 1.2) a newsroom takes with it when it
// leaves: authors, categories (with parents), tags, posts, pages and
// attachments, as WordPress's own importer reads them. Masthead's extras
// travel as post meta that WordPress keeps but ignores (the credit chain).
// Pure: the caller passes every body already rendered as HTML.

/** "2026-11-24 13:05:00" in `timeZone` (WordPress's local date format). */
function wordpressDate(iso: string, timeZone: string): string {
  const clock = wallClockAt(Date.parse(iso), timeZone);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${String(clock.year).padStart(4, '0')}-${two(clock.month)}-${two(clock.day)} ${two(clock.hour)}:${two(clock.minute)}:${two(clock.second)}`;
}

const NEVER = '0000-00-00 00:00:00';

/**
 * An image's `_wp_attachment_metadata` as WordPress stores it (PHP-serialised):
 * its size and file, and the credit and copyright WordPress reads from a
 * photo's IPTC into `image_meta`.
 */
function attachmentMetadata(metadata: NonNullable<WxrItem['attachmentMetadata']>): string {
  return serialize({
    ...(metadata.width === null ? {} : { width: metadata.width }),
    ...(metadata.height === null ? {} : { height: metadata.height }),
    file: metadata.file,
    image_meta: { credit: metadata.credit, copyright: metadata.copyright },
  });
}

/** Masthead's own fields of a person, where they have them (see MASTHEAD_WXR_NAMESPACE). */
function mastheadFields(author: WxrAuthor) {
  return {
    ...(author.bio ? { 'masthead:bio': author.bio } : {}),
    ...(author.contacts ? { 'masthead:contacts': JSON.stringify(author.contacts) } : {}),
    ...(author.photoId !== null ? { 'masthead:photo': author.photoId } : {}),
    ...(author.masthead
      ? {
          ...(author.masthead.role ? { 'masthead:role': author.masthead.role } : {}),
          'masthead:title': author.masthead.title,
          'masthead:position': author.masthead.position,
        }
      : {}),
  };
}

function item(entry: WxrItem, data: WxrExport) {
  const meta = entry.attachmentMetadata
    ? [
        { key: '_wp_attachment_metadata', value: attachmentMetadata(entry.attachmentMetadata) },
        ...entry.meta,
      ]
    : entry.meta;
  return {
    title: entry.title,
    link: entry.link,
    ...(entry.date ? { pubDate: new Date(entry.date).toUTCString() } : {}),
    'dc:creator': entry.authorLogin ?? '',
    guid: { '@_isPermaLink': 'false', '#text': `${data.link}/?p=${entry.id}` },
    description: '',
    'content:encoded': entry.html,
    'excerpt:encoded': entry.excerpt,
    'wp:post_id': entry.id,
    'wp:post_date': entry.date ? wordpressDate(entry.date, data.timeZone) : NEVER,
    'wp:post_date_gmt': entry.date ? wordpressDate(entry.date, 'UTC') : NEVER,
    'wp:post_modified': entry.modified ? wordpressDate(entry.modified, data.timeZone) : NEVER,
    'wp:post_modified_gmt': entry.modified ? wordpressDate(entry.modified, 'UTC') : NEVER,
    'wp:comment_status': 'closed',
    'wp:ping_status': 'closed',
    'wp:post_name': entry.slug,
    'wp:status': entry.status,
    'wp:post_parent': 0,
    'wp:menu_order': entry.menuOrder,
    'wp:post_type': entry.type,
    'wp:post_password': '',
    'wp:is_sticky': 0,
    ...(entry.attachmentUrl ? { 'wp:attachment_url': entry.attachmentUrl } : {}),
    category: entry.categories.map((category) => ({
      '@_domain': category.domain,
      '@_nicename': category.nicename,
      '#text': category.name,
    })),
    'wp:postmeta': meta.map((entry) => ({
      'wp:meta_key': entry.key,
      'wp:meta_value': entry.value,
    })),
  };
}

/** The whole export as one WXR 1.2 document. */
export function buildWxr(data: WxrExport): string {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: false,
    processEntities: true,
  });
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    rss: {
      '@_version': '2.0',
      '@_xmlns:excerpt': 'http://wordpress.org/export/1.2/excerpt/',
      '@_xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
      '@_xmlns:wfw': 'http://wellformedweb.org/CommentAPI/',
      '@_xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      '@_xmlns:wp': 'http://wordpress.org/export/1.2/',
      '@_xmlns:masthead': MASTHEAD_WXR_NAMESPACE,
      channel: {
        title: data.title,
        link: data.link,
        description: data.description,
        pubDate: new Date(data.exportedAt).toUTCString(),
        language: data.language,
        'wp:wxr_version': '1.2',
        'wp:base_site_url': data.link,
        'wp:base_blog_url': data.link,
        generator: 'Masthead',
        // The site's settings WXR has no place for (see MASTHEAD_WXR_NAMESPACE).
        'masthead:time_zone': data.timeZone,
        ...(Object.keys(data.names).length > 0
          ? { 'masthead:names': JSON.stringify(data.names) }
          : {}),
        ...(Object.keys(data.taglines).length > 0
          ? { 'masthead:taglines': JSON.stringify(data.taglines) }
          : {}),
        'wp:author': data.authors.map((author, index) => ({
          'wp:author_id': index + 1,
          'wp:author_login': author.login,
          'wp:author_email': author.email,
          'wp:author_display_name': author.displayName,
          'wp:author_first_name': '',
          'wp:author_last_name': '',
          ...mastheadFields(author),
        })),
        'wp:category': data.categories.map((category, index) => ({
          'wp:term_id': index + 1,
          'wp:category_nicename': category.nicename,
          'wp:category_parent': category.parent ?? '',
          'wp:cat_name': category.name,
          'wp:termmeta': category.meta.map((entry) => ({
            'wp:meta_key': entry.key,
            'wp:meta_value': entry.value,
          })),
        })),
        'wp:tag': data.tags.map((tag, index) => ({
          'wp:term_id': data.categories.length + index + 1,
          'wp:tag_slug': tag.slug,
          'wp:tag_name': tag.name,
        })),
        item: data.items.map((entry) => item(entry, data)),
      },
    },
  };
  return builder.build(document) as string;
}
