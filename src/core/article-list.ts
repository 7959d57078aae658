// How the newsroom's article list is paged and sorted: the names the admin API
// accepts, shared by the API's schema, the store's query and the admin app.

/** The columns the article list sorts by: last changed, published date, headline, status, section. */
export const ARTICLE_SORTS = ['updated', 'published', 'title', 'status', 'section'] as const;
export type ArticleSortKey = (typeof ARTICLE_SORTS)[number];

export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

export type ArticleSort = { by: ArticleSortKey; direction: SortDirection };

/** The list's default: most recently changed first. */
export const DEFAULT_ARTICLE_SORT: ArticleSort = { by: 'updated', direction: 'desc' };

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** The direction a sort starts in when none is named: newest first for dates, from the top for the rest. */
export function defaultSortDirection(by: ArticleSortKey): SortDirection {
  return by === 'updated' || by === 'published' ? 'desc' : 'asc';
}

/** How many pages `total` items fill, at least one (an empty list is one empty page). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
