import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { checkBothWidths } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// Two newsrooms on the fediverse, each a real server on 127.0.0.1 speaking
// ActivityPub to the other: each editor-in-chief makes the publication an
// actor on the Channels screen; B follows A by its address on the Fediverse
// screen and A accepts; an article A publishes goes to B through A's queue
// and shows under "From those you follow"; A sees B among its followers, and
// the article's editor shows its likes and boosts.

const PASSWORD = 'a fediverse password for the test';
const CHIEF_A = 'chief@lantern.example';
const CHIEF_B = 'chief@harbour.example';
const HEADLINE = 'Island ferry timetable changes from Monday';
const TEXT = 'The first crossing leaves at six, an hour earlier than in winter.';
const SHOTS = '.tmp/shots';

const SETTINGS = {
  // Lets the servers reach each other on the loopback address: tests only.
  MASTHEAD_FEDIVERSE_ALLOW_PRIVATE: 'true',
};

let a: RunningServer;
let b: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [a, b, browser] = await Promise.all([
    startServer('seed', SETTINGS, { isOwnPublicUrl: true }),
    startServer('seed', SETTINGS, { isOwnPublicUrl: true }),
    launchBrowser(),
    mkdir(SHOTS, { recursive: true }),
  ]);
  await addStaff(a, {
    email: CHIEF_A,
    name: 'Ana Chief',
    role: 'editor-in-chief',
    password: PASSWORD,
  });
  await addStaff(b, {
    email: CHIEF_B,
    name: 'Bo Chief',
    role: 'editor-in-chief',
    password: PASSWORD,
  });
});

afterAll(async () => {
  await browser?.close();
  await a?.stop();
  await b?.stop();
});

/** A browser of its own for each server: cookies do not tell ports apart. */
async function signIn(server: RunningServer, email: string): Promise<[BrowserContext, Page]> {
  // bypassCSP only so that axe-core can be injected; the app itself runs under the CSP.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
  });
  const page = await context.newPage();
  await signInToAdmin(page, server, email, PASSWORD);
  return [context, page];
}

