import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { axePage, DISPLAY_MODES, describeMode, runAxe } from './checks.js';
import { type RunningServer, SEED_SITE_PAGES, startServer } from './server.js';

// Every kind of reader page, as Chromium renders it, through axe-core: on
// screen and in print, for readers who prefer a light or a dark colour scheme.

const PAGES = SEED_SITE_PAGES;

let server: RunningServer;
let browser: Browser;
/** The pages forbid inline scripts (CSP script-src 'self'): bypass it to inject axe. */
let context: BrowserContext;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('seed'), launchBrowser()]);
  context = await browser.newContext({ bypassCSP: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(DISPLAY_MODES.map((mode) => [describeMode(mode), mode] as const))(
  'accessibility (axe-core), %s',
  (_label, mode) => {
    it.each(PAGES.map((page) => [page.name, page.path, page.status] as const))(
      '%s (%s) has no violations',
      async (name, path, status) => {
        const result = await axePage(context, `${server.baseUrl}${path}`, mode, name);
        expect(result.status).toBe(status);
        // axe really looked at the page: some rules applied and passed.
        expect(result.passes).toBeGreaterThan(0);
        expect(result.violations, `\n${result.violations.join('\n')}\n`).toEqual([]);
      },
    );
  },
);

describe('on a 375 px phone', () => {
  it.each(PAGES.map((page) => [page.name, page.path] as const))(
    '%s (%s) does not scroll sideways',
    async (_name, path) => {
      const page = await context.newPage();
      try {
        await page.setViewportSize({ width: 375, height: 800 });
        await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
        const overflow = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          // What sticks out, to name it when it fails.
          wide: Array.from(document.querySelectorAll('body *'))
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 3)
            .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
        }));
        expect(overflow.page, overflow.wide.join(', ')).toBeLessThanOrEqual(0);
        expect(overflow.wide).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );
});

describe('the accessibility check itself', () => {
  it('reports known violations', async () => {
    const page = await context.newPage();
    try {
      await page.setContent(
        '<!DOCTYPE html><html lang="en"><head><title>canary</title></head><body><main><img src="data:,"><a href="/x"></a></main></body></html>',
      );
      const results = await runAxe(page);
      const ids = results.violations.map((violation) => violation.id);
      expect(ids).toContain('image-alt');
      expect(ids).toContain('link-name');
    } finally {
      await page.close();
    }
  });
});
