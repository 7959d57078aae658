import type { Browser, BrowserContext, Page, Request, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { type RunningServer, SEED_ARTICLE_PATH, startServer } from './server.js';

// A reader's journey through the imported seed article in a real Chromium,
// against the real `masthead serve`.

const HEADLINE =
  'Azerbaijan’s Aliyev accuses Russian forces of deliberately targeting his country’s embassy in Kyiv';
const CAPTION =
  'Azerbaijani President Ilham Aliyev meets with Vladimir Putin in Dushanbe, Tajikistan, 9 October 2025.';
const CREDIT = 'Photo: EPA / Grigory Sysoev / Sputnik / Kremlin';
const THIRD_PARAGRAPH_START = '“There have been three strikes';
const DATETIME = '2026-02-15T12:00:00.000Z';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The article's own absolute URL, as the site states it (`<link rel=canonical>`). */
let articleUrl: string;
const requests: Request[] = [];
const responses: Response[] = [];
/** Console errors and uncaught exceptions (a CSP violation or a failed asset shows here). */
const consoleErrors: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('seed'), launchBrowser()]);
  context = await browser.newContext();
  page = await context.newPage();
  page.on('request', (request) => requests.push(request));
  page.on('response', (response) => responses.push(response));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push(`${message.text()} (${message.location().url || 'no location'})`);
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  const response = await page.goto(`${server.baseUrl}${SEED_ARTICLE_PATH}`, {
    waitUntil: 'networkidle',
  });
  if (response?.status() !== 200) {
    throw new Error(`the article answered ${response?.status()}, expected 200`);
  }
  const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
  if (!canonical) throw new Error('the article page has no <link rel="canonical" href>');
  articleUrl = canonical;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh page in the default (JavaScript on) context, opened at `path`. */
async function openPage(path: string): Promise<{ page: Page; status: number | undefined }> {
  const fresh = await context.newPage();
  const response = await fresh.goto(`${server.baseUrl}${path}`);
  return { page: fresh, status: response?.status() };
}

/** The page's text as a reader sees it (rendered: hidden parts left out, blocks separated). */
async function renderedText(target: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is under test
  return await target.locator('body').innerText();
}

