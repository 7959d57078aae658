import { describe, expect, it } from 'vitest';
import {
  articleListApiQuery,
  articleListRoute,
  DEFAULT_VIEW,
  hasFilters,
  hashQuery,
  readArticleListView,
} from './article-list-route.js';

describe('hashQuery', () => {
  it('takes what follows the "?" of a hash route, or nothing', () => {
    expect(hashQuery('#/articles?status=draft&page=2')).toBe('status=draft&page=2');
    expect(hashQuery('#/articles')).toBe('');
    expect(hashQuery('')).toBe('');
  });
});

describe('readArticleListView', () => {
  it('reads the plain list from an empty query', () => {
    expect(readArticleListView('')).toEqual(DEFAULT_VIEW);
    expect(DEFAULT_VIEW).toMatchObject({ sort: 'updated', order: 'desc', page: 1 });
  });

  it('reads filters, sort, order and page', () => {
    const view = readArticleListView(
      'status=draft&section=news%2Fpolitics&author=3&language=en&origin=agency&q=harbour+fees&sort=title&order=desc&page=2',
    );
    expect(view).toEqual({
      filters: {
        q: 'harbour fees',
        status: 'draft',
        section: 'news/politics',
        author: '3',
        language: 'en',
        origin: 'agency',
      },
      sort: 'title',
      order: 'desc',
      page: 2,
    });
  });

  it('gives each sort its own first direction when the order is not named', () => {
    expect(readArticleListView('sort=title').order).toBe('asc');
    expect(readArticleListView('sort=published').order).toBe('desc');
  });

  it('falls back to the defaults for what it cannot use, so a mistyped link still opens', () => {
    const view = readArticleListView('sort=popularity&order=up&page=x&status=lost&author=me');
    expect(view).toEqual(DEFAULT_VIEW);
    expect(readArticleListView('page=0').page).toBe(1);
    expect(readArticleListView('page=-2').page).toBe(1);
    expect(readArticleListView('page=1.5').page).toBe(1);
  });

  it('keeps the spaces of a search being typed', () => {
    expect(readArticleListView('q=tide+').filters.q).toBe('tide ');
  });
});

describe('articleListRoute', () => {
  it('is the plain "#/articles" for the default view', () => {
    expect(articleListRoute(DEFAULT_VIEW)).toBe('#/articles');
  });

  it('names only what differs from the defaults', () => {
    const view = {
      ...DEFAULT_VIEW,
      filters: { ...DEFAULT_VIEW.filters, status: 'draft' },
      sort: 'title' as const,
      order: 'asc' as const,
      page: 2,
    };
    expect(articleListRoute(view)).toBe('#/articles?status=draft&sort=title&page=2');
    expect(articleListRoute({ ...view, order: 'desc' })).toBe(
      '#/articles?status=draft&sort=title&order=desc&page=2',
    );
  });

  it('reads back what it writes, searches with any characters included', () => {
    const view = {
      ...DEFAULT_VIEW,
      filters: { ...DEFAULT_VIEW.filters, q: 'a/b & c?d=e #1 Выборы', section: 'news/world' },
      sort: 'status' as const,
      order: 'desc' as const,
      page: 7,
    };
    expect(readArticleListView(hashQuery(articleListRoute(view)))).toEqual(view);
  });
});

describe('articleListApiQuery', () => {
  it('asks the API for the view, its sort, order, page and page size spelled out', () => {
    const view = readArticleListView('status=published&sort=title&page=3');
    expect(Object.fromEntries(new URLSearchParams(articleListApiQuery(view, 50)))).toEqual({
      status: 'published',
      sort: 'title',
      order: 'asc',
      page: '3',
      pageSize: '50',
    });
  });
});

describe('hasFilters', () => {
  it('tells a narrowed list from the whole one, whatever its sort or page', () => {
    expect(hasFilters(readArticleListView('sort=title&page=2'))).toBe(false);
    expect(hasFilters(readArticleListView('q=tide'))).toBe(true);
  });
});
