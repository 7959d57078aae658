import type { NewsroomContacts } from './contacts.js';
import type { FilledBlock } from './fronts.js';
import type { ArticleLabel } from './labels.js';
import type { LiveView } from './live.js';
import type { Menus } from './localized.js';
import type { MirrorAddress } from './mirror-list.js';
import type { SnippetPart } from './search-text.js';
import type {
  Article,
  Byline,
  Language,
  Media,
  Page,
  Person,
  Section,
  SiteSettings,
  Source,
  Tag,
} from './types.js';

// What the public pages are rendered from: plain data that the newsroom's read
// use cases assemble and site/ turns into HTML, with no database in between.

export type Link = { title: string; url: string };

/** Everything every reader page shows around its content. */
export type SiteChrome = {
  settings: SiteSettings;
  /** Top-level sections, for the navigation. */
  sections: Section[];
  /** The masthead line of the footer: the editors-in-chief. */
  editorsInChief: Person[];
  mastheadUrl: string | null;
  /** Terms of use, privacy policy and other pages linked from the footer. */
  footerPages: (Link & { language: string })[];
  /** Absolute origin for canonical and share URLs ("https://example.org"). */
  publicUrl: string;
  /** Set when the page is rendered for a static mirror: it says so, and search runs in the browser. */
  isMirror?: boolean;
  /** Where else readers find the site (editors' list; onion services among them). */
  mirrors: MirrorAddress[];
  /** Whether there are newsletters to sign up for: the footer links /newsletters. */
  hasNewsletters?: boolean;
  /**
   * The newsletters readers may sign up for from an article's end, when the
   * site sends e-mail (an SMTP server is set); empty otherwise.
   */
  signUpLists?: { id: number; name: string; language: string }[];
  /** The publication's fediverse account ("@news@example.org"), when it has one. */
  fediverseCreator?: string | null;
  /** Navigation and footer links editors set per language (else the sections lead). */
  menus?: Menus;
};

export type Teaser = {
  title: string;
  url: string;
  standfirst: string;
  language: string;
  publishedAt: string | null;
  section: Section;
  lead: Media | null;
  bylines: Byline[];
  /** The kicker above the headline: the article's label, or 'live' for live coverage; null for none. */
  label: ArticleLabel | 'live' | null;
};

export type ArticleView = {
  article: Article;
  url: string;
  /** Sections from the top down to the article's own. */
  trail: Section[];
  bylines: Byline[];
  lead: Media | null;
  /** The photo chosen for link previews (the lead photo is used when null). */
  socialImage: Media | null;
  sources: Source[];
  /** Topics, in the order the newsroom gave them. */
  tags: Tag[];
  /** Public corrections, oldest first. */
  corrections: CorrectionNote[];
  /** The media records of the images inside the body. */
  bodyMedia: Media[];
  /** The same story in other languages, published (the article itself not included). */
  translations: Translation[];
  /** When readers last saw it change: its last edit or its last public correction. */
  modifiedAt: string;
  /** Live coverage (core/live.ts): running or ended, with its entries; null for ordinary articles. */
  live: LiveView | null;
  /** Other published articles on the same topics, then from the same section, in its language. */
  related: Teaser[];
};

export type Translation = { language: string; title: string; url: string };

export type CorrectionNote = { type: string; text: string; createdAt: string };

/** The /corrections page: every correction, newest first, with its article. */
export type CorrectionsView = { entries: (CorrectionNote & { article: Link; language: string })[] };

export type SectionView = {
  /** Only articles in this language (the /ru/… and /en/… addresses), or all. */
  language: Language | null;
  /** Whose front it shows: the page's language, or the site's on the all-languages address. */
  frontLanguage: Language;
  section: Section;
  trail: Section[];
  children: Section[];
  /** The section's front, as editors arranged it (core/fronts.ts). */
  blocks: FilledBlock[];
  /** Articles pinned on its front, shown or not: publishing one changes the page. */
  pinnedIds: number[];
  /** Every section, for its front's section blocks. */
  sections: Section[];
  /** The rest of its newest articles, below the front. */
  teasers: Teaser[];
};

