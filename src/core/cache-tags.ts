import type { ArticleDetail } from './article-detail.js';
import type { FilledBlock } from './fronts.js';
import { tagsFromNames } from './tags.js';
import type { Section } from './types.js';
import type {
  ArticleView,
  AuthorView,
  ContactView,
  FeedView,
  HomeView,
  PageView,
  SectionView,
  TagView,
  Teaser,
} from './views.js';

// What a cached public page depends on, as tags. A page carries the tags of
// everything it shows; a change purges the tags of what it touched, and so
// exactly the pages that showed it. The tags also go out as the Surrogate-Key
// header, so a CDN purges by the same names.
//
//   site              the chrome on every page (settings, navigation, footer)
//   a:<path>          an article, wherever it is shown (its page, teasers,
//                     feeds, translations' language links)
//   t:<article id>    an article's page, for its translations: one published
//                     again must reappear in the language links of the others
//   l:home, l:section:<path>, l:tag:<slug>, l:author:<person id>,
//   l:corrections     a listing: what appears on it changes with any of its articles
//   l:home:<lang>, l:section:<path>:<lang>
//                     a listing of one language (/ru, /en/news): an article in
//                     another language does not change it
//   f:<lang>/<path>   a front as editors arranged it ("f:en/" the home page,
//                     "f:ru/news" a section's), on the pages that show it
//   p:<article id>    a front that pinned the article, shown or not
//   most-read         every page with a "most read" list (as read counts come in)
//   m:<media id>      a photo shown (its credit or caption may be corrected)
//   page:<slug>       a static page
//   contact           the contact page and the newsroom's public key
//   feeds, sitemaps   every feed, every sitemap

export const SITE_TAG = 'site';
export const FEEDS_TAG = 'feeds';
export const SITEMAPS_TAG = 'sitemaps';

/** Everything: a change to the site's chrome, sections or pages purges every page. */
export const ALL_PAGES = 'all';

export type CacheChange = readonly string[] | typeof ALL_PAGES;

/** The pages showing a front: its language and its listing's path ("" the home page). */
export function frontTag(language: string, path: string): string {
  return `f:${language}/${path}`;
}

/**
 * The fronts that pinned an article: when it is published (or unpublished),
 * they change, even if they did not show it before. Not `t:`, which marks
 * an article's own page (read counting looks for it).
 */
function pinnedTag(articleId: number): string {
  return `p:${articleId}`;
}

/** Every page with a "most read" list, purged as read counts come in. */
export const MOST_READ_TAG = 'most-read';

/**
 * What a front shows: its stories and photos, the listings its modules follow
 * (in `language` only on a one-language page: an article in another does not change it).
 */
function frontTags(
  blocks: readonly FilledBlock[],
  sections: readonly Section[],
  language: string | null,
): string[] {
  return blocks.flatMap((block) => {
    switch (block.kind) {
      case 'banner':
        return [];
      case 'most-read':
        return [MOST_READ_TAG, ...teaserTags(block.stories)];
      case 'section': {
        const section = sections.find((candidate) => candidate.id === block.sectionId);
        return [
          ...(section ? sectionListingTags(section.path, language) : []),
          ...teaserTags(block.stories),
        ];
      }
      case 'latest':
        return teaserTags(block.stories);
      default:
        return teaserTags(block.slots.filter((story) => story !== null));
    }
  });
}

function articleTag(url: string): string {
  return `a:${url}`;
}

/**
 * "news/politics" → l:section:news, l:section:news/politics (a section lists
 * its children's articles); with a language, the tags of that language's listings.
 */
function sectionListingTags(path: string, language: string | null = null): string[] {
  const parts = path.split('/').filter((part) => part !== '');
  const suffix = language ? `:${language}` : '';
  return parts.map((_part, index) => `l:section:${parts.slice(0, index + 1).join('/')}${suffix}`);
}

function homeListingTag(language: string | null): string {
  return language ? `l:home:${language}` : 'l:home';
}

function teaserTags(teasers: readonly Teaser[]): string[] {
  return teasers.flatMap((teaser) => [
    articleTag(teaser.url),
    ...(teaser.lead ? [`m:${teaser.lead.id}`] : []),
  ]);
}

function unique(tags: string[]): string[] {
  return [...new Set([SITE_TAG, ...tags])];
}

