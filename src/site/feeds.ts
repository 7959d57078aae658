import { Feed, type Item } from 'feed';
import { newestDate } from '../core/dates.js';
import type { Doc } from '../core/document.js';
import { largePreviewOf, MEDIA_PATH } from '../core/renditions.js';
import { authorUrl, type FeedFormat, feedUrl, sectionUrl, tagUrl } from '../core/section-path.js';
import type { Media } from '../core/types.js';
import type { FeedItem, FeedView, SiteChrome } from '../core/views.js';
import { creditLine } from './i18n.js';
import { escapeHtml, renderDocument } from './render-document.js';

export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  xml: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

export const FEED_LABELS: Record<FeedFormat, string> = {
  xml: 'RSS',
  atom: 'Atom',
  json: 'JSON Feed',
};

export type FeedOptions = {
  /** The WebSub hub feed readers may subscribe at, or null. */
  hub: string | null;
  /** Absolute URL of the newsroom's logo. */
  logoUrl: string;
};

/** "The hall on the evening of the vote. Photo: EPA / Grigory Sysoev" */
function captionWithCredit(media: Media, language: string): string {
  return [media.caption, creditLine(media, language)].filter(Boolean).join(' ');
}

/**
 * A picture for a feed reader: one plain <img> at the large-preview size, with
 * an absolute URL, and its caption and credit (shown even when the file is missing).
 */
function figureHtml(media: Media, language: string, publicUrl: string): string {
  const caption = captionWithCredit(media, language);
  let image = '';
  if (media.file && media.width !== null) {
    const preview = largePreviewOf(media.file, media.width, `${publicUrl}${MEDIA_PATH}`);
    const height =
      media.height === null
        ? ''
        : ` height="${Math.round((media.height * preview.width) / media.width)}"`;
    image = `<img src="${escapeHtml(preview.url)}" alt="${escapeHtml(media.alt)}" width="${preview.width}"${height}>`;
  }
  if (!image && !caption) return '';
  return `<figure>${image}${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`;
}

/**
 * An article's full text for feed readers: the lead photo with its caption and
 * credit, then the body, with every link and image made absolute (a feed is
 * read away from the site).
 */
export function feedItemHtml(item: FeedItem, publicUrl: string): string {
  const body = documentHtml(item.article.body, item.bodyMedia, item.article.language, publicUrl);
  return `${item.lead ? figureHtml(item.lead, item.article.language, publicUrl) : ''}${body}`;
}

/** A document as HTML for reading away from the site: absolute links, plain <img> pictures. */
export function documentHtml(
  doc: Doc,
  bodyMedia: Media[],
  language: string,
  publicUrl: string,
): string {
  const media = new Map(bodyMedia.map((entry) => [entry.id, entry]));
  return renderDocument(doc, {
    language,
    renderImage: (mediaId, storyCaption) => {
      const found = media.get(mediaId);
      return found
        ? figureHtml(
            storyCaption ? { ...found, caption: storyCaption } : found,
            language,
            publicUrl,
          )
        : '';
    },
    rewriteHref: (href) =>
      href.startsWith('/') && !href.startsWith('//') ? `${publicUrl}${href}` : href,
  });
}

function feedEntry(item: FeedItem, chrome: SiteChrome): Item {
  const { article } = item;
  const { publicUrl } = chrome;
  const url = `${publicUrl}${item.url}`;
  const entry: Item = {
    title: article.title,
    id: `urn:uuid:${article.uuid}`,
    guid: `urn:uuid:${article.uuid}`,
    link: url,
    date: new Date(item.modifiedAt),
    content: feedItemHtml(item, publicUrl),
    category: [
      {
        name: item.section.name,
        domain: `${publicUrl}${sectionUrl(item.section)}`,
        scheme: `${publicUrl}/`,
        term: item.section.path,
      },
      ...item.tags.map((tag) => ({
        name: tag.name,
        domain: `${publicUrl}${tagUrl(tag.slug)}`,
        scheme: `${publicUrl}/tags/`,
        term: tag.slug,
      })),
    ],
  };
  // An article may have no byline (an imported wire story): then no author at all.
  if (item.bylines.length > 0) {
    entry.author = item.bylines.map((byline) => ({
      name: byline.person.name,
      link: `${publicUrl}${authorUrl(byline.person.slug)}`,
    }));
  }
  if (article.publishedAt) entry.published = new Date(article.publishedAt);
  if (article.standfirst) entry.description = article.standfirst;
  const preview = leadPreview(item, publicUrl);
  // The enclosure carries no caption attribute (RSS has none, and the package
  // would not escape it): the caption and credit are in the content's figure.
  if (preview) entry.image = { url: preview, type: 'image/jpeg' };
  return entry;
}

