import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { addStaff, type RunningServer, startServer } from './server.js';

// The newsroom app with the keyboard alone: no mouse click anywhere. Tab moves
// between controls, Enter and Space press them, typing fills them.

const PASSWORD = 'a keyboard password that is long';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, {
    email: 'keys@lantern.example',
    name: 'Kay Board',
    role: 'author',
    password: PASSWORD,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The accessible label of the focused element: its label text, aria-label or own text. */
async function focusedName(page: Page): Promise<string> {
  return await page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return '';
    const labels = (element as HTMLInputElement).labels;
    const labelled = (labels?.[0] ?? element.closest('label'))?.textContent ?? '';
    const byId = element.getAttribute('aria-labelledby');
    const ariaName = byId
      ? (document.getElementById(byId)?.textContent ?? '')
      : (element.getAttribute('aria-label') ?? '');
    return (ariaName || labelled || element.textContent || '').trim();
  });
}

/** Presses Tab until the focused control's name starts with `name` (at most 60 presses). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedName(page)).startsWith(name)) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

describe('the newsroom app from the keyboard alone', () => {
  it('signs in, writes a draft and publishes it without a mouse', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/admin/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to the newsroom' }).waitFor();
    await tabTo(page, 'E-mail');
    await page.keyboard.type('keys@lantern.example');
    await tabTo(page, 'Password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Newsroom' }).waitFor();

    await tabTo(page, 'New article');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
    await tabTo(page, 'Headline');
    await page.keyboard.type('Typed without a mouse');
    await tabTo(page, 'Section');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'Article text');
    await page.keyboard.type('Every control in the newsroom answers to the keyboard.');
    await page.keyboard.press('Control+s');
    await page.getByText(/^All changes saved at/).waitFor();

    await tabTo(page, 'Publish');
    await page.keyboard.press('Enter');
    // The confirmation takes the focus, on its first button.
    await page.getByRole('dialog', { name: 'Publish this article?' }).waitFor();
    expect(await focusedName(page)).toBe('Publish now');
    await page.keyboard.press('Enter');
    await page.getByText('Published.').waitFor();
    const url = (await page.locator('.article-state code').textContent()) ?? '';
    const reader = await (await fetch(`${server.baseUrl}${url}`)).text();
    expect(reader).toContain('Every control in the newsroom answers to the keyboard.');
    await page.close();
  });
});