export type HomeView = {
  /** Only articles in this language (the /ru and /en addresses), or all. */
  language: Language | null;
  /** Whose front it shows: the page's language, or the site's on "/". */
  frontLanguage: Language;
  /** The front, as editors arranged it (core/fronts.ts). */
  blocks: FilledBlock[];
  /** Articles pinned on it, shown or not: publishing one changes the page. */
  pinnedIds: number[];
  /** Every section, for the section blocks' headings. */
  sections: Section[];
};

/** A topic's page: every published article with the tag, newest first. */
export type TagView = {
  tag: Tag;
  teasers: Teaser[] /** Every published article with it. */;
  total: number;
};

/** A writer's page: who they are and what they wrote, newest first. */
export type AuthorView = {
  person: Person;
  /** Their portrait, when their profile has one. */
  photo: Media | null;
  teasers: Teaser[];
  /** Everything they published. */
  total: number;
};

/** The /contact page: the newsroom's secure channels, and staff who publish their own contacts. */
export type ContactView = {
  contacts: NewsroomContacts;
  /** Staff with public contacts, by name (each links to their page). */
  staff: Person[];
};

/**
 * A feed: a listing page's newest articles in full, for RSS, Atom and JSON Feed.
 * `path` is the page the feed follows ("/news/politics"), "" for the home page.
 */
export type FeedView = {
  title: string;
  description: string;
  path: string;
  language: string;
  items: FeedItem[];
};

export type FeedItem = {
  article: Article;
  url: string;
  section: Section;
  bylines: Byline[];
  tags: Tag[];
  lead: Media | null;
  bodyMedia: Media[];
  /** When readers last saw it change: its last edit or its last public correction. */
  modifiedAt: string;
};

export type PageView = { page: Page; url: string; staff: Person[]; bodyMedia: Media[] };

/** One search hit: the teaser, with the query's words marked in its headline and a snippet. */
export type SearchResult = Teaser & { titleParts: SnippetPart[]; snippet: SnippetPart[] };

/** The /search page and /api/search: one page of results, best first. */
export type SearchView = {
  query: string;
  /** Why part of the query was not used ('too_long', 'too_many_words', 'unbalanced_quotes'), or null. */
  notice: string | null;
  results: SearchResult[];
  total: number;
  /** 1-based. */
  page: number;
  pageCount: number;
  pageSize: number;
};

/** One address in a sitemap, with when its page last changed (null when unknown). */
export type SitemapEntry = { url: string; lastmod: string | null };

/** An article in the Google News sitemap. */
export type NewsEntry = { url: string; title: string; language: string; publishedAt: string };

/** What the sitemaps list: every public page, by kind. */
export type SitemapSources = {
  publicationName: string;
  articles: SitemapEntry[];
  sections: SitemapEntry[];
  authors: SitemapEntry[];
  tags: SitemapEntry[];
  pages: SitemapEntry[];
  /** Articles published in the last 48 hours, newest first. */
  news: NewsEntry[];
};

/** Everything a full export holds: every article in any state, pages, people, sections, tags, photos. */
export type ExportSources = {
  settings: SiteSettings;
  publicUrl: string;
  people: Person[];
  sections: Section[];
  tags: Tag[];
  articles: FeedItem[];
  /** Each article's sources (citations), by article id; an article without any has no entry. */
  articleSources: Map<number, Source[]>;
  pages: { page: Page; bodyMedia: Media[] }[];
  media: Media[];
  /** When each photo was added to the library, by id. */
  mediaDates: Map<number, string>;
  /** The e-mail address of each person's staff account, by person id (people with one). */
  accountEmails: Map<number, string>;
};
