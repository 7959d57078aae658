import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../test/smtp-sink.js';
import { launchBrowser } from './browser.js';
import { checkBothWidths } from './checks.js';
import { addStaff, type RunningServer, signInToAdmin, startServer } from './server.js';

// The newsletters screen as the newsroom uses it: the editor-in-chief adds a
// list, imports its readers from another service's CSV and makes it a channel;
// an editor sends a test to themselves and a digest of the day's articles to
// the list, and follows it until it is done; the editor-in-chief deletes a
// reader. The mail server is a real SMTP server on 127.0.0.1 (test/smtp-sink.ts).

const PASSWORD = 'a newsletters password for the test';
const CHIEF = 'chief@lantern.example';
const EDITOR = 'desk@lantern.example';
const READER_A = 'ana@readers.example';
const READER_B = 'ben@readers.example';
const SHOTS = '.tmp/shots';
let server: RunningServer;
let browser: Browser;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
  [server, browser] = await Promise.all([
    startServer('sample', {
      MASTHEAD_SMTP_URL: sink.url,
      MASTHEAD_MAIL_FROM: 'news@lantern.example',
    }),
    launchBrowser(),
    mkdir(SHOTS, { recursive: true }),
  ]);
  await addStaff(server, {
    email: CHIEF,
    name: 'Ana Chief',
    role: 'editor-in-chief',
    password: PASSWORD,
  });
  await addStaff(server, { email: EDITOR, name: 'Dev Desk', role: 'editor', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.close();
});

const recipientsOf = (subject: RegExp) =>
  sink.received
    .filter((mail) => subject.test(mail.parsed.subject ?? ''))
    .flatMap((mail) => mail.to)
    .sort();

