import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import {
  REPO_ROOT,
  type RunningServer,
  SEED_ARTICLE_PATH,
  SEED_FILE,
  startServer,
} from './server.js';

// A mirror of the sample site and the seed article, built by the real CLI,
// served by a plain static file server under a path prefix, with the origin
// stopped: a reader's browser finds every link and asset, asks nothing of any
// other address, and searches the mirror in Russian and in English. The same
// folder then opens from a file:// address, with no server at all.

const execFileAsync = promisify(execFile);
const CLI = join(REPO_ROOT, 'bin', 'masthead.js');
const PREFIX = '/some/prefix/';
const PASSWORD = 'a mirror test password, long enough';

let origin: RunningServer;
let browser: Browser;
let staticServer: Server;
let mirrorDir: string;
let base = '';
const served: string[] = [];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.atom': 'application/atom+xml',
  '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.txt': 'text/plain',
};

/**
 * Watches a page's requests: `failed` collects answers of 400 and up and
 * requests that never got one (a missing file:// file); `elsewhere` collects
 * any request outside `base`.
 */
function watchRequests(page: Page, base: string): { failed: string[]; elsewhere: string[] } {
  const failed: string[] = [];
  const elsewhere: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:'))
      elsewhere.push(request.url());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    // A page left before its print stylesheet arrived aborts it: that is no missing file.
    const error = request.failure()?.errorText ?? '';
    if (!error.includes('ERR_ABORTED')) failed.push(`${error} ${request.url()}`);
  });
  return { failed, elsewhere };
}

async function cli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  const child = execFileAsync(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env,
    timeout: 120_000,
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}

beforeAll(async () => {
  [origin, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  const env = { ...process.env, MASTHEAD_DATA: origin.dataDir, LOG_LEVEL: 'warn' };
  await cli(['import', SEED_FILE], env);
  // An editor tags the seed article in Russian too, as a Russian desk would.
  await cli(
    [
      'user',
      'add',
      '--email',
      'ed@lantern.example',
      '--name',
      'Ed Mirror',
      '--role',
      'editor',
      '--password-stdin',
    ],
    env,
    PASSWORD,
  );
  const session = await fetch(`${origin.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ed@lantern.example', password: PASSWORD }),
  });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
  const list = (await (
    await fetch(`${origin.baseUrl}/api/articles?status=published`, { headers })
  ).json()) as {
    articles: { id: number; url: string }[];
  };
  const seed = list.articles.find((article) => article.url === SEED_ARTICLE_PATH);
  if (!seed) throw new Error('the seed article is not listed');
  const detail = (await (
    await fetch(`${origin.baseUrl}/api/articles/${seed.id}`, { headers })
  ).json()) as {
    version: number;
    tags: string[];
  };
  // The article is published: the edit goes live with Update.
  const tagged = await fetch(`${origin.baseUrl}/api/articles/${seed.id}/transitions/update`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      version: detail.version,
      changes: { tags: [...detail.tags, 'посольство'] },
    }),
  });
  if (!tagged.ok) throw new Error(`tagging failed: ${tagged.status} ${await tagged.text()}`);

  await cli(['keys', 'init'], env);
  mirrorDir = await mkdtemp(join(tmpdir(), 'masthead-mirror-e2e-'));
  await cli(['mirror', 'build', mirrorDir], env);
  // The origin goes away: the mirror must stand on its own.
  await origin.stop();

  staticServer = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://mirror.invalid');
    served.push(url.pathname);
    if (!url.pathname.startsWith(PREFIX)) return response.writeHead(404).end();
    const path = normalize(decodeURIComponent(url.pathname.slice(PREFIX.length)));
    if (path.startsWith('..')) return response.writeHead(404).end();
    readFile(join(mirrorDir, path)).then(
      (body) =>
        response
          .writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}${PREFIX}`;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await origin?.stop();
  await new Promise((resolve) => staticServer?.close(resolve));
  if (mirrorDir) await rm(mirrorDir, { recursive: true, force: true });
});

describe('a mirror served from a plain static host under a path prefix', () => {
  it('resolves every link and asset from the home page, asking nothing of any other address', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { failed, elsewhere } = watchRequests(page, base);
    const queue = [`${base}index.html`];
    const seen = new Set(queue);
    let pages = 0;
    while (queue.length > 0) {
      const url = queue.shift() as string;
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      pages++;
      if (!url.endsWith('.html')) continue;
      await page.waitForLoadState('load');
      const links = await page.$$eval('a[href]', (anchors) =>
        anchors.map((anchor) => (anchor as HTMLAnchorElement).href),
      );
      for (const link of links) {
        const target = link.split('#')[0] ?? '';
        if (!target.startsWith(base) || seen.has(target)) continue;
        seen.add(target);
        queue.push(target);
      }
    }
    expect(pages).toBeGreaterThan(40);
    expect(seen.has(`${base}${SEED_ARTICLE_PATH.slice(1)}/index.html`)).toBe(true);
    expect(failed).toEqual([]);
    expect(elsewhere).toEqual([]);
    // Photos and stylesheets came from the mirror too.
    expect(served.some((path) => /\/media\/[a-f0-9]{32}-\d+\.avif$/.test(path))).toBe(true);
    expect(served.some((path) => /\/assets\/site\.[a-f0-9]{10}\.css$/.test(path))).toBe(true);
    // Each page says it is a mirror and links to the list of addresses.
    await page.goto(`${base}index.html`);
    await page.locator('.mirror-notice a').click();
    expect(page.url()).toBe(`${base}mirrors/index.html`);
    await context.close();
  });

  it('finds the seed article with the in-browser search, in English and in Russian', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The index names the files it has: a query asks for none that is missing.
    const { failed } = watchRequests(page, base);
    const seedTitle = /Aliyev accuses Russian forces/;
    await page.goto(`${base}index.html`);
    const search = page.getByRole('search', { name: 'Search' });
    await search.getByRole('searchbox').fill('embassy');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/search\/index\.html\?q=embassy/);
    await expect
      .poll(() => page.locator('.search-result a').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(seedTitle)]));
    // The count agrees with its number (Intl.PluralRules in the browser).
    expect(await page.locator('.search-count').textContent()).toBe('1 article found');
    // Another form of the Russian word than the tag carries.
    await page.goto(`${base}search/index.html?q=${encodeURIComponent('посольства')}`);
    await expect
      .poll(() => page.locator('.search-result a').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(seedTitle)]));
    await page.locator('.search-result a', { hasText: seedTitle }).click();
    expect(page.url()).toBe(`${base}${SEED_ARTICLE_PATH.slice(1)}/index.html`);
    // Words no article holds, one of them beginning with a letter no word in the index does.
    await page.goto(`${base}search/index.html?q=${encodeURIComponent('embassy qqqzzz ЪЪЪ')}`);
    await page.getByRole('status').waitFor();
    expect(await page.locator('.search-result').count()).toBe(0);
    expect(failed).toEqual([]);
    await context.close();
  });
});