describe('the seed article page', () => {
  it('states its own address as an absolute URL for this article', () => {
    const url = new URL(articleUrl);
    expect(url.protocol).toBe('http:');
    expect(url.port).toBe(String(server.port));
    expect(url.pathname).toBe(SEED_ARTICLE_PATH);
  });

  it('shows breadcrumbs News › Politics, in that order', async () => {
    const breadcrumbs = page.locator('nav.breadcrumbs[aria-label]');
    expect(await breadcrumbs.count()).toBe(1);
    expect((await breadcrumbs.getAttribute('aria-label'))?.trim()).not.toBe('');
    const links = await breadcrumbs
      .locator('a')
      .evaluateAll((anchors) =>
        anchors.map((a) => ({ text: a.textContent?.trim(), href: a.getAttribute('href') })),
      );
    expect(links).toEqual([
      { text: 'News', href: '/news' },
      { text: 'Politics', href: '/news/politics' },
    ]);
  });

  it('has the exact headline, typographic apostrophes included', async () => {
    const headings = page.locator('h1');
    expect(await headings.count()).toBe(1);
    expect(await headings.textContent()).toBe(HEADLINE);
  });

  it('has a machine-readable publication date', async () => {
    expect(await page.locator(`time[datetime="${DATETIME}"]`).count()).toBe(1);
  });

  it('shows the lead caption once and the credit, with no image and no broken image', async () => {
    const figcaption = page.locator('main figure.lead figcaption');
    expect(await figcaption.count()).toBe(1);
    const captionText = (await figcaption.textContent()) ?? '';
    expect(captionText).toContain(CAPTION);
    expect(captionText).toContain(CREDIT);
    const bodyText = await renderedText(page);
    expect(bodyText.split(CAPTION).length - 1).toBe(1);
    // The seed carries no image file: the figure has no <img> at all.
    expect(await page.locator('figure.lead img').count()).toBe(0);
    const images = await page
      .locator('img')
      .evaluateAll((imgs) =>
        (imgs as HTMLImageElement[]).map((img) => ({ src: img.src, width: img.naturalWidth })),
      );
    expect(images.filter((image) => image.width === 0)).toEqual([]);
  });

  it('has six body paragraphs with typographic quotes intact', async () => {
    const paragraphs = await page.locator('.article-body p').allTextContents();
    expect(paragraphs).toHaveLength(6);
    expect(paragraphs[2]?.startsWith(THIRD_PARAGRAPH_START)).toBe(true);
    expect(paragraphs[1]).toContain('an “unfriendly step”.');
  });

  it('does not show the seed page’s "shareprint" residue', async () => {
    expect((await renderedText(page)).toLowerCase()).not.toContain('shareprint');
    expect((await page.content()).toLowerCase()).not.toContain('shareprint');
  });

  it('offers share links that carry the article URL, copy link and print', async () => {
    const encoded = encodeURIComponent(articleUrl);
    const share = page.locator('.share');
    const expectations: { name: string; host?: string; protocol: string }[] = [
      { name: 'Telegram', host: 't.me', protocol: 'https:' },
      { name: 'X', host: 'x.com', protocol: 'https:' },
      { name: 'Facebook', host: 'www.facebook.com', protocol: 'https:' },
      { name: 'VK', host: 'vk.com', protocol: 'https:' },
      { name: 'WhatsApp', host: 'wa.me', protocol: 'https:' },
      { name: 'E-mail', protocol: 'mailto:' },
    ];
    for (const { name, host, protocol } of expectations) {
      const link = share.getByRole('link', { name, exact: true });
      expect(await link.count(), `share link "${name}"`).toBe(1);
      const href = (await link.getAttribute('href')) ?? '';
      expect(href, `share link "${name}"`).toContain(encoded);
      const parsed = new URL(href);
      expect(parsed.protocol, `share link "${name}"`).toBe(protocol);
      if (host) expect(parsed.host, `share link "${name}"`).toBe(host);
    }
    const copy = share.getByRole('link', { name: 'Copy link', exact: true });
    expect(await copy.count()).toBe(1);
    expect(await copy.getAttribute('href')).toBe(articleUrl);
    const print = share.getByRole('link', { name: 'Print', exact: true });
    expect(await print.count()).toBe(1);
    expect(await print.getAttribute('href')).toBe(`${SEED_ARTICLE_PATH}?print`);
  });

  it('links the masthead, terms and privacy pages from the footer, and each answers 200', async () => {
    const footer = page.locator('footer.site-footer');
    expect(await footer.count()).toBe(1);
    const masthead = footer.getByRole('link', { name: 'Editor in chief — Kirill Martynov' });
    expect(await masthead.count()).toBe(1);
    expect(await masthead.getAttribute('href')).toBe('/masthead');
    const terms = footer.getByRole('link', { name: 'Terms of use', exact: true });
    const privacy = footer.getByRole('link', { name: 'Privacy policy', exact: true });
    expect(await terms.count()).toBe(1);
    expect(await privacy.count()).toBe(1);
    const targets = [
      { label: 'masthead', href: await masthead.getAttribute('href') },
      { label: 'Terms of use', href: await terms.getAttribute('href') },
      { label: 'Privacy policy', href: await privacy.getAttribute('href') },
    ];
    expect(targets.map((target) => target.href)).toEqual([
      '/masthead',
      '/terms-of-use',
      '/privacy-policy',
    ]);
    for (const { label, href } of targets) {
      const { page: followed } = await openPage(SEED_ARTICLE_PATH);
      const link = followed.locator(`footer.site-footer a[href="${href}"]`);
      const [response] = await Promise.all([
        followed.waitForResponse(
          (candidate) =>
            new URL(candidate.url()).pathname === href && candidate.request().isNavigationRequest(),
        ),
        link.click(),
      ]);
      expect(response.status(), `following "${label}" (${href})`).toBe(200);
      await followed.waitForURL(`${server.baseUrl}${href}`);
      expect((await followed.locator('h1').textContent())?.trim(), label).not.toBe('');
      await followed.close();
    }
  });

  it('makes no request beyond 127.0.0.1 and sets no cookie', async () => {
    expect(requests.length).toBeGreaterThanOrEqual(4); // the page, two stylesheets, the script
    const paths = requests.map((request) => new URL(request.url()).pathname);
    expect(paths).toContain(SEED_ARTICLE_PATH);
    expect(paths.some((path) => /^\/assets\/site\.[0-9a-f]+\.css$/.test(path))).toBe(true);
    expect(paths.some((path) => /^\/assets\/site\.[0-9a-f]+\.js$/.test(path))).toBe(true);
    const elsewhere = requests
      .map((request) => request.url())
      .filter((url) => new URL(url).hostname !== '127.0.0.1');
    expect(elsewhere).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(responses.length).toBeGreaterThanOrEqual(requests.length - 1);
    const setCookies: string[] = [];
    for (const response of responses) {
      const header = await response.headerValue('set-cookie');
      if (header !== null) setCookies.push(`${response.url()}: ${header}`);
    }
    expect(setCookies).toEqual([]);
  });

  it('loads with no console error and no failed request (the favicon included)', () => {
    // A CSP violation, a missing asset or a script error would show here.
    expect(responses.filter((response) => response.status() >= 400).map((r) => r.url())).toEqual(
      [],
    );
    expect(consoleErrors).toEqual([]);
  });
});

