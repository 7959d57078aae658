import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { formatAxe, runAxe } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// Writing as in the editors reporters know: blocks from "/" and from the +
// on an empty line, Ctrl+K for a link, and on a phone the text first with
// publishing and settings one tap away.

const PASSWORD = 'a writing desk password long enough';
const EDITOR = 'writer@lantern.example';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, { email: EDITOR, name: 'Wil Writer', role: 'editor', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const body = (page: Page) => page.getByRole('textbox', { name: 'Article text' });

async function newArticle(viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport, bypassCSP: true });
  const page = await context.newPage();
  await signInToAdmin(page, server, EDITOR, PASSWORD);
  await page.getByRole('link', { name: 'New article', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
  return { context, page };
}

describe('writing in the editor', () => {
  it('inserts blocks from the / menu and the + button, and links with Ctrl+K', async () => {
    const { context, page } = await newArticle({ width: 1280, height: 900 });
    await body(page).click();
    await page.keyboard.type('The port reopened on Friday.');
    await page.keyboard.press('Enter');

    // "/" and a word: the menu narrows to what matches, Enter inserts it.
    await page.keyboard.type('/sub');
    const menu = page.getByRole('listbox', { name: 'Insert a block' });
    expect(await menu.getByRole('option').allTextContents()).toEqual(['Subheading']);
    await page.getByRole('status').filter({ hasText: '1 block matches' }).waitFor();
    await checkAxe(page, 'the / menu');
    await page.keyboard.press('Enter');
    await page.keyboard.type('What changes');
    expect(await body(page).locator('h3').textContent()).toBe('What changes');
    expect(await menu.count()).toBe(0);

    // Arrows move through the list; Escape closes it and leaves the text as typed.
    // The text, which keeps the focus, points screen readers at the active block.
    await page.keyboard.press('Enter');
    await page.keyboard.type('/');
    expect(await menu.getByRole('option').count()).toBeGreaterThan(5);
    const menuId = await menu.getAttribute('id');
    expect(menuId).toBeTruthy();
    const combobox = async () => ({
      focused: await body(page).evaluate((element) => element === document.activeElement),
      controls: await body(page).getAttribute('aria-controls'),
      autocomplete: await body(page).getAttribute('aria-autocomplete'),
      active: await body(page).evaluate((element) => {
        const id = element.getAttribute('aria-activedescendant');
        const option = id ? document.getElementById(id) : null;
        return (
          option && {
            text: option.textContent,
            role: option.getAttribute('role'),
            selected: option.getAttribute('aria-selected'),
          }
        );
      }),
      selected: await menu.locator('[aria-selected="true"]').allTextContents(),
    });
    expect(await combobox()).toEqual({
      focused: true,
      controls: menuId,
      autocomplete: 'list',
      active: { text: 'Heading', role: 'option', selected: 'true' },
      selected: ['Heading'],
    });
    await page.keyboard.press('ArrowDown');
    await expect.poll(combobox).toEqual({
      focused: true,
      controls: menuId,
      autocomplete: 'list',
      active: { text: 'Subheading', role: 'option', selected: 'true' },
      selected: ['Subheading'],
    });
    await page.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);
    await expect.poll(combobox).toEqual({
      focused: true,
      controls: null,
      autocomplete: null,
      active: null,
      selected: [],
    });
    await page.keyboard.press('Backspace');

    // The + on the empty line opens the same blocks, with the focus in the list:
    // arrows move, Escape goes back to the text, Enter inserts.
    const plus = page.getByRole('button', { name: 'Insert a block here' });
    const focusedActive = () =>
      page.evaluate(() => {
        const focused = document.activeElement;
        const id = focused?.getAttribute('aria-activedescendant');
        return {
          role: focused?.getAttribute('role'),
          active: id && document.getElementById(id)?.textContent,
        };
      });
    await plus.click();
    await expect.poll(focusedActive).toEqual({ role: 'listbox', active: 'Heading' });
    await page.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);
    await expect.poll(focusedActive).toEqual({ role: 'textbox', active: null });
    await plus.click();
    await expect.poll(focusedActive).toEqual({ role: 'listbox', active: 'Heading' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedActive).toEqual({ role: 'listbox', active: 'Bulleted list' });
    await page.keyboard.press('Enter');
    await page.keyboard.type('Ferries every hour');
    expect(await body(page).locator('ul > li').allTextContents()).toEqual(['Ferries every hour']);
    // And with the mouse.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await plus.click();
    await menu.getByRole('option', { name: 'Divider' }).click();
    expect(await body(page).locator('hr').count()).toBe(1);

    // Ctrl+K on a selected word asks for the address; Enter applies it.
    await body(page).locator('p').first().selectText();
    await expect
      .poll(() => page.evaluate(() => String(getSelection())))
      .toBe('The port reopened on Friday.');
    await page.keyboard.press('Control+k');
    const address = page.getByLabel('Link address (empty to remove the link)');
    await expect
      .poll(() => address.evaluate((input) => input === document.activeElement))
      .toBe(true);
    await address.fill('https://port.example/notice');
    await page.keyboard.press('Enter');
    expect(await body(page).locator('a').getAttribute('href')).toBe('https://port.example/notice');
    await page.getByText(/^All changes saved at/).waitFor();
    await context.close();
  });

  it('puts the text first on a phone, with publishing and settings in a drawer', async () => {
    const { context, page } = await newArticle({ width: 375, height: 740 });
    const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    await page.getByLabel('Headline', { exact: true }).fill('Night buses return to the old town');
    await body(page).click();
    await page.keyboard.type('From Monday, three night routes run again.');
    await page.getByText(/^All changes saved at/).waitFor();
    // The settings are not in the way of the text until asked for.
    expect(await page.getByLabel('Section').isVisible()).toBe(false);
    const toggle = page.getByRole('button', { name: 'Publishing and settings' });
    expect(await toggle.isVisible()).toBe(true);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    // The focus goes into the drawer, and the text behind it is out of the keyboard's reach.
    await expect.poll(focused).toBe('Back to the text');
    expect(await page.locator('form.article-form').getAttribute('inert')).not.toBeNull();
    const drawer = page.getByRole('complementary', { name: 'Publishing and settings' });
    // Publish sits at the top of the drawer, on its first screen.
    const publish = drawer.getByRole('button', { name: 'Publish', exact: true });
    const box = await publish.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(740);
    await drawer.getByLabel('Section').selectOption('news/politics');
    expect(await scrollWidth()).toBeLessThanOrEqual(375);
    await checkAxe(page, 'the editor’s drawer on a phone');
    await drawer.getByRole('button', { name: 'Back to the text' }).click();
    expect(await drawer.isVisible()).toBe(false);
    await expect.poll(focused).toBe('Publishing and settings');
    expect(await scrollWidth()).toBeLessThanOrEqual(375);
    await checkAxe(page, 'the editor on a phone');
    await context.close();
  });
});

async function checkAxe(page: Page, label: string): Promise<void> {
  const results = await runAxe(page);
  expect(formatAxe(label, results.violations)).toEqual([]);
}
