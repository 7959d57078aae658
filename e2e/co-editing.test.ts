import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LatencyProxy, startLatencyProxy } from '../test/latency-proxy.js';
import { launchBrowser } from './browser.js';
import { formatAxe, runAxe } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// Several people typing into one article at once, in real Chromium: each
// browser reaches the server through a proxy that delays every packet, one of
// them loses the network mid-sentence and types on, and in the end every
// browser shows the same text, every typed word exactly once, and the server
// stores that text as the body. Then across two server processes sharing one
// PostgreSQL database.

const PASSWORD = 'a trustworthy password that is long';
const PEOPLE = [
  { email: 'dana@desk.example', name: 'Dana Desk' },
  { email: 'rui@desk.example', name: 'Rui Reporter' },
  { email: 'eve@desk.example', name: 'Eve Editor' },
] as const;

let browser: Browser;
let server: RunningServer;
const proxies: LatencyProxy[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  for (const person of PEOPLE)
    await addStaff(server, { ...person, role: 'editor', password: PASSWORD });
});

afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await browser?.close();
  await server?.stop();
});

async function proxied(target: RunningServer, latencyMs: number): Promise<LatencyProxy> {
  const proxy = await startLatencyProxy(target.port, latencyMs);
  proxies.push(proxy);
  return proxy;
}

/** A signed-in editor in a browser context of their own, reaching the server at `baseUrl`. */
async function editorAt(
  baseUrl: string,
  email: string,
  options: { width?: number; axe?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    ...(options.width ? { viewport: { width: options.width, height: 800 } } : {}),
    // Only so that axe-core can be injected; the app itself runs under the CSP.
    ...(options.axe ? { bypassCSP: true } : {}),
  });
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await signInToAdmin(page, { baseUrl } as RunningServer, email, PASSWORD);
  return page;
}

/** Writes a draft through the API with the page's session; answers its id. */
async function draftWith(page: Page, text: string): Promise<number> {
  return await page.evaluate(async (first) => {
    const session = await (await fetch('/api/session')).json();
    const response = await fetch('/api/articles', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({
        title: 'Typed together',
        section: 'news',
        language: 'en',
        body: {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: first }] }],
        },
      }),
    });
    return (await response.json()).id as number;
  }, text);
}

const bodyBox = (page: Page) => page.getByRole('textbox', { name: 'Article text' });

/** The text in the editor, without the others' carets and their names. */
async function editorText(page: Page): Promise<string> {
  return await bodyBox(page).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.shared-caret').forEach((caret) => {
      caret.remove();
    });
    return copy.textContent ?? '';
  });
}

async function storedText(page: Page, id: number): Promise<string> {
  return await page.evaluate(async (articleId) => {
    const article = await (await fetch(`/api/articles/${articleId}`)).json();
    const words: string[] = [];
    const walk = (node: { text?: string; content?: unknown[] }) => {
      if (node.text) words.push(node.text);
      for (const child of (node.content ?? []) as (typeof node)[]) walk(child);
    };
    walk(article.body);
    return words.join('');
  }, id);
}

async function openArticle(page: Page, baseUrl: string, id: number, others: string[]) {
  await page.goto(`${baseUrl}/admin/#/articles/${id}`);
  await bodyBox(page).waitFor();
  // In step with the others: they are listed as here.
  for (const name of others)
    await page.locator('.presence-bar').getByText(name).waitFor({ timeout: 15_000 });
}

