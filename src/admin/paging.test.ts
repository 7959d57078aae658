import { describe, expect, it } from 'vitest';
import { pageNumbers, pageSummary } from './paging.js';
import { countOf } from './plural.js';

const ARTICLES = { one: 'article', other: 'articles' };

describe('countOf', () => {
  it('uses the English plural for the count', () => {
    expect(countOf(0, ARTICLES)).toBe('0 articles');
    expect(countOf(1, ARTICLES)).toBe('1 article');
    expect(countOf(2, ARTICLES)).toBe('2 articles');
    expect(countOf(1204, ARTICLES)).toBe('1,204 articles');
  });
});

describe('pageSummary', () => {
  it('counts a list that fits on one page, in the right plural', () => {
    expect(pageSummary(1, 50, 1, ARTICLES)).toBe('1 article');
    expect(pageSummary(1, 50, 12, ARTICLES)).toBe('12 articles');
    expect(pageSummary(1, 50, 50, ARTICLES)).toBe('50 articles');
  });

  it('says which articles a page of a longer list shows', () => {
    expect(pageSummary(1, 50, 312, ARTICLES)).toBe('Articles 1–50 of 312');
    expect(pageSummary(2, 50, 312, ARTICLES)).toBe('Articles 51–100 of 312');
    expect(pageSummary(7, 50, 312, ARTICLES)).toBe('Articles 301–312 of 312');
    expect(pageSummary(2, 50, 51, ARTICLES)).toBe('Article 51 of 51');
    expect(pageSummary(1, 50, 1204, ARTICLES)).toBe('Articles 1–50 of 1,204');
  });

  it('says plainly when there is nothing, or nothing on this page', () => {
    expect(pageSummary(1, 50, 0, ARTICLES)).toBe('No articles');
    expect(pageSummary(9, 50, 312, ARTICLES)).toBe('No articles on page 9 (312 articles in all)');
    expect(pageSummary(3, 50, 1, ARTICLES)).toBe('No articles on page 3 (1 article in all)');
  });
});

describe('pageNumbers', () => {
  it('offers every page of a short list', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(3, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('offers the ends and the neighbours of the current page of a long one', () => {
    expect(pageNumbers(10, 20)).toEqual([1, 'gap', 9, 10, 11, 'gap', 20]);
    expect(pageNumbers(1, 20)).toEqual([1, 2, 3, 4, 'gap', 20]);
    expect(pageNumbers(20, 20)).toEqual([1, 'gap', 17, 18, 19, 20]);
  });

  it('never hides a single number behind a gap', () => {
    expect(pageNumbers(4, 20)).toEqual([1, 2, 3, 4, 5, 'gap', 20]);
    expect(pageNumbers(5, 9)).toEqual([1, 'gap', 4, 5, 6, 'gap', 9]);
    expect(pageNumbers(3, 8)).toEqual([1, 2, 3, 4, 'gap', 8]);
  });
});
