import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { formatAxe, runAxe } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// The audit log as the editor-in-chief reads it: sentences with links, server
// filters kept in the address, a phone-width page; and dates in the newsroom's
// time zone when the browser is somewhere else.

const PASSWORD = 'a newsroom password that is long';
const CHIEF = 'mira@lantern.example';
const WRITER = 'oskar@lantern.example';
const HEADLINE = 'Flooding closes the river road';

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
  await addStaff(server, { email: WRITER, name: 'Oskar Lind', role: 'author', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(
  options: { width?: number; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP only so that axe-core can be injected; the app itself runs under the CSP.
  const context = await browser.newContext({
    bypassCSP: true,
    ...(options.width ? { viewport: { width: options.width, height: 800 } } : {}),
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  return { context, page: await context.newPage() };
}

/** Creates a draft with a headline in the editor and waits until it is saved; answers its id. */
async function writeDraft(page: Page, headline: string): Promise<number> {
  await page.goto(`${server.baseUrl}/admin/#/articles/new`);
  await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
  await page.getByLabel('Headline', { exact: true }).fill(headline);
  await page.getByLabel('Section').selectOption('news');
  const body = page.getByRole('textbox', { name: 'Article text' });
  await body.click();
  await page.keyboard.type('The river rose a metre overnight.');
  await page.getByText(/^All changes saved at/).waitFor();
  await page.waitForURL(/#\/articles\/\d+$/);
  return Number(new URL(page.url()).hash.split('/').at(-1));
}

/** Calls the admin API from inside the signed-in page, with the session's CSRF token. */
async function callApi<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return await page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/session')).json();
      const response = await fetch(`/api${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return await response.json();
    },
    { method, path, body },
  );
}

describe('the audit log', () => {
  let articleId = 0;

  it('tells the editor-in-chief in sentences who did what, with links to the items', async () => {
    const { context, page } = await newPage();
    // A wrong password first: the log shows it.
    await page.goto(`${server.baseUrl}/admin/`);
    await page.getByLabel('E-mail').fill(CHIEF);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('wrong e-mail or password').waitFor();
    await signInToAdmin(page, server, CHIEF, PASSWORD);

    articleId = await writeDraft(page, HEADLINE);
    await page.goto(`${server.baseUrl}/admin/#/users`);
    await page.getByRole('heading', { level: 1, name: 'Staff' }).waitFor();
    await page.getByLabel('Role of Oskar Lind').selectOption('editor');
    await page.getByText('Oskar Lind is now editor.').waitFor();

    await page.goto(`${server.baseUrl}/admin/#/audit`);
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    const log = page.locator('.audit-list');
    await log.getByText('Mira Chief changed the role of Oskar Lind to editor').waitFor();
    await log.getByText(`Mira Chief created the article “${HEADLINE}”`).waitFor();
    await log.getByText('Someone failed to sign in as Mira Chief').waitFor();
    await log.getByText('Mira Chief signed in').first().waitFor();
    // No raw codes or JSON on the page.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/article\.create|user\.role|[{}]/);
    // Times are said to be in the newsroom's zone, and days are headed in it.
    expect(text).toContain('Times are in Europe/Riga');

    await log
      .getByRole('link', { name: `“${HEADLINE}”` })
      .first()
      .click();
    await page.waitForURL(new RegExp(`#/articles/${articleId}$`));
    await page.getByLabel('Headline', { exact: true }).waitFor();
    await context.close();
  });

  it('filters on the server, keeps the filter in the address, and shows one item’s history', async () => {
    const { context, page } = await newPage();
    await signInToAdmin(page, server, CHIEF, PASSWORD);
    await page.goto(`${server.baseUrl}/admin/#/audit`);
    const log = page.locator('.audit-list');
    await log.first().waitFor();

    const staffOnly = page.waitForResponse((r) => r.url().includes('/api/audit?kind=staff'));
    await page.getByLabel('Kind of action').selectOption('staff');
    await staffOnly;
    await page.waitForURL(/#\/audit\?kind=staff$/);
    await log.getByText('Mira Chief changed the role of Oskar Lind to editor').waitFor();
    await expect.poll(() => log.getByText(/created the article/).count()).toBe(0);

    // The filter survives a reload: it lives in the address.
    await page.reload();
    expect(await page.getByLabel('Kind of action').inputValue()).toBe('staff');
    await log.getByText('Mira Chief changed the role of Oskar Lind to editor').waitFor();

    await page.getByLabel('Kind of action').selectOption('');
    await page.getByLabel('Person').selectOption({ label: 'Mira Chief' });
    await page
      .getByRole('link', { name: `History of “${HEADLINE}”` })
      .first()
      .click();
    await page.waitForURL(new RegExp(`subject=article%3A${articleId}$`));
    await page.getByText(`Only the history of “${HEADLINE}”`).waitFor();
    await expect
      .poll(async () => (await log.locator('.audit-sentence').allTextContents()).join(' | '))
      .toMatch(new RegExp(`^(Mira Chief (created the article|edited) “${HEADLINE}”( \\| )?)+$`));

    await page.getByRole('link', { name: 'Show all items' }).click();
    await page.waitForURL(/#\/audit$/);
    await log.getByText('Mira Chief changed the role of Oskar Lind to editor').waitFor();
    await context.close();
  });

  it('goes back in time with “Older entries”, keeping the filter', async () => {
    const { context, page } = await newPage();
    await signInToAdmin(page, server, CHIEF, PASSWORD);
    const body = {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A line.' }] }],
    };
    for (let n = 1; n <= 55; n++)
      await callApi(page, 'POST', '/articles', {
        title: `Council minutes, part ${n}`,
        section: 'news',
        language: 'en',
        body,
      });
    await page.goto(`${server.baseUrl}/admin/#/audit?kind=articles`);
    const entries = page.locator('.audit-entry');
    await expect.poll(() => entries.count()).toBe(50);
    expect(await entries.first().textContent()).toContain('Council minutes, part 55');
    await page.getByRole('button', { name: 'Older entries' }).click();
    await page.getByText('That is the beginning of the log.').waitFor();
    // 55 drafts and the one the first test wrote; only article entries, oldest last.
    const sentences = await page.locator('.audit-sentence').allTextContents();
    expect(sentences.length).toBeGreaterThan(55);
    expect(sentences.every((sentence) => / (created|edited) /.test(sentence))).toBe(true);
    expect(sentences.at(-1)).toContain(HEADLINE);
    await context.close();
  });

  it('fits a 375 px phone with no sideways scrolling and no accessibility violations', async () => {
    const { context, page } = await newPage({ width: 375 });
    await signInToAdmin(page, server, CHIEF, PASSWORD);
    await page.goto(`${server.baseUrl}/admin/#/audit`);
    await page.locator('.audit-list').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    const results = await runAxe(page);
    expect(formatAxe('audit log at 375 px', results.violations)).toEqual([]);
    await context.close();
  });
});

describe('dates in the newsroom time zone', () => {
  it('reads the schedule field in the newsroom zone when the browser is far away', async () => {
    const { context, page } = await newPage({ timezoneId: 'America/New_York' });
    await signInToAdmin(page, server, CHIEF, PASSWORD);
    // The newsroom works in Tokyo (UTC+9, no summer time).
    const saved = await callApi<{ timeZone: string }>(page, 'PUT', '/settings/site', {
      timeZone: 'Asia/Tokyo',
    });
    expect(saved.timeZone).toBe('Asia/Tokyo');
    await page.reload();
    await page.getByRole('navigation', { name: 'Newsroom' }).waitFor();

    const id = await writeDraft(page, 'Typhoon season starts early');
    const schedule = page.getByLabel('Publication time');
    if (!(await schedule.isVisible()))
      await page.getByRole('button', { name: 'Publishing and settings' }).click();
    await page.getByText('Time in Asia/Tokyo, the newsroom’s time zone').waitFor();
    await schedule.fill('2030-07-01T09:00');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Schedule this article?' });
    await confirm.getByRole('button', { name: /^Schedule for / }).click();
    await page.getByText('Scheduled.').waitFor();

    // 09:00 in Tokyo, not 09:00 in New York (which would be 13:00 UTC).
    const article = await callApi<{ scheduledAt: string }>(page, 'GET', `/articles/${id}`);
    expect(article.scheduledAt).toBe('2030-07-01T00:00:00.000Z');
    expect(await page.getByText(/^Scheduled for /).textContent()).toMatch(/\b(9|09)[:.]00\b/);
    await context.close();
  });
});
