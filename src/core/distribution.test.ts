import { describe, expect, it } from 'vitest';
import { channelTakes, retryDelayMs, sectionAncestry } from './distribution.js';

describe('which channels take an article', () => {
  const article = { language: 'ru', sectionPath: [7, 3] }; // section 7, inside section 3
  it('takes by language and by section, subsections included', () => {
    expect(channelTakes({ language: null, sectionIds: [], isDefault: true }, article)).toBe(true);
    expect(channelTakes({ language: 'ru', sectionIds: [3], isDefault: true }, article)).toBe(true);
    expect(channelTakes({ language: 'en', sectionIds: [], isDefault: true }, article)).toBe(false);
    expect(channelTakes({ language: 'ru', sectionIds: [9], isDefault: true }, article)).toBe(false);
  });
  it('never picks a channel that is not picked by default', () => {
    expect(channelTakes({ language: null, sectionIds: [], isDefault: false }, article)).toBe(false);
  });
});

describe('trying again', () => {
  it('waits 30 s, doubling up to an hour', () => {
    expect([1, 2, 3, 8, 20].map(retryDelayMs)).toEqual([
      30_000, 60_000, 120_000, 3_600_000, 3_600_000,
    ]);
  });
});

describe('a section and the sections above it', () => {
  it('finds them by path, without taking a section whose name only begins alike', () => {
    const sections = [
      { id: 1, path: 'news' },
      { id: 2, path: 'news/politics' },
      { id: 3, path: 'newsletters-archive' },
    ];
    expect(sectionAncestry(sections, 'news/politics')).toEqual([1, 2]);
    expect(sectionAncestry(sections, 'news')).toEqual([1]);
  });
});
