import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudience } from '../../src/newsroom/audience-report.js';
import { smtpMailer } from '../../src/newsroom/mail.js';
import {
  addNewsletterList,
  confirmSubscription,
  type Mailer,
  readNewsletterLists,
  signUp,
  unsubscribe,
  unsubscribeUrl,
} from '../../src/newsroom/newsletters.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { buildTestServer } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Signing up for newsletters with double opt-in, through a real SMTP server
// started here on 127.0.0.1 (smtp-server): the confirmation e-mail arrives,
// its signed link turns the subscription on, and a signed link takes the
// reader off again.

type Received = { from: string; to: string[]; raw: string };

let newsroom: TestNewsroom;
let smtp: SMTPServer;
let received: Received[];
let mailer: Mailer;

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  received = [];
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  mailer = smtpMailer({ url: `smtp://127.0.0.1:${port}`, from: 'news@lantern.example' });
});
afterEach(async () => {
  mailer.close?.();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await newsroom.dispose();
});

async function lists() {
  const daily = await addNewsletterList(newsroom, SYSTEM_ACTOR, {
    name: 'Daily — English',
    slug: 'daily',
    language: 'en',
    senderName: 'The Lantern',
    description: 'The day’s stories, every evening.',
  });
  const breaking = await addNewsletterList(newsroom, SYSTEM_ACTOR, {
    name: 'Breaking',
    slug: 'breaking',
    language: 'en',
    senderName: 'The Lantern',
    description: '',
  });
  return { daily, breaking };
}

/** The confirmation link in a received e-mail (quoted-printable soft breaks undone). */
function confirmToken(mail: Received): string {
  const body = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const token = /\/newsletters\/confirm\?t=([A-Za-z0-9._-]+)/.exec(body)?.[1];
  if (!token) throw new Error(`no confirmation link in:\n${mail.raw}`);
  return token;
}

describe('newsletter sign-up', () => {
  it('asks the address to confirm, subscribes it once confirmed, and lets it leave with one link', async () => {
    const { daily, breaking } = await lists();
    await signUp(newsroom, mailer, {
      email: '  Reader@Example.org ',
      listIds: [daily.id, breaking.id],
    });
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail?.to).toEqual(['reader@example.org']);
    expect(mail?.from).toBe('news@lantern.example');
    expect(mail?.raw).toMatch(/^Subject: Confirm your subscription to /m);
    // Both parts, and no tracking: the link goes straight to the site.
    expect(mail?.raw).toContain('Content-Type: text/plain');
    expect(mail?.raw).toContain('Content-Type: text/html');
    // Not subscribed until confirmed.
    expect((await readNewsletterLists(newsroom)).map((list) => list.activeCount)).toEqual([0, 0]);

    const token = confirmToken(mail as Received);
    const confirmed = await confirmSubscription(newsroom, token);
    expect(confirmed.map((list) => list.slug).sort()).toEqual(['breaking', 'daily']);
    expect((await readNewsletterLists(newsroom)).map((list) => list.activeCount)).toEqual([1, 1]);

    // Signing up again for what is confirmed sends nothing.
    await signUp(newsroom, mailer, { email: 'reader@example.org', listIds: [daily.id] });
    expect(received).toHaveLength(1);

    const subscriber = await newsroom.store.db
      .selectFrom('subscriber')
      .select('id')
      .executeTakeFirstOrThrow();
    const url = await unsubscribeUrl(newsroom, subscriber.id, daily.id);
    await unsubscribe(newsroom, new URL(url).searchParams.get('t') ?? '');
    const after = await readNewsletterLists(newsroom);
    expect(after.find((list) => list.slug === 'daily')?.activeCount).toBe(0);
    expect(after.find((list) => list.slug === 'breaking')?.activeCount).toBe(1);
    // An old confirmation does not put the reader back on a list they left.
    await confirmSubscription(newsroom, token);
    expect(
      (await readNewsletterLists(newsroom)).find((list) => list.slug === 'daily')?.activeCount,
    ).toBe(0);
    // The audience numbers count the day's sign-ups and leavings per list, not who.
    const { newsletters } = await readAudience(newsroom, SYSTEM_ACTOR, 'today');
    expect(newsletters).toEqual([
      { listId: breaking.id, name: 'Breaking', subscribed: 1, unsubscribed: 0 },
      { listId: daily.id, name: 'Daily — English', subscribed: 1, unsubscribed: 1 },
    ]);
  });

  it('refuses a forged, cut or expired link, and an address that is not one', async () => {
    const { daily } = await lists();
    await expect(
      signUp(newsroom, mailer, { email: 'not an address', listIds: [daily.id] }),
    ).rejects.toThrow('email: that is not an e-mail address');
    await expect(
      signUp(newsroom, mailer, { email: 'a@example.org', listIds: [999] }),
    ).rejects.toThrow('lists: choose at least one newsletter');
    await signUp(newsroom, mailer, { email: 'a@example.org', listIds: [daily.id] });
    const token = confirmToken(received[0] as Received);
    const forged = token.replace(/\.(\d+)\./, (_match, id: string) => `.${Number(id) + 1}.`);
    await expect(confirmSubscription(newsroom, forged)).rejects.toThrow(/not valid/);
    await expect(confirmSubscription(newsroom, token.slice(0, -3))).rejects.toThrow(/not valid/);
    await expect(unsubscribe(newsroom, token)).rejects.toThrow(/not valid/);
    // Eight days later the link has expired.
    const later = new Date(newsroom.now().getTime() + 8 * 86_400_000);
    newsroom.now = () => later;
    await expect(confirmSubscription(newsroom, token)).rejects.toThrow(/expired/);
  });
});

