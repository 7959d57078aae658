import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// Seeing an article before readers do: the real reader page of what is on
// screen, at phone and desktop width, and a link for someone outside the
// newsroom that expires and can be closed.

const PASSWORD = 'a preview password that is long enough';
const EDITOR = 'previews@lantern.example';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, {
    email: EDITOR,
    name: 'Pia Preview',
    role: 'editor',
    password: PASSWORD,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const signIn = (page: Page) => signInToAdmin(page, server, EDITOR, PASSWORD);

describe('previews', () => {
  it('shows the version on screen, unsaved typing included, at phone and desktop width', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'New article', exact: true }).first().click();
    await page.getByLabel('Headline', { exact: true }).fill('Night buses return');
    await page.getByText(/^All changes saved at/).waitFor();
    // Typed a moment ago, not autosaved yet.
    await page.getByLabel('Headline', { exact: true }).fill('Night buses return to the old town');
    await page.getByRole('button', { name: 'Preview as readers will see it' }).click();

    const dialog = page.getByRole('dialog', { name: 'Preview' });
    const frame = page.frameLocator('iframe[title="The article as readers will see it"]');
    await expect
      .poll(() => frame.locator('h1.headline').textContent())
      .toBe('Night buses return to the old town');
    await expect.poll(() => frame.locator('.page-notice').textContent()).toContain('Preview.');
    // The reader stylesheet applies: the same rules as on the site (once it has
    // loaded: the headline can be there before it).
    await expect
      .poll(() =>
        frame.locator('html').evaluate(() =>
          Array.from(document.styleSheets)
            .filter((sheet) => sheet.href?.includes('/assets/site.'))
            .reduce((count, sheet) => count + sheet.cssRules.length, 0),
        ),
      )
      .toBeGreaterThan(20);
    const iframe = dialog.locator('iframe');
    expect(await iframe.evaluate((element) => element.getBoundingClientRect().width)).toBe(375);
    await dialog.getByRole('button', { name: 'Desktop' }).click();
    // As wide as a desktop screen, or as the dialog allows (then it scrolls).
    await expect
      .poll(() => iframe.evaluate((element) => element.getAttribute('width')))
      .toBe('1280');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await context.close();
  });

  it('shares a link that opens without signing in, until it expires or is closed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'New article', exact: true }).first().click();
    await page.getByLabel('Headline', { exact: true }).fill('Water board accounts');
    await page.getByText(/^All changes saved at/).waitFor();
    await page.getByRole('button', { name: 'Create a preview link' }).click();
    const field = page.getByLabel(/^New link/);
    await field.waitFor();
    const url = await field.inputValue();
    expect(url).toMatch(/\/preview\/[A-Za-z0-9_-]{40,}$/);
    const path = new URL(url).pathname;
    await expect
      .poll(() => page.locator('.link-list li').first().textContent())
      .toContain(`Link …${url.slice(-4)} by Pia Preview`);

    // The lawyer, in a browser with no session.
    const outsider = await browser.newContext();
    const lawyer = await outsider.newPage();
    const answer = await lawyer.goto(`${server.baseUrl}${path}`);
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['cache-control']).toBe('private, no-store');
    expect(await lawyer.locator('h1.headline').textContent()).toBe('Water board accounts');
    expect(await lawyer.locator('.page-notice').textContent()).toContain(
      'This link stops working on',
    );
    expect(await lawyer.locator('meta[name=robots]').getAttribute('content')).toBe('noindex');

    // Time passes: past its end the link shows nothing of the article.
    const db = new Database(join(server.dataDir, 'masthead.sqlite'));
    db.prepare("update preview_link set expires_at = '2000-01-01T00:00:00.000Z'").run();
    db.close();
    const expired = await lawyer.goto(`${server.baseUrl}${path}`);
    expect(expired?.status()).toBe(404);
    expect(await lawyer.locator('h1').textContent()).toBe('This preview is no longer open');
    expect(await lawyer.content()).not.toContain('Water board accounts');
    await page.reload();
    await page.getByText('Closed and expired links (1)').click();
    await page.getByText(`Link …${url.slice(-4)} by Pia Preview: expired`).waitFor();

    // A new link, closed by hand.
    await page.getByRole('button', { name: 'Create a preview link' }).click();
    const second = await page.getByLabel(/^New link/).inputValue();
    expect(second).not.toBe(url);
    expect((await lawyer.goto(second))?.status()).toBe(200);
    await page.getByRole('button', { name: `Close link …${second.slice(-4)}` }).click();
    await page.getByText('The link is closed: it no longer opens the article.').waitFor();
    expect((await lawyer.goto(second))?.status()).toBe(404);
    await outsider.close();
    await context.close();
  });
});
