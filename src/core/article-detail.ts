import type { ArticleLabel } from './labels.js';
import type { Article, Source } from './types.js';
import type { TransitionName } from './workflow.js';

// The staff view of an article, shared by the admin API's answers and the
// newsroom app (which may import core), so the two cannot drift apart.

/** An article as the newsroom's editor sees it. */
export type ArticleDetail = {
  id: number;
  uuid: string;
  version: number;
  status: Article['status'];
  title: string;
  standfirst: string;
  section: string;
  language: string;
  slug: string;
  /** Editable until the article is first published; then its address is fixed. */
  isSlugEditable: boolean;
  body: Article['body'];
  authors: { personId: number; name: string; label: string | null }[];
  sources: Source[];
  /** Tag names, in the article's order. */
  tags: string[];
  leadMediaId: number | null;
  /** Search and social presentation ('' and null: the headline, standfirst and lead photo). */
  metaTitle: string;
  metaDescription: string;
  socialImageId: number | null;
  /** Opinion or analysis, above the headline; null for plain news. */
  label: ArticleLabel | null;
  publishedAt: string | null;
  scheduledAt: string | null;
  updatedAt: string;
  /** The public path the article has, or will have once published. */
  url: string;
  corrections: { type: string; text: string; createdAt: string }[];
  /** The same story in other languages (the article itself not included). */
  translations: { id: number; title: string; language: string; status: Article['status'] }[];
  /** Why this caller may not change the content now (core/workflow editRefusal), or null: the editor is read-only then. */
  readOnlyReason: string | null;
  transitions: TransitionName[];
  /**
   * Edits to a published article that readers do not see yet (saved, autosaved),
   * published by the `update` transition; null when the live text is the latest.
   */
  pending: ArticleSnapshot | null;
  /** Why the desk sent it back (the latest note, while it is a draft again); null otherwise. */
  sentBack: { note: string; by: string | null; at: string } | null;
  /** When it went to the trash (it is deleted for good TRASH_DAYS later); null unless trashed. */
  trashedAt: string | null;
  /** For wire copy from the agency queue: the agency's status and embargo; null for the newsroom's own. */
  agency: { status: string; embargoUntil: string | null } | null;
};

/** The fields a revision holds, in one order for every copy of them. */
export const SNAPSHOT_FIELDS = [
  'title',
  'standfirst',
  'section',
  'language',
  'slug',
  'body',
  'authors',
  'sources',
  'tags',
  'leadMediaId',
  'metaTitle',
  'metaDescription',
  'socialImageId',
  'label',
] as const;
export type SnapshotField = (typeof SNAPSHOT_FIELDS)[number];

/** What a revision holds: the article's content at one version. */
export type ArticleSnapshot = Pick<ArticleDetail, SnapshotField>;

/** The snapshot fields of `source` and nothing else (the editor's draft, a revision, the article). */
export function pickSnapshot<T extends Record<SnapshotField, unknown>>(
  source: T,
): Pick<T, SnapshotField> {
  return Object.fromEntries(SNAPSHOT_FIELDS.map((field) => [field, source[field]])) as Pick<
    T,
    SnapshotField
  >;
}

/**
 * A link that shows an article's preview to someone outside the newsroom, as
 * staff see it: never its token (only a hash is stored), its last characters
 * (`hint`) to tell links apart, and whether it still opens.
 */
export type PreviewLink = {
  id: number;
  articleId: number;
  createdByUserId: number | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  hint: string;
  state: 'open' | 'expired' | 'revoked';
};
