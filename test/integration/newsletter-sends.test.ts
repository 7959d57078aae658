import { generateKeyPairSync } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
// @ts-expect-error mailauth ships no types; dkimVerify(message, { resolver }) answers { results }
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendDueDeliveries } from '../../src/newsroom/distribution.js';
import { type DkimSettings, smtpMailer } from '../../src/newsroom/mail.js';
import { sendDueNewsletters } from '../../src/newsroom/newsletter-sends.js';
import { addNewsletterList } from '../../src/newsroom/newsletters.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { newsletterMail } from '../../src/site/newsletter-mail.js';
import { telegramPostHtml } from '../../src/site/telegram-post.js';
import { claimRecipients, startDueSends } from '../../src/store/newsletter-sends.js';
import { buildTestServer, type Client, createDraft, signIn } from '../admin.js';
import { FIXED_NOW, openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../smtp-sink.js';

// Sending newsletters to lists through a real SMTP server on 127.0.0.1: an
// article in full or a digest, both parts, each reader's own one-click
// unsubscribe (RFC 8058), DKIM, no tracking; refusals counted per address;
// scheduled sends, tests to oneself, and articles published to a
// newsletter channel.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let chief: Client;
let editor: Client;
let sink: SmtpSink;

function useMailer(dkim: DkimSettings | null = null) {
  newsroom.mailer?.close?.();
  newsroom.mailer = smtpMailer({ url: sink.url, from: 'news@lantern.example', dkim });
  newsroom.newsletters = { renderNewsletter: newsletterMail, maxAddressFailures: 2, batchSize: 3 };
}

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  sink = await startSmtpSink();
  useMailer();
  app = await buildTestServer(newsroom);
  chief = await signIn(app, newsroom, 'editor-in-chief', 'Ana Petrova');
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
});
afterEach(async () => {
  newsroom.mailer?.close?.();
  await sink.close();
  await app.close();
  await newsroom.dispose();
});

async function addList(slug: string, language = 'en') {
  return await addNewsletterList(newsroom, SYSTEM_ACTOR, {
    name: slug === 'daily' ? 'Daily — English' : 'Breaking',
    slug,
    language,
    senderName: 'The Lantern',
    description: '',
  });
}

/** Readers on a list through the editor-in-chief's CSV import (as from Ghost). */
async function importReaders(listId: number, csv: string) {
  const answer = await chief.send('POST', `/api/newsletters/${listId}/subscribers/import`, {
    csv,
    fileName: 'ghost-members.csv',
  });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json() as {
    added: number;
    alreadySubscribed: number;
    skipped: { line: number; value: string; reason: string }[];
  };
}