/** The absolute URL of the lead photo's large preview, or null. */
function leadPreview(item: FeedItem, publicUrl: string): string | null {
  const lead = item.lead;
  if (!lead?.file || lead.width === null) return null;
  return largePreviewOf(lead.file, lead.width, `${publicUrl}${MEDIA_PATH}`).url;
}

/** The newest change among the entries, so an unchanged feed reads the same byte for byte. */
function lastUpdate(view: FeedView): string {
  return newestDate(view.items.map((item) => item.modifiedAt)) ?? '2000-01-01T00:00:00.000Z';
}

/** A listing's feed in RSS 2.0 or Atom 1.0 (the `feed` package), or JSON Feed 1.1. */
export function renderFeed(
  view: FeedView,
  chrome: SiteChrome,
  format: FeedFormat,
  options: FeedOptions,
): string {
  if (format === 'json') return jsonFeed(view, chrome, options);
  const { publicUrl } = chrome;
  const feed = new Feed({
    id: `${publicUrl}${view.path}/`,
    title: view.title,
    description: view.description,
    link: `${publicUrl}${view.path || '/'}`,
    language: view.language,
    updated: new Date(lastUpdate(view)),
    generator: 'Masthead',
    image: options.logoUrl,
    copyright: `© ${chrome.settings.name}`,
    feedLinks: {
      rss: `${publicUrl}${feedUrl(view.path, 'xml')}`,
      atom: `${publicUrl}${feedUrl(view.path, 'atom')}`,
      json: `${publicUrl}${feedUrl(view.path, 'json')}`,
    },
    ...(options.hub ? { hub: options.hub } : {}),
  });
  for (const item of view.items) feed.addItem(feedEntry(item, chrome));
  if (format === 'xml') return feed.rss2();
  // The package types an Atom enclosure by its file extension ("image/jpg",
  // which is no MIME type); the only enclosure here is the JPEG lead preview.
  return feed
    .atom1()
    .replace(/(<link rel="enclosure" href="[^"]*") type="image\/jpg"/g, '$1 type="image/jpeg"');
}

/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written directly:
 * the `feed` package only writes 1.0. Every author is listed, the lead
 * picture is an attachment whose title carries its caption and credit.
 */
function jsonFeed(view: FeedView, chrome: SiteChrome, options: FeedOptions): string {
  const { publicUrl } = chrome;
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: view.title,
    home_page_url: `${publicUrl}${view.path || '/'}`,
    feed_url: `${publicUrl}${feedUrl(view.path, 'json')}`,
    description: view.description,
    icon: options.logoUrl,
    language: view.language,
    authors: [{ name: chrome.settings.name, url: `${publicUrl}/` }],
    ...(options.hub ? { hubs: [{ type: 'WebSub', url: options.hub }] } : {}),
    items: view.items.map((item) => {
      const { article } = item;
      const preview = leadPreview(item, publicUrl);
      return {
        id: `urn:uuid:${article.uuid}`,
        url: `${publicUrl}${item.url}`,
        title: article.title,
        content_html: feedItemHtml(item, publicUrl),
        ...(article.standfirst ? { summary: article.standfirst } : {}),
        ...(preview ? { image: preview } : {}),
        ...(article.publishedAt ? { date_published: article.publishedAt } : {}),
        date_modified: item.modifiedAt,
        authors: item.bylines.map((byline) => ({
          name: byline.person.name,
          url: `${publicUrl}${authorUrl(byline.person.slug)}`,
        })),
        tags: [item.section.name, ...item.tags.map((tag) => tag.name)],
        language: article.language,
        ...(preview && item.lead
          ? {
              attachments: [
                {
                  url: preview,
                  mime_type: 'image/jpeg',
                  title: captionWithCredit(item.lead, article.language) || item.lead.alt,
                },
              ],
            }
          : {}),
      };
    }),
  };
  return JSON.stringify(feed, null, 2);
}
