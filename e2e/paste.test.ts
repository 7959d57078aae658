import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { addStaff, REPO_ROOT, type RunningServer, signInToAdmin, startServer } from './server.js';

// Pasting from the programs reporters write in (test/fixtures/paste): the
// structure and the marks arrive, nothing else does, and the admin's CSP has
// nothing to block.

const PASSWORD = 'a paste password that is long enough';
const EDITOR = 'paste@lantern.example';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, { email: EDITOR, name: 'Pat Paste', role: 'editor', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const signIn = (page: Page) => signInToAdmin(page, server, EDITOR, PASSWORD);

describe('paste into the body', () => {
  it.each(['google-docs', 'word-desktop', 'word-web', 'libreoffice', 'web-page'])(
    'keeps headings, bold, italic, links, lists and the table of a copy from %s',
    async (name) => {
      const html = await readFile(`${REPO_ROOT}test/fixtures/paste/${name}.html`, 'utf8');
      const context = await browser.newContext();
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await signIn(page);
      await page.evaluate(() => {
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`Content Security Policy: ${event.violatedDirective}`),
        );
      });
      await page.getByRole('link', { name: 'New article', exact: true }).first().click();
      const body = page.getByRole('textbox', { name: 'Article text' });
      await body.click();
      // What the browser does on Ctrl+V: a paste event carrying the clipboard's HTML.
      await body.evaluate((element, pasted) => {
        const data = new DataTransfer();
        data.setData('text/html', pasted);
        data.setData('text/plain', 'plain text fallback');
        element.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      }, html);
      await expect.poll(() => body.locator('h2').first().textContent()).toBe('Harbour budget');
      expect(await body.locator('h3').textContent()).toBe('What the records show');
      expect(await body.locator('strong').allTextContents()).toEqual(
        expect.arrayContaining(['4.2 million']),
      );
      // Not everything bold (Docs' wrapper): the sentence around it is plain.
      expect(await body.locator('strong').allTextContents()).not.toContain(
        'The port authority spent ',
      );
      expect(await body.locator('em').allTextContents()).toEqual(['nobody']);
      expect(await body.locator('a').getAttribute('href')).toBe('https://example.org/audit');
      expect(await body.locator('ul > li').allTextContents()).toEqual([
        'Three contracts went to one firm',
        'Two were never tendered',
      ]);
      expect(await body.locator('ol > li').allTextContents()).toEqual([
        'First the audit',
        'Then the vote',
      ]);
      expect(await body.locator('table tr').count()).toBe(3);
      expect(await body.locator('table tr').nth(2).locator('td, th').allTextContents()).toEqual([
        '2025',
        '2.3 m',
      ]);
      expect(await body.locator('[style*="font"], img, script, span').count()).toBe(0);
      // It is saved as the document the readers' page renders.
      await page.getByText(/^All changes saved at/).waitFor();
      expect(violations).toEqual([]);
      await context.close();
    },
  );
});
