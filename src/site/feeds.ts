import { Feed, type Item } from 'feed';
import { formatCreditChain } from '../core/credit.js';
import type { Doc } from '../core/document.js';
import { largePreviewOf } from '../core/renditions.js';
import { authorUrl, sectionUrl, tagUrl } from '../core/section-path.js';
import type { Media } from '../core/types.js';
import type { FeedItem, FeedView, SiteChrome } from '../core/views.js';
import { uiText } from './i18n.js';
import { renderDocument } from './render-document.js';

export type FeedFormat = 'xml' | 'atom' | 'json';

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  xml: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export type FeedOptions = {
  /** The WebSub hub feed readers may subscribe at, or null. */
  hub: string | null;
  /** Absolute URL of the newsroom's logo. */
  logoUrl: string;
};

/** Escapes text for an HTML attribute value or text node. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** "The hall on the evening of the vote. Photo: EPA / Grigory Sysoev" */
function captionWithCredit(media: Media, language: string): string {
  const credit =
    media.credit.length > 0 ? `${uiText(language).photo}: ${formatCreditChain(media.credit)}` : '';
  return [media.caption, credit].filter(Boolean).join(' ');
}

/** A picture for a feed reader: one plain <img> at the large-preview size, absolute URL. */
function figureHtml(media: Media, language: string, publicUrl: string): string {
  if (!media.file || media.width === null) return '';
  const image = largePreviewOf(media.file, media.width, `${publicUrl}/media/`);
  const height =
    media.height === null
      ? ''
      : ` height="${Math.round((media.height * image.width) / media.width)}"`;
  const caption = captionWithCredit(media, language);
  return `<figure><img src="${escapeHtml(image.url)}" alt="${escapeHtml(media.alt)}" width="${image.width}"${height}>${
    caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''
  }</figure>`;
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
  return renderDocument(
    doc,
    (mediaId) => {
      const found = media.get(mediaId);
      return found ? figureHtml(found, language, publicUrl) : '';
    },
    (href) => (href.startsWith('/') && !href.startsWith('//') ? `${publicUrl}${href}` : href),
  );
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
    author: item.bylines.map((byline) => ({
      name: byline.person.name,
      link: `${publicUrl}${authorUrl(byline.person.slug)}`,
    })),
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
  if (article.publishedAt) entry.published = new Date(article.publishedAt);
  if (article.standfirst) entry.description = article.standfirst;
  const lead = item.lead;
  if (lead?.file && lead.width !== null) {
    const image = largePreviewOf(lead.file, lead.width, `${publicUrl}/media/`);
    const title = captionWithCredit(lead, article.language) || lead.alt;
    entry.image = { url: image.url, type: 'image/jpeg', title };
  }
  return entry;
}

/** The newest change among the entries, so an unchanged feed reads the same byte for byte. */
function lastUpdate(view: FeedView): Date {
  const newest = view.items
    .map((item) => item.modifiedAt)
    .sort()
    .at(-1);
  return new Date(newest ?? '2000-01-01T00:00:00.000Z');
}

/** A listing's feed in RSS 2.0, Atom 1.0 or JSON Feed 1.1. */
export function renderFeed(
  view: FeedView,
  chrome: SiteChrome,
  format: FeedFormat,
  options: FeedOptions,
): string {
  const { publicUrl } = chrome;
  const feedBase = `${publicUrl}${view.path}/feed`;
  const feed = new Feed({
    id: `${publicUrl}${view.path}/`,
    title: view.title,
    description: view.description,
    link: `${publicUrl}${view.path || '/'}`,
    language: view.language,
    updated: lastUpdate(view),
    generator: 'Masthead',
    image: options.logoUrl,
    copyright: `© ${chrome.settings.name}`,
    feedLinks: { rss: `${feedBase}.xml`, atom: `${feedBase}.atom`, json: `${feedBase}.json` },
    ...(options.hub ? { hub: options.hub } : {}),
  });
  for (const item of view.items) feed.addItem(feedEntry(item, chrome));
  if (format === 'xml') return feed.rss2();
  // The package derives an Atom enclosure's type from the file extension
  // ("image/jpg", which is no MIME type); the lead picture is always a JPEG.
  if (format === 'atom')
    return feed
      .atom1()
      .replace(/(<link rel="enclosure"[^>]*?) type="image\/jpg"/g, '$1 type="image/jpeg"');
  return jsonFeed11(feed.json1(), view, chrome, options);
}

type JsonFeedItem = Record<string, unknown> & { id: string };

/**
 * The `feed` package writes JSON Feed 1.0; 1.1 adds `language`, lists every
 * author in `authors` (1.0's single `author` is deprecated) and describes the
 * lead picture as an attachment whose title carries the credit.
 */
function jsonFeed11(
  json: string,
  view: FeedView,
  chrome: SiteChrome,
  options: FeedOptions,
): string {
  const feed = JSON.parse(json) as Record<string, unknown> & { items: JsonFeedItem[] };
  const byId = new Map(view.items.map((item) => [`urn:uuid:${item.article.uuid}`, item]));
  feed.version = 'https://jsonfeed.org/version/1.1';
  feed.language = view.language;
  delete feed.author;
  feed.authors = [{ name: chrome.settings.name, url: `${chrome.publicUrl}/` }];
  if (options.hub) feed.hubs = [{ type: 'WebSub', url: options.hub }];
  feed.items = feed.items.map((entry) => {
    const item = byId.get(entry.id);
    const { author: _deprecated, ...rest } = entry;
    if (!item) return rest;
    const upgraded: JsonFeedItem = {
      ...rest,
      language: item.article.language,
      authors: item.bylines.map((byline) => ({
        name: byline.person.name,
        url: `${chrome.publicUrl}${authorUrl(byline.person.slug)}`,
      })),
    };
    const lead = item.lead;
    if (lead?.file && lead.width !== null) {
      upgraded.attachments = [
        {
          url: largePreviewOf(lead.file, lead.width, `${chrome.publicUrl}/media/`).url,
          mime_type: 'image/jpeg',
          title: captionWithCredit(lead, item.article.language) || lead.alt,
        },
      ];
    }
    return upgraded;
  });
  return JSON.stringify(feed, null, 2);
}
