import { photographerOf } from '../core/credit.js';
import { plainText } from '../core/document.js';
import type { ArticleLabel } from '../core/labels.js';
import { largePreviewOf, MEDIA_PATH, renditionsOf } from '../core/renditions.js';
import { words } from '../core/search-text.js';
import { authorUrl, sectionUrl, tagUrl } from '../core/section-path.js';
import type { Media } from '../core/types.js';
import type { FeedItem, SiteChrome } from '../core/views.js';
import { documentHtml } from './feeds.js';
import { creditLine } from './i18n.js';

// A published article as IPTC ninjs 2.1 (News in JSON), for partners who
// republish the newsroom's stories: the same full text as the feeds, with the
// bylines, topics and the lead photo as an association carrying its credit
// chain, photographer and copyright.

export const NINJS_SCHEMA = 'http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json';

type Ninjs = Record<string, unknown>;

/**
 * A label as the IPTC genre NewsCode it is (ninjs 2.1 `genres`), so a partner's
 * system files opinion and analysis apart from news without knowing Masthead.
 */
export const LABEL_GENRES: Record<ArticleLabel, { name: string; uri: string }> = {
  opinion: { name: 'Opinion', uri: 'http://cv.iptc.org/newscodes/genre/Opinion' },
  analysis: { name: 'Analysis', uri: 'http://cv.iptc.org/newscodes/genre/Analysis' },
};

/** The lead photo as a ninjs picture: renditions, caption, alt text, credit chain and rights. */
function pictureAssociation(media: Media, language: string, chrome: SiteChrome): Ninjs | null {
  if (!media.file || media.width === null || media.height === null) return null;
  const prefix = `${chrome.publicUrl}${MEDIA_PATH}`;
  const { width, height } = media;
  const preview = largePreviewOf(media.file, width, prefix);
  const picture: Ninjs = {
    name: 'leadimage',
    uri: `${prefix}${media.file}`,
    type: 'picture',
    representationtype: 'full',
    renditions: renditionsOf(media.file, width, prefix)
      .filter((rendition) => rendition.format === 'jpg')
      .map((rendition) => ({
        name: rendition.url === preview.url ? 'preview' : `jpeg-${rendition.width}`,
        href: rendition.url,
        contenttype: 'image/jpeg',
        width: rendition.width,
        height: Math.round((height * rendition.width) / width),
      })),
  };
  const descriptions = [
    ...(media.caption
      ? [{ role: 'caption', contenttype: 'text/plain', value: media.caption }]
      : []),
    ...(media.alt ? [{ role: 'alt', contenttype: 'text/plain', value: media.alt }] : []),
  ];
  if (descriptions.length > 0) picture.descriptions = descriptions;
  const photographer = photographerOf(media);
  if (photographer) picture.by = photographer;
  if (media.credit.length > 0) {
    // The credit chain, in order, each part with its role (agency, photographer…).
    picture.infosources = media.credit.map((part) => ({ name: part.name, role: part.role }));
  }
  const holder = media.credit.find((part) => part.role === 'agency')?.name;
  if (holder) picture.copyrightholder = holder;
  else if (media.isOwnPhoto) picture.copyrightholder = chrome.settings.name;
  const notice = media.copyright || creditLine(media, language) || '';
  if (notice) picture.copyrightnotice = notice;
  return picture;
}

/** One published article as a ninjs 2.1 news item. */
export function articleToNinjs(item: FeedItem, chrome: SiteChrome): Ninjs {
  const { article } = item;
  const { publicUrl } = chrome;
  // The lead photo travels as an association, not inside the body.
  const html = documentHtml(article.body, item.bodyMedia, article.language, publicUrl);
  const year = (article.publishedAt ?? item.modifiedAt).slice(0, 4);
  const ninjs: Ninjs = {
    uri: `${publicUrl}${item.url}`,
    standard: { name: 'ninjs', version: '2.1', schema: NINJS_SCHEMA },
    type: 'text',
    representationtype: 'full',
    version: String(article.version),
    versioncreated: item.modifiedAt,
    pubstatus: 'usable',
    language: article.language,
    headlines: [{ role: 'main', contenttype: 'text/plain', value: article.title }],
    bodies: [
      {
        role: 'main',
        contenttype: 'text/html',
        wordcount: words(plainText(article.body)).length,
        value: html,
      },
    ],
    copyrightholder: chrome.settings.name,
    copyrightnotice: `© ${year} ${chrome.settings.name}`,
    altids: [{ role: 'masthead-uuid', value: article.uuid }],
  };
  if (article.publishedAt) ninjs.firstcreated = article.publishedAt;
  if (article.label) ninjs.genres = [LABEL_GENRES[article.label]];
  if (article.standfirst) {
    ninjs.descriptions = [
      { role: 'summary', contenttype: 'text/plain', value: article.standfirst },
    ];
  }
  if (item.bylines.length > 0) {
    ninjs.by = item.bylines.map((byline) => byline.person.name).join(', ');
    ninjs.people = item.bylines.map((byline) => ({
      name: byline.person.name,
      rel: byline.label ? byline.label : 'author',
      uri: `${publicUrl}${authorUrl(byline.person.slug)}`,
    }));
  }
  ninjs.subjects = [
    { name: item.section.name, rel: 'section', uri: `${publicUrl}${sectionUrl(item.section)}` },
    ...item.tags.map((tag) => ({
      name: tag.name,
      rel: 'tag',
      uri: `${publicUrl}${tagUrl(tag.slug)}`,
    })),
  ];
  const picture = item.lead ? pictureAssociation(item.lead, article.language, chrome) : null;
  if (picture) ninjs.associations = [picture];
  return ninjs;
}
