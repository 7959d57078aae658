import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { type RunningServer, startServer } from './server.js';

// A reader finds articles with JavaScript off: the header's search form is a
// plain GET form, results mark the words found, and the language filter and
// the translation switch are plain links.

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('reading and searching without JavaScript', () => {
  it('searches from the header, in Russian and in English, and opens a result', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    const search = page.getByRole('search', { name: 'Search' });
    await search.getByRole('searchbox').fill('контракты');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/search\?q=/);
    expect(await page.locator('.search-result h2 a').allTextContents()).toEqual([
      'Вельмора будет публиковать все муниципальные контракты',
    ]);
    expect(await page.locator('.search-result h2 mark').allTextContents()).toEqual(['контракты']);

    await page.getByRole('searchbox', { name: 'Search articles' }).first().fill('"ferry strike"');
    await page.getByRole('searchbox', { name: 'Search articles' }).first().press('Enter');
    await page.waitForURL(/q=%22ferry/);
    await page.locator('.search-result h2 a').first().click();
    expect(await page.locator('h1').textContent()).toBe(
      'Ferry strike leaves three island villages short of fuel and medicine',
    );
    await context.close();
  });

  it('switches between an article’s languages and filters the home page by language', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/en`);
    await page
      .getByRole('navigation', { name: 'Languages' })
      .getByRole('link', { name: 'Русский' })
      .click();
    await page.waitForURL(/\/ru$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await page.locator('.teaser-title a').first().click();
    await page
      .getByRole('navigation', { name: 'Эта статья на других языках' })
      .getByRole('link', { name: 'English' })
      .click();
    expect(await page.locator('h1').textContent()).toBe(
      'Velmora council agrees to publish every contract it signs',
    );
    await context.close();
  });
});
