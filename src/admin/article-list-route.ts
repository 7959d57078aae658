import {
  ARTICLE_SORTS,
  type ArticleSortKey,
  DEFAULT_ARTICLE_SORT,
  defaultSortDirection,
  type SortDirection,
} from '../core/article-list.js';
import { STATUSES } from '../core/workflow.js';

// The article list's filters, sort and page live in the hash route
// ("#/articles?status=draft&sort=title&page=2"), so a reload, Back and a
// shared link all show the same list.

export const FILTER_NAMES = ['q', 'status', 'section', 'author', 'language', 'origin'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/** What the list shows: filters ('' for none), the sort, and the page (from 1). */
export type ArticleListView = {
  filters: Record<FilterName, string>;
  sort: ArticleSortKey;
  order: SortDirection;
  page: number;
};

const NO_FILTERS: Record<FilterName, string> = {
  q: '',
  status: '',
  section: '',
  author: '',
  language: '',
  origin: '',
};

/** The plain list: no filter, most recently changed first, page 1. */
export const DEFAULT_VIEW: ArticleListView = {
  filters: NO_FILTERS,
  sort: DEFAULT_ARTICLE_SORT.by,
  order: DEFAULT_ARTICLE_SORT.direction,
  page: 1,
};

/** The query part of a hash route: "#/articles?status=draft" → "status=draft". */
export function hashQuery(hash: string): string {
  const start = hash.indexOf('?');
  return start === -1 ? '' : hash.slice(start + 1);
}

/**
 * The view a route's query asks for. Anything it cannot use (an unknown sort,
 * page "x", a status that does not exist) falls back to the default, so an
 * old or mistyped link still opens a list.
 */
export function readArticleListView(query: string): ArticleListView {
  const params = new URLSearchParams(query);
  const filters = { ...NO_FILTERS };
  for (const name of FILTER_NAMES) filters[name] = params.get(name) ?? '';
  if (!isOneOf(filters.status, STATUSES)) filters.status = '';
  if (!isOneOf(filters.origin, ['agency', 'newsroom'])) filters.origin = '';
  if (!/^[1-9]\d*$/.test(filters.author)) filters.author = '';
  const sortParam = params.get('sort') ?? '';
  const sort = isOneOf(sortParam, ARTICLE_SORTS) ? sortParam : DEFAULT_VIEW.sort;
  const orderParam = params.get('order') ?? '';
  const order = orderParam === 'asc' || orderParam === 'desc' ? orderParam : null;
  const pageParam = params.get('page') ?? '';
  const page = /^[1-9]\d{0,5}$/.test(pageParam) ? Number(pageParam) : 1;
  return { filters, sort, order: order ?? defaultSortDirection(sort), page };
}

/** The view's query: only what differs from the defaults, so the plain list is just "#/articles". */
export function articleListQuery(view: ArticleListView): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) if (view.filters[name]) params.set(name, view.filters[name]);
  if (view.sort !== DEFAULT_VIEW.sort) params.set('sort', view.sort);
  if (view.order !== defaultSortDirection(view.sort)) params.set('order', view.order);
  if (view.page > 1) params.set('page', String(view.page));
  return params.toString();
}

/** The hash route of a view, e.g. "#/articles?status=draft&sort=title&page=2". */
export function articleListRoute(view: ArticleListView): string {
  const query = articleListQuery(view);
  return query ? `#/articles?${query}` : '#/articles';
}

/** GET /api/articles's query for a view: the same names, with the sort always spelled out. */
export function articleListApiQuery(view: ArticleListView, pageSize: number): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) if (view.filters[name]) params.set(name, view.filters[name]);
  params.set('sort', view.sort);
  params.set('order', view.order);
  params.set('page', String(view.page));
  params.set('pageSize', String(pageSize));
  return params.toString();
}

/** Whether any filter is set (the list is narrowed). */
export function hasFilters(view: ArticleListView): boolean {
  return FILTER_NAMES.some((name) => view.filters[name] !== '');
}

function isOneOf<T extends string>(value: string, options: readonly T[]): value is T {
  return (options as readonly string[]).includes(value);
}
