import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import {
  fetchPage,
  formatAxe,
  formatVnu,
  requireJava,
  runAxe,
  runVnu,
  vnuErrors,
  writePages,
} from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// An article with a YouTube embed and a gallery, on the real server, in
// Chromium. The embed is a facade: nothing leaves 127.0.0.1 until the reader
// presses Play, which frames YouTube's no-cookie player (that request is
// aborted here: nothing leaves the machine). Its thumbnail was fetched by the
// server from a stand-in for YouTube's image host on 127.0.0.1. The gallery
// swipes on a 375 px phone without the page scrolling sideways.

const PASSWORD = 'an embed facade password long enough';
const EDITOR = 'embeds@lantern.example';
const VIDEO_ID = 'dQw4w9WgXcQ';
const PLAYER = `https://www.youtube-nocookie.com/embed/${VIDEO_ID}?autoplay=1`;

let stand: Server;
let server: RunningServer;
let browser: Browser;
let articleUrl: string;
const standRequests: string[] = [];

beforeAll(async () => {
  const picture = await sharp({
    create: { width: 480, height: 360, channels: 3, background: '#a33' },
  })
    .jpeg()
    .toBuffer();
  stand = createServer((request, response) => {
    standRequests.push(request.url ?? '');
    if (request.url === `/yt/vi/${VIDEO_ID}/hqdefault.jpg`) response.end(picture);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => stand.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(stand.address() as AddressInfo).port}`;
  [server, browser] = await Promise.all([
    startServer('sample', {
      MASTHEAD_EMBED_YOUTUBE_IMAGES_URL: `${origin}/yt`,
      MASTHEAD_EMBED_VIMEO_URL: `${origin}/vimeo`,
      MASTHEAD_EMBED_SOUNDCLOUD_URL: `${origin}/sc`,
      MASTHEAD_EMBED_ALLOW_PRIVATE: 'true',
    }),
    launchBrowser(),
  ]);
  await addStaff(server, { email: EDITOR, name: 'Em Bedder', role: 'editor', password: PASSWORD });
  const session = await fetch(`${server.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EDITOR, password: PASSWORD }),
  });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const { thumbnail } = await call<{ thumbnail: { id: number; url: string } | null }>(
    'POST',
    '/api/embeds/thumbnail',
    { url: `https://www.youtube.com/watch?v=${VIDEO_ID}`, title: 'The council meeting' },
  );
  if (!thumbnail) throw new Error('no thumbnail stored');
  const { media } = await call<{ media: { id: number; url: string | null }[] }>(
    'GET',
    '/api/media',
  );
  const photos = media.filter((item) => item.url !== null && item.id !== thumbnail.id).slice(0, 4);
  const created = await call<{ id: number }>('POST', '/api/articles', {
    title: 'The council meeting, in full',
    standfirst: 'Watch the whole meeting, and see the photos.',
    section: 'news/politics',
    language: 'en',
    body: {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'The council met on Tuesday.' }] },
        {
          type: 'embed',
          attrs: {
            url: `https://www.youtube.com/watch?v=${VIDEO_ID}`,
            title: 'The council meeting',
            thumbnailMediaId: thumbnail.id,
            thumbnailSrc: thumbnail.url,
          },
        },
        {
          type: 'gallery',
          attrs: {
            photos: photos.map((item) => ({ mediaId: item.id, src: item.url })),
            caption: 'The meeting in pictures.',
          },
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'The vote was close.' }] },
      ],
    },
  });
  const published = await call<{ url: string }>(
    'POST',
    `/api/articles/${created.id}/transitions/publish`,
    {},
  );
  articleUrl = `${server.baseUrl}${published.url}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => stand?.close(() => resolve()));
});

/** A page that records every request it makes, and lets none leave 127.0.0.1. */
async function recordingPage(context: BrowserContext): Promise<{ page: Page; requests: string[] }> {
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
  return { page, requests };
}

const outside = (requests: string[]) =>
  requests.filter((url) => !url.startsWith('http://127.0.0.1:') && !url.startsWith('data:'));

describe('an embed on the reader page', () => {
  it('loads nothing from YouTube until Play, then frames the no-cookie player', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, requests } = await recordingPage(context);
    await page.goto(articleUrl, { waitUntil: 'networkidle' });
    const facade = page.locator('figure.embed-facade');
    // Scrolled into view, so the lazy thumbnail loads too: from /media, on 127.0.0.1.
    await facade.scrollIntoViewIfNeeded();
    await expect
      .poll(() => facade.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    expect(
      await facade.locator('img').evaluate((img) => (img as HTMLImageElement).currentSrc),
    ).toMatch(new RegExp(`^${server.baseUrl}/media/`));
    expect(await facade.locator('.embed-note').textContent()).toBe(
      'Playing loads the video from YouTube, which may set cookies and see your address.',
    );
    expect(outside(requests)).toEqual([]);
    expect(await page.locator('iframe').count()).toBe(0);

    const play = page.getByRole('button', { name: /Play on YouTube/ });
    await play.click();
    const frame = page.locator('figure.embed-facade iframe');
    await frame.waitFor({ state: 'attached' });
    expect(await frame.getAttribute('src')).toBe(PLAYER);
    expect(await frame.getAttribute('title')).toBe('The council meeting');
    // The one request that would leave the machine is the player's, aborted above.
    await expect.poll(() => outside(requests)).toEqual([PLAYER]);
    expect(page.url()).toBe(articleUrl);
    await context.close();
  });

  it('without JavaScript is a link to the video on YouTube', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
    });
    const { page, requests } = await recordingPage(context);
    await page.goto(articleUrl, { waitUntil: 'networkidle' });
    const link = page.getByRole('link', { name: /Play on YouTube/ });
    expect(await link.getAttribute('href')).toBe(`https://www.youtube.com/watch?v=${VIDEO_ID}`);
    expect(await page.locator('iframe').count()).toBe(0);
    expect(outside(requests)).toEqual([]);
    await context.close();
  });

  it('is valid HTML, in the print view too', async () => {
    await requireJava();
    const directory = await mkdtemp(join(tmpdir(), 'masthead-embed-vnu-'));
    try {
      const path = new URL(articleUrl).pathname;
      const pages = await Promise.all([
        fetchPage(server.baseUrl, 'article', path),
        fetchPage(server.baseUrl, 'print', `${path}?print`),
      ]);
      const files = await writePages(directory, pages);
      const messages = await runVnu(files);
      for (const [index, page] of pages.entries()) {
        const errors = formatVnu(page.name, vnuErrors(messages.get(files[index] ?? '') ?? []));
        expect(errors, errors.join('\n')).toEqual([]);
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);

  it('passes axe, with the player and without', async () => {
    // bypassCSP only so that axe-core can be injected; the page itself runs under the CSP.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const { page } = await recordingPage(context);
    await page.goto(articleUrl, { waitUntil: 'networkidle' });
    expect(formatAxe('facade', (await runAxe(page)).violations)).toEqual([]);
    await page.getByRole('button', { name: /Play on YouTube/ }).click();
    await page.locator('figure.embed-facade iframe').waitFor({ state: 'attached' });
    const results = await runAxe(page);
    expect(formatAxe('player', results.violations)).toEqual([]);
    await context.close();
  });
});

describe('an embed in the editor', () => {
  it('gets its thumbnail from the server when inserted, and a new one when its address changes', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, requests } = await recordingPage(context);
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    await page.getByRole('link', { name: 'New article', exact: true }).first().click();
    await page.getByLabel('Headline', { exact: true }).fill('A video in the editor');
    const text = page.getByRole('textbox', { name: 'Article text' });
    await text.click();
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    await page.getByLabel(/^Address of the post or video/).fill(`https://youtu.be/${VIDEO_ID}`);
    await page.getByLabel(/^What it is/).fill('The council meeting');
    await page.getByRole('button', { name: 'Insert embed' }).click();
    const thumbnail = text.locator('figure.embed img.embed-thumbnail');
    await thumbnail.waitFor();
    expect(await thumbnail.getAttribute('src')).toMatch(/^\/media\/[a-f0-9]{32}\.jpg$/);
    expect(
      await page.getByRole('status').filter({ hasText: 'Picture from YouTube added.' }).count(),
    ).toBe(1);

    // Another address, for which the provider has no picture: the old one goes, the embed stays.
    await text.locator('figure.embed').click();
    const address = page.getByLabel('Embed address');
    await address.fill('https://youtu.be/CCCCCCCCCCC');
    await page.getByRole('button', { name: 'Change address' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^No picture \(no picture from YouTube: the server answered 404\)/ })
      .waitFor();
    expect(await text.locator('figure.embed img').count()).toBe(0);
    expect(await text.locator('figure.embed a').getAttribute('href')).toBe(
      'https://youtu.be/CCCCCCCCCCC',
    );
    // The editor itself asked no one but the server.
    expect(outside(requests)).toEqual([]);
    await context.close();
  });
});

