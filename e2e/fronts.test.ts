import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { checkBothWidths } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// An editor arranges the fronts as a desk does: pins the ferry strike as the
// lead, drags a story into another slot, moves blocks, adds a breaking-news
// banner, previews, saves, and finds the home page, a section front and the
// Russian front changed at once.

const PASSWORD = 'a fronts password for the test';
const EDITOR = 'fronts@lantern.example';
const SHOTS = '.tmp/shots';
const FERRY = 'Ferry strike leaves three island villages short of fuel and medicine';
const COUNCIL = 'Velmora council agrees to publish every contract it signs';
const RUSSIAN = 'Вельмора будет публиковать все муниципальные контракты';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer('sample'),
    launchBrowser(),
    mkdir(SHOTS, { recursive: true }),
  ]);
  await addStaff(server, {
    email: EDITOR,
    name: 'Fran Fronts',
    role: 'editor',
    password: PASSWORD,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * The headline a reader page leads with, as a reader arriving now sees it (a
 * browser that had the page may keep it for a minute: max-age=60).
 */
async function leadOf(page: Page, path: string): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto(`${server.baseUrl}${path}`);
  await cdp.detach();
  return (await page.locator('.front-lead .teaser-title').first().textContent()) ?? '';
}

async function pin(page: Page, slot: string, words: string, title: string): Promise<void> {
  const search = page.getByRole('combobox', { name: `Pin an article in ${slot}` });
  await search.fill(words);
  await page.getByRole('option', { name: title }).first().waitFor();
  await search.press('ArrowDown');
  await search.press('Enter');
}

describe('front pages in the newsroom app', () => {
  it('arranges the home page, a section front and the Russian front, live at once', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    const reader = await (await browser.newContext()).newPage();
    // Before: the newest story leads, automatically.
    expect(await leadOf(reader, '/')).not.toBe(FERRY);

    await signInToAdmin(page, server, EDITOR, PASSWORD);
    await page.getByRole('link', { name: 'Front pages' }).click();
    await page.getByRole('heading', { level: 1, name: 'Front pages' }).waitFor();
    await checkBothWidths(SHOTS, page, 'fronts-screen');

    // Pin the ferry strike as the lead story.
    await pin(page, 'slot 1 of Lead story', 'ferry', FERRY);
    await page.getByText(`Pinned ${FERRY}`).first().waitFor();

    // Drag the council story's slot onto the first secondary slot: they swap.
    await pin(page, 'slot 2 of Secondary stories', 'council', COUNCIL);
    const slots = page.locator('.front-slot');
    const second = slots
      .filter({ has: page.locator('.front-pinned') })
      .filter({ hasText: COUNCIL });
    await second.locator('.front-handle').dragTo(slots.nth(1).locator('.front-slot-body'));
    await expect.poll(async () => (await slots.nth(1).textContent()) ?? '').toContain(COUNCIL);

    // A breaking-news banner, moved to the top with the keyboard-friendly buttons.
    await page.getByLabel('Add block').selectOption('banner');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Text').last().fill('The Saaremund ferry is running again');
    const moveUp = page.getByRole('button', { name: /^Move up Banner/ });
    while (await moveUp.isEnabled()) await moveUp.click();

    // The preview shows it before anything is saved.
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.frameLocator('iframe');
    await preview.locator('.front-banner').waitFor();
    await expect
      .poll(async () => preview.locator('.front-lead .teaser-title').textContent())
      .toBe(FERRY);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await leadOf(reader, '/')).not.toBe(FERRY);

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('live on the site now').waitFor();
    // Live at once: the home page leads with the ferry strike under the banner.
    expect(await leadOf(reader, '/')).toBe(FERRY);
    expect(await reader.locator('.front > :first-child').textContent()).toContain(
      'The Saaremund ferry is running again',
    );
    expect(await reader.locator('.front-secondary .teaser-title').first().textContent()).toBe(
      COUNCIL,
    );
    await reader.screenshot({ path: `${SHOTS}/front-home-1280.png`, fullPage: true });

    // The Russian front is its own: arranged separately, shown at /ru.
    await page.getByLabel('Language').selectOption('ru');
    await pin(page, 'slot 1 of Lead story', 'Вельмора', RUSSIAN);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('live on the site now').waitFor();
    expect(await leadOf(reader, '/ru')).toBe(RUSSIAN);
    expect(await reader.locator('.front-banner').count()).toBe(0);

    // A section front: the council story leads News.
    await page.getByLabel('Language').selectOption('en');
    await page.getByLabel('Front').selectOption('news');
    await pin(page, 'slot 1 of Lead story', 'council', COUNCIL);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('live on the site now').waitFor();
    expect(await leadOf(reader, '/news')).toBe(COUNCIL);
    await reader.setViewportSize({ width: 375, height: 800 });
    expect(await leadOf(reader, '/')).toBe(FERRY);
    await reader.screenshot({ path: `${SHOTS}/front-home-375.png`, fullPage: true });
    await context.close();
  });
});
