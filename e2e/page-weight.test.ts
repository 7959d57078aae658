import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, SEED_ARTICLE_PATH, startServer } from './server.js';

// The article page must stay light: its HTML plus every stylesheet it links
// (screen and print), uncompressed, within 50 KB.

const BUDGET_BYTES = 51_200;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer('seed');
});

afterAll(async () => {
  await server?.stop();
});

/** Bytes of the decoded (uncompressed) body at `url`, which must answer 200. */
async function fetchBytes(url: string): Promise<{ bytes: number; text: string }> {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return { bytes: body.byteLength, text: body.toString('utf8') };
}

/** The href of every `<link>` whose rel list contains "stylesheet", in document order. */
function stylesheetHrefs(html: string): { href: string; media: string | null }[] {
  const links: { href: string; media: string | null }[] = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const attribute = (name: string) =>
      new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
        .exec(tag)
        ?.slice(1)
        .find((value) => value !== undefined) ?? null;
    const rel = attribute('rel')?.toLowerCase().split(/\s+/) ?? [];
    const href = attribute('href');
    if (rel.includes('stylesheet') && href) links.push({ href, media: attribute('media') });
  }
  return links;
}

describe('page weight', () => {
  it(`the article page with its stylesheets weighs at most ${BUDGET_BYTES} bytes`, async () => {
    const articleUrl = `${server.baseUrl}${SEED_ARTICLE_PATH}`;
    const page = await fetchBytes(articleUrl);
    const sheets = stylesheetHrefs(page.text);
    // Both the screen and the print stylesheet are counted.
    expect(sheets.length).toBeGreaterThanOrEqual(2);
    expect(sheets.some((sheet) => sheet.media === 'print')).toBe(true);
    expect(sheets.some((sheet) => sheet.media === null || sheet.media === 'all')).toBe(true);
    const parts = [{ url: articleUrl, bytes: page.bytes }];
    for (const sheet of sheets) {
      const url = new URL(sheet.href, articleUrl).href;
      parts.push({ url, bytes: (await fetchBytes(url)).bytes });
    }
    for (const part of parts) expect(part.bytes, part.url).toBeGreaterThan(0);
    const total = parts.reduce((sum, part) => sum + part.bytes, 0);
    const report = [
      ...parts.map((part) => `  ${String(part.bytes).padStart(7)}  ${new URL(part.url).pathname}`),
      `  ${String(total).padStart(7)}  total (budget ${BUDGET_BYTES})`,
    ].join('\n');
    console.log(`article page weight, uncompressed bytes:\n${report}`);
    expect(total, report).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
