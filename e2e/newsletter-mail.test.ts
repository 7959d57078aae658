import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from '../src/core/document.js';
import type { NewsletterArticle, NewsletterMailInput } from '../src/core/newsletters.js';
import { newsletterMail } from '../src/site/newsletter-mail.js';
import { launchBrowser } from './browser.js';

// A newsletter as a mail program shows it, in real Chromium: one column that
// fits a 375 px phone without sideways scrolling and reads on a desktop, a
// dark version when the reader's system is dark, credits under photos, and
// right-to-left when the list's language is. Photos are answered here, so
// nothing leaves the machine. Screenshots go to .tmp/shots for a person to
// look at.

const SHOTS = join(process.cwd(), '.tmp', 'shots');
let browser: Browser;
let photo: Buffer;

beforeAll(async () => {
  browser = await launchBrowser();
  photo = await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#557799' } })
    .jpeg()
    .toBuffer();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser.close();
});

const body: Doc = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'The river ferry ran again on Monday after a winter of repairs. ' },
        {
          type: 'text',
          text: 'The timetable is on the operator’s site',
          marks: [{ type: 'link', attrs: { href: 'https://ferry.example/timetable/2027/winter' } }],
        },
        { type: 'text', text: '.' },
      ],
    },
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'What changes' }] },
    {
      type: 'paragraph',
      content: [
        {
          type: 'text',
          text: 'A very long address nobody breaks by hand: https://news.example/a/very/long/path/that/goes/on/and/on/without/any/space/to/wrap/at/all',
        },
      ],
    },
    { type: 'image', attrs: { mediaId: 7, storyCaption: '' } },
    {
      type: 'blockquote',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'We missed it every day.' }] },
      ],
    },
  ],
};

const ferryPhoto = {
  src: 'https://news.example/media/ferry-1280.jpg',
  width: 1280,
  height: 720,
  alt: 'The ferry at the quay in the morning',
  caption: 'The ferry at the quay.',
  credit: 'Lantern Photo / Jonas Feld',
};

function article(overrides: Partial<NewsletterArticle> = {}): NewsletterArticle {
  return {
    title: 'Ferry service resumes on the river after a winter of repairs',
    standfirst: 'The crossing is back, with a new timetable and cheaper tickets for pensioners.',
    language: 'en',
    url: 'https://news.example/news/ferry-service-resumes',
    publishedAt: '2026-12-06T08:00:00.000Z',
    photo: ferryPhoto,
    body: { doc: body, photos: { 7: { ...ferryPhoto, caption: 'Passengers boarding.' } } },
    corrections: [{ type: 'correction', text: 'An earlier version gave the wrong day.' }],
    ...overrides,
  };
}

function input(overrides: Partial<NewsletterMailInput> = {}): NewsletterMailInput & {
  sentAt: string;
} {
  return {
    language: 'en',
    siteName: 'The Lantern',
    siteUrl: 'https://news.example',
    mirrorsUrl: 'https://news.example/mirrors',
    listName: 'Daily — English',
    subject: '',
    intro: 'Good morning. One story today.',
    articles: [article()],
    timeZone: 'Europe/Riga',
    unsubscribeUrl: 'https://news.example/newsletters/unsubscribe?t=unsubscribe.1.1.0.abc',
    sentAt: '2026-12-06T09:00:00.000Z',
    ...overrides,
  };
}

async function open(html: string, width: number, dark: boolean): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width, height: 900 },
    colorScheme: dark ? 'dark' : 'light',
  });
  const elsewhere: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('https://news.example/media/'))
      return route.fulfill({ status: 200, contentType: 'image/jpeg', body: photo });
    elsewhere.push(url);
    return route.abort();
  });
  await page.setContent(html, { waitUntil: 'load' });
  expect(elsewhere, 'a message loads nothing but the site’s own photos').toEqual([]);
  return page;
}

async function horizontalOverflow(page: Page): Promise<number> {
  return await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

describe('newsletter e-mail in Chromium', () => {
  it('fits a phone and a desktop, in light and dark, with credits under the photos', async () => {
    const mail = newsletterMail(input());
    for (const [width, dark] of [
      [375, false],
      [375, true],
      [1280, false],
      [1280, true],
    ] as const) {
      const page = await open(mail.html, width, dark);
      expect(await horizontalOverflow(page), `sideways scroll at ${width} px`).toBeLessThanOrEqual(
        0,
      );
      // Each photo's credit is right under it.
      const credits = await page.$$eval('figure', (figures) =>
        figures.map((figure) => ({
          img: figure.querySelector('img') !== null,
          caption: figure.querySelector('figcaption')?.textContent ?? '',
        })),
      );
      expect(credits).toHaveLength(2);
      for (const credit of credits) {
        expect(credit.img).toBe(true);
        expect(credit.caption).toContain('Photo: Lantern Photo / Jonas Feld');
      }
      const sheet = await page.$eval(
        'table.sheet',
        (element) => getComputedStyle(element).backgroundColor,
      );
      expect(sheet).toBe(dark ? 'rgb(28, 28, 28)' : 'rgb(255, 255, 255)');
      const ink = await page.$eval('h1', (element) => getComputedStyle(element).color);
      expect(ink).toBe(dark ? 'rgb(236, 236, 236)' : 'rgb(27, 27, 27)');
      await page.screenshot({
        path: join(SHOTS, `newsletter-${width}-${dark ? 'dark' : 'light'}.png`),
        fullPage: true,
      });
      await page.close();
    }
  });

  it('lays out a digest, and right to left for a right-to-left list', async () => {
    const digest = newsletterMail(
      input({
        articles: [
          article({ body: null }),
          article({
            title: 'Council approves the budget',
            photo: null,
            body: null,
            corrections: [],
          }),
        ],
      }),
    );
    const page = await open(digest.html, 375, false);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await page.$$eval('h2.headline', (items) => items.length)).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'newsletter-digest-375.png'), fullPage: true });
    await page.close();

    const rtl = newsletterMail(
      input({
        language: 'ar',
        listName: 'النشرة اليومية',
        articles: [article({ title: 'عودة خدمة العبّارة', language: 'ar', corrections: [] })],
      }),
    );
    const right = await open(rtl.html, 375, false);
    expect(await right.$eval('html', (element) => element.dir)).toBe('rtl');
    expect(
      await right.$eval('td.sheet-cell', (element) => getComputedStyle(element).textAlign),
    ).toBe('right');
    expect(await horizontalOverflow(right)).toBeLessThanOrEqual(0);
    await right.screenshot({ path: join(SHOTS, 'newsletter-rtl-375.png'), fullPage: true });
    await right.close();
  });
});
