import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { formatAxe, runAxe } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// The audience screen as editors use it: readers browse the sample site in
// real Chromium (a phone and a desktop, one coming from a search engine), a
// crawler passes by, and the editor-in-chief reads the numbers, downloads
// them, opens an article's own numbers and stops counting readers a day.

const PASSWORD = 'a newsroom password that is long';
const CHIEF = 'mira@lantern.example';
// Headless Chromium says so in its user agent, and is rightly not counted: readers' browsers do not.
const DESKTOP =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const PHONE =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, {
    email: CHIEF,
    name: 'Mira Chief',
    role: 'editor-in-chief',
    password: PASSWORD,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A reader opens the home page and follows its first story; answers the story's headline. */
async function readLeadStory(userAgent: string, width: number): Promise<string> {
  const context = await browser.newContext({ userAgent, viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/`);
  const lead = page.locator('main h2 a, main h3 a').first();
  const headline = (await lead.textContent())?.trim() ?? '';
  await lead.click();
  await page.getByRole('heading', { level: 1, name: headline }).waitFor();
  await context.close();
  return headline;
}

async function readingAs(page: Page, period: string): Promise<number> {
  return await page.evaluate(async (period) => {
    const answer = await fetch(`/api/audience?period=${period}`);
    return ((await answer.json()) as { views: number }).views;
  }, period);
}

describe('the audience screen', () => {
  it('shows the views readers made, not the crawler’s, and lets the editor-in-chief stop counting readers', async () => {
    const headline = await readLeadStory(DESKTOP, 1280);
    await readLeadStory(PHONE, 375);
    // A reader who came from a search engine, straight to the story.
    const searching = await browser.newContext({ userAgent: DESKTOP });
    const fromSearch = await searching.newPage();
    await fromSearch.goto(`${server.baseUrl}/`);
    const href = await fromSearch.locator('main h2 a, main h3 a').first().getAttribute('href');
    await fromSearch.goto(`${server.baseUrl}${href}`, {
      referer: 'https://duckduckgo.com/',
    });
    await searching.close();
    // A crawler reads everything: none of it counts.
    for (let visit = 0; visit < 5; visit++)
      await fetch(`${server.baseUrl}${href}`, {
        headers: { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0)' },
      });

    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signInToAdmin(page, server, CHIEF, PASSWORD);
    // Counts reach the database every few seconds.
    await expect.poll(() => readingAs(page, 'today'), { timeout: 20_000 }).toBe(6);

    await page
      .getByRole('navigation', { name: 'Newsroom' })
      .getByRole('link', { name: 'Audience' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Audience' }).waitFor();
    const totals = page.locator('.audience-totals');
    await expect.poll(() => totals.locator('div').first().textContent()).toBe('Views6');
    await expect.poll(() => totals.textContent()).toContain('Readers (about)2');
    // The chart is drawn, and its numbers are there as a table too.
    expect(await page.locator('.views-chart-canvas canvas').count()).toBeGreaterThan(0);
    await page.getByText('Views per hour as a table').click();
    const mostRead = page.getByRole('region', { name: 'Most read articles' });
    await expect.poll(() => mostRead.getByRole('row').nth(1).textContent()).toBe(`${headline}3`);
    const sources = page.getByRole('region', { name: 'Where readers came from' });
    await expect.poll(() => sources.textContent()).toContain('From our own pages2');
    expect(await sources.textContent()).toContain('Search engines1');
    expect(await sources.textContent()).toContain('Direct or from an app3');
    const devices = page.getByRole('region', { name: 'Devices' });
    expect(await devices.textContent()).toContain('Phones2');
    const axe = await runAxe(page);
    expect(formatAxe('audience', axe.violations)).toEqual([]);

    // The numbers as CSV, as stored.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download/ }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv.split('\n')[0]).toBe(
      'hour_utc,path,article_id,headline,channel,referrer,language,device,views',
    );
    expect(csv).toContain('duckduckgo.com');

    // The story's own numbers, in its editor.
    await mostRead.getByRole('link', { name: headline }).click();
    const readers = page.getByRole('region', { name: 'Readers' });
    await expect
      .poll(() => readers.locator('dl').textContent(), { timeout: 10_000 })
      .toContain('Today3');

    // Stop counting readers a day: the number goes, views stay.
    await page.goto(`${server.baseUrl}/admin/#/audience/7d`);
    await page.getByRole('heading', { name: 'What is counted' }).waitFor();
    await page.getByLabel(/Count readers a day/).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Views per day' }).waitFor();
    await expect.poll(() => totals.textContent()).not.toContain('Readers');
    expect(await page.getByLabel(/Count readers a day/).isChecked()).toBe(false);
    await context.close();
  });

  it('fits a phone: nothing scrolls sideways', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    await signInToAdmin(page, server, CHIEF, PASSWORD);
    await page.goto(`${server.baseUrl}/admin/#/audience/30d`);
    await page.getByRole('heading', { name: 'Most read articles' }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    const chart = await page.locator('.views-chart-canvas canvas').first().boundingBox();
    expect(chart?.width ?? 0).toBeGreaterThan(250);
    expect(chart?.width ?? 0).toBeLessThanOrEqual(375);
    await context.close();
  });
});