/** `count` words only `who` types ("dana07"), so each can be found once in the end. */
function wordsOf(who: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${who}${String(i + 1).padStart(2, '0')}`);
}

async function typeWords(
  page: Page,
  words: string[],
  afterEach?: (index: number) => Promise<void>,
) {
  for (const [index, word] of words.entries()) {
    await page.keyboard.type(` ${word}`, { delay: 15 });
    await afterEach?.(index);
  }
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every browser shows one text, each typed word once and in its writer's order, and the server stores it. */
async function expectOneText(pages: Page[], id: number, typed: string[][]) {
  let texts: string[] = [];
  const converged = await until(async () => {
    texts = await Promise.all(pages.map(editorText));
    return texts.every((text) => text === texts[0]);
  }, 20_000);
  expect(converged, `the editors still differ:\n${texts.join('\n')}`).toBe(true);
  const text = texts[0] ?? '';
  for (const words of typed) {
    let at = -1;
    for (const word of words) {
      expect(text.split(word).length - 1, `${word} in “${text}”`).toBe(1);
      const found = text.indexOf(word);
      expect(found, `${word} after the words typed before it`).toBeGreaterThan(at);
      at = found;
    }
  }
  const first = pages[0] as Page;
  let stored = '';
  const isStored = await until(async () => {
    stored = await storedText(first, id);
    return stored === text;
  }, 15_000);
  expect(isStored, `stored “${stored}”, on screen “${text}”`).toBe(true);
}

describe('editing one article together', () => {
  it('two editors on slow lines, one cut off mid-sentence, end with one text that the server stores', async () => {
    const [slow, slower] = await Promise.all([proxied(server, 80), proxied(server, 150)]);
    const [dana, rui] = await Promise.all([
      editorAt(slow.baseUrl, PEOPLE[0].email),
      editorAt(slower.baseUrl, PEOPLE[1].email),
    ]);
    const id = await draftWith(dana, 'The bridge stays shut.');
    await Promise.all([
      openArticle(dana, slow.baseUrl, id, [PEOPLE[1].name]),
      openArticle(rui, slower.baseUrl, id, [PEOPLE[0].name]),
    ]);
    await bodyBox(dana).click();
    await dana.keyboard.press('End');
    await bodyBox(rui).click();
    await rui.keyboard.press('Home');
    // Each sees where the other is typing, by name.
    await dana.locator('.shared-caret-name', { hasText: PEOPLE[1].name }).waitFor();

    const danaWords = wordsOf('dana', 16);
    const ruiWords = wordsOf('rui', 16);
    await Promise.all([
      typeWords(dana, danaWords),
      typeWords(rui, ruiWords, async (index) => {
        // The network goes after the sixth word and comes back four words later;
        // meanwhile the editor says so, and the typing goes on.
        if (index === 5) slower.cut();
        if (index === 6) await rui.getByText(/^Offline: your words are kept/).waitFor();
        if (index === 9) slower.restore();
      }),
    ]);
    await expectOneText([dana, rui], id, [danaWords, ruiWords]);
    await rui.getByText(/^All changes saved at/).waitFor({ timeout: 15_000 });
    await dana.context().close();
    await rui.context().close();
  });

  it('three editors typing at once into two paragraphs end with one text', async () => {
    const lines = await Promise.all([
      proxied(server, 60),
      proxied(server, 120),
      proxied(server, 200),
    ]);
    const pages = await Promise.all(
      PEOPLE.map((person, index) => editorAt((lines[index] as LatencyProxy).baseUrl, person.email)),
    );
    const [dana, rui, eve] = pages as [Page, Page, Page];
    const id = await draftWith(dana, 'First paragraph.');
    await Promise.all(
      pages.map((page, index) =>
        openArticle(
          page,
          (lines[index] as LatencyProxy).baseUrl,
          id,
          PEOPLE.filter((_, other) => other !== index).map((person) => person.name),
        ),
      ),
    );
    // Dana makes a second paragraph; the others wait to see it.
    await bodyBox(dana).click();
    await dana.keyboard.press('End');
    await dana.keyboard.press('Enter');
    await dana.keyboard.type('Second paragraph.');
    for (const page of [rui, eve])
      await until(async () => (await editorText(page)).includes('Second paragraph.'), 10_000);
    // Rui at the end of the first paragraph, Eve at the end of the second, Dana at the very start.
    await rui.locator('.body-editor p').first().click();
    await rui.keyboard.press('End');
    await eve.locator('.body-editor p').nth(1).click();
    await eve.keyboard.press('End');
    await bodyBox(dana).press('Control+Home');
    const typed = [wordsOf('dana', 10), wordsOf('rui', 10), wordsOf('eve', 10)];
    await Promise.all(pages.map((page, index) => typeWords(page, typed[index] as string[])));
    await expectOneText(pages, id, typed);
    for (const page of pages) await page.context().close();
  });
});

describe('notes on a passage', () => {
  it('puts a note on selected words for a colleague named with @, who replies from a phone; the note follows the words and goes when resolved', async () => {
    const dana = await editorAt(server.baseUrl, PEOPLE[0].email, { axe: true });
    const rui = await editorAt(server.baseUrl, PEOPLE[1].email, { width: 375, axe: true });
    const id = await draftWith(dana, 'The council met on Tuesday to vote on the budget.');
    await Promise.all([
      openArticle(dana, server.baseUrl, id, [PEOPLE[1].name]),
      openArticle(rui, server.baseUrl, id, [PEOPLE[0].name]),
    ]);
    // Dana selects “met on Tuesday” and writes a note naming Rui.
    await bodyBox(dana).evaluate((element) => {
      const text = element.querySelector('p')?.firstChild as Text;
      const at = (text.textContent ?? '').indexOf('met on Tuesday');
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + 'met on Tuesday'.length);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
    });
    await dana.getByRole('button', { name: 'Add a note on the selected words' }).click();
    await dana.getByLabel('Note on “met on Tuesday”').fill('Which Tuesday? @Rui');
    await dana.getByRole('button', { name: `@${PEOPLE[1].name}` }).click();
    await dana.getByRole('button', { name: 'Add the note' }).click();

    // Rui sees the words marked in the text at once, opens the thread from them and replies.
    const mark = rui.locator('.note-mark');
    await mark.waitFor();
    expect(await mark.textContent()).toBe('met on Tuesday');
    await mark.click();
    const thread = rui.getByRole('article', { name: `Note by ${PEOPLE[0].name}` });
    expect(await thread.textContent()).toContain(`Which Tuesday? @${PEOPLE[1].name}`);
    await thread.getByLabel('Reply').fill('The third of March.');
    await thread.getByRole('button', { name: 'Reply', exact: true }).click();
    await dana.getByText('The third of March.').waitFor();

    // Dana types before the passage: the mark stays on its words.
    await bodyBox(dana).click();
    await dana.keyboard.press('Control+Home');
    await dana.keyboard.type('Late news: ');
    await until(async () => (await editorText(rui)).startsWith('Late news: '), 5000);
    expect(await rui.locator('.note-mark').textContent()).toBe('met on Tuesday');

    for (const [page, label] of [
      [dana, 'editor with a note, desktop'],
      [rui, 'editor with a note, phone'],
    ] as const) {
      const results = await runAxe(page);
      expect(formatAxe(label, results.violations)).toEqual([]);
    }

    // Resolved: the mark goes from both screens, the thread waits among the resolved.
    await dana
      .getByRole('article', { name: `Note by ${PEOPLE[0].name}` })
      .getByRole('button', { name: 'Resolve' })
      .click();
    await until(async () => (await rui.locator('.note-mark').count()) === 0, 5000);
    expect(await rui.locator('.note-mark').count()).toBe(0);
    await dana.getByRole('button', { name: 'Show resolved notes (1)' }).click();
    await dana.getByText(`Resolved by ${PEOPLE[0].name}`).waitFor();
    await dana.context().close();
    await rui.context().close();
  });
});

describe('the desk', () => {
  it('gives a story to a writer, who sees it counted beside Desk, and starts writing it from her desk', async () => {
    const dana = await editorAt(server.baseUrl, PEOPLE[0].email);
    const eve = await editorAt(server.baseUrl, PEOPLE[2].email, { width: 375, axe: true });
    await eve.getByRole('heading', { level: 1, name: 'Your desk' }).waitFor();
    await dana.goto(`${server.baseUrl}/admin/#/desk`);
    await dana.getByRole('heading', { level: 1, name: 'Your desk' }).waitFor();
    await dana.getByLabel('Working title', { exact: true }).fill('Ferry strike talks');
    await dana.getByLabel('Writer', { exact: true }).selectOption({ label: PEOPLE[2].name });
    await dana.getByLabel('Note for the writer').fill('Both unions, before noon.');
    await dana.getByRole('button', { name: 'Give the story' }).click();
    await dana.getByText(`“Ferry strike talks” given to ${PEOPLE[2].name}.`).waitFor();

    // Eve's menu counts it and her desk shows it as it happens: no reload.
    await eve.locator('.nav-count').getByText('1').waitFor({ timeout: 5000 });
    await eve.getByText(`${PEOPLE[0].name} gave you a story: “Ferry strike talks”`).waitFor();
    expect(formatAxe('desk, phone', (await runAxe(eve)).violations)).toEqual([]);
    await eve.getByRole('button', { name: 'Start writing' }).click();
    const headline = eve.getByLabel('Headline', { exact: true });
    await headline.waitFor();
    expect(await headline.inputValue()).toBe('Ferry strike talks');
    await dana.context().close();
    await eve.context().close();
  });
});

