import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { AxeResults, Result } from 'axe-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO_ROOT } from './server.js';

// The two outside judges of a page: the Nu Html Checker (vnu.jar) for HTML
// validity and axe-core for accessibility. Both report everything they find.

const execFileAsync = promisify(execFile);

export const VNU_JAR = join(REPO_ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

/** A page fetched over HTTP as raw bytes and text. */
export type FetchedPage = { name: string; path: string; status: number; html: string };

/** GETs `path` from `baseUrl` without following redirects. */
export async function fetchPage(baseUrl: string, name: string, path: string): Promise<FetchedPage> {
  const response = await fetch(`${baseUrl}${path}`, { redirect: 'manual' });
  return { name, path, status: response.status, html: await response.text() };
}

export type VnuMessage = {
  type: string;
  subType?: string;
  url?: string;
  message: string;
  extract?: string;
  firstLine?: number;
  lastLine?: number;
  firstColumn?: number;
  lastColumn?: number;
};

/** Fails with a clear message when no `java` can be run. */
export async function requireJava(): Promise<void> {
  try {
    await execFileAsync('java', ['-version'], { timeout: 30_000 });
  } catch (error) {
    throw new Error(
      `The Nu Html Checker needs Java, and \`java -version\` failed (${(error as Error).message}). Install a JRE, e.g. \`apt-get install default-jre-headless\`.`,
    );
  }
}

/**
 * Runs vnu.jar once over all `files` (absolute paths) and returns its messages,
 * grouped by file path. A file with no message gets an empty list.
 */
export async function runVnu(files: string[]): Promise<Map<string, VnuMessage[]>> {
  let stdout = '';
  let stderr = '';
  try {
    ({ stdout, stderr } = await execFileAsync(
      'java',
      ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files],
      { cwd: REPO_ROOT, timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
    ));
  } catch (error) {
    // vnu exits 1 when it reports errors; the JSON is still on stderr.
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    stdout = failed.stdout ?? '';
    stderr = failed.stderr ?? '';
    if (!looksLikeJson(stderr) && !looksLikeJson(stdout)) {
      throw new Error(
        `vnu.jar failed (exit ${String(failed.code)}) without a JSON report\nstdout:\n${stdout}\nstderr:\n${stderr}`,
      );
    }
  }
  const json = looksLikeJson(stderr) ? stderr : stdout;
  let report: { messages?: unknown };
  try {
    report = JSON.parse(json) as { messages?: unknown };
  } catch {
    throw new Error(`vnu.jar output is not JSON\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }
  if (!Array.isArray(report.messages)) {
    throw new Error(`vnu.jar report has no "messages" list: ${json.slice(0, 500)}`);
  }
  const byFile = new Map<string, VnuMessage[]>(files.map((file) => [file, []]));
  const urlToFile = new Map(files.map((file) => [pathToFileURL(file).href, file]));
  for (const message of report.messages as VnuMessage[]) {
    const file = vnuUrlToFile(message.url, urlToFile);
    if (file === undefined) {
      // A message about no file of ours (an I/O problem, a crash): keep it visible.
      byFile.set('(vnu)', [...(byFile.get('(vnu)') ?? []), message]);
    } else {
      byFile.get(file)?.push(message);
    }
  }
  return byFile;
}

/** vnu writes `file:/tmp/x.html`; Node writes `file:///tmp/x.html`. */
function vnuUrlToFile(url: string | undefined, urlToFile: Map<string, string>): string | undefined {
  if (!url) return undefined;
  const normalized = url.replace(/^file:\/*/, 'file:///');
  return urlToFile.get(normalized);
}

function looksLikeJson(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/** Messages that make a page invalid: errors, and anything that stopped the check. */
export function vnuErrors(messages: VnuMessage[]): VnuMessage[] {
  return messages.filter(
    (message) => message.type === 'error' || message.type === 'non-document-error',
  );
}

/** One line per message: `name:line:col [type] message  «extract»`. */
export function formatVnu(name: string, messages: VnuMessage[]): string[] {
  return messages.map((message) => {
    const line = message.lastLine ?? message.firstLine ?? '?';
    const column = message.firstColumn ?? message.lastColumn ?? '?';
    const type = message.subType ? `${message.type}/${message.subType}` : message.type;
    const extract = message.extract ? `  «${message.extract.replace(/\s+/g, ' ')}»` : '';
    return `${name}:${line}:${column} [${type}] ${message.message}${extract}`;
  });
}

/** Writes each page to `directory` as `NN-<name>.html`; returns the absolute paths, in order. */
export async function writePages(directory: string, pages: FetchedPage[]): Promise<string[]> {
  const files: string[] = [];
  for (const page of pages) {
    const base = page.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'page';
    const file = join(directory, `${String(files.length + 1).padStart(2, '0')}-${base}.html`);
    await writeFile(file, page.html, 'utf8');
    files.push(file);
  }
  return files;
}

let axeSource: string | undefined;

/** The axe-core script, read once from node_modules. */
export async function readAxeSource(): Promise<string> {
  if (axeSource === undefined) {
    const require = createRequire(import.meta.url);
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  }
  return axeSource;
}

/**
 * Runs axe-core on the page as it is now. The page's CSP forbids inline
 * scripts, so the context must be created with `bypassCSP: true`.
 */
export async function runAxe(page: Page): Promise<AxeResults> {
  await page.addScriptTag({ content: await readAxeSource() });
  return await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run: () => Promise<AxeResults> } };
    return await axe.run();
  });
}

/** One line per violation and target: `label: rule (impact): help — selector: summary`. */
export function formatAxe(label: string, violations: Result[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => {
      const target = node.target.map(String).join(' ');
      const summary = (node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ').trim();
      return `${label}: ${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} — ${target}: ${summary}`;
    }),
  );
}

/** How a page is looked at: the reader's colour scheme and screen or print. */
export type DisplayMode = { colorScheme: 'light' | 'dark'; media: 'screen' | 'print' };

/** Every combination the site's stylesheets distinguish. */
export const DISPLAY_MODES: DisplayMode[] = [
  { colorScheme: 'light', media: 'screen' },
  { colorScheme: 'dark', media: 'screen' },
  { colorScheme: 'light', media: 'print' },
  { colorScheme: 'dark', media: 'print' },
];

export function describeMode(mode: DisplayMode): string {
  return `${mode.colorScheme} ${mode.media}`;
}

/**
 * Opens `url` in a new page of `context` (created with bypassCSP and the mode's
 * colour scheme), emulates the mode's media and runs axe. Returns the status,
 * the formatted violations and how many rules passed.
 */
export async function axePage(
  context: BrowserContext,
  url: string,
  mode: DisplayMode,
  label: string,
): Promise<{ status: number | undefined; violations: string[]; passes: number }> {
  const page = await context.newPage();
  try {
    await page.emulateMedia({ media: mode.media, colorScheme: mode.colorScheme });
    const response = await page.goto(url);
    const emulated = await page.evaluate(() => ({
      dark: matchMedia('(prefers-color-scheme: dark)').matches,
      print: matchMedia('print').matches,
    }));
    if (
      emulated.dark !== (mode.colorScheme === 'dark') ||
      emulated.print !== (mode.media === 'print')
    ) {
      throw new Error(`${label}: the browser did not emulate ${describeMode(mode)}`);
    }
    const results = await runAxe(page);
    return {
      status: response?.status(),
      violations: formatAxe(`${label} [${describeMode(mode)}]`, results.violations),
      passes: results.passes.length,
    };
  } finally {
    await page.close();
  }
}

/**
 * Waits until the upload form in `scope` shows the chosen photo (an object
 * URL, drawn from memory): it fails if the page's policy blocked the preview.
 */
export async function expectUploadPreview(scope: Locator): Promise<void> {
  await expect
    .poll(() =>
      scope
        .locator('img.upload-preview')
        .first()
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    )
    .toBeGreaterThan(0);
}

/**
 * A screen of the newsroom app at 1280 px and at 375 px: each width with a
 * full-page screenshot into `shots` (for a person to look at), no sideways
 * scrolling, and no axe violations. Leaves the page at 1280 px.
 */
export async function checkBothWidths(shots: string, page: Page, name: string): Promise<void> {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
    const fits = await page.evaluate(
      () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
    );
    expect(fits, `${name} at ${width} px: sideways scrolling`).toBe(true);
    const results = await runAxe(page);
    expect(formatAxe(`${name} at ${width} px`, results.violations)).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
