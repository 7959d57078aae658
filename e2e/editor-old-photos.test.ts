import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// An article whose photos are older than the library's newest 200 (the list
// the editor loads): the editor still shows them, with their credit, instead
// of "No lead photo".

const PASSWORD = 'an archive desk password long enough';
const EDITOR = 'archive@lantern.example';
const ALT = 'Ferries moored at the old harbour in winter';
const CREDIT = 'Lantern Wire / Maarit Koski';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, {
    email: EDITOR,
    name: 'Aino Archive',
    role: 'editor',
    password: PASSWORD,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * Through the API as the signed-in page: uploads the old photo and writes an
 * article with it as lead photo and photo for shared links. Then 201 newer
 * photos go straight into the database, as years of uploads would have.
 */
async function articleWithOldPhoto(page: Page): Promise<{ articleId: number; mediaId: number }> {
  const base = server.baseUrl;
  const session = await page.request.get(`${base}/api/session`);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': csrfToken };
  const bytes = await sharp({
    create: { width: 1200, height: 800, channels: 3, background: '#2f5d7c' },
  })
    .jpeg()
    .toBuffer();
  const uploaded = await page.request.post(`${base}/api/media`, {
    headers,
    multipart: {
      file: { name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: bytes },
      alt: ALT,
      caption: 'The harbour in January.',
      credit: CREDIT,
    },
  });
  expect(uploaded.status(), await uploaded.text()).toBe(201);
  const mediaId = ((await uploaded.json()) as { id: number }).id;
  const created = await page.request.post(`${base}/api/articles`, {
    headers,
    data: {
      title: 'The harbour, ten years on',
      section: 'news/politics',
      language: 'en',
      body: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'It was quieter.' }] }],
      },
      leadMediaId: mediaId,
      socialImageId: mediaId,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const articleId = ((await created.json()) as { id: number }).id;

  const db = new Database(join(server.dataDir, 'masthead.sqlite'));
  try {
    const insert = db.prepare(
      `insert into media (kind, alt, caption, credit_json, created_at)
       values ('image', ?, ?, '[{"name":"Other Agency","role":"agency"}]', '2026-03-01T09:00:00.000Z')`,
    );
    db.transaction(() => {
      for (let n = 0; n < 201; n++) insert.run(`Newer photo ${n}`, `Newer ${n}`);
    })();
  } finally {
    db.close();
  }
  // The editor's list no longer holds the old photo.
  const list = (await (await page.request.get(`${base}/api/media`)).json()) as {
    media: { id: number }[];
  };
  expect(list.media).toHaveLength(200);
  expect(list.media.map((item) => item.id)).not.toContain(mediaId);
  return { articleId, mediaId };
}

/** Replaces the article's body through the API as the signed-in page, as an import would have written it. */
async function writeBody(page: Page, articleId: number, body: unknown): Promise<void> {
  const base = server.baseUrl;
  const session = await page.request.get(`${base}/api/session`);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const article = await page.request.get(`${base}/api/articles/${articleId}`);
  const { version } = (await article.json()) as { version: number };
  const saved = await page.request.patch(`${base}/api/articles/${articleId}`, {
    headers: { 'x-csrf-token': csrfToken },
    data: { version, body },
  });
  expect(saved.status(), await saved.text()).toBe(200);
}

/** The article's body as stored, and its version. */
async function stored(page: Page, articleId: number): Promise<{ body: unknown; version: number }> {
  const article = await page.request.get(`${server.baseUrl}/api/articles/${articleId}`);
  const { body, version } = (await article.json()) as { body: unknown; version: number };
  return { body, version };
}

