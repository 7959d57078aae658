import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import {
  articleView,
  assets,
  chrome,
  editor,
  news,
  photo,
  politics,
} from '../../../test/site-fixtures.js';
import { docFromParagraphs } from '../../core/document.js';
import type { FrontStory } from '../../core/fronts.js';
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
  label: null,
};

const filed = { ...photo, file: 'hall.jpg', width: 1600, height: 1000 };

function story(id: number, overrides: Partial<FrontStory> = {}): FrontStory {
  return {
    ...teaser,
    url: `/news/politics/story-${id}`,
    articleId: id,
    isPinned: false,
    ...overrides,
  };
}

describe('HomePage', () => {
  it('shows the front: banner, lead, the same photo never twice, section blocks linking their section', () => {
    const root = parse(
      renderHtml(
        HomePage({
          view: {
            language: null,
            frontLanguage: 'en',
            pinnedIds: [],
            sections: [news, politics],
            blocks: [
              { kind: 'banner', tone: 'breaking', text: 'Bridge closed', url: '/news/bridge' },
              { kind: 'lead', heading: '', slots: [story(1, { lead: filed, isPinned: true })] },
              {
                kind: 'secondary',
                heading: 'Elections',
                slots: [story(2, { lead: filed }), story(3), null],
              },
              { kind: 'section', heading: '', sectionId: news.id, stories: [story(4)] },
              { kind: 'most-read', heading: '', stories: [story(2), story(1)] },
            ],
          },
          chrome,
          assets,
        }),
      ),
    );
    const banner = root.querySelector('aside.front-banner-breaking');
    expect(banner?.text).toContain('Breaking');
    expect(banner?.querySelector('a')?.getAttribute('href')).toBe('/news/bridge');
    const lead = root.querySelector('.front-lead .front-teaser');
    expect(lead?.querySelector('img')?.getAttribute('loading')).toBe('eager');
    // Story 2 has the lead's photo: it shows as a text teaser, not the same picture again.
    const secondary = root.querySelectorAll('.front-secondary .front-teaser');
    expect(secondary).toHaveLength(2);
    expect(secondary[0]?.classList.contains('front-teaser-text')).toBe(true);
    expect(secondary[0]?.querySelector('img')).toBeNull();
    expect(root.querySelector('.front-secondary h2')?.text).toBe('Elections');
    expect(root.querySelector('.front-section h2 a')?.getAttribute('href')).toBe('/news');
    expect(root.querySelectorAll('.front-most-read ol li')).toHaveLength(2);
    expect(root.querySelectorAll('h1')).toHaveLength(1);
  });

  it('says so when nothing is published', () => {
    const root = parse(
      renderHtml(
        HomePage({
          view: {
            language: null,
            frontLanguage: 'en',
            pinnedIds: [],
            sections: [],
            blocks: [{ kind: 'lead', heading: '', slots: [null] }],
          },
          chrome,
          assets,
        }),
      ),
    );
    expect(root.querySelector('main')?.text).toContain('Nothing has been published here yet.');
    expect(root.querySelector('.front-lead')).toBeNull();
  });
});

describe('SectionPage', () => {
  it('shows breadcrumbs marking the current section, its children and its articles', () => {
    const root = parse(
      renderHtml(
        SectionPage({
          view: {
            language: null,
            frontLanguage: 'en',
            pinnedIds: [],
            section: news,
            trail: [news],
            children: [politics],
            sections: [news, politics],
            blocks: [{ kind: 'lead', heading: '', slots: [story(7)] }],
            teasers: [teaser],
          },
          chrome,
          assets,
        }),
      ),
    );
    expect(root.querySelector('nav.breadcrumbs a[aria-current=page]')?.text).toBe('News');
    expect(root.querySelector('meta[name=description]')?.getAttribute('content')).toBe(
      'News: our latest reporting, newest first.',
    );
    expect(root.querySelector('h1')?.text).toBe('News');
    expect(root.querySelector('nav.subsections a')?.getAttribute('href')).toBe('/news/politics');
    expect(root.querySelector('.front-lead .teaser-title a')?.getAttribute('href')).toBe(
      '/news/politics/story-7',
    );
    expect(root.querySelectorAll('.more-stories .teaser')).toHaveLength(1);
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