const POSTGRES = process.env.TEST_DATABASE_URL ?? null;

describe.skipIf(POSTGRES === null)('editing together across two servers on PostgreSQL', () => {
  let first: RunningServer;
  let second: RunningServer;
  let database = '';

  beforeAll(async () => {
    database = `masthead_e2e_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES ?? '' });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const url = new URL(POSTGRES ?? '');
    url.pathname = `/${database}`;
    first = await startServer('sample', { DATABASE_URL: url.toString() });
    second = await startServer('sample', { DATABASE_URL: url.toString() });
    for (const person of PEOPLE.slice(0, 2))
      await addStaff(first, { ...person, role: 'editor', password: PASSWORD });
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    const admin = new pg.Client({ connectionString: POSTGRES ?? '' });
    await admin.connect();
    await admin.query(`drop database if exists ${database}`).catch(() => {});
    await admin.end();
  });

  it('brings each editor the other’s words through the other process and stores one text', async () => {
    const [a, b] = await Promise.all([proxied(first, 80), proxied(second, 80)]);
    const [dana, rui] = await Promise.all([
      editorAt(a.baseUrl, PEOPLE[0].email),
      editorAt(b.baseUrl, PEOPLE[1].email),
    ]);
    const id = await draftWith(dana, 'Two servers, one text.');
    await Promise.all([
      openArticle(dana, a.baseUrl, id, [PEOPLE[1].name]),
      openArticle(rui, b.baseUrl, id, [PEOPLE[0].name]),
    ]);
    await bodyBox(dana).click();
    await dana.keyboard.press('End');
    await bodyBox(rui).click();
    await rui.keyboard.press('Home');
    const typed = [wordsOf('dana', 12), wordsOf('rui', 12)];
    await Promise.all([
      typeWords(dana, typed[0] as string[]),
      typeWords(rui, typed[1] as string[]),
    ]);
    await expectOneText([dana, rui], id, typed);
    await dana.context().close();
    await rui.context().close();
  });
});
