import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { expectUploadPreview, formatAxe, runAxe } from './checks.js';
import {
  addStaff,
  publishFromEditor,
  type RunningServer,
  signInToAdmin,
  startServer,
} from './server.js';

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
    const { html } = await publishFromEditor(page, server);
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

/** A new article in a 1280 px window, signed in as the photo desk's editor. */
async function newArticle(): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInToAdmin(page, server, EDITOR, PASSWORD);
  await page.getByRole('link', { name: 'New article', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
  return { page, close: () => context.close() };
}

const isFocused = (locator: Locator) =>
  locator.evaluate((element) => element === document.activeElement);

/**
 * Moves the cursor with a key the browser handles (Ctrl+End). ProseMirror
 * reads such a move a moment later, but at once when something is typed: a
 * letter is typed and taken back, so a paste that follows lands there.
 */
async function moveCursor(page: Page, key: string) {
  await page.keyboard.press(key);
  await page.keyboard.type('x');
  await page.keyboard.press('Backspace');
}

/** Chooses the library's first `count` photos in an open picker and takes them with its button. */
async function choosePhotos(picker: Locator, count: number, action: string | RegExp) {
  const photos = picker.locator('.photo-grid button');
  await expect.poll(() => photos.count()).toBeGreaterThanOrEqual(count);
  for (let index = 0; index < count; index += 1) await photos.nth(index).click();
  await picker.getByRole('button', { name: action }).click();
  await picker.waitFor({ state: 'detached' });
}

describe('photo pickers and the keyboard', () => {
  it('gives the focus back to what opened a picker, closed with Escape or used', async () => {
    const { page, close } = await newArticle();

    // The lead photo: opened from the keyboard, closed with Escape, then used.
    const choose = page.getByRole('button', { name: 'Choose lead photo' });
    await choose.focus();
    await page.keyboard.press('Enter');
    const leadPicker = page.getByRole('dialog', { name: 'Lead photo' });
    await leadPicker.waitFor();
    await expect.poll(() => isFocused(choose)).toBe(false);
    await page.keyboard.press('Escape');
    await leadPicker.waitFor({ state: 'detached' });
    await expect.poll(() => isFocused(choose)).toBe(true);
    await page.keyboard.press('Enter');
    await leadPicker.waitFor();
    const first = leadPicker.locator('.photo-grid button').first();
    await first.waitFor();
    await first.focus();
    await page.keyboard.press('Space');
    await leadPicker.getByRole('button', { name: 'Use as lead photo' }).focus();
    await page.keyboard.press('Enter');
    await leadPicker.waitFor({ state: 'detached' });
    // The same button, now saying what it does next.
    await expect
      .poll(() => isFocused(page.getByRole('button', { name: 'Change lead photo' })))
      .toBe(true);

    // A photo in the text, from the toolbar: Escape goes back to the button.
    await body(page).click();
    await page.keyboard.type('The count ran until dawn.');
    const photoButton = page
      .getByRole('toolbar', { name: 'Formatting' })
      .getByRole('button', { name: 'Photo', exact: true });
    await photoButton.focus();
    await page.keyboard.press('Enter');
    const picker = page.getByRole('dialog', { name: 'Photo in the text' });
    await picker.waitFor();
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => isFocused(photoButton)).toBe(true);
    // Used, the photo goes into the text and the focus goes on to the line
    // below it, to go on writing.
    await page.keyboard.press('Enter');
    await picker.waitFor();
    const photo = picker.locator('.photo-grid button').first();
    await photo.waitFor();
    await photo.focus();
    await page.keyboard.press('Space');
    await picker.getByRole('button', { name: 'Insert photo' }).focus();
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => body(page).locator('figure.image').count()).toBe(1);
    await expect.poll(() => isFocused(body(page))).toBe(true);
    await page.keyboard.type('After the photo.');
    expect(
      await body(page)
        .locator('figure.image')
        .evaluate((figure) => figure.nextElementSibling?.textContent),
    ).toBe('After the photo.');

    // Opened from the / menu, it gives the focus back to the text.
    await page.keyboard.press('Enter');
    await page.keyboard.type('/photo');
    await page.keyboard.press('Enter');
    await picker.waitFor();
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => isFocused(body(page))).toBe(true);
    await close();
  });
});

