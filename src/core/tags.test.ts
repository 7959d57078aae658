import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.js';
import { tagsFromNames } from './tags.js';

describe('tagsFromNames', () => {
  it('gives each name a slug and keeps the order given', () => {
    expect(tagsFromNames(['Local elections', 'Выборы', 'Café culture'])).toEqual([
      { name: 'Local elections', slug: 'local-elections' },
      { name: 'Выборы', slug: 'vybory' },
      { name: 'Café culture', slug: 'cafe-culture' },
    ]);
  });

  it('collapses names that differ only in case or spacing to the first spelling', () => {
    expect(tagsFromNames(['Climate', 'climate', ' CLIMATE ', 'New  York', 'new york'])).toEqual([
      { name: 'Climate', slug: 'climate' },
      { name: 'New York', slug: 'new-york' },
    ]);
  });

  it('returns no tags for no names', () => {
    expect(tagsFromNames([])).toEqual([]);
  });

  it('refuses a name with no letter or digit, naming the tags field', () => {
    let caught: unknown;
    try {
      tagsFromNames(['Politics', '!!!']);
    } catch (error) {
      caught = error;
    }
    expect(isDomainError(caught, 'invalid_input')).toBe(true);
    expect(caught).toMatchObject({
      field: 'tags',
      message: 'the tag "!!!" needs at least one letter or digit',
    });
  });
});
