// What a WordPress eXtended RSS export holds, as plain data: site/ fills it
// from the newsroom's content (rendering bodies as HTML), formats/ writes it.

/**
 * Masthead's own elements (a person's place on the masthead, their bio) go in
 * this namespace: WordPress's importer reads the elements it knows and passes
 * over others, and WXR has no place for them.
 */
import type { PersonContacts } from './contacts.js';

export const MASTHEAD_WXR_NAMESPACE = 'urn:masthead:wxr:1';

/**
 * `email` is their staff account's ('' for a byline with no account), as
 * WordPress exports its users' addresses: the file is a private backup.
 */
export type WxrAuthor = {
  login: string;
  email: string;
  displayName: string;
  bio: string;
  /** On the masthead: its stable role key, the title printed, and its place; null when not. */
  masthead: { role: string | null; title: string; position: number } | null;
  /** How readers reach them, as their author page publishes it; null when it publishes none. */
  contacts: PersonContacts | null;
  /** Their portrait: the id of its attachment in this file, or null. */
  photoId: number | null;
};
export type WxrMeta = { key: string; value: string };
/** `meta` becomes wp:termmeta, which WordPress keeps with the term. */
export type WxrCategory = {
  nicename: string;
  name: string;
  parent: string | null;
  meta: WxrMeta[];
};
export type WxrTag = { slug: string; name: string };

export type WxrItem = {
  id: number;
  type: 'post' | 'page' | 'attachment';
  title: string;
  /** Absolute URL of the public page (or the file, for an attachment). */
  link: string;
  /** ISO 8601, UTC; null for a draft never published. */
  date: string | null;
  /** When it last changed (ISO 8601, UTC); null when not known. */
  modified: string | null;
  html: string;
  excerpt: string;
  slug: string;
  status: 'publish' | 'draft' | 'pending' | 'future' | 'inherit' | 'trash';
  authorLogin: string | null;
  /** WordPress's order of pages (Masthead's page position); 0 for others. */
  menuOrder: number;
  categories: { domain: 'category' | 'post_tag'; nicename: string; name: string }[];
  attachmentUrl?: string;
  /** What WordPress keeps of an image file (`_wp_attachment_metadata`): its size, credit and copyright. */
  attachmentMetadata?: {
    width: number | null;
    height: number | null;
    file: string;
    credit: string;
    copyright: string;
  };
  meta: WxrMeta[];
};

export type WxrExport = {
  title: string;
  link: string;
  description: string;
  language: string;
  /** Where dates are local for wp:post_date (wp:post_date_gmt is UTC); also the site's own setting. */
  timeZone: string;
  /** The site's name and tagline in its other languages ({"ru": "…"}), Masthead's own. */
  names: Record<string, string>;
  taglines: Record<string, string>;
  /** When the export was made (ISO), for the channel's pubDate. */
  exportedAt: string;
  authors: WxrAuthor[];
  categories: WxrCategory[];
  tags: WxrTag[];
  items: WxrItem[];
};
