import type { Kysely } from 'kysely';
import type { ArticleSnapshot } from '../core/article-detail.js';
import { hasContacts } from '../core/contacts.js';
import { articleChangedAt } from '../core/dates.js';
import { bodyMediaIds, type Doc } from '../core/document.js';
import { frontArticleIds } from '../core/fronts.js';
import type { LiveView } from '../core/live.js';
import { type Menus, parseLocalized, parseStoredMenu } from '../core/localized.js';
import { MIRROR_LIST_SETTING, parseStoredMirrorList } from '../core/mirror-list.js';
import {
  articleUrl,
  pageUrl,
  sectionAndDescendantIds,
  sectionTrail,
} from '../core/section-path.js';
import { tagsFromNames } from '../core/tags.js';
import {
  type Article,
  LANGUAGES,
  type Language,
  type Media,
  type Person,
  type Section,
  type SiteSettings,
  type Tag,
} from '../core/types.js';
import type {
  ArticleView,
  AuthorView,
  CorrectionsView,
  HomeView,
  PageView,
  SectionView,
  SiteChrome,
  TagView,
} from '../core/views.js';
import {
  countPublishedArticles,
  findArticleBySlug,
  getArticle,
  getArticleSources,
  getBylines,
  getPendingChanges,
  listPublishedArticles,
  listRelatedArticles,
  listTranslationGroup,
} from '../store/articles.js';
import { listCorrections, listRecentPublicCorrections } from '../store/corrections.js';
import { listChannels } from '../store/distribution.js';
import { getLiveCoverage, listLiveEntries } from '../store/live.js';
import { getMediaByIds } from '../store/media.js';
import { findPageBySlug, listPages } from '../store/pages.js';
import { findPersonBySlug, listMastheadPeople, listPeople } from '../store/people.js';
import type { Database } from '../store/schema.js';
import { listSections } from '../store/sections.js';
import { readSettings } from '../store/settings.js';
import { findTagBySlug, getArticleTags } from '../store/tags.js';
import { readFrontBlocks } from './fronts.js';
import type { Newsroom } from './newsroom.js';
import { toTeasers } from './teasers.js';

// Read use cases for the public site. Only published articles are ever returned.

const SECTION_PAGE_SIZE = 30;
const EDITOR_IN_CHIEF = 'editor-in-chief';

export type PublicPage =
  | { kind: 'home'; view: HomeView }
  | { kind: 'section'; view: SectionView }
  | { kind: 'article'; view: ArticleView }
  | { kind: 'page'; view: PageView }
  | { kind: 'corrections'; view: CorrectionsView }
  | { kind: 'tag'; view: TagView }
  | { kind: 'author'; view: AuthorView };

/** Where the tag and author pages live: /tags/<slug>, /authors/<slug>. */
export const TAGS_PREFIX = 'tags';
export const AUTHORS_PREFIX = 'authors';
const LISTING_PAGE_SIZE = 30;
/** How many related articles an article page suggests. */
const RELATED_COUNT = 4;

/** The site's name, navigation and footer, shown on every page. */
export async function readSiteChrome(newsroom: Newsroom): Promise<SiteChrome> {
  const db = newsroom.store.db;
  const [settings, sections, people, pages, stored, newsletters] = await Promise.all([
    readSiteSettings(db),
    listSections(db),
    listMastheadPeople(db),
    listPages(db),
    readSettings(db),
    db.selectFrom('newsletter_list').select(['id', 'name', 'language']).orderBy('name').execute(),
  ]);
  const actor = (await listChannels(db)).find(
    (channel) => channel.kind === 'fediverse' && channel.handle,
  );
  const masthead = pages.find((page) => page.kind === 'masthead');
  return {
    settings,
    sections: sections.filter((section) => section.parentId === null),
    editorsInChief: people.filter((person) => person.mastheadRole === EDITOR_IN_CHIEF),
    mastheadUrl: masthead ? pageUrl(masthead.slug) : null,
    footerPages: pages
      .filter((page) => page.kind === 'legal')
      .map((page) => ({ title: page.title, url: pageUrl(page.slug), language: page.language })),
    publicUrl: newsroom.publicUrl,
    mirrors: parseStoredMirrorList(stored.get(MIRROR_LIST_SETTING)),
    hasNewsletters: newsletters.length > 0,
    signUpLists: newsroom.mailer ? newsletters : [],
    fediverseCreator: actor?.handle ? `@${actor.handle}@${new URL(newsroom.publicUrl).host}` : null,
    menus: readMenus(stored),
  };
}

