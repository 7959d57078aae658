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
    // A crawler reads first: were it counted, the total below would never be 6.
    const home = await (await fetch(`${server.baseUrl}/`)).text();
    const story = /<h[23][^>]*>\s*<a href="([^"]+)"/.exec(home)?.[1] ?? '/';
    for (const path of ['/', story, story])
      await fetch(`${server.baseUrl}${path}`, {
        headers: { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0)' },
      });
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

    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signInToAdmin(page, server, CHIEF, PASSWORD);
    // Counts reach the database every few seconds. Seven days, not today:
    // a run across the newsroom's midnight still sees them all.
    await expect.poll(() => readingAs(page, '7d'), { timeout: 20_000 }).toBe(6);

    await page
      .getByRole('navigation', { name: 'Newsroom' })
      .getByRole('link', { name: 'Audience' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Audience' }).waitFor();
    await page.getByRole('link', { name: 'Last 7 days' }).click();
    await page.getByRole('heading', { name: 'Views per day' }).waitFor();
    const totals = page.locator('.audience-totals');
    await totals.waitFor();
    const total = async (name: string) =>
      (await totals.locator('div').filter({ hasText: name }).locator('dd').textContent())?.trim();
    expect(await total('Views')).toBe('6');
    expect(await total('Readers')).toBe('2');
    // The chart is drawn, and its numbers are there as a table too: a row a day, six views on one.
    await page.locator('.views-chart-canvas canvas').first().waitFor();
    await page.getByText('Views per day as a table').click();
    const days = page.locator('.views-chart table tbody tr');
    expect(await days.count()).toBe(7);
    expect(await days.locator('td').allTextContents()).toContain('6');
    const row = async (region: string, name: string) =>
      (
        await page
          .getByRole('region', { name: region })
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
          .locator('td')
          .first()
          .textContent()
      )?.trim();
    expect(await row('Most read articles', headline)).toBe('3');
    expect(await row('Where readers came from', 'From our own pages')).toBe('2');
    expect(await row('Where readers came from', 'Search engines')).toBe('1');
    expect(await row('Where readers came from', 'Direct or from an app')).toBe('3');
    expect(await row('Devices', 'Phones')).toBe('2');
    expect(await row('Devices', 'Computers')).toBe('4');
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
    expect(csv).not.toContain('bingbot');

    // The story's own numbers, in its editor.
    await page
      .getByRole('region', { name: 'Most read articles' })
      .getByRole('link', { name: headline })
      .click();
    const own = page.getByRole('region', { name: 'Views' }).locator('.audience-totals');
    await own.waitFor({ timeout: 10_000 });
    expect(
      (await own.locator('div').filter({ hasText: '7 days' }).locator('dd').textContent())?.trim(),
    ).toBe('3');

    // Stop counting readers a day: the number goes, views stay.
    await page.goto(`${server.baseUrl}/admin/#/audience/7d`);
    await page.getByRole('heading', { name: 'What is counted' }).waitFor();
    const readersBox = page.getByLabel(/Count readers a day/);
    await expect.poll(() => readersBox.isChecked(), { timeout: 10_000 }).toBe(true);
    await readersBox.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Views per day' }).waitFor();
    await totals.waitFor();
    expect(await total('Views')).toBe('6');
    expect(await totals.textContent()).not.toContain('Readers');
    await expect
      .poll(() => page.getByLabel(/Count readers a day/).isChecked(), { timeout: 10_000 })
      .toBe(false);
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
