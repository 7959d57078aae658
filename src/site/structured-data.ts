import { formatCreditChain, photographerOf } from '../core/credit.js';
import { articleDescription, socialTitle } from '../core/description.js';
import type { ArticleLabel } from '../core/labels.js';
import { sectionName } from '../core/localized.js';
import { largePreviewOf, MEDIA_PATH } from '../core/renditions.js';
import { authorUrl, sectionUrl } from '../core/section-path.js';
import type { Media, Person } from '../core/types.js';
import type { ArticleView, PageView, SiteChrome } from '../core/views.js';
import { liveStructuredData } from './live-data.js';

// schema.org JSON-LD for search engines and other machine readers. Built here,
// purely, from the same views the pages render; site/ only serialises it.

type JsonLd = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | JsonLd;

/**
 * A photo as an ImageObject: the large-preview rendition (≥ 1200 px when the
 * photo allows) with its caption, the printed credit line as `creditText`, the
 * photographer as `creator` and the rights holder's notice as `copyrightNotice`.
 * The newsroom's own photos are credited to the newsroom.
 */
export function imageObject(media: Media, chrome: SiteChrome): JsonLd | null {
  if (media.file === null || media.width === null || media.height === null) return null;
  const preview = largePreviewOf(media.file, media.width, `${chrome.publicUrl}${MEDIA_PATH}`);
  const image: JsonLd = {
    '@type': 'ImageObject',
    contentUrl: preview.url,
    url: preview.url,
    width: preview.width,
    height: Math.round((media.height * preview.width) / media.width),
  };
  if (media.caption) image.caption = media.caption;
  if (media.alt) image.description = media.alt;
  const creditText = formatCreditChain(media.credit);
  const photographer = photographerOf(media);
  if (creditText) image.creditText = creditText;
  else if (media.isOwnPhoto) image.creditText = chrome.settings.name;
  if (photographer) image.creator = { '@type': 'Person', name: photographer };
  else if (media.isOwnPhoto)
    image.creator = { '@type': 'Organization', name: chrome.settings.name, url: chrome.publicUrl };
  if (media.copyright) image.copyrightNotice = media.copyright;
  if (media.digitalSourceType) image.digitalSourceType = media.digitalSourceType;
  return image;
}

/** The newsroom as publisher: a NewsMediaOrganization with its logo, masthead and corrections policy. */
export function publisher(chrome: SiteChrome, logoUrl: string): JsonLd {
  const organisation: JsonLd = {
    '@type': 'NewsMediaOrganization',
    name: chrome.settings.name,
    url: `${chrome.publicUrl}/`,
    logo: { '@type': 'ImageObject', url: logoUrl },
    correctionsPolicy: `${chrome.publicUrl}/corrections`,
  };
  if (chrome.mastheadUrl) organisation.masthead = `${chrome.publicUrl}${chrome.mastheadUrl}`;
  return organisation;
}

/**
 * schema.org's own subtypes of NewsArticle for a labelled article, so machine
 * readers, like readers, can tell opinion and analysis from reporting.
 */
const ARTICLE_TYPES: Record<ArticleLabel, string> = {
  opinion: 'OpinionNewsArticle',
  analysis: 'AnalysisNewsArticle',
};

/** An article's NewsArticle (or its opinion or analysis subtype) and BreadcrumbList, as one JSON-LD graph. */
export function articleStructuredData(
  view: ArticleView,
  chrome: SiteChrome,
  logoUrl: string,
): JsonLd {
  const { article } = view;
  const url = `${chrome.publicUrl}${view.url}`;
  const images = [view.lead, ...view.bodyMedia]
    .filter((media): media is Media => media !== null)
    .map((media) => imageObject(media, chrome))
    .filter((image): image is JsonLd => image !== null);
  const newsArticle: JsonLd = {
    '@type': article.label ? ARTICLE_TYPES[article.label] : 'NewsArticle',
    '@id': `${url}#article`,
    mainEntityOfPage: url,
    url,
    headline: article.title,
    inLanguage: article.language,
    isAccessibleForFree: true,
    author: view.bylines.map((byline) => ({
      '@type': 'Person',
      name: byline.person.name,
      url: `${chrome.publicUrl}${authorUrl(byline.person.slug)}`,
    })),
    publisher: publisher(chrome, logoUrl),
    dateModified: view.modifiedAt,
  };
  const description = articleDescription(article);
  if (description) newsArticle.description = description;
  if (images.length > 0) newsArticle.image = images;
  if (article.publishedAt) newsArticle.datePublished = article.publishedAt;
  const section = view.trail.at(-1);
  if (section) newsArticle.articleSection = sectionName(section, article.language);
  if (view.tags.length > 0) newsArticle.keywords = view.tags.map((tag) => tag.name);
  if (view.corrections.length > 0) {
    newsArticle.correction = view.corrections.map((correction) => ({
      '@type': 'CorrectionComment',
      text: correction.text,
      datePublished: correction.createdAt,
    }));
  }
  // Live coverage, running or ended, is a LiveBlogPosting with its entries.
  Object.assign(newsArticle, liveStructuredData(view, chrome.publicUrl));
  const crumbs = [
    ...view.trail.map((section) => ({
      name: sectionName(section, article.language),
      url: `${chrome.publicUrl}${sectionUrl(section)}`,
    })),
    { name: article.title, url },
  ];
  const breadcrumbs: JsonLd = {
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((crumb, index) => ({
      '@type': 'ListItem',
      position: index + 1,
      name: crumb.name,
      item: crumb.url,
    })),
  };
  return { '@context': 'https://schema.org', '@graph': [newsArticle, breadcrumbs] };
}