export async function readSiteSettings(db: Kysely<Database>): Promise<SiteSettings> {
  return siteSettingsOf(await readSettings(db));
}

/** The site's settings from the stored settings, for callers that read them all anyway. */
export function siteSettingsOf(stored: ReadonlyMap<string, string>): SiteSettings {
  const language = stored.get('site.language');
  return {
    name: stored.get('site.name') ?? 'Masthead',
    tagline: stored.get('site.tagline') ?? '',
    language: LANGUAGES.includes(language as Language) ? (language as Language) : 'en',
    timeZone: stored.get('site.time_zone') ?? 'UTC',
    names: parseLocalized(stored.get(SITE_NAMES_SETTING)),
    taglines: parseLocalized(stored.get(SITE_TAGLINES_SETTING)),
  };
}

/** Settings holding the site's name and tagline per language (JSON, core/localized.ts). */
export const SITE_NAMES_SETTING = 'site.names';
export const SITE_TAGLINES_SETTING = 'site.taglines';

/** The setting holding a language's menus. */
export function menuSetting(language: Language): string {
  return `menu.${language}`;
}

/** Each language's own menus, where editors made them. */
export function readMenus(stored: Map<string, string>): Menus {
  const menus: Menus = {};
  for (const language of LANGUAGES) {
    const menu = parseStoredMenu(stored.get(menuSetting(language)));
    if (menu) menus[language] = menu;
  }
  return menus;
}

/**
 * Finds what a public path shows: home, a section, an article in it, or a
 * static page. Null when nothing published lives there.
 */
/**
 * A listing page: home, a section (either possibly in one language: "/ru",
 * "/ru/news"), a topic ("/tags/port") or a writer ("/authors/ada-lindqvist"),
 * with the filter that selects its articles. Feeds follow the same listings.
 */
export type Listing =
  | { kind: 'home'; language: Language | null }
  | { kind: 'section'; section: Section; language: Language | null }
  | { kind: 'tag'; tag: Tag }
  | { kind: 'author'; person: Person };

/** The listing at `path`, or null when it names none. */
export async function findListing(
  db: Kysely<Database>,
  path: string,
  sections: Section[],
): Promise<Listing | null> {
  let segments = path.split('/').filter((segment) => segment !== '');
  const language = LANGUAGES.find((candidate) => candidate === segments[0]) ?? null;
  if (language) segments = segments.slice(1);
  if (segments.length === 0) return { kind: 'home', language };
  const section = sections.find((candidate) => candidate.path === segments.join('/'));
  if (section) return { kind: 'section', section, language };
  if (language || segments.length !== 2) return null;
  if (segments[0] === TAGS_PREFIX) {
    const tag = await findTagBySlug(db, segments[1] ?? '');
    return tag ? { kind: 'tag', tag } : null;
  }
  if (segments[0] === AUTHORS_PREFIX) {
    const person = await findPersonBySlug(db, segments[1] ?? '');
    return person ? { kind: 'author', person } : null;
  }
  return null;
}

/** Which published articles a listing shows. */
export function listingFilter(
  listing: Listing,
  sections: Section[],
): Omit<Parameters<typeof listPublishedArticles>[1], 'limit'> {
  switch (listing.kind) {
    case 'home':
      return listing.language ? { language: listing.language } : {};
    case 'section':
      return {
        sectionIds: sectionAndDescendantIds(listing.section, sections),
        ...(listing.language ? { language: listing.language } : {}),
      };
    case 'tag':
      return { tagSlug: listing.tag.slug };
    case 'author':
      return { authorPersonId: listing.person.id };
  }
}

