import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { formatAxe, runAxe } from './checks.js';
import {
  addStaff,
  publishFromEditor,
  type RunningServer,
  signInToAdmin,
  startServer,
} from './server.js';

// How an article shows in search results and shared links, chosen in the
// editor's sidebar with a preview of each, and written into the reader page.

const PASSWORD = 'a search and social password';
const EDITOR = 'seo@lantern.example';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, { email: EDITOR, name: 'Sev Editor', role: 'editor', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newArticle(page: Page) {
  await signInToAdmin(page, server, EDITOR, PASSWORD);
  await page.getByRole('link', { name: 'New article', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
  await page.getByLabel('Headline', { exact: true }).fill('Ferry fares rise by a fifth');
  await page.getByRole('textbox', { name: 'Article text' }).click();
  await page.keyboard.type('The crossing to the island costs a fifth more from May.');
  await page.getByText(/^All changes saved at/).waitFor();
}

/** The head tags search engines and link previews read. */
function headTag(html: string, attribute: string, name: string): string | null {
  return new RegExp(`<meta ${attribute}="${name}" content="([^"]*)"`).exec(html)?.[1] ?? null;
}

describe('search and social in the editor', () => {
  it('previews the search result and the shared link, and publishes what was chosen', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    await newArticle(page);
    const panel = page.getByRole('region', { name: 'Search and social' });
    const searchResult = panel.getByRole('figure', { name: 'In search results' });
    const card = panel.getByRole('figure', { name: 'As a shared link' });

    // Until something is chosen: the headline with the site's name, the first paragraph.
    await expect
      .poll(() => searchResult.locator('.search-preview-title').textContent())
      .toBe('Ferry fares rise by a fifth — The Lantern');
    expect(await searchResult.locator('.search-preview-description').textContent()).toBe(
      'The crossing to the island costs a fifth more from May.',
    );
    // The site's public address (here the server's default), not the one the app was opened at.
    expect(await searchResult.locator('.search-preview-address').textContent()).toMatch(
      /^localhost:\d+ › news › ferry-fares-rise-by-a-fifth$/,
    );
    expect(await card.getByText('No picture').isVisible()).toBe(true);

    // A long title is counted, cut in the preview as a search engine would, and warned about.
    const title = panel.getByLabel('Title for search and sharing');
    await title.fill(
      'Ferry fares rise by a fifth from May: what commuters to the island will pay and why',
    );
    expect(
      await panel.locator(`#${await title.getAttribute('aria-describedby')}`).textContent(),
    ).toMatch(/^83 characters; search engines show about 60, so the end will be cut\.$/);
    expect(await searchResult.locator('.search-preview-title').textContent()).toMatch(/…$/);
    await title.fill('Ferry fares: what commuters will pay');
    await panel
      .getByLabel('Description for search and sharing')
      .fill('Who pays more, from when, and the cheaper ways across.');
    expect(await searchResult.locator('.search-preview-title').textContent()).toBe(
      'Ferry fares: what commuters will pay',
    );
    expect(await card.locator('.card-preview-title').textContent()).toBe(
      'Ferry fares: what commuters will pay',
    );
    expect(await card.locator('.card-preview-description').textContent()).toBe(
      'Who pays more, from when, and the cheaper ways across.',
    );

    // A photo for shared links, from the library's grid.
    await panel.getByRole('button', { name: 'Choose a photo' }).click();
    const picker = page.getByRole('dialog', { name: 'Photo for shared links' });
    await picker.getByRole('button', { name: /Saaremund ferry/ }).click();
    await picker.getByRole('button', { name: 'Use for shared links' }).click();
    await card.locator('img.card-preview-image').waitFor();
    expect(await card.locator('img.card-preview-image').getAttribute('alt')).toMatch(/ferry/i);
    await page.getByText(/^All changes saved at/).waitFor();

    // Kept after a reload.
    await page.reload();
    await expect
      .poll(() => page.getByLabel('Title for search and sharing').inputValue())
      .toBe('Ferry fares: what commuters will pay');
    await page.getByRole('region', { name: 'Search and social' }).locator('img').waitFor();

    const { html } = await publishFromEditor(page, server);
    expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toBe('Ferry fares: what commuters will pay');
    expect(headTag(html, 'name', 'description')).toBe(
      'Who pays more, from when, and the cheaper ways across.',
    );
    expect(headTag(html, 'property', 'og:title')).toBe('Ferry fares: what commuters will pay');
    expect(headTag(html, 'property', 'og:image:alt')).toMatch(/ferry/i);
    // The page itself keeps its headline.
    expect(html).toContain('<h1 class="headline">Ferry fares rise by a fifth</h1>');
    expect(blocked).toEqual([]);
    await context.close();
  });

  it('fits a 375 px phone inside the settings drawer, axe-clean', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await newArticle(page);
    await page.getByRole('button', { name: 'Publishing and settings' }).click();
    const panel = page.getByRole('region', { name: 'Search and social' });
    await panel.getByLabel('Title for search and sharing').fill('Ferry fares: what you will pay');
    await panel.getByRole('figure', { name: 'As a shared link' }).scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    const drawer = page.getByRole('complementary', { name: 'Publishing and settings' });
    expect(await drawer.evaluate((side) => side.scrollWidth <= side.clientWidth)).toBe(true);
    const results = await runAxe(page);
    expect(formatAxe('search and social on a phone', results.violations)).toEqual([]);
    await context.close();
  });
});
