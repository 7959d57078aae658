import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { formatAxe, runAxe } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// The article list of a newsroom with more articles than fit on one page:
// sorted by headline from its column header, paged with the pager below,
// and kept as it was (sort, page, filters) across a reload and Back, in the
// hash route. On a phone it fits the screen and passes axe.

const PASSWORD = 'a list of articles password long enough';
const EDITOR = 'lister@lantern.example';
const CHIEF = 'boss@lantern.example';
const CREATED = 55;

let server: RunningServer;
let browser: Browser;
let headers: Record<string, string>;

type Listed = { id: number; title: string };
type ListAnswer = { articles: Listed[]; total: number };

async function apiList(query: string): Promise<ListAnswer> {
  const response = await fetch(`${server.baseUrl}/api/articles?${query}`, { headers });
  if (!response.ok) throw new Error(`list: ${response.status} ${await response.text()}`);
  return (await response.json()) as ListAnswer;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, { email: EDITOR, name: 'Lis Lister', role: 'editor', password: PASSWORD });
  await addStaff(server, {
    email: CHIEF,
    name: 'Mira Boss',
    role: 'editor-in-chief',
    password: PASSWORD,
  });
  await addStaff(server, {
    email: 'abe@lantern.example',
    name: 'abe Contributor',
    role: 'contributor',
    password: PASSWORD,
  });
  const session = await fetch(`${server.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EDITOR, password: PASSWORD }),
  });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
  // Headlines in mixed case, so a case-sensitive sort would show.
  for (let n = 1; n <= CREATED; n++) {
    const word = n % 2 === 0 ? 'ledger' : 'Ledger';
    const response = await fetch(`${server.baseUrl}/api/articles`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        title: `${word} entry ${String(n).padStart(2, '0')}`,
        section: 'news/politics',
        language: 'en',
        body: { type: 'doc', content: [{ type: 'paragraph' }] },
      }),
    });
    if (response.status !== 201) throw new Error(`create: ${await response.text()}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const headlines = (page: Page) =>
  page.getByRole('table').locator('tbody tr td:first-child').allTextContents();
const headlineHeader = (page: Page) => page.getByRole('columnheader', { name: 'Headline' });
const summary = (page: Page) =>
  page.getByRole('navigation', { name: 'Pages of articles' }).getByRole('status');

describe('the article list', () => {
  it('sorts by headline, pages, and keeps both across a reload and Back', async () => {
    const all = await apiList('sort=title&pageSize=200');
    const total = all.total;
    expect(total).toBeGreaterThan(50);
    const byHeadline = all.articles.map((article) => article.title);

    // bypassCSP only so that axe-core can be injected; the app itself runs under the CSP.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    // The app opens on the person's desk; the list is one click away.
    await page.getByRole('link', { name: 'Articles', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Articles' }).waitFor();
    await expect.poll(() => summary(page).textContent()).toBe(`Articles 1–50 of ${total}`);
    expect(
      await page.getByRole('columnheader', { name: 'Changed' }).getAttribute('aria-sort'),
    ).toBe('descending');
    expect(await headlineHeader(page).getAttribute('aria-sort')).toBeNull();

    // Headline: A to Z, from the keyboard.
    await headlineHeader(page).getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => headlineHeader(page).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => headlines(page)).toEqual(byHeadline.slice(0, 50));
    expect(page.url()).toMatch(/#\/articles\?sort=title$/);
    expect(
      await page.getByRole('columnheader', { name: 'Changed' }).getAttribute('aria-sort'),
    ).toBeNull();

    // Page 2 with Next, from the keyboard; Previous is usable again, Next is
    // not, and keeps the focus so the keyboard user is not thrown out.
    const pager = page.getByRole('navigation', { name: 'Pages of articles' });
    const previous = pager.getByRole('button', { name: 'Previous page' });
    const next = pager.getByRole('button', { name: 'Next page' });
    expect(await previous.getAttribute('aria-disabled')).toBe('true');
    expect(await next.getAttribute('aria-disabled')).toBeNull();
    await next.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => summary(page).textContent()).toBe(`Articles 51–${total} of ${total}`);
    await expect.poll(() => headlines(page)).toEqual(byHeadline.slice(50));
    expect(page.url()).toMatch(/#\/articles\?sort=title&page=2$/);
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    expect(await previous.getAttribute('aria-disabled')).toBeNull();
    expect(await next.evaluate((button) => button === document.activeElement)).toBe(true);
    // Pressing it there changes nothing.
    await page.keyboard.press('Enter');
    expect(page.url()).toMatch(/#\/articles\?sort=title&page=2$/);
    expect(await pager.getByRole('button', { name: 'Page 2' }).getAttribute('aria-current')).toBe(
      'page',
    );
    const axe = await runAxe(page);
    expect(formatAxe('article list, page 2', axe.violations)).toEqual([]);

    // A reload shows the same page of the same order.
    await page.reload();
    await expect.poll(() => summary(page).textContent()).toBe(`Articles 51–${total} of ${total}`);
    await expect.poll(() => headlines(page)).toEqual(byHeadline.slice(50));
    expect(await headlineHeader(page).getAttribute('aria-sort')).toBe('ascending');

    // Back returns to page 1, still by headline.
    await page.goBack();
    await expect.poll(() => summary(page).textContent()).toBe(`Articles 1–50 of ${total}`);
    await expect.poll(() => headlines(page)).toEqual(byHeadline.slice(0, 50));
    expect(await headlineHeader(page).getAttribute('aria-sort')).toBe('ascending');

    // Pressing the sorted header again turns the order round.
    await headlineHeader(page).getByRole('button').click();
    await expect.poll(() => headlineHeader(page).getAttribute('aria-sort')).toBe('descending');
    await expect.poll(async () => (await headlines(page))[0]).toBe(byHeadline.at(-1));
    await context.close();
  });

  it('starts again from page 1 when a filter changes, and says so plainly when nothing matches', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    await page.goto(`${server.baseUrl}/admin/#/articles?sort=title&page=2`);
    await expect.poll(() => summary(page).textContent()).toMatch(/^Articles 51–/);

    await page.getByLabel('Search headlines').fill('entry 0');
    await expect.poll(() => summary(page).textContent()).toBe('9 articles');
    expect(page.url()).toMatch(/#\/articles\?q=entry\+0&sort=title$/);
    await page.getByLabel('Search headlines').fill('entry 01');
    await expect.poll(() => summary(page).textContent()).toBe('1 article');

    await page.getByLabel('Search headlines').fill('no such headline');
    await expect.poll(() => summary(page).textContent()).toBe('No articles');
    expect(await page.getByRole('table').count()).toBe(0);
    await page.getByRole('button', { name: 'Show all articles' }).click();
    await expect.poll(() => summary(page).textContent()).toMatch(/^Articles 1–50 of \d+$/);
    expect(await page.getByLabel('Search headlines').inputValue()).toBe('');

    // A page past the end (an old bookmark) says so and offers the way back.
    const lastPage = Math.ceil((await apiList('pageSize=1')).total / 50);
    await page.goto(`${server.baseUrl}/admin/#/articles?page=9`);
    await expect.poll(() => summary(page).textContent()).toMatch(/^No articles on page 9/);
    await page.getByRole('button', { name: `Go to page ${lastPage}` }).click();
    await expect
      .poll(() => summary(page).textContent())
      .toMatch(new RegExp(`^Articles ${(lastPage - 1) * 50 + 1}–`));
    await context.close();
  });

  it('fits a 375 px phone with no sideways scrolling, and passes axe', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    await page.goto(`${server.baseUrl}/admin/#/articles?sort=title&page=2`);
    await expect.poll(() => summary(page).textContent()).toMatch(/^Articles 51–/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    const axe = await runAxe(page);
    expect(formatAxe('article list at 375 px', axe.violations)).toEqual([]);
    await context.close();
  });
});

describe('the staff and pages tables', () => {
  const firstCells = (page: Page, table: string) =>
    page.getByRole('region', { name: table }).locator('tbody tr td:first-child').allTextContents();

  it('sort by their columns from the header buttons, with aria-sort on the sorted column', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInToAdmin(page, server, CHIEF, PASSWORD);

    await page.goto(`${server.baseUrl}/admin/#/users`);
    await page.getByRole('heading', { level: 1, name: 'Staff' }).waitFor();
    const staff = page.getByRole('region', { name: 'Table of staff' });
    // By name, A to Z, whatever the case, to begin with.
    await expect
      .poll(() => firstCells(page, 'Table of staff'))
      .toEqual(['abe Contributor', 'Lis Lister', 'Mira Boss']);
    expect(await staff.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe(
      'ascending',
    );
    const role = staff.getByRole('columnheader', { name: 'Role' });
    await role.getByRole('button').click();
    expect(await role.getAttribute('aria-sort')).toBe('ascending');
    expect(
      await staff.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort'),
    ).toBeNull();
    // By rank, not by the words' spelling.
    expect(await firstCells(page, 'Table of staff')).toEqual([
      'abe Contributor',
      'Lis Lister',
      'Mira Boss',
    ]);
    await role.getByRole('button').click();
    expect(await role.getAttribute('aria-sort')).toBe('descending');
    expect(await firstCells(page, 'Table of staff')).toEqual([
      'Mira Boss',
      'Lis Lister',
      'abe Contributor',
    ]);

    await page.goto(`${server.baseUrl}/admin/#/site`);
    await page.getByRole('heading', { level: 1, name: 'Sections and pages' }).waitFor();
    const pages = page.getByRole('region', { name: 'Table of pages' });
    // In the order they were added until a header is pressed.
    await expect
      .poll(() => firstCells(page, 'Table of pages'))
      .toEqual(['Masthead', 'Terms of use', 'Privacy policy']);
    expect(await pages.locator('th[aria-sort]').count()).toBe(0);
    const title = pages.getByRole('columnheader', { name: 'Title' });
    await title.getByRole('button').click();
    expect(await title.getAttribute('aria-sort')).toBe('ascending');
    expect(await firstCells(page, 'Table of pages')).toEqual([
      'Masthead',
      'Privacy policy',
      'Terms of use',
    ]);
    await title.getByRole('button').click();
    expect(await firstCells(page, 'Table of pages')).toEqual([
      'Terms of use',
      'Privacy policy',
      'Masthead',
    ]);
    await context.close();
  });
});
