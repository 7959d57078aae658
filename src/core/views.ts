import type {
  Article,
  Byline,
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
  footerPages: Link[];
  /** Absolute origin for canonical and share URLs ("https://example.org"). */
  publicUrl: string;
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
};

export type ArticleView = {
  article: Article;
  url: string;
  /** Sections from the top down to the article's own. */
  trail: Section[];
  bylines: Byline[];
  lead: Media | null;
  sources: Source[];
  /** Topics, in the order the newsroom gave them. */
  tags: Tag[];
  /** Public corrections, oldest first. */
  corrections: CorrectionNote[];
  /** The media records of the images inside the body. */
  bodyMedia: Media[];
};

export type CorrectionNote = { type: string; text: string; createdAt: string };

/** The /corrections page: every correction, newest first, with its article. */
export type CorrectionsView = { entries: (CorrectionNote & { article: Link; language: string })[] };

export type SectionView = {
  section: Section;
  trail: Section[];
  children: Section[];
  teasers: Teaser[];
};

export type HomeView = { groups: { section: Section; teasers: Teaser[] }[] };

export type PageView = { page: Page; url: string; staff: Person[]; bodyMedia: Media[] };
