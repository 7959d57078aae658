import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramStandIn, type TelegramStandIn } from '../test/telegram-standin.js';
import { launchBrowser } from './browser.js';
import { formatAxe, runAxe } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// The editor-in-chief adds a Telegram channel; an editor publishes an article
// and sees it go out there, in the publish dialog and the Distribution panel.
// The Bot API is a stand-in on 127.0.0.1 (MASTHEAD_TELEGRAM_API_URL).

const PASSWORD = 'a channels password for the test';
const CHIEF = 'chief@lantern.example';
const EDITOR = 'desk@lantern.example';
const TOKEN = '123456789:AAFakeTokenForTheStandInOnly_0123456789';
let server: RunningServer;
let browser: Browser;
let bot: TelegramStandIn;

beforeAll(async () => {
  bot = await startTelegramStandIn();
  [server, browser] = await Promise.all([
    startServer('sample', { MASTHEAD_TELEGRAM_API_URL: bot.url }),
    launchBrowser(),
  ]);
  await addStaff(server, {
    email: CHIEF,
    name: 'Ana Chief',
    role: 'editor-in-chief',
    password: PASSWORD,
  });
  await addStaff(server, { email: EDITOR, name: 'Dev Desk', role: 'editor', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await bot?.close();
});

describe('Telegram channels in the newsroom app', () => {
  it('adds a channel, posts an article there on publish and shows where it went', async () => {
    // bypassCSP only so that axe-core can be injected; the app itself runs under the CSP.
    const chief = await browser.newContext({
      viewport: { width: 375, height: 800 },
      bypassCSP: true,
    });
    const page = await chief.newPage();
    await signInToAdmin(page, server, CHIEF, PASSWORD);
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
    await page.getByLabel('Name, as staff will see it').fill('Lantern on Telegram');
    await page.getByLabel(/^Channel: its public name/).fill('@lantern_news');
    await page.getByLabel('Bot token, from @BotFather').fill(TOKEN);
    await page.getByLabel('Articles it takes').selectOption('en');
    await page.getByRole('button', { name: 'Add the channel' }).click();
    await page.getByText('Added Lantern on Telegram.').waitFor();
    await expect.poll(() => page.locator('.channel-list').textContent()).toContain('@lantern_news');
    // Never shown again, anywhere on the page.
    expect(await page.content()).not.toContain(TOKEN);
    const fits = await page.evaluate(
      () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
    );
    expect(fits).toBe(true);
    const results = await runAxe(page);
    expect(formatAxe('the channels page on a phone', results.violations)).toEqual([]);
    await page.screenshot({ path: '.tmp/channels-375.png', fullPage: true }).catch(() => undefined);
    await chief.close();

    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const editor = await desk.newPage();
    await signInToAdmin(editor, server, EDITOR, PASSWORD);
    await editor.getByRole('link', { name: 'New article', exact: true }).first().click();
    await editor.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
    await editor.getByLabel('Headline', { exact: true }).fill('Ferry fares rise by a fifth');
    await editor.getByRole('textbox', { name: 'Article text' }).click();
    await editor.keyboard.type('The crossing to the island costs a fifth more from May.');
    await editor.getByText(/^All changes saved at/).waitFor();
    await editor.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = editor.getByRole('dialog', { name: 'Publish this article?' });
    const pick = dialog.getByRole('checkbox', { name: /Lantern on Telegram/ });
    await pick.waitFor();
    expect(await pick.isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await editor.getByText('Published.').waitFor();

    // The server's queue sends it within seconds, and the panel says so.
    await expect.poll(() => bot.calls.length, { timeout: 15_000 }).toBe(1);
    expect(bot.calls[0]).toMatchObject({ method: 'sendMessage', token: TOKEN });
    expect(bot.calls[0]?.fields.chat_id).toBe('@lantern_news');
    expect(String(bot.calls[0]?.fields.text)).toContain('<b>Ferry fares rise by a fifth</b>');
    const panel = editor.getByRole('region', { name: 'Distribution' });
    await expect
      .poll(() => panel.textContent(), { timeout: 15_000 })
      .toMatch(/Lantern on Telegram: Post sent/);
    expect(await panel.getByRole('link', { name: 'View the post' }).getAttribute('href')).toBe(
      'https://t.me/lantern_news/1',
    );
    await editor
      .screenshot({ path: '.tmp/distribution-panel.png', fullPage: true })
      .catch(() => undefined);
    await desk.close();
  });
});