async function publishedArticle(title: string, options: { photo?: boolean } = {}) {
  const created = await createDraft(editor, title);
  let fields: Record<string, unknown> = { standfirst: `What happened: ${title}.` };
  if (options.photo) {
    const bytes = await sharp({
      create: { width: 1600, height: 900, channels: 3, background: '#335577' },
    })
      .jpeg()
      .toBuffer();
    const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes,
      alt: 'The ferry at the quay',
      caption: 'The ferry at the quay',
      credit: 'Lantern Photo / Jonas Feld',
    });
    fields = { ...fields, leadMediaId: photo.id };
  }
  const saved = await editor.send('PATCH', `/api/articles/${created.id}`, {
    version: created.version,
    ...fields,
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const { version } = saved.json() as { version: number };
  const published = await editor.send('POST', `/api/articles/${created.id}/transitions/publish`, {
    version,
  });
  expect(published.statusCode, published.body).toBe(200);
  return { id: created.id, url: (published.json() as { url: string }).url };
}

async function work() {
  let total = 0;
  for (;;) {
    const round = await sendDueNewsletters(newsroom);
    total += round.settled;
    if (!round.hasMore && round.settled === 0) return total;
  }
}

function mailTo(address: string): ReceivedMail {
  const mail = sink.received.find((item) => item.to.includes(address));
  if (!mail) throw new Error(`nothing arrived for ${address}`);
  return mail;
}

/** A header as sent (folded lines joined): mailparser reads List-* headers into objects. */
function header(mail: ReceivedMail, name: string): string {
  const head = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
}

const READERS = `id,email,name,subscribed_to_emails,created_at
1,one@readers.example,One,true,2025-01-01
2,Two@Readers.example,Two,true,2025-01-02
3,three@readers.example,Three,false,2025-01-03
4,not-an-address,Four,true,2025-01-04
5,two@readers.example,Two again,true,2025-01-05
6,four@readers.example,Four,true,2025-01-06
`;

describe('newsletter sends', () => {
  it('e-mails an article in full to each confirmed reader once, with their own one-click unsubscribe and no tracking', async () => {
    const daily = await addList('daily');
    const report = await importReaders(daily.id, READERS);
    expect(report.added).toBe(3);
    expect(report.skipped.map((row) => [row.line, row.reason])).toEqual([
      [4, 'turned newsletters off in the service it came from'],
      [5, 'not an e-mail address'],
      [6, 'the same address again in this file'],
    ]);
    // Importing again adds nobody.
    expect((await importReaders(daily.id, READERS)).alreadySubscribed).toBe(3);

    const article = await publishedArticle('Ferry service resumes on the river', { photo: true });
    const queued = await editor.send('POST', '/api/newsletter-sends', {
      listId: daily.id,
      articleIds: [article.id],
    });
    expect(queued.statusCode, queued.body).toBe(201);
    expect(await work()).toBe(3);
    expect(await work()).toBe(0);
    expect(sink.received.flatMap((mail) => mail.to).sort()).toEqual([
      'four@readers.example',
      'one@readers.example',
      'two@readers.example',
    ]);

    const mail = mailTo('one@readers.example');
    expect(mail.parsed.subject).toBe('Ferry service resumes on the river');
    expect(mail.parsed.from?.value[0]).toEqual({
      name: 'The Lantern',
      address: 'news@lantern.example',
    });
    const html = String(mail.parsed.html);
    const text = mail.parsed.text ?? '';
    // The article in full, its photo credited under it, in both parts.
    expect(html).toContain('The council met on Tuesday.');
    expect(text).toContain('The council met on Tuesday.');
    expect(html).toContain('Photo: Lantern Photo / Jonas Feld');
    expect(text).toContain('Photo: Lantern Photo / Jonas Feld');
    expect(html).toMatch(/<img src="https:\/\/news\.example\/media\/[^"]+\.jpg"/);
    // Links to the article and the mirrors, never through a tracker.
    expect(text).toContain(`https://news.example${article.url}`);
    expect(text).toContain('https://news.example/mirrors');
    const hrefs = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs)
      expect(`${href}/`.startsWith('https://news.example/'), href).toBe(true);

    // Each reader's own link, in the message and in the headers.
    const listUnsubscribe = header(mail, 'List-Unsubscribe');
    const link = /<(https:\/\/news\.example\/newsletters\/unsubscribe\?t=[^>]+)>/.exec(
      listUnsubscribe,
    )?.[1];
    expect(link).toBeDefined();
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(text).toContain(link ?? '');
    expect(header(mailTo('two@readers.example'), 'List-Unsubscribe')).not.toBe(listUnsubscribe);
    // A mail program's one-click POST takes the reader off the list.
    const left = await app.inject({
      method: 'POST',
      url: (link ?? '').replace('https://news.example', ''),
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(left.statusCode).toBe(200);
    const sends = (await editor.send('GET', '/api/newsletter-sends')).json() as {
      sends: { state: string; counts: Record<string, number> }[];
    };
    expect(sends.sends[0]).toMatchObject({ state: 'done', counts: { sent: 3, failed: 0 } });

    // The next send reaches the two still subscribed.
    sink.received.length = 0;
    await editor.send('POST', '/api/newsletter-sends', {
      listId: daily.id,
      articleIds: [article.id],
    });
    expect(await work()).toBe(2);
    expect(sink.received.flatMap((item) => item.to)).not.toContain('one@readers.example');
  });

  it('sends a digest with the editor’s introduction, at the time it was scheduled for', async () => {
    const daily = await addList('daily');
    await importReaders(daily.id, 'email\nreader@readers.example\n');
    const first = await publishedArticle('Bridge reopens after repairs');
    const second = await publishedArticle('Council approves the budget');
    const scheduled = await editor.send('POST', '/api/newsletter-sends', {
      listId: daily.id,
      articleIds: [first.id, second.id],
      intro: 'Good evening.\n\nTwo stories from today.',
      sendAt: '2026-03-01T18:00:00.000Z',
    });
    expect(scheduled.statusCode, scheduled.body).toBe(201);
    expect(await work()).toBe(0);
    expect(sink.received).toHaveLength(0);

    newsroom.now = () => new Date('2026-03-01T18:00:01.000Z');
    expect(await work()).toBe(1);
    const mail = mailTo('reader@readers.example');
    expect(mail.parsed.subject).toBe('Daily — English — 1 March 2026');
    const text = mail.parsed.text ?? '';
    expect(text).toContain('Good evening.');
    expect(text).toContain('Bridge reopens after repairs');
    expect(text).toContain('Council approves the budget');
    // A digest carries teasers, not the whole texts.
    expect(text).not.toContain('The council met on Tuesday.');
    expect(String(mail.parsed.html)).toContain(
      `href="https://news.example${second.url}?ref=newsletter"`,
    );
  });

  it('sends a test to the editor alone, and refuses what is not published', async () => {
    const daily = await addList('daily');
    await importReaders(daily.id, 'email\nreader@readers.example\n');
    const article = await publishedArticle('Ferry service resumes on the river');
    const test = await editor.send('POST', '/api/newsletter-sends/test', {
      listId: daily.id,
      articleIds: [article.id],
    });
    expect(test.statusCode, test.body).toBe(200);
    expect(sink.received.map((mail) => mail.to)).toEqual([['ada.editor@news.example']]);
    expect(sink.received[0]?.parsed.subject).toBe('[Test] Ferry service resumes on the river');

    const draft = await createDraft(editor, 'Not yet');
    const refused = await editor.send('POST', '/api/newsletter-sends', {
      listId: daily.id,
      articleIds: [draft.id],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { field: 'articleIds' } });
    expect(refused.body).toContain(`article ${draft.id} is not published`);
  });

  it('counts permanent refusals per address and stops at the limit; tries again after a passing one', async () => {
    const daily = await addList('daily');
    await importReaders(
      daily.id,
      'email\ngone@readers.example\nbusy@readers.example\nfine@readers.example\n',
    );
    const article = await publishedArticle('Ferry service resumes on the river');
    sink.refuse('gone@readers.example', 550);
    sink.refuse('busy@readers.example', 451);
    const send = async () => {
      const queued = await editor.send('POST', '/api/newsletter-sends', {
        listId: daily.id,
        articleIds: [article.id],
      });
      expect(queued.statusCode, queued.body).toBe(201);
      return (queued.json() as { id: number }).id;
    };
    const first = await send();
    await work();
    const status = async (id: number) => {
      const sends = (await editor.send('GET', '/api/newsletter-sends')).json() as {
        sends: { id: number; state: string; counts: Record<string, number>; problems: string[] }[];
      };
      return sends.sends.find((item) => item.id === id);
    };
    expect(await status(first)).toMatchObject({
      state: 'sending',
      counts: { sent: 1, refused: 1, queued: 1 },
    });
    expect((await status(first))?.problems.join(' ')).toContain('550');
    // What editors see names no reader.
    expect((await status(first))?.problems.join(' ')).not.toContain('@');
    const gone = await newsroom.store.db
      .selectFrom('subscriber')
      .select(['failure_count', 'last_failure'])
      .where('email', '=', 'gone@readers.example')
      .executeTakeFirstOrThrow();
    expect(gone.failure_count).toBe(1);
    expect(gone.last_failure).toContain('550');

    // The busy mailbox is tried again after its wait, and takes it then.
    sink.refuse('busy@readers.example', null);
    newsroom.now = () => new Date('2026-03-01T09:05:00.000Z');
    await work();
    expect(await status(first)).toMatchObject({
      state: 'done',
      counts: { sent: 2, refused: 1, queued: 0 },
    });

    // A second refusal reaches the limit (2 here): the third send leaves the address out.
    await send();
    await work();
    sink.received.length = 0;
    const third = await send();
    await work();
    expect(sink.received.flatMap((mail) => mail.to).sort()).toEqual([
      'busy@readers.example',
      'fine@readers.example',
    ]);
    expect(await status(third)).toMatchObject({ counts: { sent: 2, refused: 0 } });
  });

  it('signs every message with DKIM when configured', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    useMailer({
      domainName: 'lantern.example',
      keySelector: 'mail2026',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const daily = await addList('daily');
    await importReaders(daily.id, 'email\nreader@readers.example\n');
    const article = await publishedArticle('Ferry service resumes on the river');
    await editor.send('POST', '/api/newsletter-sends', {
      listId: daily.id,
      articleIds: [article.id],
    });
    await work();
    const raw = mailTo('reader@readers.example').raw;
    expect(raw).toMatch(/^DKIM-Signature: .*d=lantern\.example/m);
    const dns = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const verified = (await dkimVerify(Buffer.from(raw), {
      resolver: async (name: string, type: string) => {
        if (name === 'mail2026._domainkey.lantern.example' && type === 'TXT')
          return [[`v=DKIM1; k=rsa; p=${dns}`]];
        throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
      },
    })) as { results: { status: { result: string } }[] };
    expect(verified.results.map((result) => result.status.result)).toEqual(['pass']);
  });

  it('e-mails each article published to a newsletter channel, and does not try to edit e-mail on correction', async () => {
    const breaking = await addList('breaking');
    await importReaders(breaking.id, 'email\nreader@readers.example\n');
    const added = await chief.send('POST', '/api/channels', {
      kind: 'newsletter',
      name: 'Breaking by e-mail',
      listId: breaking.id,
    });
    expect(added.statusCode, added.body).toBe(201);
    const transport = {
      telegramApiUrl: 'http://127.0.0.1:9',
      renderTelegramPost: telegramPostHtml,
      channelIntervalMs: 0,
    };
    const article = await publishedArticle('Ferry service resumes on the river');
    expect(await sendDueDeliveries(newsroom, transport)).toBe(1);
    expect(await work()).toBe(1);
    expect(mailTo('reader@readers.example').parsed.subject).toBe(
      'Ferry service resumes on the river',
    );
    const current = (await editor.send('GET', `/api/articles/${article.id}`)).json() as {
      version: number;
    };
    const corrected = await editor.send('POST', `/api/articles/${article.id}/transitions/correct`, {
      version: current.version,
      type: 'correction',
      text: 'An earlier version gave the wrong date.',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const distribution = (
      await editor.send('GET', `/api/articles/${article.id}/distribution`)
    ).json() as { deliveries: { action: string; state: string; channelName: string }[] };
    expect(distribution.deliveries).toEqual([
      expect.objectContaining({ action: 'post', state: 'sent', channelName: 'Breaking by e-mail' }),
    ]);
  });

  it('keeps addresses to the editor-in-chief: export audited, deletion total', async () => {
    const daily = await addList('daily');
    await importReaders(daily.id, 'email\nreader@readers.example\nother@readers.example\n');
    expect((await editor.send('GET', '/api/subscribers')).statusCode).toBe(403);
    expect(
      (await editor.send('GET', `/api/newsletters/${daily.id}/subscribers.csv`)).statusCode,
    ).toBe(403);
    const exported = await chief.send('GET', `/api/newsletters/${daily.id}/subscribers.csv`);
    expect(exported.statusCode).toBe(200);
    expect(exported.body.split('\n')[1]).toMatch(/^other@readers\.example,active,/);
    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail_json'])
      .where('action', '=', 'newsletter.export-subscribers')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.detail_json).toContain('"count":2');

    const found = (await chief.send('GET', '/api/subscribers?q=reader@')).json() as {
      total: number;
      subscribers: { id: number; email: string }[];
    };
    expect(found.subscribers.map((item) => item.email)).toEqual(['reader@readers.example']);
    const id = found.subscribers[0]?.id ?? 0;
    expect((await chief.send('DELETE', `/api/subscribers/${id}`)).statusCode).toBe(204);
    const left = await newsroom.store.db.selectFrom('subscriber').select('email').execute();
    expect(left.map((row) => row.email)).toEqual(['other@readers.example']);
    const trail = await newsroom.store.db
      .selectFrom('audit_log')
      .select(['subject', 'detail_json'])
      .execute();
    expect(JSON.stringify(trail)).not.toContain('reader@readers.example');
  });

  it('works from the command line: lists, import, send and wait, export', async () => {
    await addList('daily');
    const csv = join(newsroom.dataDir, 'substack.csv');
    await writeFile(
      csv,
      'email,active_subscription,email_disabled\nsub@readers.example,true,false\noff@readers.example,true,true\n',
    );
    expect(
      (await runCliOn(newsroom, ['newsletter', 'subscribers', 'import', 'daily', csv])).lines,
    ).toEqual([
      '1 added, 0 already subscribed, 1 skipped',
      '  substack.csv:3: off@readers.example: turned newsletters off in the service it came from',
    ]);
    expect((await runCliOn(newsroom, ['newsletter', 'lists'])).lines).toEqual([
      'daily\ten\t1 readers\tDaily — English',
    ]);
    const article = await publishedArticle('Ferry service resumes on the river');
    const saved = { url: process.env.MASTHEAD_SMTP_URL, from: process.env.MASTHEAD_MAIL_FROM };
    process.env.MASTHEAD_SMTP_URL = sink.url;
    process.env.MASTHEAD_MAIL_FROM = 'news@lantern.example';
    try {
      const sent = await runCliOn(newsroom, [
        'newsletter',
        'send',
        'daily',
        String(article.id),
        '--wait',
      ]);
      expect(sent.code, sent.lines.join('\n')).toBe(0);
      expect(sent.lines.at(-1)).toBe('done: 1 sent, 0 failed');
    } finally {
      for (const [key, value] of [
        ['MASTHEAD_SMTP_URL', saved.url],
        ['MASTHEAD_MAIL_FROM', saved.from],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(sink.received.map((mail) => mail.to)).toEqual([['sub@readers.example']]);
    const out = join(newsroom.dataDir, 'daily.csv');
    const exported = await runCliOn(newsroom, [
      'newsletter',
      'subscribers',
      'export',
      'daily',
      out,
    ]);
    expect(exported.code).toBe(0);
    expect((await readFile(out, 'utf8')).split('\n')[1]).toMatch(/^sub@readers\.example,active,/);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  });

  it('gives nothing to a reader who leaves mid-send, holds a send the mail server refuses outright, and sends it again with Retry', async () => {
    const daily = await addList('daily');
    await importReaders(
      daily.id,
      'email\nfirst@readers.example\nsecond@readers.example\nthird@readers.example\n',
    );
    const article = await publishedArticle('Ferry service resumes on the river');
    const transport = newsroom.newsletters;
    if (!transport || !newsroom.mailer) throw new Error('no mailer');
    newsroom.newsletters = { ...transport, batchSize: 1 };
    // While the first message goes out, the other two readers leave the list.
    const mailer = newsroom.mailer;
    let isFirst = true;
    newsroom.mailer = {
      send: async (message) => {
        if (isFirst) {
          isFirst = false;
          await newsroom.store.db
            .updateTable('subscription')
            .set({ state: 'unsubscribed' })
            .where('subscriber_id', 'in', (eb) =>
              eb.selectFrom('subscriber').select('id').where('email', '!=', message.to),
            )
            .execute();
        }
        await mailer.send(message);
      },
      close: () => mailer.close?.(),
    };
    const queued = await editor.send('POST', '/api/newsletter-sends', {
      listId: daily.id,
      articleIds: [article.id],
    });
    const sendId = (queued.json() as { id: number; subject: string }).id;
    expect((queued.json() as { subject: string }).subject).toBe(
      'Ferry service resumes on the river',
    );
    await work();
    expect(sink.received).toHaveLength(1);
    const sends = async () =>
      (
        (await editor.send('GET', '/api/newsletter-sends')).json() as {
          sends: {
            id: number;
            state: string;
            reason: string | null;
            counts: Record<string, number>;
          }[];
        }
      ).sends;
    expect((await sends()).find((item) => item.id === sendId)).toMatchObject({
      state: 'done',
      counts: { sent: 1, skipped: 2 },
    });

    // The server will not take the sender: the send is held, no reader is blamed.
    newsroom.mailer = mailer;
    newsroom.newsletters = transport;
    await importReaders(daily.id, 'email\nfourth@readers.example\nfifth@readers.example\n');
    sink.received.length = 0;
    sink.refuseSender(550);
    const second = (
      (
        await editor.send('POST', '/api/newsletter-sends', {
          listId: daily.id,
          articleIds: [article.id],
        })
      ).json() as { id: number }
    ).id;
    await work();
    const held = (await sends()).find((item) => item.id === second);
    expect(held).toMatchObject({ state: 'held', counts: { queued: 3, sent: 0, refused: 0 } });
    expect(held?.reason).toContain('refused the message itself');
    const counts = await newsroom.store.db
      .selectFrom('subscriber')
      .select('failure_count')
      .execute();
    expect(counts.every((row) => row.failure_count === 0)).toBe(true);

    // Settings fixed: Retry sends it to everyone still on the list.
    sink.refuseSender(null);
    const retried = await editor.send('POST', `/api/newsletter-sends/${second}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    await work();
    expect((await sends()).find((item) => item.id === second)).toMatchObject({
      state: 'done',
      counts: { sent: 3 },
    });
    expect(sink.received.flatMap((mail) => mail.to).sort()).toEqual([
      'fifth@readers.example',
      'first@readers.example',
      'fourth@readers.example',
    ]);
  });

  it('gives up a message left half-sent by a process that stopped, and Retry sends it', async () => {
    const daily = await addList('daily');
    await importReaders(daily.id, 'email\nreader@readers.example\n');
    const article = await publishedArticle('Ferry service resumes on the river');
    const id = (
      (
        await editor.send('POST', '/api/newsletter-sends', {
          listId: daily.id,
          articleIds: [article.id],
        })
      ).json() as { id: number }
    ).id;
    // A process starts the send, claims the reader and dies before the mail server answers.
    await startDueSends(newsroom.store.db, FIXED_NOW.toISOString(), 3);
    expect(await claimRecipients(newsroom.store.db, id, FIXED_NOW.toISOString(), 50)).toHaveLength(
      1,
    );
    // Another process never sends it again by itself.
    expect(await work()).toBe(0);
    // Fifteen minutes on, it counts as lost: failed, not sent again by itself.
    newsroom.now = () => new Date('2026-03-01T09:20:00.000Z');
    expect(await work()).toBe(0);
    const list = (await editor.send('GET', '/api/newsletter-sends')).json() as {
      sends: { id: number; state: string; counts: Record<string, number> }[];
    };
    expect(list.sends.find((item) => item.id === id)).toMatchObject({
      state: 'done',
      counts: { failed: 1, sent: 0 },
    });
    expect(sink.received).toHaveLength(0);
    expect((await editor.send('POST', `/api/newsletter-sends/${id}/retry`)).statusCode).toBe(200);
    expect(await work()).toBe(1);
    expect(sink.received.map((mail) => mail.to)).toEqual([['reader@readers.example']]);
  });
});
