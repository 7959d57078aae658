import { describe, expect, it } from 'vitest';
import { ARTICLE_SORTS, defaultSortDirection, pageCount } from './article-list.js';

describe('defaultSortDirection', () => {
  it('starts dates with the newest and words from the top', () => {
    expect(ARTICLE_SORTS.map((sort) => [sort, defaultSortDirection(sort)])).toEqual([
      ['updated', 'desc'],
      ['published', 'desc'],
      ['title', 'asc'],
      ['status', 'asc'],
      ['section', 'asc'],
    ]);
  });
});

describe('pageCount', () => {
  it('counts whole pages, and one page for an empty list', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(50, 50)).toBe(1);
    expect(pageCount(51, 50)).toBe(2);
    expect(pageCount(312, 50)).toBe(7);
  });
});