describe('cutting and pasting pictures in the text', () => {
  it('keeps a photo and a gallery cut and pasted elsewhere, with their ids and captions, to readers', async () => {
    const { page, close } = await newArticle();
    await page.getByLabel('Headline', { exact: true }).fill('Boats back in the harbour');
    await page.getByLabel('Section').selectOption('news/politics');
    await body(page).click();
    await page.keyboard.type('First paragraph.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Second paragraph.');
    // The text's blocks, pictures by their kind, empty lines left out.
    const blockOrder = () =>
      body(page).evaluate((element) =>
        Array.from(element.children)
          .map((child) =>
            child.tagName === 'FIGURE'
              ? (['image', 'gallery'].find((kind) => child.classList.contains(kind)) ?? '')
              : child.textContent,
          )
          .filter((block) => block !== ''),
      );

    // A photo with a caption for this article after the first paragraph; a gallery after the second.
    await body(page).locator('p').first().click();
    await page.keyboard.press('End');
    await page.getByRole('button', { name: 'Photo', exact: true }).click();
    await choosePhotos(page.getByRole('dialog', { name: 'Photo in the text' }), 1, 'Insert photo');
    const photo = body(page).locator('figure.image');
    await photo.click();
    await page.getByLabel(/^Caption in this article/).fill('The quay at midnight.');
    await body(page).locator('p', { hasText: 'Second paragraph.' }).click();
    await page.keyboard.press('End');
    await page.getByRole('button', { name: 'Gallery', exact: true }).click();
    await choosePhotos(
      page.getByRole('dialog', { name: 'Photos for a gallery' }),
      2,
      'Insert gallery (2 photos)',
    );
    const gallery = body(page).locator('figure.gallery');
    await gallery.click();
    await page.getByLabel('Gallery caption').fill('Boats in a row');
    const photoData = await photo.evaluate((figure: HTMLElement) => ({ ...figure.dataset }));
    const galleryData = await gallery.evaluate((figure: HTMLElement) => ({ ...figure.dataset }));
    expect(photoData).toMatchObject({ mediaId: expect.stringMatching(/^\d+$/) });
    expect(photoData.storyCaption).toBe('The quay at midnight.');
    expect(JSON.parse(galleryData.photos ?? '[]')).toHaveLength(2);
    expect(await blockOrder()).toEqual([
      'First paragraph.',
      'image',
      'Second paragraph.',
      'gallery',
    ]);

    // Cut (the picture selected, Ctrl+X), moved with the keyboard (the
    // caption fields above the text come and go with the selection, so a
    // click could land a line off) and pasted (Ctrl+V): the photo to the end,
    // the gallery to the top.
    await photo.click();
    await page.keyboard.press('Control+x');
    await expect.poll(() => photo.count()).toBe(0);
    await moveCursor(page, 'Control+End');
    await page.keyboard.press('Control+v');
    await expect.poll(() => photo.count()).toBe(1);
    await gallery.click();
    await page.keyboard.press('Control+x');
    await expect.poll(() => gallery.count()).toBe(0);
    await moveCursor(page, 'Control+Home');
    await page.keyboard.press('Control+v');
    await expect.poll(() => gallery.count()).toBe(1);
    expect(await blockOrder()).toEqual([
      'gallery',
      'First paragraph.',
      'Second paragraph.',
      'image',
    ]);
    // The very same pictures, with their captions: every attribute came back.
    expect(await photo.evaluate((figure: HTMLElement) => ({ ...figure.dataset }))).toEqual(
      photoData,
    );
    expect(await gallery.evaluate((figure: HTMLElement) => ({ ...figure.dataset }))).toEqual(
      galleryData,
    );
    await photo.click();
    expect(await page.getByLabel(/^Caption in this article/).inputValue()).toBe(
      'The quay at midnight.',
    );

    await page.getByText(/^All changes saved at/).waitFor();
    const { html } = await publishFromEditor(page, server);
    // Where each part is in the article's text (the first paragraph is also the page's description).
    const text = html.slice(html.indexOf('class="article-body"'));
    const at = (part: string) => text.indexOf(part);
    const order = [
      '<figcaption class="gallery-caption">Boats in a row</figcaption>',
      'First paragraph.',
      'Second paragraph.',
      '<span class="caption">The quay at midnight.</span>',
    ].map(at);
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The library's photo itself, by its id: its alt text from the record.
    expect(text).toContain(`alt="${photoData.alt}"`);
    await close();
  });
});

async function checkAxe(page: Page, label: string): Promise<void> {
  const results = await runAxe(page);
  expect(formatAxe(label, results.violations)).toEqual([]);
}
