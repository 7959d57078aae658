import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import {
  axePage,
  DISPLAY_MODES,
  describeMode,
  type FetchedPage,
  fetchPage,
  formatVnu,
  requireJava,
  runVnu,
  type VnuMessage,
  vnuErrors,
  writePages,
} from './checks.js';
import { type RunningServer, startServer } from './server.js';

// The site a fresh install shows (`serve --sample-content`): photos with alt
// text, several sections, a real masthead. Checked like the seed site.

let server: RunningServer;
let browser: Browser;
/** bypassCSP: axe is injected as an inline script, which the pages' CSP forbids. */
let context: BrowserContext;
let directory: string;
/** The first News article on the home page's front that has a lead photo. */
let photoArticlePath: string;

/** The pages checked; the photo article's path is found from the home page first. */
const SAMPLE_PAGES: { name: string; path: () => string }[] = [
  { name: 'sample home', path: () => '/' },
  { name: 'sample photo article', path: () => photoArticlePath },
  { name: 'sample section /news', path: () => '/news' },
  { name: 'sample section /opinion', path: () => '/opinion' },
  { name: 'sample masthead', path: () => '/masthead' },
  {
    name: 'sample Russian article with its translation',
    path: () => '/news/politics/velmora-budet-publikovat-vse-munitsipalnye-kontrakty',
  },
  { name: 'sample Russian home /ru', path: () => '/ru' },
  { name: 'sample author page', path: () => '/authors/ada-lindqvist' },
  { name: 'sample search results', path: () => '/search?q=контракты' },
];
let fetched: FetchedPage[];
const vnuByName = new Map<string, VnuMessage[]>();

/** The home page's story links into the News section, in the front's order. */
async function newsTeaserLinks(page: Page): Promise<string[]> {
  const links = await page
    .locator('main .front .teaser-title a')
    .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  return links.filter((href) => href.startsWith('/news/'));
}

async function findPhotoArticle(): Promise<string> {
  const page = await context.newPage();
  try {
    const response = await page.goto(`${server.baseUrl}/`);
    if (response?.status() !== 200) throw new Error(`home answered ${response?.status()}`);
    const links = await newsTeaserLinks(page);
    for (const href of links) {
      await page.goto(new URL(href, server.baseUrl).href);
      if ((await page.locator('figure.lead img').count()) > 0) return href;
    }
    throw new Error(
      `no News article on the home page has a figure.lead img (teasers: ${links.join(', ') || 'none'})`,
    );
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  await requireJava();
  [server, browser, directory] = await Promise.all([
    startServer('sample'),
    launchBrowser(),
    mkdtemp(join(tmpdir(), 'masthead-vnu-sample-')),
  ]);
  context = await browser.newContext({ bypassCSP: true });
  photoArticlePath = await findPhotoArticle();
  fetched = await Promise.all(
    SAMPLE_PAGES.map((page) => fetchPage(server.baseUrl, page.name, page.path())),
  );
  const files = await writePages(directory, fetched);
  const byFile = await runVnu(files);
  for (const [index, page] of fetched.entries()) {
    vnuByName.set(page.name, byFile.get(files[index] ?? '') ?? []);
  }
  vnuByName.set('(vnu)', byFile.get('(vnu)') ?? []);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('the sample content site', () => {
  it('installs the sample newsroom and serves its pages', () => {
    expect(server.output()).toMatch(/installed sample content \(\d+ items\)/);
    expect(fetched.map((page) => `${page.path} ${page.status}`)).toEqual(
      SAMPLE_PAGES.map((page) => `${page.path()} 200`),
    );
    expect(photoArticlePath).toMatch(/^\/news\//);
  });

  it('shows the lead photo of the article, loaded, with alt text', async () => {
    const page = await context.newPage();
    try {
      const response = await page.goto(`${server.baseUrl}${photoArticlePath}`);
      expect(response?.status()).toBe(200);
      const image = page.locator('figure.lead img');
      expect(await image.count()).toBe(1);
      const state = await image.evaluate(async (element) => {
        const img = element as HTMLImageElement;
        if (!img.complete) {
          await new Promise((resolve) => {
            img.addEventListener('load', resolve, { once: true });
            img.addEventListener('error', resolve, { once: true });
          });
        }
        return { src: img.currentSrc, naturalWidth: img.naturalWidth, alt: img.alt };
      });
      expect(state.naturalWidth, `lead image ${state.src}`).toBeGreaterThan(0);
      expect(state.alt.trim()).not.toBe('');
      expect(new URL(state.src).host).toBe(new URL(server.baseUrl).host);
      expect(await image.isVisible()).toBe(true);
    } finally {
      await page.close();
    }
  });

  it.each(SAMPLE_PAGES.map((page) => [page.name] as const))(
    '%s has valid HTML (Nu Html Checker)',
    (name) => {
      expect(vnuByName.get('(vnu)')).toEqual([]);
      // vnu's report was mapped to this page's file.
      expect(vnuByName.has(name)).toBe(true);
      const errors = formatVnu(name, vnuErrors(vnuByName.get(name) ?? []));
      expect(errors, `\n${errors.join('\n')}\n`).toEqual([]);
    },
  );

  describe.each(DISPLAY_MODES.map((mode) => [describeMode(mode), mode] as const))(
    'accessibility (axe-core), %s',
    (_label, mode) => {
      it.each(SAMPLE_PAGES.map((page) => [page.name, page] as const))(
        '%s has no violations',
        async (name, page) => {
          const result = await axePage(context, `${server.baseUrl}${page.path()}`, mode, name);
          expect(result.status).toBe(200);
          expect(result.passes).toBeGreaterThan(0);
          expect(result.violations, `\n${result.violations.join('\n')}\n`).toEqual([]);
        },
      );
    },
  );

  it('makes no request beyond 127.0.0.1 and sets no cookie', async () => {
    const plain = await browser.newContext();
    try {
      const requested: string[] = [];
      plain.on('request', (request) => requested.push(request.url()));
      for (const { path } of SAMPLE_PAGES) {
        const page = await plain.newPage();
        const response = await page.goto(`${server.baseUrl}${path()}`, {
          waitUntil: 'networkidle',
        });
        expect(response?.status(), path()).toBe(200);
        await page.close();
      }
      // The photo is among the requests, and nothing leaves 127.0.0.1.
      expect(requested.some((url) => new URL(url).pathname.startsWith('/media/'))).toBe(true);
      expect(requested.filter((url) => new URL(url).hostname !== '127.0.0.1')).toEqual([]);
      expect(await plain.cookies()).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