describe('newsletters in the newsroom app', () => {
  it('adds a list and its readers, sends a test and a digest, and deletes a reader', async () => {
    // bypassCSP only so that axe-core can be injected; the app itself runs under the CSP.
    const chiefContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const chief = await chiefContext.newPage();
    await signInToAdmin(chief, server, CHIEF, PASSWORD);
    await chief.getByRole('link', { name: 'Newsletters' }).click();
    await chief.getByRole('heading', { level: 1, name: 'Newsletters' }).waitFor();
    await chief.getByText('No list yet.').waitFor();

    // A list.
    const addList = chief.getByRole('form', { name: 'Add a list' });
    await addList.getByLabel('Name, as readers will see it').fill('Morning Brief');
    expect(await addList.getByLabel('Address name').inputValue()).toBe('morning-brief');
    await addList.getByLabel('Sender name in inboxes').fill('The Lantern');
    await addList
      .getByLabel('What readers get (shown where they sign up)')
      .fill('The day’s stories, every morning at seven.');
    await addList.getByRole('button', { name: 'Add the list' }).click();
    await chief.getByText('Added the list Morning Brief.').waitFor();

    // Its readers, from another service's export: one line is no address.
    const csv = `email,name\n${READER_A},Ana\nnot-an-address,Nobody\n${READER_B},Ben\n`;
    await chief.getByLabel('Import readers into Morning Brief (CSV)').setInputFiles({
      name: 'ghost-members.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    const report = chief.locator('.import-report');
    await report.waitFor();
    expect(await report.textContent()).toContain(
      'ghost-members.csv into Morning Brief: 2 added, 0 already on the list, 1 skipped.',
    );
    const skipped = report.getByRole('table', { name: 'Lines skipped' });
    expect(await skipped.getByRole('row').nth(1).textContent()).toBe(
      '3not-an-addressnot an e-mail address',
    );
    await expect
      .poll(() => chief.locator('.newsletter-lists').textContent())
      .toContain('2 readers');
    const readers = chief.getByRole('table', { name: /Readers’ addresses/ });
    await expect.poll(() => readers.textContent()).toContain(READER_A);
    expect(await readers.textContent()).toContain(READER_B);
    expect(await readers.textContent()).toContain('Morning Brief: confirmed');
    const exportLink = chief.getByRole('link', {
      name: 'Export the readers of Morning Brief (CSV)',
    });
    const exported = await (
      await fetch(`${server.baseUrl}${await exportLink.getAttribute('href')}`, {
        headers: {
          cookie: (await chiefContext.cookies()).map((c) => `${c.name}=${c.value}`).join('; '),
        },
      })
    ).text();
    expect(exported).toContain(`${READER_A},active`);
    await checkBothWidths(SHOTS, chief, 'newsletters-chief');

    // The list as a channel: each article it takes is e-mailed to its readers.
    await chief.getByRole('link', { name: 'Channels' }).click();
    await chief.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
    await chief.getByRole('radio', { name: 'Newsletter by e-mail' }).check();
    await chief.getByLabel('Name, as staff will see it').fill('Lantern by e-mail');
    await chief
      .getByLabel('The list it e-mails')
      .selectOption({ label: 'Morning Brief (2 readers)' });
    await chief.getByLabel('Articles it takes').selectOption('en');
    await chief.getByRole('button', { name: 'Add the channel' }).click();
    await chief.getByText('Added Lantern by e-mail.').waitFor();
    const channel = chief.locator('.channel-list li', { hasText: 'Lantern by e-mail' });
    expect(await channel.textContent()).toMatch(/^Newsletter\s*Lantern by e-mail\s*to the list/);
    expect(await channel.textContent()).toContain('Morning Brief (2 readers)');
    await checkBothWidths(SHOTS, chief, 'channels-newsletter');

    // An editor sends: no addresses on their screen.
    const deskContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const desk = await deskContext.newPage();
    await signInToAdmin(desk, server, EDITOR, PASSWORD);
    await desk.getByRole('link', { name: 'Newsletters' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Newsletters' }).waitFor();
    const articles = desk.getByRole('group', { name: 'Articles' });
    await articles.getByRole('checkbox').first().waitFor();
    expect(await desk.getByRole('heading', { name: 'Readers' }).count()).toBe(0);
    expect(await desk.content()).not.toContain('@readers.example');

    // The day's articles are ticked, newest first; the Russian one is left out of this English list.
    const ticked = async () =>
      (
        await articles
          .locator('input:checked')
          .evaluateAll((boxes) =>
            boxes.map(
              (box) => box.closest('label')?.querySelector('.article-pick-title')?.textContent,
            ),
          )
      ).filter((title): title is string => typeof title === 'string');
    expect(await ticked()).toEqual([
      'Вельмора будет публиковать все муниципальные контракты',
      'Velmora council agrees to publish every contract it signs',
      'Ferry strike leaves three island villages short of fuel and medicine',
    ]);
    const russian = articles.getByRole('checkbox', { name: /^Вельмора/ });
    expect(await russian.getAttribute('type')).toBe('checkbox');
    expect(await articles.getByText('in Russian').count()).toBe(1);
    // Unticked by keyboard, as a person who does not use a mouse would.
    await russian.focus();
    await desk.keyboard.press('Space');
    expect(await russian.isChecked()).toBe(false);
    expect(await articles.locator('.picked-count').textContent()).toBe(
      '2 articles chosen: a digest.',
    );
    expect(await desk.getByLabel('Subject').getAttribute('placeholder')).toMatch(
      /^Automatic: Morning Brief — /,
    );
    await desk.getByLabel('Introduction (optional)').fill('Good morning. Two stories today.');

    await desk.getByRole('button', { name: 'Send test to me' }).click();
    await desk.getByText(`Sent to ${EDITOR}.`, { exact: false }).waitFor();
    await expect.poll(() => recipientsOf(/^\[Test\] Morning Brief — /)).toEqual([EDITOR]);

    await desk.getByRole('button', { name: 'Send to 2 readers' }).click();
    const dialog = desk.getByRole('dialog', { name: 'Send this newsletter now?' });
    expect(await dialog.textContent()).toContain('2 readers will get it');
    expect(await dialog.textContent()).toContain('2, as a digest');
    await dialog.getByRole('button', { name: 'Send to 2 readers' }).click();
    await desk.getByText('Sending to 2 readers: follow it under Recent sends.').waitFor();
    await expect
      .poll(() => recipientsOf(/^Morning Brief — /), { timeout: 20_000 })
      .toEqual([READER_A, READER_B]);
    const digest = sink.received.find((mail) => mail.to.includes(READER_A));
    expect(digest?.parsed.text).toContain('Ferry strike leaves three island villages');
    expect(digest?.parsed.text).toContain('Good morning. Two stories today.');
    expect(digest?.parsed.text).not.toContain('Вельмора');

    // The screen follows the send until it is done.
    const send = desk.locator('.send-list > li').first();
    await expect.poll(() => send.textContent(), { timeout: 20_000 }).toContain('Done');
    expect(await send.textContent()).toContain('2 sent0 failed0 queued');
    // The subject it went out under: the list's name and the day's date.
    expect(await send.textContent()).toMatch(/Morning Brief — \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(await send.getByRole('button').count()).toBe(0);
    await checkBothWidths(SHOTS, desk, 'newsletters-editor');

    // One article in full, which Ben's mail server refuses: the screen says so, without his address.
    sink.refuse(READER_B, 550);
    await articles.getByRole('checkbox', { name: /^Velmora council/ }).uncheck();
    expect(await articles.locator('.picked-count').textContent()).toBe(
      '1 article chosen: the article in full.',
    );
    expect(await desk.getByLabel('Subject').getAttribute('placeholder')).toBe(
      'Automatic: Ferry strike leaves three island villages short of fuel and medicine',
    );
    await desk.getByRole('button', { name: 'Send to 2 readers' }).click();
    await desk
      .getByRole('dialog', { name: 'Send this newsletter now?' })
      .getByRole('button', { name: 'Send to 2 readers' })
      .click();
    const full = desk.locator('.send-list > li', { hasText: /^Ferry strike/ });
    await expect.poll(() => full.textContent(), { timeout: 20_000 }).toContain('Done');
    expect(await full.textContent()).toContain(
      '1 sent0 failed0 queued1 refused by their mail server',
    );
    expect(await full.locator('.send-problem-list').textContent()).toContain('No such mailbox');
    // A refused address is not sent to again by Retry: no button.
    expect(await full.getByRole('button', { name: /^Retry/ }).count()).toBe(0);
    await desk.setViewportSize({ width: 375, height: 900 });
    await full.screenshot({ path: `${SHOTS}/newsletters-send-failed-375.png` });
    await desk.setViewportSize({ width: 1280, height: 900 });
    sink.refuse(READER_B, null);

    // The mail server will not take the sender at all: the send is held, and
    // Retry sends it once the settings are fixed.
    sink.refuseSender(550);
    await desk.getByLabel('Subject').fill('Held for a moment');
    await desk.getByRole('button', { name: 'Send to 2 readers' }).click();
    await desk
      .getByRole('dialog', { name: 'Send this newsletter now?' })
      .getByRole('button', { name: 'Send to 2 readers' })
      .click();
    const held = desk.locator('.send-list > li', { hasText: 'Held for a moment' });
    await expect
      .poll(() => held.locator('.status').textContent(), { timeout: 20_000 })
      .toBe('Held');
    expect(await held.textContent()).toContain('refused the message itself');
    sink.refuseSender(null);
    await held.getByRole('button', { name: 'Retry the send “Held for a moment”' }).click();
    await expect
      .poll(() => held.locator('.status').textContent(), { timeout: 20_000 })
      .toBe('Done');
    expect(await held.textContent()).toContain('2 sent');
    await desk.getByLabel('Subject').fill('');

    // One for later, in the newsroom's time, then called off before it goes.
    await desk.getByRole('radio', { name: 'At a set time' }).check();
    const later = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await desk.getByLabel('Date and time').fill(`${later}T07:00`);
    await desk.getByLabel('Subject').fill('The weekend edition');
    await desk.getByRole('button', { name: 'Schedule for 2 readers' }).click();
    const schedule = desk.getByRole('dialog', { name: 'Schedule this newsletter?' });
    expect(await schedule.textContent()).toContain('The weekend edition');
    await schedule.getByRole('button', { name: 'Schedule for 2 readers' }).click();
    await desk.getByText(/^Scheduled for .*: see Recent sends\.$/).waitFor();
    const scheduled = desk.locator('.send-list > li', { hasText: 'The weekend edition' });
    await expect.poll(() => scheduled.textContent()).toContain('Scheduled');
    expect(await scheduled.textContent()).toContain('goes out');
    await scheduled.getByRole('button', { name: 'Cancel the send “The weekend edition”' }).click();
    const stop = desk.getByRole('dialog', { name: 'Cancel this send?' });
    await stop.getByRole('button', { name: 'Cancel the send' }).click();
    await expect.poll(() => scheduled.textContent()).toContain('Cancelled');
    expect(await scheduled.getByRole('button').count()).toBe(0);
    // Its button is gone: the focus is on the sends' heading, not lost.
    expect(await desk.evaluate(() => document.activeElement?.id)).toBe('sends-heading');
    // The test, the digest to two, the article to one, the held one to two.
    expect(sink.received).toHaveLength(6);
    expect(await desk.content()).not.toContain('@readers.example');
    await deskContext.close();

    // The editor-in-chief deletes a reader, after saying yes.
    await chief.getByRole('link', { name: 'Newsletters' }).click();
    await chief.getByRole('heading', { level: 1, name: 'Newsletters' }).waitFor();
    await chief.getByRole('button', { name: `Delete ${READER_A}` }).click();
    const confirm = chief.getByRole('dialog', { name: 'Delete this address?' });
    expect(await confirm.textContent()).toContain('cannot be undone');
    await confirm.getByRole('button', { name: 'Delete the address' }).click();
    await chief.getByText(`Deleted ${READER_A}.`).waitFor();
    await expect
      .poll(() => chief.getByRole('table', { name: /Readers’ addresses/ }).textContent())
      .not.toContain(READER_A);
    await expect.poll(() => chief.locator('.newsletter-lists').textContent()).toContain('1 reader');
    // The row and its button are gone: the focus is on the Readers heading, not lost.
    expect(await chief.evaluate(() => document.activeElement?.id)).toBe('readers-heading');
    await chiefContext.close();
  });

  it('says why nothing can be sent when the server has no mail settings', async () => {
    const bare = await startServer('seed');
    try {
      await addStaff(bare, {
        email: CHIEF,
        name: 'Ana Chief',
        role: 'editor-in-chief',
        password: PASSWORD,
      });
      const context = await browser.newContext({
        viewport: { width: 375, height: 800 },
        bypassCSP: true,
      });
      const page = await context.newPage();
      await signInToAdmin(page, bare, CHIEF, PASSWORD);
      await page.goto(`${bare.baseUrl}/admin/#/newsletters`);
      await page.getByRole('heading', { level: 1, name: 'Newsletters' }).waitFor();
      const note = page.getByRole('note');
      expect(await note.textContent()).toContain('MASTHEAD_SMTP_URL');
      expect(await note.textContent()).toContain('MASTHEAD_MAIL_FROM');
      const addList = page.getByRole('form', { name: 'Add a list' });
      await addList.getByLabel('Name, as readers will see it').fill('Weekly');
      await addList.getByLabel('Sender name in inboxes').fill('The Lantern');
      await addList.getByRole('button', { name: 'Add the list' }).click();
      await page.getByText('Added the list Weekly.').waitFor();
      // The seed article is weeks old: nothing is ticked, but it can be.
      await page.getByRole('group', { name: 'Articles' }).getByRole('checkbox').first().waitFor();
      expect(await page.locator('.picked-count').textContent()).toBe('None chosen.');
      expect(await page.getByRole('button', { name: 'Send test to me' }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Send to 0 readers' }).isDisabled()).toBe(true);
      await checkBothWidths(SHOTS, page, 'newsletters-no-mail');
      await context.close();
    } finally {
      await bare.stop();
    }
  });
});
