import { describe, expect, it } from 'vitest';
import { isSlug, isSlugOfTitle, slugify } from './slug.js';

describe('slugify', () => {
  it('drops apostrophes inside words instead of splitting them', () => {
    expect(
      slugify(
        'Azerbaijan’s Aliyev accuses Russian forces of deliberately targeting his country’s embassy in Kyiv',
      ),
    ).toBe(
      'azerbaijans-aliyev-accuses-russian-forces-of-deliberately-targeting-his-countrys-embassy-in-kyiv',
    );
  });

  it('transliterates Cyrillic and strips diacritics', () => {
    expect(slugify('Посольство в Киеве')).toBe('posolstvo-v-kieve');
    expect(slugify('Väike Saaremund — café')).toBe('vaike-saaremund-cafe');
  });

  it('cuts long titles at a word boundary', () => {
    const slug = slugify('word '.repeat(60));
    expect(slug.length).toBeLessThanOrEqual(120);
    expect(slug.endsWith('-')).toBe(false);
    expect(isSlug(slug)).toBe(true);
  });

  it('returns an empty slug for text with no letters or digits', () => {
    expect(slugify('— … —')).toBe('');
  });
});

describe('isSlugOfTitle', () => {
  it('knows a slug made from the headline, with the number a taken slug gets', () => {
    expect(isSlugOfTitle('ferry-fares-rise', 'Ferry fares rise')).toBe(true);
    expect(isSlugOfTitle('ferry-fares-rise-3', 'Ferry fares rise')).toBe(true);
    expect(isSlugOfTitle('article', '')).toBe(true);
    expect(isSlugOfTitle('article-2', '  ')).toBe(true);
  });

  it('knows a slug chosen by hand', () => {
    expect(isSlugOfTitle('fares', 'Ferry fares rise')).toBe(false);
    expect(isSlugOfTitle('ferry-fares-rise-soon', 'Ferry fares rise')).toBe(false);
  });
});
