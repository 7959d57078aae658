import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// The editor never loses a word and publishes what is on screen, tried as a
// reporter would break it: reloading mid-sentence, a session ended from another
// tab, the network gone, Publish pressed before the autosave.

const PASSWORD = 'a trustworthy password that is long';
const EDITOR = 'desk@lantern.example';
const WRITER = 'reporter@lantern.example';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('sample'), launchBrowser()]);
  await addStaff(server, { email: EDITOR, name: 'Dana Desk', role: 'editor', password: PASSWORD });
  await addStaff(server, {
    email: WRITER,
    name: 'Rui Reporter',
    role: 'contributor',
    password: PASSWORD,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const signIn = (page: Page, email = EDITOR) => signInToAdmin(page, server, email, PASSWORD);

async function newContext(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Leaving with unsaved changes asks (beforeunload): these tests answer "leave".
  page.on('dialog', (dialog) => void dialog.accept());
  return { context, page };
}

/** The article as the server has it, read with the page's own session. */
async function serverCopy(page: Page): Promise<{
  title: string;
  body: unknown;
  status: string;
  pending: unknown;
  authors: { name: string }[];
}> {
  const id = Number(/#\/articles\/(\d+)/.exec(page.url())?.[1]);
  expect(id).toBeGreaterThan(0);
  return await page.evaluate(async (articleId) => {
    const response = await fetch(`/api/articles/${articleId}`);
    return await response.json();
  }, id);
}

async function openNewArticle(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'New article', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
}

const saved = (page: Page) => page.getByText(/^All changes saved at/).waitFor();

/**
 * The article's saved body holds `text`: the shared text is stored as it is
 * typed ("All changes saved") and saved as the body a second or so later.
 */
const bodySaved = (page: Page, text: string) =>
  expect
    .poll(async () => JSON.stringify((await serverCopy(page)).body), { timeout: 10_000 })
    .toContain(text);
const headline = (page: Page) => page.getByLabel('Headline', { exact: true });
const body = (page: Page) => page.getByRole('textbox', { name: 'Article text' });

/** A new browser signed in as the editor, with a new article of this headline saved in it. */
async function savedDraft(title: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newContext();
  await signIn(opened.page);
  await openNewArticle(opened.page);
  await headline(opened.page).fill(title);
  await saved(opened.page);
  return opened;
}

/** Waits until the body on screen is the shared text. */
const sharedTextOn = (page: Page) => page.locator('[data-shared-text="on"]').waitFor();

async function readerHeadline(path: string): Promise<string> {
  const html = await (await fetch(`${server.baseUrl}${path}`)).text();
  return /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';
}

describe('the editor a reporter can trust', () => {
  it('stores a new article from its first keystroke, and gives back what a reload cut off', async () => {
    const { context, page } = await savedDraft('Ferry timetable cut');
    // The draft exists: the address names it, and the server has the headline.
    expect(page.url()).toMatch(/#\/articles\/\d+$/);
    expect((await serverCopy(page)).title).toBe('Ferry timetable cut');

    // Typing into the text, a new headline, then a reload before the autosave could run.
    await body(page).click();
    await page.keyboard.type('The last boat now leaves at six.');
    await headline(page).fill('Ferry timetables cut');
    await page.reload();
    // The text reached the server as it was typed; the headline is offered back.
    await page.getByRole('button', { name: 'Restore my changes' }).click();
    expect(await headline(page).inputValue()).toBe('Ferry timetables cut');
    // The shared text arrives from the server a moment after the page (more on a busy machine).
    await expect
      .poll(() => body(page).textContent(), { timeout: 15_000 })
      .toContain('The last boat now leaves at six.');
    // A live word count and reading time: three words of headline, seven of body.
    expect(await page.locator('.word-count').textContent()).toBe('10 words · 1 min read');
    await saved(page);
    await bodySaved(page, 'The last boat now leaves at six.');
    const stored = await serverCopy(page);
    // The writer's byline, given on creation, survives the saves that follow.
    expect(stored.authors.map((author) => author.name)).toEqual(['Dana Desk']);
    // Once the server has it, nothing more is offered.
    await page.reload();
    await page.locator('.article-state').waitFor();
    expect(await page.getByRole('button', { name: 'Restore my changes' }).count()).toBe(0);
    await context.close();
  });

  it('gives back the last keystrokes before a reload even when IndexedDB had not written them', async () => {
    const { context, page } = await savedDraft('Night ferry returns');
    // This page's IndexedDB writes never finish, as a write still under way
    // when the page goes is dropped; the page after the reload is normal.
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function stalled(this: IDBObjectStore, ...args) {
        // A request that never succeeds: the transaction is abandoned with the page.
        void put;
        void args;
        return { onsuccess: null, onerror: null } as unknown as IDBRequest<IDBValidKey>;
      };
    });
    await body(page).click();
    await page.keyboard.type('It sails at midnight from Friday.');
    await headline(page).fill('Night ferry returns on Friday');
    await page.reload();
    await page.getByRole('button', { name: 'Restore my changes' }).click();
    expect(await headline(page).inputValue()).toBe('Night ferry returns on Friday');
    // The shared text arrives from the server a moment after the page (more on a busy machine).
    await expect
      .poll(() => body(page).textContent(), { timeout: 15_000 })
      .toContain('It sails at midnight from Friday.');
    await saved(page);
    await bodySaved(page, 'It sails at midnight from Friday.');
    expect((await serverCopy(page)).title).toBe('Night ferry returns on Friday');
    await context.close();
  });

  it('takes the shared text when its connection comes after the editor began alone', async () => {
    const { context, page } = await savedDraft('Border crossing reopens at dawn');
    // From now on the text's connection reaches the server only after the
    // editor has stopped waiting for it (8 s) and said it works alone.
    await page.routeWebSocket(/\/api\/articles\/\d+\/shared-text/, async (socket) => {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      socket.connectToServer();
    });
    await page.reload();
    await page.getByText('Editing together is not reachable from this network').waitFor();
    // The connection comes: the notice goes and the body is the shared text.
    await page
      .getByText('Editing together is not reachable from this network')
      .waitFor({ state: 'detached', timeout: 20_000 });
    await sharedTextOn(page);
    // A colleague's words reach this editor through it.
    const colleague = await newContext();
    await signIn(colleague.page);
    await colleague.page.goto(page.url());
    await sharedTextOn(colleague.page);
    await body(colleague.page).click();
    await colleague.page.keyboard.type('Queues formed before six.');
    await expect
      .poll(() => body(page).textContent(), { timeout: 15_000 })
      .toContain('Queues formed before six.');
    await colleague.context.close();
    await context.close();
  });

  it('asks for the password over the editor when the session ends, and saves after signing in again in another tab', async () => {
    const { context, page } = await savedDraft('Council budget vote delayed');

    // Another tab ends every session ("log out everywhere").
    const other = await context.newPage();
    await other.goto(`${server.baseUrl}/admin/#/account`);
    await other.getByRole('heading', { level: 1 }).waitFor();
    await other.evaluate(async () => {
      const { csrfToken } = await (await fetch('/api/session')).json();
      await fetch('/api/session/logout-everywhere', {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken },
      });
    });
    await headline(page).fill('Council budget vote delayed to March');
    const dialog = page.getByRole('dialog', { name: 'Sign in again to save' });
    await dialog.waitFor();
    expect(await headline(page).inputValue()).toBe('Council budget vote delayed to March');
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign in and save' }).click();
    await saved(page);
    expect((await serverCopy(page)).title).toBe('Council budget vote delayed to March');

    // Signing in again in the other tab gives this one a new session (and CSRF token) too.
    await other.evaluate(async () => {
      const { csrfToken } = await (await fetch('/api/session')).json();
      await fetch('/api/session/logout-everywhere', {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken },
      });
    });
    await signIn(other);
    await headline(page).fill('Council budget vote delayed to April');
    await saved(page);
    expect(await dialog.count()).toBe(0);
    expect((await serverCopy(page)).title).toBe('Council budget vote delayed to April');
    await context.close();
  });

  it('keeps editing when the network is cut, says so, and saves when it is back', async () => {
    const { context, page } = await savedDraft('Bridge closed for repairs');
    // The text becomes the shared one once the article exists.
    await sharedTextOn(page);
    await context.setOffline(true);
    await body(page).click();
    await page.keyboard.type('Written on a train with no signal.');
    // The text is shared as it is typed: cut off, it waits in this browser.
    await page.getByText(/^Offline: your words are kept in this browser/).waitFor();
    await page.keyboard.type(' Still typing.');
    await context.setOffline(false);
    await saved(page);
    await bodySaved(page, 'Written on a train with no signal. Still typing.');
    await context.close();
  });

  it('waits while another process holds the database, says so, and saves once it is free', async () => {
    const { context, page } = await savedDraft('Ferry timetable changes in May');
    // The text is the shared one before the database is taken (its room opens in the database).
    await sharedTextOn(page);
    // Another process (a CLI import, say) holds SQLite's write lock.
    const other = new Database(join(server.dataDir, 'masthead.sqlite'));
    try {
      other.prepare('begin immediate').run();
      await body(page).click();
      await page.keyboard.type('Typed while an import runs.');
      await page
        .getByText(/^The server is busy with another task: your words are kept in this browser/)
        .waitFor();
      other.prepare('rollback').run();
    } finally {
      other.close();
    }
    // Tried again by itself, with no keystroke.
    await saved(page);
    await bodySaved(page, 'Typed while an import runs.');
    await context.close();
  });

  it('publishes the edits on screen, and holds edits to a published article until Update', async () => {
    const { context, page } = await newContext();
    await signIn(page);
    await openNewArticle(page);
    await headline(page).fill('Library opens on Sundays');
    await page.getByLabel('Section').selectOption('news/politics');
    await body(page).click();
    await page.keyboard.type('From next month the central library opens on Sundays.');
    await saved(page);

    // A new headline, and Publish pressed at once: the confirmation shows it, readers get it.
    await headline(page).fill('Library to open on Sundays from May');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Publish this article?' });
    expect(await confirm.textContent()).toContain('Library to open on Sundays from May');
    await confirm.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published.').waitFor();
    const url = (await page.locator('.article-state code').textContent()) ?? '';
    expect(url).toBe('/news/politics/library-to-open-on-sundays-from-may');
    expect(await readerHeadline(url)).toBe('Library to open on Sundays from May');

    // Editing it now: autosaved, but readers keep the published text until Update.
    await headline(page).fill('Library to open on Sundays from June');
    await saved(page);
    await page.getByText(/readers see the published version until you press/).waitFor();
    expect(await readerHeadline(url)).toBe('Library to open on Sundays from May');
    await page.reload();
    expect(await headline(page).inputValue()).toBe('Library to open on Sundays from June');
    await page.getByRole('button', { name: 'Update', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Update the published article?' })
      .getByRole('button', { name: 'Update now' })
      .click();
    await page.getByText('Updated: readers now see your edits.').waitFor();
    expect(await readerHeadline(url)).toBe('Library to open on Sundays from June');
    await context.close();
  });

  it('lets the desk send a submission back with a note, the writer withdraw one, and a draft go to the trash and back', async () => {
    const { context, page } = await newContext();
    await signIn(page, WRITER);
    await openNewArticle(page);
    await headline(page).fill('Fishing quota talks stall');
    await body(page).click();
    await page.keyboard.type('Talks broke off on Thursday.');
    await saved(page);
    const path = new URL(page.url()).hash;
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Submitted for review.').waitFor();
    // While the desk has it, the writer reads it but cannot type into it.
    await page
      .getByText(/^You can read this article but not change it: .*editors for review/)
      .waitFor();
    expect(await headline(page).isDisabled()).toBe(true);
    expect(await body(page).getAttribute('contenteditable')).toBe('false');
    await page.getByRole('button', { name: 'Withdraw the submission' }).click();
    await page.getByText('Withdrawn: it is your draft again.').waitFor();
    expect(await headline(page).isDisabled()).toBe(false);
    expect(await body(page).getAttribute('contenteditable')).toBe('true');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Submitted for review.').waitFor();

    const desk = await newContext();
    await signIn(desk.page, EDITOR);
    await desk.page.goto(`${server.baseUrl}/admin/${path}`);
    await desk.page
      .getByLabel('Note for the writer (sent back with the article)')
      .fill('Who broke off the talks? Name them.');
    await desk.page.getByRole('button', { name: 'Send back to the writer' }).click();
    await desk.page.getByText('Sent back to the writer, with your note.').waitFor();
    await desk.context.close();

    await page.reload();
    const note = page.getByRole('note');
    await note.waitFor();
    expect(await note.textContent()).toContain('Sent back by Dana Desk');
    expect(await note.textContent()).toContain('Who broke off the talks? Name them.');
    await page.getByRole('button', { name: 'Move to the trash' }).click();
    await page.getByText(/^In the trash: it can be restored for 30 days/).waitFor();
    expect(await page.locator('.article-state .status').textContent()).toBe('In the trash');
    // The trash is its own list.
    await page.goto(`${server.baseUrl}/admin/#/articles`);
    await page.getByRole('heading', { level: 1, name: 'Articles' }).waitFor();
    await page.getByLabel('Status').selectOption('trashed');
    await page.getByRole('link', { name: 'Fishing quota talks stall' }).click();
    await page.getByRole('button', { name: 'Restore from the trash' }).click();
    await page.getByText('Restored from the trash.').waitFor();
    expect(await page.locator('.article-state .status').textContent()).toBe('Draft');
    await context.close();
  });

  it('shows what someone else saved instead of overwriting it, and loads their version on request', async () => {
    const mine = await savedDraft('Rail strike called off');
    const path = new URL(mine.page.url()).hash;

    const theirs = await newContext();
    await signIn(theirs.page);
    await theirs.page.goto(`${server.baseUrl}/admin/${path}`);
    await theirs.page.locator('.article-state').waitFor();
    // Both editors see each other's saves as they happen; mine is cut off
    // (a train in a tunnel) while both change the headline.
    await mine.context.setOffline(true);
    await headline(mine.page).fill('Rail strike called off at midnight');
    await headline(theirs.page).fill('Rail strike called off after talks');
    await saved(theirs.page);
    await mine.context.setOffline(false);
    const alert = mine.page.getByRole('alert').filter({ hasText: 'Someone else saved' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Rail strike called off after talks');
    // Mine is still on screen, unsaved.
    expect(await headline(mine.page).inputValue()).toBe('Rail strike called off at midnight');
    await alert.getByRole('button', { name: 'Load their version' }).click();
    expect(await headline(mine.page).inputValue()).toBe('Rail strike called off after talks');
    expect(await alert.count()).toBe(0);
    await mine.context.close();
    await theirs.context.close();
  });
});
