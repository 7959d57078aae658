import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { expectUploadPreview, formatAxe, runAxe } from './checks.js';
import { REPO_ROOT, type RunningServer, signInToAdmin, startServer } from './server.js';

// The newsroom's journey in a real Chromium against the real server: the
// editor-in-chief invites a contributor, who writes an article with a quote and
// a credited lead photo and submits it; an editor changes the headline and
// publishes it; readers see it; the editor corrects it in public.

const PASSWORD = 'a newsroom password that is long';
const CHIEF = 'chief@lantern.example';
const EDITOR = 'editor@lantern.example';
const CONTRIBUTOR = 'cy@lantern.example';
const FIRST_HEADLINE = 'Harbour authority quietly raises mooring fees';
const NEW_HEADLINE = 'Harbour authority raises mooring fees by a third';

let server: RunningServer;
let browser: Browser;
let workDir: string;
let photo: string;
const axeFindings: string[] = [];

function cli(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'masthead.js'), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, MASTHEAD_DATA: server.dataDir, LOG_LEVEL: 'warn' } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input ?? '');
  });
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP only so that axe-core can be injected; the app itself runs under the CSP.
  const context = await browser.newContext({ bypassCSP: true });
  return { context, page: await context.newPage() };
}

async function checkAxe(page: Page, label: string): Promise<void> {
  const results = await runAxe(page);
  axeFindings.push(...formatAxe(label, results.violations));
}

/**
 * Waits for the editor to show the article's state; a failed save fails the
 * test at once with what the editor said, rather than after a time-out.
 */
async function waitForArticleState(page: Page, text: string): Promise<void> {
  const state = page.locator('.article-state', { hasText: text });
  const failed = page.getByRole('status').filter({ hasText: /^Not saved/ });
  try {
    await state.or(failed).first().waitFor();
  } catch (error) {
    const said = await page.getByRole('status').allTextContents();
    // A field the browser finds invalid stops the form without a word from the app.
    const invalid = await page.$$eval('form :invalid', (fields) =>
      fields.map((field) => field.outerHTML.slice(0, 200)),
    );
    throw new Error(
      `no "${text}" in the article state; the editor says: ${said.join(' | ')}; invalid fields: ${invalid.join(' | ') || 'none'}`,
      { cause: error },
    );
  }
  if ((await failed.count()) > 0) throw new Error(`the save failed: ${await failed.textContent()}`);
}

/** The app's screens besides the editor and staff, by route and heading. */
const OTHER_SCREENS = [
  ['#/desk', 'Your desk'],
  ['#/articles', 'Articles'],
  ['#/media', 'Photos'],
  ['#/site', 'Sections and pages'],
  ['#/mirrors', 'Mirrors'],
  ['#/settings', 'Settings'],
  ['#/audit', 'Audit log'],
  ['#/account', 'Your account'],
] as const;

