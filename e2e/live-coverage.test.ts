import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { formatAxe, runAxe } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// Live coverage in a real browser: a reader's page, open in Chromium, learns
// of an update an editor adds through the API and shows it at the top when
// the reader asks, without a reload (and without breaking the page's CSP);
// the editor's panel adds updates too, at phone width.

const PASSWORD = 'a live coverage password long enough';
const EDITOR = 'live@lantern.example';

let server: RunningServer;
let browser: Browser;
let headers: Record<string, string>;

async function call(method: string, path: string, body?: unknown) {
  // A JSON content type only with a body: the server refuses an empty JSON body.
  const { 'content-type': _type, ...bare } = headers;
  const response = await fetch(`${server.baseUrl}/api${path}`, {
    method,
    headers: body === undefined ? bare : headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : await response.json();
}

const paragraph = (text: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, { email: EDITOR, name: 'Liv Live', role: 'editor', password: PASSWORD });
  const session = await fetch(`${server.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EDITOR, password: PASSWORD }),
  });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function liveArticle(title: string): Promise<{ id: number; url: string }> {
  const created = await call('POST', '/articles', {
    title,
    section: 'news/politics',
    language: 'en',
    body: paragraph('The count begins tonight.'),
  });
  const published = await call('POST', `/articles/${created.id}/transitions/publish`);
  await call('POST', `/articles/${created.id}/live`);
  return { id: created.id, url: published.url };
}

describe('live coverage in the browser', () => {
  it('brings a new update to an open page without a reload, when the reader asks', async () => {
    const article = await liveArticle('Count night in the city');
    const first = await call('POST', `/articles/${article.id}/entries`, {
      title: 'Polls closed',
      body: paragraph('Every station has closed.'),
      isKeyEvent: true,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const thirdParty: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.baseUrl)) thirdParty.push(request.url());
    });
    await page.goto(`${server.baseUrl}${article.url}`);
    await expect.poll(() => page.locator('.live-badge').textContent()).toBe('Live');
    await expect
      .poll(() => page.locator(`#entry-${first.id} h3`).textContent())
      .toBe('Polls closed');
    // Where the reader is: nothing moves until they ask.
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true;
    });

    const second = await call('POST', `/articles/${article.id}/entries`, {
      title: 'First results',
      body: paragraph('The first district has counted.'),
    });
    // The page asks every 25 seconds, and at once when the tab is shown again.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const button = page.getByRole('button', { name: 'Show 1 new update' });
    await button.waitFor({ timeout: 30_000 });
    expect(await page.locator(`#entry-${second.id}`).count()).toBe(0);
    await button.click();
    await expect
      .poll(() => page.locator('.live-entries article').evaluateAll((all) => all.map((a) => a.id)))
      .toEqual([`entry-${second.id}`, `entry-${first.id}`]);
    expect(await page.locator(`#entry-${second.id} h3`).textContent()).toBe('First results');
    // Focus moves to the new update, the button goes away, and it was not a reload.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`entry-${second.id}`);
    expect(await button.count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(
      true,
    );

    expect(problems).toEqual([]);
    expect(thirdParty).toEqual([]);
    await context.close();
  });

  it('passes axe with the updates on the page, at phone width', async () => {
    const article = await liveArticle('Storm over the harbour');
    await call('POST', `/articles/${article.id}/entries`, {
      title: 'Ferries stopped',
      body: paragraph('No ferry leaves before morning.'),
      isKeyEvent: true,
      isPinned: true,
    });
    await call('POST', `/articles/${article.id}/entries`, { body: paragraph('Wind at 90 km/h.') });
    const context = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 375, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}${article.url}`);
    const results = await runAxe(page);
    expect(formatAxe('live article', results.violations)).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('lets an editor start coverage and add an update from the article editor', async () => {
    const created = await call('POST', '/articles', {
      title: 'Council budget vote',
      section: 'news/politics',
      language: 'en',
      body: paragraph('The council votes on the budget.'),
    });
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    await page.goto(`${server.baseUrl}/admin/#/articles/${created.id}`);
    const panel = page.getByRole('region', { name: 'Live coverage' });
    await panel.getByRole('button', { name: 'Start live coverage' }).click();
    await panel.getByText('Live coverage started.').waitFor();
    await panel.getByLabel('Title (optional)').fill('Debate opens');
    await panel.getByRole('textbox', { name: 'Update text' }).click();
    await page.keyboard.type('The mayor opens the debate.');
    await panel.getByRole('button', { name: 'Publish update' }).click();
    await panel.getByText('Update published.').waitFor();
    await panel.getByRole('heading', { name: 'Debate opens' }).waitFor();
    const listed = await call('GET', `/articles/${created.id}/entries`);
    expect(listed.entries[0]).toMatchObject({
      title: 'Debate opens',
      author: { name: 'Liv Live' },
    });
    // A colleague's update appears in the panel within its refresh.
    await call('POST', `/articles/${created.id}/entries`, {
      title: 'Vote called',
      body: paragraph('The vote is called.'),
    });
    await panel.getByRole('heading', { name: 'Vote called' }).waitFor({ timeout: 15_000 });
    // Ending asks first.
    await panel.getByRole('button', { name: 'End live coverage' }).click();
    await panel.getByRole('button', { name: 'End coverage' }).click();
    await panel.getByText(/^Live coverage ended/).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
