import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { expectUploadPreview, formatAxe, runAxe } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// Photos as a reporter handles them: pasted and dropped into the text (each
// described before it is sent), chosen from the library's pictures, gathered
// in a gallery, captioned for one article, and cropped around their subject.

const PASSWORD = 'a photo desk password long enough';
const EDITOR = 'photos@lantern.example';
let server: RunningServer;
let browser: Browser;
/** A small PNG of one colour, as base64, so the page can make a File of it. */
let pngBase64: (colour: string) => Promise<string>;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, { email: EDITOR, name: 'Pia Photo', role: 'editor', password: PASSWORD });
  pngBase64 = async (colour) =>
    (
      await sharp({ create: { width: 640, height: 420, channels: 3, background: colour } })
        .png()
        .toBuffer()
    ).toString('base64');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const body = (page: Page) => page.getByRole('textbox', { name: 'Article text' });

/** Dispatches what the browser sends when files are pasted (kind "paste") or dropped. */
async function sendFiles(
  page: Page,
  kind: 'paste' | 'drop',
  files: { name: string; base64: string; type?: string }[],
): Promise<void> {
  await body(page).evaluate(
    (element, { kind, files }) => {
      const data = new DataTransfer();
      for (const file of files) {
        const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], file.name, { type: file.type ?? 'image/png' }));
      }
      const box = element.getBoundingClientRect();
      const event =
        kind === 'paste'
          ? new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
          : new DragEvent('drop', {
              dataTransfer: data,
              bubbles: true,
              cancelable: true,
              clientX: box.left + 20,
              clientY: box.bottom - 10,
            });
      element.dispatchEvent(event);
    },
    { kind, files },
  );
}

/** Fills in one photo of the describe-before-upload form. */
async function describePhoto(page: Page, index: number, alt: string, credit: string) {
  const form = page.locator('.upload-list > li').nth(index);
  await form.getByLabel(/^Alt text/).fill(alt);
  await form.getByLabel(/^Credit, as printed/).fill(credit);
}

