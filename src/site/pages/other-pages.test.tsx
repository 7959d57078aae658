import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import {
  articleView,
  assets,
  chrome,
  editor,
  news,
  politics,
} from '../../../test/site-fixtures.js';
import { docFromParagraphs } from '../../core/document.js';
import { renderHtml } from '../render-page.js';
import { HomePage } from './home-page.js';
import { NotFoundPage } from './not-found-page.js';
import { SectionPage } from './section-page.js';
import { StaticPage } from './static-page.js';

const view = articleView();
const teaser = {
  title: view.article.title,
  url: view.url,
  standfirst: view.article.standfirst,
  language: 'en',
  publishedAt: view.article.publishedAt,
  section: politics,
  lead: null,
  bylines: view.bylines,
};

describe('HomePage', () => {
  it('groups the latest articles under their top-level section', () => {
    const root = parse(
      renderHtml(
        HomePage({
          view: { language: null, groups: [{ section: news, teasers: [teaser] }] },
          chrome,
          assets,
        }),
      ),
    );
    const group = root.querySelector('section.home-section');
    expect(group?.querySelector('h2 a')?.getAttribute('href')).toBe('/news');
    expect(group?.querySelector('.teaser-title a')?.getAttribute('href')).toBe(
      '/news/politics/council-votes',
    );
    expect(root.querySelectorAll('h1')).toHaveLength(1);
  });

  it('says so when nothing is published', () => {
    const root = parse(
      renderHtml(HomePage({ view: { language: null, groups: [] }, chrome, assets })),
    );
    expect(root.querySelector('main')?.text).toContain('Nothing has been published here yet.');
  });
});

describe('SectionPage', () => {
  it('shows breadcrumbs marking the current section, its children and its articles', () => {
    const root = parse(
      renderHtml(
        SectionPage({
          view: {
            language: null,
            section: news,
            trail: [news],
            children: [politics],
            teasers: [teaser],
          },
          chrome,
          assets,
        }),
      ),
    );
    expect(root.querySelector('nav.breadcrumbs a[aria-current=page]')?.text).toBe('News');
    expect(root.querySelector('h1')?.text).toBe('News');
    expect(root.querySelector('nav.subsections a')?.getAttribute('href')).toBe('/news/politics');
    expect(root.querySelectorAll('.teaser')).toHaveLength(1);
  });
});

describe('StaticPage', () => {
  it('renders the page body and, on the masthead page, the staff with their titles', () => {
    const page = {
      id: 1,
      slug: 'masthead',
      title: 'Masthead',
      body: docFromParagraphs(['Who we are.']),
      language: 'en',
      kind: 'masthead' as const,
      position: 0,
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const root = parse(
      renderHtml(
        StaticPage({
          view: { page, url: '/masthead', staff: [editor], bodyMedia: [] },
          chrome,
          assets,
        }),
      ),
    );
    expect(root.querySelector('.article-body')?.text).toBe('Who we are.');
    expect(root.querySelector('.staff dt')?.text).toBe('Editor in chief');
    expect(root.querySelector('.staff dd')?.text).toBe('Mira Castell');
  });
});

describe('NotFoundPage', () => {
  it('explains, is not indexed, and offers the home page and the sections', () => {
    const root = parse(renderHtml(NotFoundPage({ chrome, assets })));
    expect(root.querySelector('h1')?.text).toBe('Page not found');
    expect(root.querySelector('meta[name=robots]')?.getAttribute('content')).toBe('noindex');
    expect(root.querySelector('link[rel=canonical]')).toBeNull();
    expect(root.querySelectorAll('.not-found-links a').map((a) => a.getAttribute('href'))).toEqual([
      '/',
      '/news',
    ]);
  });
});