export async function resolvePublicPath(
  newsroom: Newsroom,
  path: string,
): Promise<PublicPage | null> {
  const db = newsroom.store.db;
  const sections = await listSections(db);
  const byPath = new Map(sections.map((section) => [section.path, section]));
  const byId = new Map(sections.map((section) => [section.id, section]));

  const listing = await findListing(db, path, sections);
  switch (listing?.kind) {
    case 'home':
      return {
        kind: 'home',
        view: await readHome(db, newsroom.now(), listing.language, sections),
      };
    case 'section':
      return {
        kind: 'section',
        view: await readSection(
          db,
          newsroom.now(),
          listing.section,
          sections,
          byId,
          listing.language,
        ),
      };
    case 'tag': {
      const filter = listingFilter(listing, sections);
      const [articles, total] = await Promise.all([
        listPublishedArticles(db, { ...filter, limit: LISTING_PAGE_SIZE }),
        countPublishedArticles(db, filter),
      ]);
      // A topic with nothing published has no public page (its articles were unpublished, or are drafts).
      if (articles.length === 0) return null;
      return {
        kind: 'tag',
        view: { tag: listing.tag, teasers: await toTeasers(db, articles, byId), total },
      };
    }
    case 'author': {
      const { person } = listing;
      const filter = listingFilter(listing, sections);
      const [articles, total, photos] = await Promise.all([
        listPublishedArticles(db, { ...filter, limit: LISTING_PAGE_SIZE }),
        countPublishedArticles(db, filter),
        getMediaByIds(db, person.photoMediaId === null ? [] : [person.photoMediaId]),
      ]);
      // A person with nothing published, no place on the masthead and no
      // public contacts has no public page.
      if (articles.length === 0 && person.mastheadRole === null && !hasContacts(person.contacts))
        return null;
      const photo = person.photoMediaId === null ? null : (photos.get(person.photoMediaId) ?? null);
      return {
        kind: 'author',
        view: { person, photo, teasers: await toTeasers(db, articles, byId), total },
      };
    }
    case undefined:
      break;
  }

  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length >= 2) {
    const parent = byPath.get(segments.slice(0, -1).join('/'));
    const slug = segments.at(-1) ?? '';
    const article = parent ? await findArticleBySlug(db, parent.id, slug) : null;
    if (parent && article?.status === 'published') {
      return { kind: 'article', view: await readArticle(db, article, parent, byId) };
    }
    return null;
  }
  if (segments.length === 1 && segments[0] === 'corrections') {
    return { kind: 'corrections', view: await readCorrections(db, byId) };
  }
  const page = await findPageBySlug(db, segments[0] ?? '');
  if (!page) return null;
  const staff = page.kind === 'masthead' ? await listMastheadPeople(db) : [];
  return {
    kind: 'page',
    view: { page, url: pageUrl(page.slug), staff, bodyMedia: await bodyMediaOf(db, page.body) },
  };
}

async function readHome(
  db: Kysely<Database>,
  now: Date,
  language: Language | null,
  sections: Section[],
): Promise<HomeView> {
  // "/" shows the front of the site's language, filled from every language.
  const frontLanguage = language ?? (await readSiteSettings(db)).language;
  const { blocks, pinnedIds } = await readFrontBlocks(
    db,
    now,
    { language: frontLanguage, path: '' },
    language,
    sections,
  );
  return { language, frontLanguage, blocks, pinnedIds, sections };
}

async function readSection(
  db: Kysely<Database>,
  now: Date,
  section: Section,
  sections: Section[],
  byId: Map<number, Section>,
  language: Language | null,
): Promise<SectionView> {
  const frontLanguage = language ?? (await readSiteSettings(db)).language;
  const [{ blocks, pinnedIds }, articles] = await Promise.all([
    readFrontBlocks(db, now, { language: frontLanguage, path: section.path }, language, sections),
    listPublishedArticles(db, {
      sectionIds: sectionAndDescendantIds(section, sections),
      limit: SECTION_PAGE_SIZE,
      ...(language ? { language } : {}),
    }),
  ]);
  // Below the front, the section's other articles, newest first.
  const onFront = new Set(frontArticleIds(blocks));
  return {
    language,
    frontLanguage,
    section,
    trail: sectionTrail(section, byId),
    children: sections.filter((candidate) => candidate.parentId === section.id),
    blocks,
    pinnedIds,
    sections,
    teasers: await toTeasers(
      db,
      articles.filter((article) => !onFront.has(article.id)),
      byId,
    ),
  };
}