describe('photos in the editor', () => {
  it('takes pasted and dropped photos, a gallery and a caption for this article to readers', async () => {
    // The page's own CSP applies here (no bypass): previews of chosen files must load under it.
    const context = await browser.newContext();
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    await page.getByRole('link', { name: 'New article', exact: true }).first().click();
    await page.getByLabel('Headline', { exact: true }).fill('Night of the count');
    await page.getByLabel('Section').selectOption('news/politics');
    await body(page).click();
    await page.keyboard.type('The count ran until dawn.');

    // Pasted: described first, then placed where the cursor was.
    await sendFiles(page, 'paste', [{ name: 'hall.png', base64: await pngBase64('#335577') }]);
    const describe = page.getByRole('dialog', { name: 'Describe the photos before they go in' });
    await describe.waitFor();
    await expectUploadPreview(describe);
    await describePhoto(page, 0, 'Counting tables in the town hall.', 'Lantern Wire / Pia Photo');
    await describe.getByRole('button', { name: 'Upload and insert' }).click();
    await expect.poll(() => body(page).locator('figure.image img').count()).toBe(1);
    // At the cursor: right after the sentence typed before the paste.
    expect(
      await body(page).evaluate(
        (element) => element.firstElementChild?.nextElementSibling?.tagName,
      ),
    ).toBe('FIGURE');

    // A copy from Word or LibreOffice carries a picture of the text beside it: it pastes as text.
    await body(page).evaluate(
      async (element, base64) => {
        const data = new DataTransfer();
        data.setData('text/plain', 'Copied from a word processor.');
        data.setData('text/html', '<p>Copied from a word processor.</p>');
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
        element.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      },
      await pngBase64('#ffffff'),
    );
    await expect.poll(() => body(page).textContent()).toContain('Copied from a word processor.');
    expect(await describe.count()).toBe(0);

    // A phone's HEIC photo is not dropped silently: the form says what to do.
    await sendFiles(page, 'drop', [
      { name: 'IMG_0001.heic', base64: 'AAAAAAAAAAA=', type: 'image/heic' },
    ]);
    await describe
      .getByRole('alert')
      .filter({ hasText: 'IMG_0001.heic is not a photo Masthead can read' })
      .waitFor();
    await describe.getByRole('button', { name: 'Cancel' }).click();
    expect(await describe.count()).toBe(0);

    // Dropped: two at once, each with its own alt text; the upload shows its progress.
    await sendFiles(page, 'drop', [
      { name: 'queue.png', base64: await pngBase64('#775533') },
      { name: 'ballots.png', base64: await pngBase64('#557733') },
    ]);
    await describe.waitFor();
    expect(await describe.locator('.upload-list > li').count()).toBe(2);
    await describePhoto(page, 0, 'Voters queuing at night.', 'Lantern Wire / Pia Photo');
    await describePhoto(page, 1, 'Ballot boxes on a table.', 'Lantern Wire / Pia Photo');
    // The second upload fails once: it stays in the form, described, with the reason.
    let uploads = 0;
    await page.route('**/api/media', async (route) => {
      uploads += 1;
      if (uploads === 2)
        await route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'internal', message: 'the server stumbled' } }),
        });
      else await route.continue();
    });
    await describe.getByRole('button', { name: 'Upload and insert (2 photos)' }).click();
    await describe
      .getByRole('alert')
      .filter({ hasText: /^Not uploaded/ })
      .waitFor();
    expect(await describe.locator('.upload-list > li').count()).toBe(1);
    expect(await describe.getByLabel(/^Alt text/).inputValue()).toBe('Ballot boxes on a table.');
    expect(await body(page).locator('figure.image img').count()).toBe(1);
    await describe.getByRole('button', { name: 'Upload and insert' }).click();
    await expect.poll(() => body(page).locator('figure.image img').count()).toBe(3);
    await page.unroute('**/api/media');

    // A caption for this article only, on the selected photo.
    await body(page).locator('figure.image').first().click();
    await page.getByLabel(/^Caption in this article/).fill('The hall at two in the morning.');

    // A gallery, chosen from the library's pictures in the order clicked.
    await body(page).locator('p').first().click();
    await page.keyboard.press('End');
    await page.getByRole('button', { name: 'Gallery', exact: true }).click();
    const picker = page.getByRole('dialog', { name: 'Photos for a gallery' });
    await picker.getByLabel('Search captions, credits and photographers').fill('Pia Photo');
    await expect.poll(() => picker.locator('.photo-grid button').count()).toBe(3);
    await picker.getByRole('button', { name: /Voters queuing/ }).click();
    await picker.getByRole('button', { name: /Ballot boxes/ }).click();
    expect(
      await picker.getByRole('button', { name: /Voters queuing/ }).getAttribute('aria-pressed'),
    ).toBe('true');
    await picker.getByRole('button', { name: 'Insert gallery (2 photos)' }).click();
    await expect.poll(() => body(page).locator('figure.gallery img').count()).toBe(2);
    await body(page).locator('figure.gallery').click();
    await page.getByLabel('Gallery caption').fill('The night in pictures');

    await page.getByText(/^All changes saved at/).waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Publish this article?' })
      .getByRole('button', { name: 'Publish now' })
      .click();
    await page.getByText('Published.').waitFor();
    const url = (await page.locator('.article-state code').textContent()) ?? '';
    const html = await (await fetch(`${server.baseUrl}${url}`)).text();
    expect(html).toContain('<span class="caption">The hall at two in the morning.</span>');
    expect(html).toContain(
      '<figcaption class="gallery-caption">The night in pictures</figcaption>',
    );
    expect(html.match(/alt="Voters queuing at night\."/g)).toHaveLength(2);
    expect(blocked).toEqual([]);
    await context.close();
  });

  it('sets a focal point by clicking the picture, kept after a reload, on a 375 px phone', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    await page.goto(`${server.baseUrl}/admin/#/media`);
    await page.getByRole('heading', { level: 1, name: 'Photos' }).waitFor();
    await page.getByLabel('Search captions, credits and photographers').fill('Counting tables');
    const row = page.locator('.media-item');
    await expect.poll(() => row.count()).toBe(1);
    const picture = row.getByRole('button', { name: /^Set the focal point/ });
    await picture.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await picture.scrollIntoViewIfNeeded();
    const box = await picture.boundingBox();
    if (!box) throw new Error('the picture is not shown');
    await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.25);
    expect(Number(await row.getByLabel('From the left, %').inputValue())).toBeCloseTo(80, -1);
    expect(Number(await row.getByLabel('From the top, %').inputValue())).toBeCloseTo(25, -1);
    await row.getByLabel('From the top, %').fill('30');
    await row.getByRole('button', { name: /^Save photo/ }).click();
    await row.getByText(/^Saved:/).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await page.reload();
    await page.getByLabel('Search captions, credits and photographers').fill('Counting tables');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByLabel('From the top, %').inputValue()).toBe('30');
    await checkAxe(page, 'the Photos screen on a phone');
    const fitsPhone = async () =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        375,
      );

    // Several photos described at once, on the phone too.
    await page.getByLabel('Upload photos').setInputFiles([
      {
        name: 'a.png',
        mimeType: 'image/png',
        buffer: Buffer.from(await pngBase64('#123456'), 'base64'),
      },
      {
        name: 'b.png',
        mimeType: 'image/png',
        buffer: Buffer.from(await pngBase64('#654321'), 'base64'),
      },
    ]);
    expect(await page.locator('.upload-list > li').count()).toBe(2);
    await fitsPhone();
    await checkAxe(page, 'describing two photos on a phone');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // The picker on the phone: a grid of pictures, usable and within the screen.
    await page.getByRole('link', { name: 'New article', exact: true }).first().click();
    await body(page).click();
    await page.getByRole('button', { name: 'Photo', exact: true }).click();
    const picker = page.getByRole('dialog', { name: 'Photo in the text' });
    await expect.poll(() => picker.locator('.photo-grid button').count()).toBeGreaterThan(2);
    await fitsPhone();
    expect(await picker.evaluate((dialog) => dialog.scrollWidth <= dialog.clientWidth)).toBe(true);
    await checkAxe(page, 'the photo picker on a phone');
    await picker.getByRole('button', { name: /Counting tables/ }).click();
    await picker.getByRole('button', { name: 'Insert photo' }).click();
    await expect.poll(() => body(page).locator('figure.image img').count()).toBe(1);
    await context.close();
  });
});

async function checkAxe(page: Page, label: string): Promise<void> {
  const results = await runAxe(page);
  expect(formatAxe(label, results.violations)).toEqual([]);
}