/** Whether the page has a form that posts to `action`. */
function postForm(html: string, action: string): boolean {
  return (html.match(/<form[^>]*>/g) ?? []).some(
    (tag) => tag.includes(`action="${action}"`) && tag.includes('method="post"'),
  );
}

describe('the newsletter pages', () => {
  it('signs a reader up and out through plain forms, with no cookie and no script needed', async () => {
    const { daily } = await lists();
    newsroom.mailer = mailer;
    const app = await buildTestServer(newsroom);
    try {
      const signUpPage = await app.inject('/newsletters');
      expect(signUpPage.statusCode).toBe(200);
      expect(signUpPage.headers['set-cookie']).toBeUndefined();
      expect(postForm(signUpPage.body, '/newsletters')).toBe(true);
      expect(signUpPage.body).toContain('Daily — English');

      const post = (url: string, body: string) =>
        app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: body,
        });
      const wrong = await post('/newsletters', `email=nobody&list=${daily.id}`);
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('That is not an e-mail address');
      // What the reader typed is kept in the form.
      expect(wrong.body).toContain('value="nobody"');

      const sent = await post('/newsletters', `email=reader%40example.org&list=${daily.id}`);
      expect(sent.statusCode).toBe(200);
      expect(sent.body).toContain('Check your inbox');
      expect(sent.headers['cache-control']).toBe('no-store');
      const token = confirmToken(received[0] as Received);

      // Opening the link confirms nothing by itself (mail scanners open links)…
      const confirmPage = await app.inject(`/newsletters/confirm?t=${token}`);
      expect(postForm(confirmPage.body, '/newsletters/confirm')).toBe(true);
      expect((await readNewsletterLists(newsroom))[1]?.activeCount).toBe(0);
      // …the button does.
      const confirmed = await post('/newsletters/confirm', `t=${token}`);
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.body).toContain('You are subscribed to:');
      expect(
        (await readNewsletterLists(newsroom)).find((l) => l.id === daily.id)?.activeCount,
      ).toBe(1);

      // A mail program's one-click unsubscribe (RFC 8058).
      const subscriber = await newsroom.store.db
        .selectFrom('subscriber')
        .select('id')
        .executeTakeFirstOrThrow();
      const link = new URL(await unsubscribeUrl(newsroom, subscriber.id, daily.id));
      const left = await post(`${link.pathname}${link.search}`, 'List-Unsubscribe=One-Click');
      expect(left.statusCode).toBe(200);
      expect(
        (await readNewsletterLists(newsroom)).find((l) => l.id === daily.id)?.activeCount,
      ).toBe(0);

      // Sign-ups from one address are throttled, in memory only.
      let last = sent;
      for (let n = 0; n < 6; n++)
        last = await post('/newsletters', `email=r${n}%40example.org&list=${daily.id}`);
      expect(last.statusCode).toBe(429);
      expect(last.body).toContain('Too many sign-ups from here');
    } finally {
      await app.close();
    }
  });

  it('shows the lists without a form when the site has no SMTP server', async () => {
    await lists();
    const app = await buildTestServer(newsroom);
    try {
      const shown = await app.inject('/newsletters');
      expect(shown.body).toContain('Sign-up is not open yet.');
      expect(postForm(shown.body, '/newsletters')).toBe(false);
    } finally {
      await app.close();
    }
  });
});