async function readArticle(
  db: Kysely<Database>,
  article: Article,
  section: Section,
  byId: Map<number, Section>,
): Promise<ArticleView> {
  const [bylines, media, sources, tags, corrections, translations, live, related] =
    await Promise.all([
      getBylines(db, [article.id]),
      getMediaByIds(
        db,
        [article.leadMediaId, article.socialImageId].filter((id): id is number => id !== null),
      ),
      getArticleSources(db, article.id),
      getArticleTags(db, [article.id]),
      listCorrections(db, [article.id]),
      article.translationGroup === null
        ? Promise.resolve([])
        : listTranslationGroup(db, article.translationGroup, { publishedOnly: true }),
      readLiveView(db, article.id),
      listRelatedArticles(db, article, RELATED_COUNT).then((found) => toTeasers(db, found, byId)),
    ]);
  return {
    article,
    live,
    related,
    url: articleUrl(section, article.slug),
    trail: sectionTrail(section, byId),
    bylines: bylines.get(article.id) ?? [],
    lead: article.leadMediaId === null ? null : (media.get(article.leadMediaId) ?? null),
    socialImage: article.socialImageId === null ? null : (media.get(article.socialImageId) ?? null),
    sources,
    tags: tags.get(article.id) ?? [],
    corrections: corrections.map(({ type, text, createdAt }) => ({ type, text, createdAt })),
    bodyMedia: await bodyMediaOf(db, article.body),
    modifiedAt: articleChangedAt(
      article.updatedAt,
      corrections.map((correction) => correction.createdAt),
    ),
    translations: translations.flatMap((other) => {
      const otherSection = byId.get(other.sectionId);
      return other.id === article.id || !otherSection
        ? []
        : [
            {
              language: other.language,
              title: other.title,
              url: articleUrl(otherSection, other.slug),
            },
          ];
    }),
  };
}

/**
 * An article as readers will see it once it is published: the article itself
 * for a draft, a published one with its held-back edits applied. Nothing is
 * checked here about who asks (the preview routes do that); null when there
 * is no such article or it is in the trash.
 */
export async function readArticlePreview(
  db: Kysely<Database>,
  articleId: number,
): Promise<ArticleView | null> {
  const stored = await getArticle(db, articleId);
  if (!stored || stored.status === 'trashed') return null;
  const sections = await listSections(db);
  const byId = new Map(sections.map((section) => [section.id, section]));
  const section = byId.get(stored.sectionId);
  if (!section) return null;
  // Held-back edits from before search and social fields (or labels) have none of them.
  const pending = (await getPendingChanges(db, articleId)) as
    | (Omit<ArticleSnapshot, 'metaTitle' | 'metaDescription' | 'socialImageId' | 'label'> &
        Partial<Pick<ArticleSnapshot, 'metaTitle' | 'metaDescription' | 'socialImageId' | 'label'>>)
    | null;
  if (!pending) return await readArticle(db, stored, section, byId);
  const article: Article = {
    ...stored,
    title: pending.title,
    standfirst: pending.standfirst,
    language: pending.language,
    body: pending.body,
    leadMediaId: pending.leadMediaId,
    metaTitle: pending.metaTitle ?? stored.metaTitle,
    metaDescription: pending.metaDescription ?? stored.metaDescription,
    socialImageId:
      pending.socialImageId === undefined ? stored.socialImageId : pending.socialImageId,
    label: pending.label === undefined ? stored.label : pending.label,
  };
  const view = await readArticle(db, article, section, byId);
  const people = new Map((await listPeople(db)).map((person) => [person.id, person]));
  return {
    ...view,
    bylines: pending.authors.flatMap(({ personId, label }) => {
      const person = people.get(personId);
      return person ? [{ person, label }] : [];
    }),
    sources: pending.sources,
    tags: tagsFromNames(pending.tags),
  };
}

/** An article's live coverage with every entry and the photos inside them; null for an ordinary article. */
async function readLiveView(db: Kysely<Database>, articleId: number): Promise<LiveView | null> {
  const coverage = await getLiveCoverage(db, articleId);
  if (!coverage) return null;
  const entries = await listLiveEntries(db, articleId);
  const mediaIds = entries.flatMap((entry) => bodyMediaIds(entry.body));
  return { ...coverage, entries, media: [...(await getMediaByIds(db, mediaIds)).values()] };
}

/** The media records the document shows: its pictures and its embeds' thumbnails. */
async function bodyMediaOf(db: Kysely<Database>, doc: Doc): Promise<Media[]> {
  return [...(await getMediaByIds(db, bodyMediaIds(doc))).values()];
}

const CORRECTIONS_PAGE_SIZE = 100;

async function readCorrections(
  db: Kysely<Database>,
  byId: Map<number, Section>,
): Promise<CorrectionsView> {
  const rows = await listRecentPublicCorrections(db, CORRECTIONS_PAGE_SIZE);
  const entries: CorrectionsView['entries'] = [];
  for (const row of rows) {
    const article = await getArticle(db, row.articleId);
    const section = article ? byId.get(article.sectionId) : undefined;
    if (!article || !section) continue;
    entries.push({
      type: row.type,
      text: row.text,
      createdAt: row.createdAt,
      language: article.language,
      article: { title: article.title, url: articleUrl(section, article.slug) },
    });
  }
  return { entries };
}
