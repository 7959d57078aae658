import { describe, expect, it } from 'vitest';
import { searchCountForms, searchCountText } from './i18n.js';

describe('the search count', () => {
  it('agrees with the number in English', () => {
    expect([1, 2, 5, 21].map((count) => searchCountText(count, 'en'))).toEqual([
      '1 article found',
      '2 articles found',
      '5 articles found',
      '21 articles found',
    ]);
  });

  it('uses the three Russian forms: one for 1 and 21, few for 2, many for 5', () => {
    expect([1, 2, 5, 21, 11, 22, 0].map((count) => searchCountText(count, 'ru'))).toEqual([
      'Найдена 1 статья',
      'Найдено 2 статьи',
      'Найдено 5 статей',
      'Найдена 21 статья',
      'Найдено 11 статей',
      'Найдено 22 статьи',
      'Найдено 0 статей',
    ]);
  });

  it('falls back to English for languages without their own interface', () => {
    expect(searchCountText(1, 'fi')).toBe('1 article found');
  });

  it('gives a mirror every form and the locale that picks one', () => {
    const { locale, forms } = searchCountForms('ru');
    expect(locale).toBe('ru-RU');
    // The categories a browser's Intl.PluralRules can answer for Russian all have a form.
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const category of categories) expect(forms[category], category).toBeDefined();
  });
});
