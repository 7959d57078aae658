// What a WordPress eXtended RSS export holds, as plain data: site/ fills it
// from the newsroom's content (rendering bodies as HTML), formats/ writes it.

export type WxrAuthor = { login: string; displayName: string };
export type WxrCategory = { nicename: string; name: string; parent: string | null };
export type WxrTag = { slug: string; name: string };

export type WxrItem = {
  id: number;
  type: 'post' | 'page' | 'attachment';
  title: string;
  /** Absolute URL of the public page (or the file, for an attachment). */
  link: string;
  /** ISO 8601, UTC; null for a draft never published. */
  date: string | null;
  html: string;
  excerpt: string;
  slug: string;
  status: 'publish' | 'draft' | 'pending' | 'future' | 'inherit' | 'trash';
  authorLogin: string | null;
  categories: { domain: 'category' | 'post_tag'; nicename: string; name: string }[];
  attachmentUrl?: string;
  meta: { key: string; value: string }[];
};

export type WxrExport = {
  title: string;
  link: string;
  description: string;
  language: string;
  /** Where dates are local for wp:post_date (wp:post_date_gmt is UTC). */
  timeZone: string;
  /** When the export was made (ISO), for the channel's pubDate. */
  exportedAt: string;
  authors: WxrAuthor[];
  categories: WxrCategory[];
  tags: WxrTag[];
  items: WxrItem[];
};