export function articlePageTags(view: ArticleView): string[] {
  const section = view.trail.at(-1);
  return unique([
    articleTag(view.url),
    `t:${view.article.id}`,
    ...view.translations.map((translation) => articleTag(translation.url)),
    ...(view.lead ? [`m:${view.lead.id}`] : []),
    // Its link-preview tags name the photo chosen for shared links.
    ...(view.socialImage ? [`m:${view.socialImage.id}`] : []),
    ...view.bodyMedia.map((media) => `m:${media.id}`),
    // Live coverage: the photos inside its entries.
    ...(view.live?.media ?? []).map((media) => `m:${media.id}`),
    // Its related articles: one retitled or unpublished changes the list, and
    // so does any article joining its section or topics in its language.
    ...view.related.map((teaser) => articleTag(teaser.url)),
    ...(section ? [`l:section:${section.path}:${view.article.language}`] : []),
    ...view.tags.map((tag) => `l:tag:${tag.slug}`),
  ]);
}

/**
 * What a live entry's change touches: the article's page and what follows it
 * (its live endpoint and feed), not the listings, which show no entry.
 * Nothing while the article is unpublished: the entries just wait.
 */
export function liveEntryChangeTags(detail: Pick<ArticleDetail, 'status' | 'url'>): string[] {
  return detail.status === 'published' ? [articleTag(detail.url)] : [];
}

export function homePageTags(view: HomeView): string[] {
  return unique([
    homeListingTag(view.language),
    frontTag(view.frontLanguage, ''),
    ...frontTags(view.blocks, view.sections, view.language),
    ...view.pinnedIds.map(pinnedTag),
  ]);
}

export function sectionPageTags(view: SectionView): string[] {
  return unique([
    ...sectionListingTags(view.section.path, view.language),
    frontTag(view.frontLanguage, view.section.path),
    ...frontTags(view.blocks, view.sections, view.language),
    ...view.pinnedIds.map(pinnedTag),
    ...teaserTags(view.teasers),
  ]);
}

export function tagPageTags(view: TagView): string[] {
  return unique([`l:tag:${view.tag.slug}`, ...teaserTags(view.teasers)]);
}

export function authorPageTags(view: AuthorView): string[] {
  return unique([
    `l:author:${view.person.id}`,
    ...(view.photo ? [`m:${view.photo.id}`] : []),
    ...teaserTags(view.teasers),
  ]);
}

/**
 * The contact page and the newsroom's key file: the newsroom's channels, and
 * the staff who publish contacts (a profile change purges it too).
 */
export const CONTACT_TAG = 'contact';

export function contactPageTags(view: ContactView): string[] {
  return unique([CONTACT_TAG, ...view.staff.map((person) => `l:author:${person.id}`)]);
}

/** What a person's public profile shows on: their page, and the contact page's list of staff. */
export function profileChangeTags(personId: number): string[] {
  return [`l:author:${personId}`, CONTACT_TAG];
}

export function staticPageTags(view: PageView): string[] {
  return unique([`page:${view.page.slug}`, ...view.bodyMedia.map((media) => `m:${media.id}`)]);
}

export function correctionsPageTags(articleUrls: readonly string[]): string[] {
  return unique(['l:corrections', ...articleUrls.map(articleTag)]);
}

export function feedTags(view: FeedView): string[] {
  return unique([
    FEEDS_TAG,
    ...view.items.flatMap((item) => [
      articleTag(item.url),
      ...(item.lead ? [`m:${item.lead.id}`] : []),
      // Full-text feeds print every picture's caption and credit, not only the lead's.
      ...item.bodyMedia.map((media) => `m:${media.id}`),
    ]),
  ]);
}

/**
 * What a change to a public article touches: its page and every listing it is
 * on (home, its section and the sections above, its authors' and tags'
 * pages, corrections), the feeds and the sitemaps. Called with the article
 * before and after the change, so a listing it left is purged too. Drafts and
 * other unpublished states show nowhere: they touch nothing.
 */
export function articleChangeTags(...states: (ArticleDetail | null)[]): string[] {
  const tags = states.flatMap((detail) =>
    detail && detail.status === 'published'
      ? [
          articleTag(detail.url),
          homeListingTag(null),
          homeListingTag(detail.language),
          'l:corrections',
          ...sectionListingTags(detail.section),
          ...sectionListingTags(detail.section, detail.language),
          ...detail.authors.map((author) => `l:author:${author.personId}`),
          ...tagsFromNames(detail.tags).map((tag) => `l:tag:${tag.slug}`),
          FEEDS_TAG,
          SITEMAPS_TAG,
          // Its translations' pages link to it only while it is published.
          ...detail.translations.map((translation) => `t:${translation.id}`),
          pinnedTag(detail.id),
        ]
      : [],
  );
  return [...new Set(tags)];
}
