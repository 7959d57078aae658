import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FetchedPage,
  fetchPage,
  formatVnu,
  requireJava,
  runVnu,
  type VnuMessage,
  vnuErrors,
  writePages,
} from './checks.js';
import { type RunningServer, SEED_SITE_PAGES, startServer } from './server.js';

// Every kind of reader page, as served, through the Nu Html Checker in one run.

const PAGES = SEED_SITE_PAGES;

/** A page with two known errors, checked alongside: proves the checker reports errors at all. */
const CANARY_HTML =
  '<!DOCTYPE html><html lang="en"><head><title>canary</title></head><body><p><div></div></p><img src="x.png"></body></html>';

let server: RunningServer;
let directory: string;
let fetched: FetchedPage[];
let canaryFile: string;
const messagesByName = new Map<string, VnuMessage[]>();

beforeAll(async () => {
  await requireJava();
  [server, directory] = await Promise.all([
    startServer('seed'),
    mkdtemp(join(tmpdir(), 'masthead-vnu-')),
  ]);
  fetched = await Promise.all(PAGES.map((page) => fetchPage(server.baseUrl, page.name, page.path)));
  const files = await writePages(directory, fetched);
  canaryFile = join(directory, 'zz-canary-invalid.html');
  await writeFile(canaryFile, CANARY_HTML, 'utf8');
  const byFile = await runVnu([...files, canaryFile]);
  for (const [index, page] of fetched.entries()) {
    messagesByName.set(page.name, byFile.get(files[index] ?? '') ?? []);
  }
  messagesByName.set('(canary)', byFile.get(canaryFile) ?? []);
  messagesByName.set('(vnu)', byFile.get('(vnu)') ?? []);
});

afterAll(async () => {
  await server?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('HTML validity (Nu Html Checker)', () => {
  it('answers each page with the expected status', () => {
    expect(fetched.map((page) => `${page.path} ${page.status}`)).toEqual(
      PAGES.map((page) => `${page.path} ${page.status}`),
    );
    for (const page of fetched)
      expect(page.html.startsWith('<!DOCTYPE html>'), page.path).toBe(true);
  });

  it('reports the errors of a known-invalid page (the checker really checks)', () => {
    const errors = vnuErrors(messagesByName.get('(canary)') ?? []);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(messagesByName.get('(vnu)')).toEqual([]);
  });

  it.each(PAGES.map((page) => [page.name, page.path] as const))(
    '%s (%s) has no HTML errors',
    (name) => {
      const errors = formatVnu(name, vnuErrors(messagesByName.get(name) ?? []));
      expect(errors, `\n${errors.join('\n')}\n`).toEqual([]);
    },
  );
});