/** Open Graph locales of the languages Masthead ships. */
const OG_LOCALES: Record<string, string> = { en: 'en_GB', ru: 'ru_RU' };

export type SocialTag = { property?: string; name?: string; content: string };

/**
 * Open Graph and Twitter card tags for an article: what a link preview shows.
 * The image is the large preview (≥ 1200 px when the photo allows), with its
 * alt text and its credit in the description of the picture.
 */
export function articleSocialTags(view: ArticleView, chrome: SiteChrome): SocialTag[] {
  const { article } = view;
  const url = `${chrome.publicUrl}${view.url}`;
  const tags: SocialTag[] = [
    { property: 'og:type', content: 'article' },
    { property: 'og:site_name', content: chrome.settings.name },
    { property: 'og:title', content: socialTitle(article) },
    { property: 'og:url', content: url },
    { property: 'og:locale', content: OG_LOCALES[article.language] ?? article.language },
  ];
  const description = articleDescription(article);
  if (description) tags.push({ property: 'og:description', content: description });
  // The photo chosen for previews, else the lead photo.
  const picture = view.socialImage ?? view.lead;
  const image = picture ? imageObject(picture, chrome) : null;
  if (picture && image) {
    tags.push(
      { property: 'og:image', content: String(image.url) },
      { property: 'og:image:width', content: String(image.width) },
      { property: 'og:image:height', content: String(image.height) },
      { property: 'og:image:alt', content: picture.alt },
    );
  }
  if (article.publishedAt)
    tags.push({ property: 'article:published_time', content: article.publishedAt });
  tags.push({ property: 'article:modified_time', content: view.modifiedAt });
  const section = view.trail.at(-1);
  if (section) tags.push({ property: 'article:section', content: section.name });
  for (const tag of view.tags) tags.push({ property: 'article:tag', content: tag.name });
  tags.push(
    { name: 'twitter:card', content: image ? 'summary_large_image' : 'summary' },
    { name: 'twitter:title', content: socialTitle(article) },
  );
  if (description) tags.push({ name: 'twitter:description', content: description });
  // Mastodon credits links to the article to the publication's account.
  if (chrome.fediverseCreator)
    tags.push({ name: 'fediverse:creator', content: chrome.fediverseCreator });
  if (picture && image) {
    tags.push(
      { name: 'twitter:image', content: String(image.url) },
      { name: 'twitter:image:alt', content: picture.alt },
    );
  }
  return tags;
}

/**
 * Any page that is not an article, as part of the newsroom's WebSite:
 * `type` is WebPage, AboutPage, CollectionPage (sections, topics) or ProfilePage.
 */
export function webPage(type: string, name: string, path: string, chrome: SiteChrome): JsonLd {
  return {
    '@context': 'https://schema.org',
    '@type': type,
    name,
    url: `${chrome.publicUrl}${path}`,
    isPartOf: { '@type': 'WebSite', name: chrome.settings.name, url: `${chrome.publicUrl}/` },
  };
}

/**
 * An author as a schema.org Person: their page, role, portrait, biography, the
 * e-mail they publish and their other profiles (`sameAs`).
 */
export function personJsonLd(person: Person, photo: Media | null, chrome: SiteChrome): JsonLd {
  const data: JsonLd = {
    '@type': 'Person',
    name: person.name,
    url: `${chrome.publicUrl}${authorUrl(person.slug)}`,
  };
  if (person.mastheadTitle) data.jobTitle = person.mastheadTitle;
  if (person.bio) data.description = person.bio;
  const image = photo ? imageObject(photo, chrome) : null;
  if (image) data.image = image;
  if (person.contacts.email) data.email = person.contacts.email;
  if (person.contacts.links.length > 0) data.sameAs = person.contacts.links.map((link) => link.url);
  return data;
}

/**
 * A static page as schema.org sees it: the masthead page is an AboutPage
 * naming the newsroom and its staff, any other a WebPage. Never a NewsArticle.
 */
export function pageStructuredData(view: PageView, chrome: SiteChrome, logoUrl: string): JsonLd {
  const data = webPage(
    view.page.kind === 'masthead' ? 'AboutPage' : 'WebPage',
    view.page.title,
    view.url,
    chrome,
  );
  data.inLanguage = view.page.language;
  data.dateModified = view.page.updatedAt;
  if (view.page.kind === 'masthead') {
    data.about = {
      ...publisher(chrome, logoUrl),
      employee: view.staff.map((person) => ({
        '@type': 'Person',
        name: person.name,
        ...(person.mastheadTitle ? { jobTitle: person.mastheadTitle } : {}),
        url: `${chrome.publicUrl}${authorUrl(person.slug)}`,
      })),
    };
  }
  return data;
}

/** The home page: the WebSite with its search, published by the newsroom. */
export function homeStructuredData(chrome: SiteChrome, logoUrl: string): JsonLd {
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: chrome.settings.name,
    url: `${chrome.publicUrl}/`,
    publisher: publisher(chrome, logoUrl),
    potentialAction: {
      '@type': 'SearchAction',
      target: `${chrome.publicUrl}/search?q={search_term_string}`,
      'query-input': 'required name=search_term_string',
    },
  };
}
