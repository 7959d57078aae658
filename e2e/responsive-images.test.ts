import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { type RunningServer, startServer } from './server.js';

// The article page's lead photo in a phone and in a wide desktop window: the
// browser picks a rendition that fits, in AVIF, and nothing moves as it loads.

const ARTICLE = '/news/politics/velmora-council-agrees-to-publish-every-contract-it-signs';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function leadImage(viewport: { width: number; height: number }, deviceScaleFactor: number) {
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  const page = await context.newPage();
  // Count layout shifts from the very start of the page's life.
  await page.addInitScript(() => {
    const shifts: number[] = [];
    (window as unknown as { shifts: number[] }).shifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        shifts.push((entry as unknown as { value: number }).value);
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(`${server.baseUrl}${ARTICLE}`, { waitUntil: 'networkidle' });
  const image = page.locator('figure.lead img');
  const result = await image.evaluate((img) => {
    const element = img as HTMLImageElement;
    return {
      currentSrc: element.currentSrc,
      naturalWidth: element.naturalWidth,
      shownWidth: element.clientWidth,
    };
  });
  const shifts = await page.evaluate(() => (window as unknown as { shifts: number[] }).shifts);
  await context.close();
  return { ...result, cls: shifts.reduce((sum, value) => sum + value, 0) };
}

describe('responsive lead photo', () => {
  it('loads a small AVIF rendition on a 375 px phone, without layout shift', async () => {
    const phone = await leadImage({ width: 375, height: 740 }, 1);
    expect(phone.currentSrc).toMatch(/\/media\/[a-f0-9]{32}-640\.avif$/);
    expect(phone.naturalWidth).toBeGreaterThan(0);
    // Shown exactly as wide as `sizes` told the browser: calc(100vw - 2rem).
    expect(phone.shownWidth).toBe(375 - 32);
    expect(phone.cls).toBe(0);
  });

  it('loads a larger rendition on a 1440 px high-density screen, without layout shift', async () => {
    const desktop = await leadImage({ width: 1440, height: 900 }, 2);
    expect(desktop.currentSrc).toMatch(/\/media\/[a-f0-9]{32}-1280\.avif$/);
    expect(desktop.naturalWidth).toBeGreaterThan(0);
    // `sizes` says 40rem on wide screens: the layout must agree.
    expect(desktop.shownWidth).toBe(640);
    expect(desktop.cls).toBe(0);
  });
});
