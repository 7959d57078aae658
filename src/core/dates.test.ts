import { describe, expect, it } from 'vitest';
import { articleChangedAt, newestDate } from './dates.js';

describe('dates', () => {
  it('finds the newest ISO date, ignoring missing ones', () => {
    expect(newestDate(['2026-01-02T00:00:00.000Z', null, '2026-03-01T00:00:00.000Z', ''])).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(newestDate([])).toBeNull();
  });

  it('dates an article’s last change from its last edit or its last correction', () => {
    expect(articleChangedAt('2026-03-01T00:00:00.000Z', [])).toBe('2026-03-01T00:00:00.000Z');
    expect(articleChangedAt('2026-03-01T00:00:00.000Z', ['2026-03-04T00:00:00.000Z'])).toBe(
      '2026-03-04T00:00:00.000Z',
    );
  });
});
