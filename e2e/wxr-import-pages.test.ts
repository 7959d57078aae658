import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc, DocNode } from '../src/core/document.js';
import { importSource } from '../src/newsroom/import-file.js';
import type { ImportResult } from '../src/newsroom/import-report.js';
import { buildTestServer } from '../test/admin.js';
import { openTestNewsroom, type TestNewsroom } from '../test/newsroom.js';
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

// The WordPress theme-unit-test export (read in place), imported through the
// real path, then every published post and every page it became, as served
// over HTTP, through the Nu Html Checker in one run; and three of them (a
// table, nested lists, a picture) through axe-core in Chromium.

const WPTEST = fileURLToPath(
  new URL('../../shared/fixtures/wordpress/wptest.xml', import.meta.url),
);

/** A page with two known errors, checked alongside: proves the checker reports errors at all. */
const CANARY_HTML =
  '<!DOCTYPE html><html lang="en"><head><title>canary</title></head><body><p><div></div></p><img src="x.png"></body></html>';

type Imported = { name: string; path: string; body: Doc };

let newsroom: TestNewsroom;
let app: FastifyInstance;
let baseUrl: string;
let directory: string;
let result: ImportResult;
let imported: Imported[];
let fetched: FetchedPage[];
const messagesByPath = new Map<string, VnuMessage[]>();
let canaryMessages: VnuMessage[] = [];
let strayMessages: VnuMessage[] = [];

function nodes(doc: Doc): DocNode[] {
  const all: DocNode[] = [];
  const visit = (node: DocNode) => {
    all.push(node);
    for (const child of node.content ?? []) visit(child);
  };
  for (const node of doc.content) visit(node);
  return all;
}

const isList = (node: DocNode) => node.type === 'bulletList' || node.type === 'orderedList';

/** The imported article or page that best shows `what`: the one with most of it. */
function richest(what: (doc: Doc) => number): Imported {
  const best = imported
    .map((page) => ({ page, score: what(page.body) }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score)[0];
  if (!best) throw new Error('no imported page has it');
  return best.page;
}

beforeAll(async () => {
  await requireJava();
  newsroom = await openTestNewsroom();
  directory = await mkdtemp(join(tmpdir(), 'masthead-vnu-wxr-'));
  // As `masthead import` reads a file: a stream, opened afresh for each pass.
  const size = (await stat(WPTEST)).size;
  result = await importSource(newsroom, {
    name: 'wptest.xml',
    size,
    open: () => createReadStream(WPTEST, { highWaterMark: 256 * 1024 }),
  });
  const articles = await newsroom.store.db
    .selectFrom('article')
    .innerJoin('section', 'section.id', 'article.section_id')
    .select(['article.slug', 'article.body_json', 'section.path'])
    .where('article.status', '=', 'published')
    .orderBy('article.id')
    .execute();
  const pages = await newsroom.store.db
    .selectFrom('page')
    .select(['slug', 'body_json'])
    .orderBy('id')
    .execute();
  imported = [
    ...articles.map((row) => ({
      name: `article ${row.slug}`,
      path: `/${row.path}/${row.slug}`,
      body: JSON.parse(row.body_json) as Doc,
    })),
    ...pages.map((row) => ({
      name: `page ${row.slug}`,
      path: `/${row.slug}`,
      body: JSON.parse(row.body_json) as Doc,
    })),
  ];
  app = await buildTestServer(newsroom, { sample: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  fetched = [];
  for (const page of imported) fetched.push(await fetchPage(baseUrl, page.name, page.path));
  const files = await writePages(directory, fetched);
  const canaryFile = join(directory, 'zz-canary-invalid.html');
  await writeFile(canaryFile, CANARY_HTML, 'utf8');
  const byFile = await runVnu([...files, canaryFile]);
  for (const [index, page] of fetched.entries()) {
    messagesByPath.set(page.path, byFile.get(files[index] ?? '') ?? []);
  }
  canaryMessages = byFile.get(canaryFile) ?? [];
  strayMessages = byFile.get('(vnu)') ?? [];
}, 300_000);

afterAll(async () => {
  await app?.close();
  await newsroom?.dispose();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('pages imported from a WordPress export', () => {
  it('imports the published posts and pages of the theme-unit-test export', () => {
    const created = (entity: string) =>
      result.lines.filter((line) => line.action === 'created' && line.entity === entity).length;
    expect(created('article')).toBeGreaterThan(20);
    expect(created('page')).toBeGreaterThan(5);
    expect(imported.length).toBeGreaterThan(20);
  });

  it('renders every imported published post and page as a whole HTML page', () => {
    const wrong = fetched
      .filter((page) => page.status !== 200 || !page.html.startsWith('<!DOCTYPE html>'))
      .map((page) => `${page.path}: ${page.status} ${page.html.slice(0, 200)}`);
    expect(wrong, `\n${wrong.join('\n')}\n`).toEqual([]);
    for (const page of fetched) expect(page.html, page.path).toContain('<h1');
  });

  it('reports the errors of a known-invalid page (the checker really checks)', () => {
    expect(vnuErrors(canaryMessages).length).toBeGreaterThanOrEqual(2);
    expect(strayMessages).toEqual([]);
  });

  it('has no HTML errors on any of them (Nu Html Checker)', () => {
    const errors = fetched.flatMap((page) =>
      formatVnu(`${page.path}`, vnuErrors(messagesByPath.get(page.path) ?? [])),
    );
    expect(errors, `\n${errors.join('\n')}\n`).toEqual([]);
  });
});

describe('accessibility of imported pages (axe-core)', () => {
  let browser: Browser;
  /** The pages forbid inline scripts (CSP script-src 'self'): bypass it to inject axe. */
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ bypassCSP: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const samples: [string, () => Imported][] = [
    [
      'a table',
      () =>
        richest(
          (doc) =>
            // Imported tables are table blocks now (a scrolling region on reader pages).
            nodes(doc).filter((node) => node.type === 'table').length,
        ),
    ],
    [
      'nested lists',
      () =>
        richest(
          (doc) =>
            nodes(doc).filter(
              (node) => node.type === 'listItem' && (node.content ?? []).some(isList),
            ).length,
        ),
    ],
    [
      'a picture',
      () => richest((doc) => nodes(doc).filter((node) => node.type === 'image').length),
    ],
  ];

  it('loads nothing from another site on any imported page', async () => {
    // A context of its own, with the site's CSP in force, as a reader has it.
    const reader = await browser.newContext();
    const elsewhere: string[] = [];
    try {
      const page = await reader.newPage();
      page.on('request', (request) => {
        if (new URL(request.url()).origin !== new URL(baseUrl).origin)
          elsewhere.push(request.url());
      });
      for (const { path } of imported) {
        const response = await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
        expect(response?.status(), path).toBe(200);
      }
    } finally {
      await reader.close();
    }
    expect(imported.length).toBeGreaterThan(20);
    expect(elsewhere).toEqual([]);
  });

  it.each(samples)('the imported page with %s has no violations', async (_what, choose) => {
    const page = choose();
    const violations: string[] = [];
    for (const mode of DISPLAY_MODES) {
      const checked = await axePage(context, `${baseUrl}${page.path}`, mode, page.path);
      expect(checked.status, `${page.path} ${describeMode(mode)}`).toBe(200);
      expect(checked.passes).toBeGreaterThan(0);
      violations.push(...checked.violations);
    }
    expect(violations, `\n${violations.join('\n')}\n`).toEqual([]);
  });
});