/** Signs in and opens the article list (the app opens on the person's desk; the list is one click away). */
async function signIn(page: Page, email: string): Promise<void> {
  await signInToAdmin(page, server, email, PASSWORD);
  await page.getByRole('heading', { level: 1, name: 'Your desk' }).waitFor();
  await page.getByRole('link', { name: 'Articles', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Articles' }).waitFor();
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  workDir = await mkdtemp(join(tmpdir(), 'masthead-journey-'));
  photo = join(workDir, 'harbour.png');
  await sharp({
    create: { width: 1200, height: 800, channels: 3, background: { r: 40, g: 90, b: 140 } },
  })
    .png()
    .toFile(photo);
  await cli(
    [
      'user',
      'add',
      '--email',
      CHIEF,
      '--name',
      'Mira Chief',
      '--role',
      'editor-in-chief',
      '--password-stdin',
    ],
    PASSWORD,
  );
  await cli(
    [
      'user',
      'add',
      '--email',
      EDITOR,
      '--name',
      'Jonas Desk',
      '--role',
      'editor',
      '--password-stdin',
    ],
    PASSWORD,
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the newsroom journey', () => {
  let passwordLink = '';
  let articleUrl = '';

  it('lets the editor-in-chief invite a contributor, with a one-time password link', async () => {
    const { context, page } = await newPage();
    await page.goto(`${server.baseUrl}/admin/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to the newsroom' }).waitFor();
    await checkAxe(page, 'sign-in page');
    await signIn(page, CHIEF);
    await page.getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('heading', { name: 'Add a staff member' }).waitFor();
    await page.getByLabel('Name').fill('Cy Contributor');
    await page.getByLabel('E-mail').fill(CONTRIBUTOR);
    await page.getByLabel(/^Role(?! of)/).selectOption('contributor');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    passwordLink = (await page.locator('code.password-link').textContent()) ?? '';
    expect(passwordLink).toMatch(/\/admin\/#\/set-password\/[\w-]{40,}$/);
    await checkAxe(page, 'staff page');
    await context.close();
  });

  it('lets the contributor set a password, write an article with a quote and a credited photo, and submit it', async () => {
    const { context, page } = await newPage();
    await page.goto(passwordLink.replace(/^https?:\/\/[^/]+/, server.baseUrl));
    await page.getByLabel('New password (at least 12 characters)').fill(PASSWORD);
    await page.getByLabel('The same password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is set.').waitFor();

    await signIn(page, CONTRIBUTOR);
    await page.getByRole('link', { name: 'New article', exact: true }).first().click();
    // The list page stays until the route changes, and its "Search headlines"
    // field answers to "Headline" too: wait for the editor, and name the field exactly.
    await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
    await page.getByLabel('Headline', { exact: true }).fill(FIRST_HEADLINE);
    await page
      .getByLabel('Standfirst', { exact: true })
      .fill('Boat owners learned of the rise from a notice pinned to the harbour office door.');
    await page.getByLabel('Section').selectOption('news/politics');
    const body = page.getByRole('textbox', { name: 'Article text' });
    await body.click();
    await page.keyboard.type(
      'The harbour authority raised mooring fees on Monday without a public hearing.',
    );
    await page.keyboard.press('Enter');
    await page.keyboard.type('We found out from a piece of paper on a door.');
    await page.getByRole('button', { name: 'Quote with speaker' }).click();
    await page.getByLabel('Speaker').fill('Liis Tamm, boat owner');
    await page.getByLabel('Source (optional)', { exact: true }).fill('interview with The Lantern');
    await page.getByRole('button', { name: 'Make a quote' }).click();

    await page.getByLabel('Upload a new lead photo').setInputFiles(photo);
    const describe = page.getByRole('dialog', { name: 'Lead photo' });
    // The photo is shown from memory while it is described (the page allows blob: images).
    await expectUploadPreview(describe);
    await describe.getByLabel(/^Alt text/).fill('Moored fishing boats in a calm harbour at dusk.');
    await describe
      .getByLabel('Caption', { exact: true })
      .fill('The northern harbour, where most of the fleet is moored.');
    await describe.getByLabel(/^Credit, as printed/).fill('Lantern Wire / Cy Contributor');
    await describe.getByRole('button', { name: 'Upload and use' }).click();
    await page.getByText('Lead photo: Lantern Wire / Cy Contributor').waitFor();
    expect(await describe.count()).toBe(0);
    await checkAxe(page, 'editor (new article)');

    // There is no "Create draft" step: the article was stored as it was typed.
    await page.getByText(/^All changes saved at/).waitFor();
    await waitForArticleState(page, 'Draft');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Submitted for review.').waitFor();
    expect(await page.locator('.article-state .status').textContent()).toBe('In review');
    // A contributor cannot publish: the button is not offered.
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
    await context.close();
  });

  it('lets an editor change the headline and publish; readers then see it on the home and section pages', async () => {
    const { context, page } = await newPage();
    await signIn(page, EDITOR);
    await page.getByLabel('Status').selectOption('in_review');
    await page.getByRole('link', { name: FIRST_HEADLINE }).click();
    await page.locator('.article-state').waitFor();
    await page.getByLabel('Headline', { exact: true }).fill(NEW_HEADLINE);
    await page.getByRole('button', { name: 'Save now' }).click();
    await page.getByText(/^All changes saved at/).waitFor();
    await checkAxe(page, 'editor (existing article)');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    // Publishing asks once, showing what goes out.
    const confirm = page.getByRole('dialog', { name: 'Publish this article?' });
    expect(await confirm.textContent()).toContain(NEW_HEADLINE);
    expect(await confirm.textContent()).toContain('credit: Lantern Wire / Cy Contributor');
    await checkAxe(page, 'publish confirmation');
    await confirm.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published.').waitFor();
    articleUrl = (await page.locator('.article-state code').textContent()) ?? '';
    // Until first published, the address follows the headline.
    expect(articleUrl).toBe('/news/politics/harbour-authority-raises-mooring-fees-by-a-third');

    const reader = await browser.newContext({ javaScriptEnabled: false });
    const readerPage = await reader.newPage();
    for (const path of ['/', '/news/politics']) {
      await readerPage.goto(`${server.baseUrl}${path}`);
      expect(await readerPage.getByRole('link', { name: NEW_HEADLINE }).getAttribute('href')).toBe(
        articleUrl,
      );
    }
    await readerPage.goto(`${server.baseUrl}${articleUrl}`);
    expect(await readerPage.locator('h1').textContent()).toBe(NEW_HEADLINE);
    expect(await readerPage.locator('figure.quote figcaption').textContent()).toBe(
      '— Liis Tamm, boat owner, interview with The Lantern',
    );
    expect(await readerPage.locator('figure.lead .credit').textContent()).toBe(
      'Photo: Lantern Wire / Cy Contributor',
    );
    expect(
      await readerPage
        .locator('figure.lead img')
        .evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await readerPage.locator('.article-meta .byline').textContent()).toBe(
      'By Cy Contributor',
    );
    await reader.close();
    await context.close();
  });

  it('lets the editor publish a correction, shown on the article and on /corrections', async () => {
    const { context, page } = await newPage();
    await signIn(page, EDITOR);
    await page.getByRole('link', { name: NEW_HEADLINE }).click();
    await page.getByLabel('Kind of correction').selectOption('correction');
    await page
      .getByLabel('Correction text, as readers will see it')
      .fill('An earlier version said the notice was posted online.');
    await page.getByRole('button', { name: 'Add a correction' }).click();
    await page.getByText('The correction is published.').waitFor();
    await context.close();

    const reader = await browser.newContext({ javaScriptEnabled: false });
    const readerPage = await reader.newPage();
    await readerPage.goto(`${server.baseUrl}${articleUrl}`);
    expect(await readerPage.locator('.corrections').textContent()).toContain(
      'An earlier version said the notice was posted online.',
    );
    await readerPage.goto(`${server.baseUrl}/corrections`);
    expect(await readerPage.getByRole('link', { name: NEW_HEADLINE }).getAttribute('href')).toBe(
      articleUrl,
    );
    await reader.close();
  });

  it('lets the editor correct the photo credit part by part, shown on the article at once', async () => {
    const { context, page } = await newPage();
    await signIn(page, EDITOR);
    await page.goto(`${server.baseUrl}/admin/#/media`);
    await page.getByRole('heading', { level: 1, name: 'Photos' }).waitFor();
    await page.getByLabel('Search captions, credits and photographers').fill('Cy Contributor');
    const photoForm = page.getByRole('form', { name: /^Photo \d+$/ });
    await expect.poll(() => photoForm.count()).toBe(1);
    const chain = photoForm.getByRole('group', { name: /^Credit of photo/ });
    // The typed line took its roles from the places the upload form's label names.
    expect(await chain.getByLabel('Role of part 1').inputValue()).toBe('agency');
    expect(await chain.getByLabel('Role of part 2').inputValue()).toBe('photographer');
    // A pool credit is added and moved last.
    await chain.getByRole('button', { name: 'Add a credit part' }).click();
    await chain.getByLabel('Name of part 3').fill('Harbour Pool');
    await chain.getByLabel('Role of part 3').selectOption('pool');
    await chain.getByRole('button', { name: 'Move part 3 up' }).click();
    await chain.getByRole('button', { name: 'Move part 2 down' }).click();
    expect(await chain.getByText(/^Printed as:/).textContent()).toBe(
      'Printed as: Lantern Wire / Cy Contributor / Harbour Pool',
    );
    await checkAxe(page, 'Photos screen with the credit editor in use');
    await photoForm.getByRole('button', { name: /^Save photo/ }).click();
    await photoForm.getByText(/^Saved:/).waitFor();
    await context.close();

    const reader = await browser.newContext({ javaScriptEnabled: false });
    const readerPage = await reader.newPage();
    await readerPage.goto(`${server.baseUrl}${articleUrl}`);
    expect(await readerPage.locator('figure.lead .credit').textContent()).toBe(
      'Photo: Lantern Wire / Cy Contributor / Harbour Pool',
    );
    await reader.close();

    // The photographer filter now knows Cy by role.
    const { context: again, page: library } = await newPage();
    await signIn(library, EDITOR);
    await library.goto(`${server.baseUrl}/admin/#/media`);
    await library.getByLabel('Photographer', { exact: true }).fill('Cy Contributor');
    await expect.poll(() => library.getByRole('form', { name: /^Photo \d+$/ }).count()).toBe(1);
    await again.close();
  });

  it('lets an editor list a mirror and an onion service, shown to readers at once', async () => {
    const { context, page } = await newPage();
    await signIn(page, EDITOR);
    await page.getByRole('link', { name: 'Mirrors' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mirrors' }).waitFor();
    await page.getByRole('button', { name: 'Add an address' }).click();
    await page.getByLabel('Address 1').fill('https://lantern-copy.example.net/');
    await page.getByLabel('Note for readers (optional)').fill('Cloud copy, Europe');
    await page.getByRole('button', { name: 'Add an address' }).click();
    await page.getByLabel('Address 2').fill('ftp://files.example/lantern/');
    await page.getByRole('button', { name: 'Save the list' }).click();
    await page.getByText(/^Not saved: .*mirrors\.1\.url/).waitFor();
    await page
      .getByLabel('Address 2')
      .fill('http://lanternxyzabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop.onion/');
    await page.getByRole('button', { name: 'Save the list' }).click();
    await page.getByText('Saved: 2 addresses, published at /mirrors.').waitFor();

    const reader = await browser.newContext();
    const readerPage = await reader.newPage();
    const answer = await readerPage.goto(`${server.baseUrl}/mirrors`);
    expect(await readerPage.locator('.mirror-list').textContent()).toContain(
      'https://lantern-copy.example.net/ — Cloud copy, Europe',
    );
    expect(answer?.headers()['onion-location']).toBe(
      'http://lanternxyzabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop.onion/mirrors',
    );
    await reader.close();
    await context.close();
  });

  it('keeps every other screen of the app free of accessibility violations', async () => {
    const { context, page } = await newPage();
    await signIn(page, CHIEF);
    for (const [route, heading] of OTHER_SCREENS) {
      await page.goto(`${server.baseUrl}/admin/${route}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      await checkAxe(page, `${heading} screen`);
    }
    await context.close();
  });

  it('fits every screen of the app on a 375 px phone, with no sideways scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    const overflow = async (label: string) => {
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      return width > 375 ? [`${label}: ${width} px wide`] : [];
    };
    await page.goto(`${server.baseUrl}/admin/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const wide = await overflow('sign-in');
    await signIn(page, CHIEF);
    for (const [route, heading] of [
      ['#/articles/new', 'New article'],
      ['#/users', 'Staff'],
      ...OTHER_SCREENS,
    ] as const) {
      await page.goto(`${server.baseUrl}/admin/${route}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      wide.push(...(await overflow(heading)));
    }
    // An article with everything on it: the editor, and its drawer opened.
    await page.goto(`${server.baseUrl}/admin/#/articles`);
    await page.getByRole('link', { name: NEW_HEADLINE }).first().click();
    await page.locator('.article-state').waitFor();
    wide.push(...(await overflow('editor')));
    await page.getByRole('button', { name: 'Publishing and settings' }).click();
    wide.push(...(await overflow('editor with its drawer open')));
    expect(wide).toEqual([]);
    await context.close();
  });

  it('found no accessibility violations in the newsroom app on the way', () => {
    expect(axeFindings).toEqual([]);
  });
});
