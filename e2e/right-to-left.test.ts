import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUiLanguage } from '../src/site/i18n.js';
import { ArticlePage } from '../src/site/pages/article-page.js';
import { renderHtml } from '../src/site/render-page.js';
import { arabic } from '../test/rtl-language.js';
import { articleView, assets, chrome } from '../test/site-fixtures.js';
import { launchBrowser } from './browser.js';

// A right-to-left interface pack mirrors the page: shown in Chromium with
// the real stylesheet, on a phone and on a desktop.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('a right-to-left language', () => {
  it.each([375, 1280])('mirrors the page at %i px, with no sideways scroll', async (width) => {
    addUiLanguage(arabic);
    const view = articleView();
    const html = renderHtml(
      ArticlePage({
        view: { ...view, article: { ...view.article, language: 'ar' } },
        chrome,
        assets,
        isPrintView: false,
      }),
    );
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    try {
      // Offline: the stylesheet goes in as it is, nothing is fetched.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html);
      await page.addStyleTag({
        content: await readFile(new URL('../src/site/assets/site.css', import.meta.url), 'utf8'),
      });
      const layout = await page.evaluate(() => {
        const box = (selector: string) => document.querySelector(selector)?.getBoundingClientRect();
        return {
          direction: getComputedStyle(document.body).direction,
          name: box('.site-name'),
          headline: box('h1'),
          byline: box('.byline'),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      expect(layout.direction).toBe('rtl');
      // The site's name starts at the right, and so does the byline, flush
      // with the right edge of the article's column.
      expect(layout.name?.right).toBeGreaterThan(width * 0.75);
      expect(Math.abs((layout.byline?.right ?? 0) - (layout.headline?.right ?? 0))).toBeLessThan(2);
      expect(layout.byline?.left).toBeGreaterThan(layout.headline?.left ?? 0);
      expect(layout.name?.left).toBeGreaterThan(0);
      expect(layout.overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });
});
