import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { arabic } from '../../test/rtl-language.js';
import { articleView, assets, chrome } from '../../test/site-fixtures.js';
import { addUiLanguage, articleCountText, searchCountText, uiDirection, uiText } from './i18n.js';
import { ArticlePage } from './pages/article-page.js';
import { renderHtml } from './render-page.js';

describe('interface languages', () => {
  it('counts in each language’s plural forms', () => {
    expect([1, 2, 5, 21, 22, 111].map((count) => articleCountText(count, 'ru'))).toEqual([
      '1 статья',
      '2 статьи',
      '5 статей',
      '21 статья',
      '22 статьи',
      '111 статей',
    ]);
    expect([1, 2].map((count) => articleCountText(count, 'en'))).toEqual([
      '1 article',
      '2 articles',
    ]);
    expect(searchCountText(1, 'ru')).toBe('Найдена 1 статья');
    // A language without a pack reads as English.
    expect(articleCountText(3, 'de')).toBe('3 articles');
    expect(uiText('de').by).toBe('By');
  });

  it('mirrors a page in a right-to-left language once its one file is added', () => {
    // Without a pack the content's script still sets the direction.
    expect(uiDirection('fa')).toBe('rtl');
    expect(uiDirection('ru')).toBe('ltr');
    addUiLanguage(arabic);
    expect([0, 1, 2, 3, 11].map((count) => articleCountText(count, 'ar'))).toEqual([
      'لا مقالات',
      'مقالة واحدة',
      'مقالتان',
      '3 مقالات',
      '11 مقالة',
    ]);
    const view = articleView();
    const page = parse(
      renderHtml(
        ArticlePage({
          view: { ...view, article: { ...view.article, language: 'ar' } },
          chrome,
          assets,
          isPrintView: false,
        }),
      ),
    );
    const html = page.querySelector('html');
    expect(html?.getAttribute('dir')).toBe('rtl');
    expect(html?.getAttribute('lang')).toBe('ar');
    expect(page.querySelector('.skip-link')?.text).toBe('انتقل إلى المحتوى');
    expect(page.querySelector('.byline')?.text).toContain('بقلم');
  });

  it('links the legal pages written in the page’s language, else every one', () => {
    const view = articleView();
    const footerOf = (language: string, footerPages = chrome.footerPages) =>
      parse(
        renderHtml(
          ArticlePage({
            view: { ...view, article: { ...view.article, language } },
            chrome: { ...chrome, footerPages },
            assets,
            isPrintView: false,
          }),
        ),
      )
        .querySelectorAll('footer a')
        .map((a) => a.getAttribute('href'));
    const russianTerms = { title: 'Условия', url: '/usloviya', language: 'ru' };
    const withRussian = [...chrome.footerPages, russianTerms];
    expect(footerOf('ru', withRussian)).toContain('/usloviya');
    expect(footerOf('ru', withRussian)).not.toContain('/terms-of-use');
    expect(footerOf('en', withRussian)).not.toContain('/usloviya');
    // No page in the language: every one is linked rather than none.
    expect(footerOf('ru')).toContain('/terms-of-use');
  });
});
