import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sendDueDeliveries } from '../../src/newsroom/distribution.js';
import { smtpMailer } from '../../src/newsroom/mail.js';
import { sendDueNewsletters } from '../../src/newsroom/newsletter-sends.js';
import { addNewsletterList } from '../../src/newsroom/newsletters.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { fediverseArticleHtml } from '../../src/site/fediverse-article.js';
import { newsletterMail } from '../../src/site/newsletter-mail.js';
import { telegramPostHtml } from '../../src/site/telegram-post.js';
import { buildTestServer, type Client, createDraft, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';
import { type SmtpSink, startSmtpSink } from '../smtp-sink.js';
import { startTelegramStandIn, type TelegramStandIn } from '../telegram-standin.js';

// One article, every channel: published once, it arrives as an e-mail
// (through a real SMTP server), a Telegram post (at the local stand-in of
// the Bot API) and a fediverse post (at a second Masthead that follows the
// first); a correction then edits the Telegram post and updates the
// fediverse post, and sends no second e-mail (an e-mail cannot be changed).

const TOKEN = '123456789:AAFakeTokenForTheStandInOnly_0123456789';

type Instance = { newsroom: TestNewsroom; app: FastifyInstance; chief: Client; url: string };

async function startInstance(): Promise<Instance> {
  const newsroom = await openTestNewsroom(new Date());
  newsroom.now = () => new Date();
  const app = await buildTestServer(newsroom);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  newsroom.publicUrl = `http://127.0.0.1:${address.port}`;
  newsroom.fediverse = { renderArticle: fediverseArticleHtml, allowPrivateAddress: true };
  const chief = await signIn(app, newsroom, 'editor-in-chief', 'Ana Chief');
  return { newsroom, app, chief, url: newsroom.publicUrl };
}

let site: Instance;
let other: Instance;
let sink: SmtpSink;
let bot: TelegramStandIn;

beforeEach(async () => {
  [site, other, sink, bot] = await Promise.all([
    startInstance(),
    startInstance(),
    startSmtpSink(),
    startTelegramStandIn(),
  ]);
  site.newsroom.mailer = smtpMailer({ url: sink.url, from: 'news@lantern.example' });
  site.newsroom.newsletters = { renderNewsletter: newsletterMail, maxAddressFailures: 3 };
});
afterEach(async () => {
  site.newsroom.mailer?.close?.();
  for (const instance of [site, other]) {
    await instance.app.close();
    await instance.newsroom.dispose();
  }
  await Promise.all([sink.close(), bot.close()]);
});

it('sends one article by e-mail, to Telegram and to the fediverse, and a correction to the two that can change', async () => {
  const { chief } = site;
  const add = async (body: Record<string, unknown>) => {
    const added = await chief.send('POST', '/api/channels', body);
    expect(added.statusCode, added.body).toBe(201);
  };
  const list = await addNewsletterList(site.newsroom, SYSTEM_ACTOR, {
    name: 'Breaking',
    slug: 'breaking',
    language: 'en',
    senderName: 'The Lantern',
    description: '',
  });
  const imported = await chief.send('POST', `/api/newsletters/${list.id}/subscribers/import`, {
    csv: 'email\nreader@readers.example\n',
    fileName: 'readers.csv',
  });
  expect(imported.statusCode, imported.body).toBe(200);
  await add({ kind: 'newsletter', name: 'Breaking by e-mail', listId: list.id });
  await add({
    kind: 'telegram',
    name: 'Lantern on Telegram',
    chatId: '@lantern_en',
    secret: TOKEN,
  });
  await add({ kind: 'fediverse', name: 'The Lantern', handle: 'news' });
  const otherAdded = await other.chief.send('POST', '/api/channels', {
    kind: 'fediverse',
    name: 'The Other Paper',
    handle: 'desk',
  });
  expect(otherAdded.statusCode, otherAdded.body).toBe(201);
  const follow = await other.chief.send('POST', '/api/fediverse/follow', {
    handle: `${site.url}/ap/actors/news`,
  });
  expect(follow.statusCode, follow.body).toBe(200);

  const transport = {
    telegramApiUrl: bot.url,
    renderTelegramPost: telegramPostHtml,
    channelIntervalMs: 0,
  };
  const draft = await createDraft(chief, 'Ferry service resumes on the river');
  const version = () =>
    chief
      .send('GET', `/api/articles/${draft.id}`)
      .then((r) => (r.json() as { version: number }).version);
  const published = await chief.send('POST', `/api/articles/${draft.id}/transitions/publish`, {
    version: await version(),
  });
  expect(published.statusCode, published.body).toBe(200);
  expect(await sendDueDeliveries(site.newsroom, transport)).toBe(3);
  expect((await sendDueNewsletters(site.newsroom)).settled).toBe(1);

  // The e-mail, the post, the fediverse article.
  expect(sink.received.map((mail) => [mail.to, mail.parsed.subject])).toEqual([
    [['reader@readers.example'], 'Ferry service resumes on the river'],
  ]);
  const post = [...(bot.chats.get('@lantern_en')?.values() ?? [])];
  expect(post).toHaveLength(1);
  expect(post[0]).toContain('Ferry service resumes on the river');
  const inbox = async () =>
    (
      (await other.chief.send('GET', '/api/fediverse')).json() as {
        received: { name: string; content: string }[];
      }
    ).received;
  expect((await inbox()).map((item) => item.name)).toEqual(['Ferry service resumes on the river']);

  // A correction: the post is edited, the fediverse article updated, no second e-mail.
  const corrected = await chief.send('POST', `/api/articles/${draft.id}/transitions/correct`, {
    version: await version(),
    type: 'correction',
    text: 'An earlier version gave the wrong day.',
  });
  expect(corrected.statusCode, corrected.body).toBe(200);
  expect(await sendDueDeliveries(site.newsroom, transport)).toBe(2);
  expect((await sendDueNewsletters(site.newsroom)).settled).toBe(0);
  expect([...(bot.chats.get('@lantern_en')?.values() ?? [])][0]).toContain(
    'An earlier version gave the wrong day.',
  );
  expect((await inbox())[0]?.content).toContain('An earlier version gave the wrong day.');
  expect(sink.received).toHaveLength(1);
});
