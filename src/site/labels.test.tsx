import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { ninjsValidator } from '../../test/ninjs-schema.js';
import { articleView, assets, chrome, politics } from '../../test/site-fixtures.js';
import type { FrontStory } from '../core/fronts.js';
import type { Teaser } from '../core/views.js';
import { TeaserList } from './components.js';
import { labelText, type TeaserLabelKind } from './i18n.js';
import { articleToNinjs } from './ninjs.js';
import { ArticlePage } from './pages/article-page.js';
import { HomePage } from './pages/home-page.js';
import { renderHtml } from './render-page.js';

function teaser(overrides: Partial<Teaser> = {}): Teaser {
  return {
    title: 'Заголовок',
    url: '/news/politics/zagolovok',
    standfirst: '',
    language: 'ru',
    publishedAt: '2026-02-15T12:00:00.000Z',
    section: politics,
    lead: null,
    bylines: [],
    label: 'opinion',
    ...overrides,
  };
}

describe('labelText', () => {
  it('names every label in English and Russian', () => {
    const labels: TeaserLabelKind[] = ['opinion', 'analysis', 'live'];
    expect(labels.map((label) => labelText(label, 'en'))).toEqual(['Opinion', 'Analysis', 'Live']);
    expect(labels.map((label) => labelText(label, 'ru'))).toEqual(['Мнение', 'Анализ', 'Онлайн']);
    // A language Masthead has no interface text for reads English, like the rest of the page.
    expect(labelText('analysis', 'de')).toBe('Analysis');
  });
});

describe('the label on teasers', () => {
  it('stands above the headline in the teaser’s language, and is absent for plain news', () => {
    const root = parse(
      renderHtml(
        <TeaserList
          teasers={[teaser(), teaser({ url: '/en', language: 'en', label: null })]}
          timeZone="UTC"
          headingLevel={3}
        />,
      ),
    );
    const [labelled, plain] = root.querySelectorAll('li.teaser');
    const label = labelled?.querySelector('p.teaser-label');
    expect(label?.text).toBe('Мнение');
    expect(label?.nextElementSibling?.tagName).toBe('H3');
    expect(plain?.querySelector('.teaser-label')).toBeNull();
  });

  it('shows on a front’s stories', () => {
    const story: FrontStory = { ...teaser({ label: 'analysis' }), articleId: 1, isPinned: false };
    const root = parse(
      renderHtml(
        HomePage({
          view: {
            language: 'ru',
            frontLanguage: 'ru',
            pinnedIds: [],
            sections: [politics],
            blocks: [{ kind: 'lead', heading: '', slots: [story] }],
          },
          chrome,
          assets,
        }),
      ),
    );
    const label = root.querySelector('.front-teaser p.teaser-label');
    expect(label?.text).toBe('Анализ');
    expect(label?.nextElementSibling?.tagName).toBe('H3');
  });
});

describe('the label on the article page', () => {
  it('stands above the headline, in the article’s language', () => {
    const page = (view = articleView()) =>
      parse(renderHtml(ArticlePage({ view, chrome, assets, isPrintView: false })));
    const russian = page(articleView({ language: 'ru', title: 'Заголовок', label: 'opinion' }));
    const label = russian.querySelector('article.article p.teaser-label');
    expect(label?.text).toBe('Мнение');
    expect(label?.nextElementSibling?.tagName).toBe('H1');
    expect(page(articleView({ label: 'analysis' })).querySelector('.teaser-label')?.text).toBe(
      'Analysis',
    );
    expect(page().querySelector('.teaser-label')).toBeNull();
  });
});

describe('the label in ninjs', () => {
  it('is the IPTC genre, and the item still validates against ninjs 2.1', async () => {
    const validate = await ninjsValidator('2.1');
    const item = (label: 'opinion' | 'analysis' | null) => {
      const view = articleView({ label }, null);
      return articleToNinjs(
        {
          article: view.article,
          url: view.url,
          section: politics,
          bylines: view.bylines,
          tags: [],
          lead: null,
          bodyMedia: [],
          modifiedAt: view.modifiedAt,
        },
        chrome,
      );
    };
    const opinion = item('opinion');
    expect(opinion.genres).toEqual([
      { name: 'Opinion', uri: 'http://cv.iptc.org/newscodes/genre/Opinion' },
    ]);
    expect(validate(opinion), JSON.stringify(validate.errors)).toBe(true);
    expect(item('analysis').genres).toEqual([
      { name: 'Analysis', uri: 'http://cv.iptc.org/newscodes/genre/Analysis' },
    ]);
    expect(item(null)).not.toHaveProperty('genres');
  });
});