async function openFediverse(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Newsroom' })
    .getByRole('link', { name: 'Fediverse' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Fediverse' }).waitFor();
}

/** The publication becomes an actor: a fediverse channel naming its handle. */
async function addFediverseChannel(page: Page, name: string, handle: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Newsroom' })
    .getByRole('link', { name: 'Channels' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
  await page.getByRole('radio', { name: 'The fediverse (Mastodon and others)' }).check();
  await page.getByLabel('Name, as staff will see it').fill(name);
  await page.getByLabel(/^Handle: the name before @/).fill(handle);
  await page.getByRole('button', { name: 'Add the channel' }).click();
  await page.getByText(`Added ${name}.`).waitFor();
}

describe('the fediverse in the newsroom app', () => {
  it('follows another newsroom, receives its article, and counts followers and reactions', async () => {
    const hostA = new URL(a.baseUrl).host;
    const hostB = new URL(b.baseUrl).host;
    const [contextA, pageA] = await signIn(a, CHIEF_A);
    const [contextB, pageB] = await signIn(b, CHIEF_B);

    // A: not on the fediverse yet, then an actor with the handle "news".
    await openFediverse(pageA);
    const notYet = pageA.getByText('The publication is not on the fediverse yet.');
    await notYet.waitFor();
    expect(
      await pageA.locator('.list-empty', { has: notYet }).getByRole('link').getAttribute('href'),
    ).toBe('#/channels');
    await addFediverseChannel(pageA, 'Lantern on the fediverse', 'news');
    await openFediverse(pageA);
    expect(await pageA.locator('.fediverse-handle-text').textContent()).toBe(`@news@${hostA}`);
    expect(await pageA.getByRole('heading', { name: /^Followers/ }).textContent()).toContain(
      '0 followers',
    );

    // B: an actor with the handle "desk", which follows A by its address.
    await addFediverseChannel(pageB, 'Harbour on the fediverse', 'desk');
    await openFediverse(pageB);
    expect(await pageB.locator('.fediverse-handle-text').textContent()).toBe(`@desk@${hostB}`);
    const follow = pageB.getByRole('form', { name: 'Follow another newsroom' });
    const address = follow.getByLabel('Handle or address');
    // An address where no one is: the server says so, and the field is marked.
    await address.fill(`${a.baseUrl}/ap/actors/nobody`);
    await follow.getByRole('button', { name: 'Follow' }).click();
    const error = follow.getByRole('alert');
    await expect.poll(() => error.textContent()).toContain('no fediverse account was found');
    expect(await address.getAttribute('aria-invalid')).toBe('true');

    const actorA = `${a.baseUrl}/ap/actors/news`;
    await address.fill(actorA);
    await follow.getByRole('button', { name: 'Follow' }).click();
    await pageB.getByText(`Asked to follow ${actorA}.`).waitFor();
    expect(await error.textContent()).toBe('');
    // A accepts at once; the screen reads itself again while it waits.
    const following = pageB.getByRole('region', { name: /^Following/ });
    const followed = following.locator('li', { has: pageB.locator(`a[href="${actorA}"]`) });
    await expect
      .poll(() => followed.locator('.status').textContent(), { timeout: 20_000 })
      .toBe('Following');
    expect(await followed.getByRole('link').textContent()).toBe('Lantern on the fediverse');
    expect(await following.getByRole('heading', { level: 2 }).textContent()).toContain('1 account');

    // A publishes an article; its fediverse channel is ticked, and A's queue sends it to B.
    await pageA.getByRole('link', { name: 'New article', exact: true }).first().click();
    await pageA.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
    await pageA.getByLabel('Headline', { exact: true }).fill(HEADLINE);
    await pageA.getByRole('textbox', { name: 'Article text' }).click();
    await pageA.keyboard.type(TEXT);
    await pageA.getByText(/^All changes saved at/).waitFor();
    await pageA.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = pageA.getByRole('dialog', { name: 'Publish this article?' });
    const pick = dialog.getByRole('checkbox', { name: /Lantern on the fediverse/ });
    await pick.waitFor();
    expect(await pick.isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await pageA.getByText('Published.').waitFor();
    const articlePath = (await pageA.locator('.article-state code').textContent()) ?? '';
    const editorUrl = pageA.url();
    const distribution = pageA.getByRole('region', { name: 'Distribution' });
    await expect
      .poll(() => distribution.textContent(), { timeout: 20_000 })
      .toMatch(/Lantern on the fediverse: Post sent/);

    // The article's likes, boosts and replies, for staff only.
    const reactions = pageA.getByRole('region', { name: 'Fediverse', exact: true });
    await expect.poll(() => reactions.textContent()).toContain('0 likes · 0 boosts');
    expect(await reactions.textContent()).toContain('Replies are shown only here, to staff.');
    await reactions.scrollIntoViewIfNeeded();
    await pageA.screenshot({ path: `${SHOTS}/fediverse-panel-1280.png` });

    // B: the article under "From those you follow", with a link to the original.
    const received = pageB.getByRole('region', { name: 'From those you follow' });
    const post = received.getByRole('article', { name: HEADLINE });
    await expect
      .poll(
        async () => {
          await received.getByRole('button', { name: 'Check for new posts' }).click();
          return await post.count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    expect(await post.locator('.received-content').textContent()).toContain(TEXT);
    expect(
      await post
        .getByRole('link', { name: `Read the original of “${HEADLINE}”` })
        .getAttribute('href'),
    ).toBe(`${a.baseUrl}${articlePath}`);
    const original = post.getByRole('link', { name: /^Read the original/ });
    expect(await original.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await post.textContent()).not.toContain('Deleted');
    await checkBothWidths(SHOTS, pageB, 'fediverse-following');

    // A: B among its followers.
    await openFediverse(pageA);
    const followers = pageA.getByRole('region', { name: /^Followers/ });
    await expect.poll(() => followers.getByRole('heading').textContent()).toContain('1 follower');
    const follower = followers.getByRole('link');
    expect(await follower.getAttribute('href')).toBe(`${b.baseUrl}/ap/actors/desk`);
    expect(await follower.getAttribute('rel')).toBe('noopener noreferrer');
    await checkBothWidths(SHOTS, pageA, 'fediverse-followed');

    // A unpublishes the article: its queue sends the deletion, and B marks the post deleted.
    await pageA.goto(editorUrl);
    await pageA.getByRole('button', { name: 'Unpublish', exact: true }).click();
    await pageA.getByText('Unpublished: readers no longer see it.').waitFor();
    await expect
      .poll(
        async () => {
          await received.getByRole('button', { name: 'Check for new posts' }).click();
          return await post.locator('.received-deleted').count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    expect(await post.textContent()).toContain('Its author deleted it');
    expect(await post.locator('.received-content').count()).toBe(0);
    expect(await post.getByRole('link', { name: /^Read the original/ }).count()).toBe(0);
    await pageB.setViewportSize({ width: 375, height: 900 });
    await post.screenshot({ path: `${SHOTS}/fediverse-deleted-375.png` });

    // On A, the editor-in-chief takes an account of their own, from the Account page.
    await pageA.goto(`${a.baseUrl}/admin/#/account`);
    const own = pageA.getByRole('region', { name: 'On the fediverse' });
    await own.getByLabel(/^Handle/).fill('ana');
    await own.getByRole('button', { name: 'Take this handle' }).click();
    await own.getByText(`People follow you as @ana@${new URL(a.baseUrl).host}`).waitFor();
    const person = await fetch(`${a.baseUrl}/ap/actors/ana`, {
      headers: { accept: 'application/activity+json' },
    });
    expect(((await person.json()) as { type: string }).type).toBe('Person');

    await contextA.close();
    await contextB.close();
  });
});