describe('the same mirror opened from the folder, with no server at all', () => {
  it('reads from a file:// address: styles, photos, links between pages, and search', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const folder = pathToFileURL(`${mirrorDir}/`).href;
    const { failed: missing, elsewhere } = watchRequests(page, folder);
    await page.goto(`${folder}index.html`);
    // The stylesheet applied: the masthead is laid out by it, not by the browser's defaults.
    const styled = await page.$$eval('link[rel=stylesheet]', (links) =>
      links.every((link) => (link as HTMLLinkElement).sheet !== null),
    );
    expect(styled).toBe(true);
    // Photos load (those above the fold; the rest wait, lazily): none is broken.
    await page.waitForLoadState('load');
    const photos = await page.$$eval('img', (images) =>
      images
        .filter((image) => image.complete)
        .map((image) => ({ src: image.currentSrc, width: image.naturalWidth })),
    );
    expect(photos.length).toBeGreaterThan(0);
    for (const photo of photos) expect(photo.width, photo.src).toBeGreaterThan(0);
    await page
      .getByRole('link', { name: /Aliyev accuses Russian forces/ })
      .first()
      .click();
    expect(page.url()).toBe(`${folder}${SEED_ARTICLE_PATH.slice(1)}/index.html`);
    const search = page.getByRole('search', { name: 'Search' });
    await search.getByRole('searchbox').fill('посольства');
    await search.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => page.locator('.search-result a').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/Aliyev accuses Russian forces/)]));
    expect(page.url().startsWith(`${folder}search/index.html?q=`)).toBe(true);
    expect(missing).toEqual([]);
    expect(elsewhere).toEqual([]);
    await context.close();
  });
});
