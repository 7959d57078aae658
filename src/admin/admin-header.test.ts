import { describe, expect, it } from 'vitest';
import { currentScreen } from './admin-header.js';

describe('the menu entry a route belongs to', () => {
  it('puts an open article under Articles and a new one under New article', () => {
    expect(currentScreen(['articles', '12'])).toBe('articles');
    expect(currentScreen(['articles', 'new'])).toBe('articles/new');
    expect(currentScreen(['articles'])).toBe('articles');
  });

  it('names other screens by their first part, and the desk (where the app opens) when there is none', () => {
    expect(currentScreen(['audit'])).toBe('audit');
    expect(currentScreen(['account'])).toBe('account');
    expect(currentScreen([])).toBe('desk');
  });
});