describe('with JavaScript off', () => {
  it('shows the headline, the credit and all six paragraphs', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await noJs.newPage();
      const response = await plain.goto(`${server.baseUrl}${SEED_ARTICLE_PATH}`);
      expect(response?.status()).toBe(200);
      const headline = plain.locator('h1');
      expect(await headline.textContent()).toBe(HEADLINE);
      expect(await headline.isVisible()).toBe(true);
      const credit = plain.locator('figure.lead figcaption');
      expect(await credit.textContent()).toContain(CREDIT);
      expect(await credit.isVisible()).toBe(true);
      const paragraphs = plain.locator('.article-body p');
      expect(await paragraphs.count()).toBe(6);
      for (let index = 0; index < 6; index += 1) {
        expect(await paragraphs.nth(index).isVisible(), `paragraph ${index + 1}`).toBe(true);
      }
      expect(await paragraphs.nth(2).textContent()).toMatch(/^“There have been three strikes/);
      // Without the script, "Print" is a plain link to the print view.
      await Promise.all([
        plain.waitForURL(`${server.baseUrl}${SEED_ARTICLE_PATH}?print`),
        plain.getByRole('link', { name: 'Print', exact: true }).click(),
      ]);
      expect(await plain.locator('.print-url').isVisible()).toBe(true);
    } finally {
      await noJs.close();
    }
  });
});

describe('printing', () => {
  const HIDDEN_IN_PRINT = ['.site-nav', '.share', 'nav.breadcrumbs', 'footer.site-footer'];
  const KEPT_IN_PRINT = [
    'h1.headline',
    'p.article-meta > time',
    'figure.lead figcaption',
    '.article-body',
  ];

  it('hides navigation, sharing, breadcrumbs and footer, and shows the article URL', async () => {
    const { page: printed, status } = await openPage(SEED_ARTICLE_PATH);
    expect(status).toBe(200);
    // On screen: the chrome is there and the print-only URL is not.
    for (const selector of HIDDEN_IN_PRINT) {
      expect(await printed.locator(selector).count(), selector).toBe(1);
      expect(await printed.locator(selector).isVisible(), `${selector} on screen`).toBe(true);
    }
    const printUrl = printed.locator('.print-url');
    expect(await printUrl.count()).toBe(1);
    expect(await printUrl.isVisible(), '.print-url on screen').toBe(false);

    await printed.emulateMedia({ media: 'print' });
    for (const selector of HIDDEN_IN_PRINT) {
      const display = await printed
        .locator(selector)
        .evaluate((el) => getComputedStyle(el).display);
      expect(display, `${selector} in print`).toBe('none');
      expect(await printed.locator(selector).isVisible(), `${selector} in print`).toBe(false);
    }
    expect(await printUrl.isVisible(), '.print-url in print').toBe(true);
    expect(await printUrl.textContent()).toContain(articleUrl);
    for (const selector of KEPT_IN_PRINT) {
      expect(await printed.locator(selector).isVisible(), `${selector} in print`).toBe(true);
    }
    expect(await printed.locator('.article-body p').count()).toBe(6);
    await printed.close();
  });

  it('shows the article URL in the ?print view, with JavaScript off', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    try {
      const view = await noJs.newPage();
      const response = await view.goto(`${server.baseUrl}${SEED_ARTICLE_PATH}?print`);
      expect(response?.status()).toBe(200);
      const printUrl = view.locator('.print-url');
      expect(await printUrl.isVisible()).toBe(true);
      expect(await printUrl.textContent()).toContain(articleUrl);
      expect(await view.locator('.share').isVisible()).toBe(false);
      expect(await view.locator('.site-nav').isVisible()).toBe(false);
      expect(await view.locator('h1').textContent()).toBe(HEADLINE);
      expect(await view.locator('h1').isVisible()).toBe(true);
    } finally {
      await noJs.close();
    }
  });
});

describe('listings', () => {
  it.each([
    ['the home page', '/'],
    ['the News section', '/news'],
    ['the Politics section', '/news/politics'],
  ])('%s lists and links to the article', async (_label, path) => {
    const { page: listing, status } = await openPage(path);
    expect(status).toBe(200);
    const link = listing.locator('main').getByRole('link', { name: HEADLINE, exact: true });
    expect(await link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe(SEED_ARTICLE_PATH);
    await Promise.all([listing.waitForURL(`${server.baseUrl}${SEED_ARTICLE_PATH}`), link.click()]);
    expect(await listing.locator('h1').textContent()).toBe(HEADLINE);
    await listing.close();
  });
});