describe('an article with a photo older than the newest 200', () => {
  it('shows its lead photo and credit, its shared-link photo, and both in the publish check', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    const { articleId } = await articleWithOldPhoto(page);

    await page.goto(`${server.baseUrl}/admin/#/articles/${articleId}`);
    const lead = page.getByRole('group', { name: 'Lead photo' });
    const preview = lead.locator('img.lead-preview');
    await preview.waitFor();
    expect(await preview.getAttribute('alt')).toBe(ALT);
    // The picture itself loads (a rendition of the stored photo).
    await expect
      .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    expect(await lead.locator('.credit').textContent()).toBe(CREDIT);
    expect(await lead.getByText('No lead photo.').count()).toBe(0);
    expect(await lead.getByRole('button', { name: 'Change lead photo' }).count()).toBe(1);

    // Search and social: the chosen photo for shared links is named and shown.
    const panel = page.getByRole('region', { name: 'Search and social' });
    await panel.getByText(`Chosen for shared links: ${ALT}`).waitFor();
    const card = panel.getByRole('figure', { name: 'As a shared link' });
    expect(await card.locator('img.card-preview-image').getAttribute('alt')).toBe(ALT);

    // The check before publishing names the lead photo and its credit.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Publish this article?' });
    await confirm.getByText(`${ALT} — credit: ${CREDIT}`).waitFor();
    await confirm.getByRole('button', { name: 'Not yet' }).click();
    await context.close();
  });

  it('shows the lead photo on a 375 px phone too', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    const { articleId } = await articleWithOldPhoto(page);
    await page.goto(`${server.baseUrl}/admin/#/articles/${articleId}`);
    await page.getByRole('button', { name: 'Publishing and settings' }).click();
    const lead = page.getByRole('group', { name: 'Lead photo' });
    await lead.locator('img.lead-preview').waitFor();
    await lead.scrollIntoViewIfNeeded();
    expect(await lead.locator('.credit').textContent()).toBe(CREDIT);
    await context.close();
  });
});

describe('a photo an import left linked to another site', () => {
  it('says in the editor where the photo leads, and the link can be removed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    const { articleId, mediaId } = await articleWithOldPhoto(page);
    const base = server.baseUrl;
    const photo = (await (await page.request.get(`${base}/api/media/${mediaId}`)).json()) as {
      url: string;
    };
    // As a WordPress or Ghost import writes a picture inside a link.
    await writeBody(page, articleId, {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'It was quieter.' }] },
        { type: 'image', attrs: { mediaId, src: photo.url, href: 'https://spam.example/offer' } },
      ],
    });

    await page.goto(`${base}/admin/#/articles/${articleId}`);
    // The text is the shared one (the editor swaps to it once it is in step).
    await page.locator('[data-shared-text="on"]').waitFor();
    const text = page.getByRole('textbox', { name: 'Article text' });
    await text.locator('figure.image').click();
    await page.getByText('Readers who press the photo go to').waitFor();
    expect(
      await page.getByRole('link', { name: 'https://spam.example/offer' }).getAttribute('href'),
    ).toBe('https://spam.example/offer');
    await page.getByRole('button', { name: 'Remove the link' }).click();
    await expect
      .poll(
        async () => {
          const article = (await (
            await page.request.get(`${base}/api/articles/${articleId}`)
          ).json()) as { body: unknown };
          return JSON.stringify(article.body);
        },
        { timeout: 15_000 },
      )
      .not.toContain('spam.example');
    expect(await page.getByText('Readers who press the photo go to').count()).toBe(0);
    await context.close();
  });
});

describe('pictures an import wrote with their photo’s id only', () => {
  it('shows them in the editor from the library, without changing the text', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInToAdmin(page, server, EDITOR, PASSWORD);
    const { articleId, mediaId } = await articleWithOldPhoto(page);
    const base = server.baseUrl;
    // As an import writes them: the id, no address (the text of a migrated
    // archive does not know Masthead's files).
    await writeBody(page, articleId, {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'It was quieter.' }] },
        { type: 'image', attrs: { mediaId } },
        { type: 'gallery', attrs: { photos: [{ mediaId }, { mediaId }], caption: 'Twice.' } },
      ],
    });
    const before = await stored(page, articleId);

    await page.goto(`${base}/admin/#/articles/${articleId}`);
    await page.locator('[data-shared-text="on"]').waitFor();
    const text = page.getByRole('textbox', { name: 'Article text' });
    const picture = text.locator('figure.image img');
    await picture.waitFor();
    // The photo itself loads, with its alt text and its caption and credit beside it.
    await expect
      .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    expect(await picture.getAttribute('alt')).toBe(ALT);
    expect(await text.locator('figure.image figcaption').textContent()).toBe(
      `The harbour in January. ${CREDIT}`,
    );
    await expect.poll(() => text.locator('figure.gallery img').count()).toBe(2);
    // Nothing was saved by looking (a change would be saved a second after it):
    // the text is as the import wrote it, in the same version.
    await page.waitForTimeout(2500);
    expect(await stored(page, articleId)).toEqual(before);
    await context.close();
  });
});