describe('a gallery on a 375 px phone', () => {
  it('swipes inside its own region, by touch or keyboard, and the page never scrolls sideways', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      hasTouch: true,
      isMobile: true,
    });
    const { page } = await recordingPage(context);
    await page.goto(articleUrl, { waitUntil: 'networkidle' });
    const region = page.getByRole('region', { name: /^Gallery: \d+ photos$/ });
    await region.scrollIntoViewIfNeeded();
    const photos = await region.locator(':scope > figure').count();
    expect(photos).toBeGreaterThan(1);
    expect(await region.getAttribute('aria-label')).toBe(`Gallery: ${photos} photos`);
    // Each photo most of the row wide, so the next one shows at the edge.
    const widths = await region.evaluate((element) => ({
      row: element.clientWidth,
      photo: (element.firstElementChild as HTMLElement).getBoundingClientRect().width,
    }));
    expect(widths.photo / widths.row).toBeCloseTo(0.85, 1);
    const scrollLeft = () => region.evaluate((element) => element.scrollLeft);
    expect(await scrollLeft()).toBe(0);

    // A swipe: the wheel's sideways scroll stands in for a finger, over the row.
    const box = await region.boundingBox();
    if (!box) throw new Error('the gallery has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(250, 0);
    await expect.poll(scrollLeft).toBeGreaterThan(0);
    const afterSwipe = await scrollLeft();

    // The keyboard scrolls it too, once the region has the focus.
    await region.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(scrollLeft).toBeGreaterThan(afterSwipe);

    const pageScroll = await page.evaluate(() => ({
      scrollX: window.scrollX,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    expect(pageScroll.scrollX).toBe(0);
    expect(pageScroll.scrollWidth).toBeLessThanOrEqual(pageScroll.clientWidth);
    await context.close();
  });

  it('is a grid on a wide screen, and prints every photo stacked', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page } = await recordingPage(context);
    await page.goto(articleUrl, { waitUntil: 'networkidle' });
    const region = page.locator('figure.gallery .gallery-photos');
    expect(await region.evaluate((element) => getComputedStyle(element).display)).toBe('grid');
    await page.emulateMedia({ media: 'print' });
    expect(await region.evaluate((element) => getComputedStyle(element).display)).toBe('block');
    expect(await region.evaluate((element) => element.scrollWidth <= element.clientWidth + 1)).toBe(
      true,
    );
    await context.close();
  });
});
