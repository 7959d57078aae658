import type { Section } from './types.js';

/** The public path of a section: "/news/politics". */
export function sectionUrl(section: Pick<Section, 'path'>): string {
  return `/${section.path}`;
}

/** The public path of an article: its section's path, then its slug. */
export function articleUrl(section: Pick<Section, 'path'>, slug: string): string {
  return `/${section.path}/${slug}`;
}

/** The public path of a static page. */
export function pageUrl(slug: string): string {
  return `/${slug}`;
}

/**
 * The chain of sections from the top down to `section` (for breadcrumbs),
 * given every section by id.
 */
export function sectionTrail(section: Section, byId: ReadonlyMap<number, Section>): Section[] {
  const trail: Section[] = [];
  let current: Section | undefined = section;
  while (current && trail.length < 32) {
    trail.unshift(current);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return trail;
}

/** The ids of a section and of every section under it (its listing shows all their articles). */
export function sectionAndDescendantIds(
  root: Pick<Section, 'path'>,
  sections: readonly Section[],
): number[] {
  return sections
    .filter((section) => section.path === root.path || section.path.startsWith(`${root.path}/`))
    .map((section) => section.id);
}

/** The feed formats every listing page offers, by the extension of their address. */
export const FEED_FORMATS = ['xml', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** A listing's feed: "/news/politics" → "/news/politics/feed.atom"; "" (home) → "/feed.atom". */
export function feedUrl(listingPath: string, format: FeedFormat): string {
  return `${listingPath}/feed.${format}`;
}

/** A writer's public page. */
export function authorUrl(slug: string): string {
  return `/authors/${slug}`;
}

/** A topic's public page. */
export function tagUrl(slug: string): string {
  return `/tags/${slug}`;
}

/** First path segments the site itself uses: no section or page may take them. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin',
  'api',
  // The fediverse's actor, inboxes and objects (/ap/actors/news…).
  'ap',
  'assets',
  'media',
  'healthz',
  'search',
  'feed',
  'corrections',
  'mirrors',
  'newsletters',
  // The newsroom's secure ways to be reached (and its PGP key).
  'contact',
  'authors',
  'tags',
  'sitemaps',
  // Language prefixes of the filtered home and section pages (/ru, /en/news).
  'en',
  'ru',
]);

/** True when a section or page at the top level may use `slug`. */
export function isFreeTopLevelSlug(slug: string): boolean {
  return slug !== '' && !RESERVED_SLUGS.has(slug);
}

/**
 * Section ids in the newsroom's own order, as its navigation shows them: each
 * top-level section in its place, followed by its subsections in theirs.
 * `sections` come ordered by position.
 */
export function sectionIdsInTreeOrder(
  sections: readonly Pick<Section, 'id' | 'parentId'>[],
): number[] {
  const order: number[] = [];
  const visit = (parentId: number | null) => {
    for (const section of sections) {
      if (section.parentId !== parentId || order.includes(section.id)) continue;
      order.push(section.id);
      visit(section.id);
    }
  };
  visit(null);
  return order;
}
