import type { PersonContacts } from './contacts.js';
import type { CreditChain } from './credit.js';
import type { Doc } from './document.js';
import type { ArticleLabel } from './labels.js';

/** Interface languages Masthead ships; an article in another language uses English chrome. */
export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Text in some of the interface languages: {"ru": "Новости"} (core/localized.ts). */
export type Localized = Partial<Record<Language, string>>;

export type { Status as ArticleStatus } from './workflow.js';

import type { Status } from './workflow.js';

export type Section = {
  id: number;
  parentId: number | null;
  slug: string;
  /** Slash-joined slugs from the top: "news/politics". Unique. */
  path: string;
  name: string;
  /** Its name on pages in other languages; `name` is the site language's. */
  names: Localized;
  position: number;
};

export type Person = {
  id: number;
  name: string;
  slug: string;
  bio: string;
  /** Masthead role as a stable key ("editor-in-chief"), or null when not on the masthead. */
  mastheadRole: string | null;
  /** The role as the newsroom prints it ("Editor in chief"). */
  mastheadTitle: string | null;
  mastheadPosition: number;
  /** The portrait on the author's page (a photo in the library), or null. */
  photoMediaId: number | null;
  /** How readers and sources reach them, as they publish it (core/contacts.ts). */
  contacts: PersonContacts;
};

export type Media = {
  id: number;
  kind: 'image';
  /** File name under the media directory, or null for a record imported without its file. */
  file: string | null;
  width: number | null;
  height: number | null;
  alt: string;
  caption: string;
  credit: CreditChain;
  /** Made by the newsroom's own staff: may be published without a credit. */
  isOwnPhoto: boolean;
  /** From the photo's IPTC/XMP when it had them ("" when not). */
  creator: string;
  source: string;
  copyright: string;
  /** IPTC digital source type: tells a camera photo from an AI-generated image. */
  digitalSourceType: string;
  keywords: string[];
  /** What a crop keeps: percent from the left and from the top; null for the centre. */
  focus: FocalPoint | null;
};

export type FocalPoint = { x: number; y: number };

/** The media fields read from a photo's embedded metadata (empty for records made without). */
export type MediaMetadataFields =
  | 'creator'
  | 'source'
  | 'copyright'
  | 'digitalSourceType'
  | 'keywords';

export type Byline = { person: Person; label: string | null };

export type Source = { name: string; url: string | null };

/** A topic label; `slug` is its identity (unique), `name` how it is shown. */
export type Tag = { name: string; slug: string };

export type Article = {
  id: number;
  uuid: string;
  slug: string;
  sectionId: number;
  language: string;
  status: Status;
  title: string;
  standfirst: string;
  body: Doc;
  leadMediaId: number | null;
  /** The title search results and link previews show; '' for the headline. */
  metaTitle: string;
  /** The description search results and link previews show; '' for the standfirst (or the first paragraph). */
  metaDescription: string;
  /** The photo link previews show; null for the lead photo. */
  socialImageId: number | null;
  /** Opinion or analysis, shown to readers above the headline; null for plain news. */
  label: ArticleLabel | null;
  /** Shared by an article and its translations (the same story in other languages); null when it has none. */
  translationGroup: string | null;
  publishedAt: string | null;
  scheduledAt: string | null;
  updatedAt: string;
  version: number;
};

export type Page = {
  id: number;
  slug: string;
  title: string;
  body: Doc;
  language: string;
  /** 'masthead' pages also list the staff; 'legal' pages are linked from the footer. */
  kind: 'page' | 'masthead' | 'legal';
  position: number;
  updatedAt: string;
};

export type SiteSettings = {
  name: string;
  tagline: string;
  /** The name and tagline on pages in other languages, where they differ. */
  names: Localized;
  taglines: Localized;
  language: Language;
  /** IANA time zone in which dates are shown to readers. */
  timeZone: string;
};