describe('newsletter lists for staff', () => {
  it('lets the editor-in-chief add a list, and refuses others and a slug taken', async () => {
    const { signIn } = await import('../admin.js');
    const app = await buildTestServer(newsroom);
    try {
      const chief = await signIn(app, newsroom, 'editor-in-chief', 'Ana Petrova');
      const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
      const list = {
        name: 'Ежедневная рассылка',
        slug: 'daily-ru',
        language: 'ru',
        senderName: 'Фонарь',
      };
      expect((await editor.send('POST', '/api/newsletters', list)).statusCode).toBe(403);
      const added = await chief.send('POST', '/api/newsletters', list);
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json()).toMatchObject({ ...list, description: '', activeCount: 0 });
      expect((await chief.send('POST', '/api/newsletters', list)).statusCode).toBe(409);
      const read = await editor.send('GET', '/api/newsletters');
      expect(read.json()).toMatchObject({ lists: [{ slug: 'daily-ru' }], canSend: false });
      // Readers find them from every page's footer.
      expect((await app.inject('/')).body).toContain('<a href="/newsletters">Newsletters</a>');
    } finally {
      await app.close();
    }
  });

  it('lets a reader choose all their newsletters at once from the page their unsubscribe link opens', async () => {
    const { daily, breaking } = await lists();
    await signUp(newsroom, mailer, { email: 'reader@example.org', listIds: [daily.id] });
    await confirmSubscription(newsroom, confirmToken(received[0] as Received));
    const subscriber = await newsroom.store.db
      .selectFrom('subscriber')
      .select('id')
      .executeTakeFirstOrThrow();
    const app = await buildTestServer(newsroom, { sample: false });
    const link = new URL(await unsubscribeUrl(newsroom, subscriber.id, daily.id));
    const opened = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(opened.statusCode).toBe(200);
    const preferences = /href="(\/newsletters\/preferences\?t=[^"]+)"/.exec(opened.body)?.[1];
    expect(preferences).toBeDefined();
    const page = await app.inject({
      method: 'GET',
      url: (preferences ?? '').replaceAll('&amp;', '&'),
    });
    expect(page.statusCode).toBe(200);
    // The address half hidden; the lists with the one it gets ticked.
    expect(page.body).toContain('r•••@example.org');
    expect(page.body).not.toContain('reader@example.org');
    expect(page.body).toContain(`name="list" checked="" value="${daily.id}"`);
    expect(page.body).toContain(`name="list" value="${breaking.id}"`);
    const token = decodeURIComponent((preferences ?? '').split('t=')[1] ?? '');
    const saved = await app.inject({
      method: 'POST',
      url: '/newsletters/preferences',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([
        ['t', token],
        ['list', String(breaking.id)],
      ]).toString(),
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Saved.');
    const after = await readNewsletterLists(newsroom);
    expect(after.find((list) => list.slug === 'daily')?.activeCount).toBe(0);
    expect(after.find((list) => list.slug === 'breaking')?.activeCount).toBe(1);
    // A cut or forged link changes nothing.
    const forged = await app.inject({
      method: 'POST',
      url: '/newsletters/preferences',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `t=manage.${subscriber.id}.0.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&list=${daily.id}`,
    });
    expect(forged.statusCode).toBe(400);
    expect(
      (await readNewsletterLists(newsroom)).find((list) => list.slug === 'daily')?.activeCount,
    ).toBe(0);
    await app.close();
  });
});
