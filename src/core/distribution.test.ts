import { describe, expect, it } from 'vitest';
import { channelTakes, retryDelayMs } from './distribution.js';

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
