import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishDueArticles } from '../../src/newsroom/articles.js';
import { readAudience } from '../../src/newsroom/audience-report.js';
import { type DistributionTransport, sendDueDeliveries } from '../../src/newsroom/distribution.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { telegramPostHtml } from '../../src/site/telegram-post.js';
import { buildTestServer, type Client, createDraft, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';
import { startTelegramStandIn, type TelegramStandIn } from '../telegram-standin.js';

// Articles go out to Telegram channels through the distribution queue:
// publishing posts the lead photo with the headline, standfirst, credit and
// links to the article and to the mirrors; a correction edits the post;
// unpublishing deletes it. Bot API errors are read as documented. Against a
// local stand-in of the Bot API on 127.0.0.1.

const TOKEN = '123456789:AAFakeTokenForTheStandInOnly_0123456789';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let chief: Client;
let editor: Client;
let bot: TelegramStandIn;
let transport: DistributionTransport;

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
  chief = await signIn(app, newsroom, 'editor-in-chief', 'Ana Petrova');
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
  bot = await startTelegramStandIn();
  transport = {
    telegramApiUrl: bot.url,
    renderTelegramPost: telegramPostHtml,
    channelIntervalMs: 0,
  };
});
afterEach(async () => {
  await bot.close();
  await app.close();
  await newsroom.dispose();
});

async function addChannel(fields: Record<string, unknown>) {
  const added = await chief.send('POST', '/api/channels', {
    kind: 'telegram',
    secret: TOKEN,
    ...fields,
  });
  expect(added.statusCode, added.body).toBe(201);
  return added.json() as { id: number };
}

async function leadPhoto() {
  const bytes = await sharp({
    create: { width: 1600, height: 900, channels: 3, background: '#335577' },
  })
    .jpeg()
    .toBuffer();
  return await uploadImage(newsroom, SYSTEM_ACTOR, {
    bytes,
    alt: 'The ferry at the quay',
    caption: 'The ferry at the quay',
    credit: 'Lantern Photo / Jonas Feld',
  });
}

async function draftWithPhoto(title: string, standfirst: string) {
  const photo = await leadPhoto();
  const created = await createDraft(editor, title);
  const saved = await editor.send('PATCH', `/api/articles/${created.id}`, {
    version: created.version,
    standfirst,
    leadMediaId: photo.id,
  });
  expect(saved.statusCode, saved.body).toBe(200);
  return saved.json() as { id: number; version: number };
}

async function transition(id: number, name: string, body: Record<string, unknown> = {}) {
  const current = (await editor.send('GET', `/api/articles/${id}`)).json() as { version: number };
  const done = await editor.send('POST', `/api/articles/${id}/transitions/${name}`, {
    version: current.version,
    ...body,
  });
  expect(done.statusCode, done.body).toBe(200);
  return done.json() as { url: string };
}

async function distribution(id: number) {
  const answer = await editor.send('GET', `/api/articles/${id}/distribution`);
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json() as {
    deliveries: {
      id: number;
      channelName: string;
      action: string;
      state: string;
      lastError: string | null;
      url: string | null;
      attempts: number;
    }[];
    defaultChannelIds: number[];
  };
}

describe('Telegram channels', () => {
  it('posts a published article with its photo, edits the post on correction and deletes it on unpublish', async () => {
    const channel = await addChannel({ name: 'Gazette in English', chatId: '@gazette_en' });
    // The token is never shown again.
    const listed = (await chief.send('GET', '/api/channels')).json();
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    expect(listed.channels[0]).toMatchObject({ name: 'Gazette in English', hasSecret: true });

    const draft = await draftWithPhoto(
      'Ferry fares rise <by a fifth> & more',
      'The crossing costs more from May.',
    );
    expect((await distribution(draft.id)).defaultChannelIds).toEqual([channel.id]);
    const { url } = await transition(draft.id, 'publish');
    expect(await sendDueDeliveries(newsroom, transport)).toBe(1);
    // Sent once, however often the queue is worked.
    await sendDueDeliveries(newsroom, transport);

    const [post, ...others] = bot.calls;
    expect(others).toEqual([]);
    expect(post).toMatchObject({ token: TOKEN, method: 'sendPhoto' });
    expect(post?.fields).toMatchObject({ chat_id: '@gazette_en', parse_mode: 'HTML' });
    const caption = String(post?.fields.caption);
    expect(caption).toContain('<b>Ferry fares rise &lt;by a fifth&gt; &amp; more</b>');
    expect(caption).toContain('The crossing costs more from May.');
    expect(caption).toContain('Photo: Lantern Photo / Jonas Feld');
    // The link names its channel, so the site counts the reader as come from Telegram.
    expect(caption).toContain(
      `<a href="${newsroom.publicUrl}${url}?ref=telegram">Read on the site</a>`,
    );
    expect(caption).toContain(`<a href="${newsroom.publicUrl}/mirrors">If the site is blocked</a>`);
    const photo = post?.files.photo;
    expect(photo?.type).toBe('image/jpeg');
    expect((await sharp(photo?.bytes).metadata()).width).toBe(1280);

    let shown = await distribution(draft.id);
    expect(shown.deliveries).toMatchObject([
      {
        channelName: 'Gazette in English',
        action: 'post',
        state: 'sent',
        url: 'https://t.me/gazette_en/1',
      },
    ]);
    // Counted for the audience numbers: one post sent to the channel today.
    expect((await readAudience(newsroom, SYSTEM_ACTOR, 'today')).telegram).toEqual({ sent: 1 });

    await transition(draft.id, 'correct', {
      type: 'correction',
      text: 'The rise is a fifth, not a quarter.',
    });
    await sendDueDeliveries(newsroom, transport);
    const edit = bot.calls[1];
    expect(edit).toMatchObject({ method: 'editMessageCaption' });
    expect(edit?.fields).toMatchObject({ chat_id: '@gazette_en', message_id: 1 });
    expect(String(edit?.fields.caption)).toContain(
      '<b>Correction:</b> The rise is a fifth, not a quarter.',
    );

    await transition(draft.id, 'unpublish');
    await sendDueDeliveries(newsroom, transport);
    expect(bot.calls[2]).toMatchObject({
      method: 'deleteMessage',
      fields: { chat_id: '@gazette_en', message_id: 1 },
    });
    shown = await distribution(draft.id);
    expect(shown.deliveries.map((d) => [d.action, d.state])).toEqual([
      ['post', 'sent'],
      ['edit', 'sent'],
      ['delete', 'sent'],
    ]);

    // Published again: a new post, and the next correction and unpublication are of it.
    await transition(draft.id, 'publish');
    await sendDueDeliveries(newsroom, transport);
    await transition(draft.id, 'correct', {
      type: 'clarification',
      text: 'Fares for children stay.',
    });
    await sendDueDeliveries(newsroom, transport);
    await transition(draft.id, 'unpublish');
    await sendDueDeliveries(newsroom, transport);
    expect(bot.calls.map((call) => [call.method, call.fields.message_id ?? null])).toEqual([
      ['sendPhoto', null],
      ['editMessageCaption', 1],
      ['deleteMessage', 1],
      ['sendPhoto', null],
      ['editMessageCaption', 2],
      ['deleteMessage', 2],
    ]);
    expect(bot.chats.get('@gazette_en')?.size).toBe(0);
    shown = await distribution(draft.id);
    expect(shown.deliveries.every((d) => d.state === 'sent')).toBe(true);
  });

  it('posts an article published again after it was taken down before its post went out', async () => {
    await addChannel({ name: 'Gazette', chatId: '@gazette_en' });
    const draft = await createDraft(editor, 'Ferry fares rise');
    await transition(draft.id, 'publish');
    // Unpublished before the queue was worked: the post never goes.
    await transition(draft.id, 'unpublish');
    await sendDueDeliveries(newsroom, transport);
    expect(bot.calls).toEqual([]);
    expect((await distribution(draft.id)).deliveries.map((d) => [d.action, d.state])).toEqual([
      ['post', 'cancelled'],
    ]);
    await transition(draft.id, 'publish');
    await sendDueDeliveries(newsroom, transport);
    expect(bot.calls.map((call) => call.method)).toEqual(['sendMessage']);
  });

  it('keeps a long correction and the links within Telegram’s caption limit', async () => {
    await addChannel({ name: 'Gazette', chatId: '@gazette_en' });
    const draft = await draftWithPhoto('Ferry fares rise', 'The crossing costs more. '.repeat(30));
    await transition(draft.id, 'publish');
    await sendDueDeliveries(newsroom, transport);
    await transition(draft.id, 'correct', {
      type: 'correction',
      text: 'An earlier version of this article gave the wrong fare. '.repeat(60),
    });
    await sendDueDeliveries(newsroom, transport);
    const [delivery, edit] = (await distribution(draft.id)).deliveries;
    expect([delivery?.state, edit?.state, edit?.lastError]).toEqual(['sent', 'sent', null]);
    expect(String(bot.calls[1]?.fields.caption)).toContain('<b>Correction:</b> An earlier version');
  });

  it('goes only to the channels that take the article, or to those the editor picks', async () => {
    await addChannel({ name: 'English', chatId: '@gazette_en', language: 'en' });
    const russian = await addChannel({ name: 'Русский', chatId: '@gazeta_ru', language: 'ru' });
    const first = await createDraft(editor, 'Ferry fares rise');
    await transition(first.id, 'publish');
    await sendDueDeliveries(newsroom, transport);
    expect(bot.calls.map((call) => [call.method, call.fields.chat_id])).toEqual([
      ['sendMessage', '@gazette_en'],
    ]);
    // A text message shows the article in its link preview.
    expect(bot.calls[0]?.fields.link_preview_options).toMatchObject({
      url: expect.stringMatching(/\/news\/politics\/ferry-fares-rise$/),
    });
    const second = await createDraft(editor, 'The harbour reopens');
    await transition(second.id, 'publish', { channels: [russian.id] });
    const third = await createDraft(editor, 'The bridge closes');
    await transition(third.id, 'publish', { channels: [] });
    await sendDueDeliveries(newsroom, transport);
    expect(bot.calls.map((call) => call.fields.chat_id)).toEqual(['@gazette_en', '@gazeta_ru']);
  });

  it('keeps the channels picked when scheduling for the scheduler’s publication', async () => {
    const english = await addChannel({ name: 'English', chatId: '@gazette_en' });
    await addChannel({ name: 'Second', chatId: '@gazette_two' });
    const picked = await createDraft(editor, 'Ferry fares rise');
    const at = new Date(newsroom.now().getTime() + 3_600_000).toISOString();
    await transition(picked.id, 'schedule', { at, channels: [english.id] });
    const unpicked = await createDraft(editor, 'The harbour reopens');
    await transition(unpicked.id, 'schedule', { at });
    // Nothing goes before the time.
    await sendDueDeliveries(newsroom, transport);
    expect(bot.calls).toEqual([]);
    const later = new Date(newsroom.now().getTime() + 2 * 3_600_000);
    newsroom.now = () => later;
    expect((await publishDueArticles(newsroom)).sort()).toEqual([picked.id, unpicked.id].sort());
    await sendDueDeliveries(newsroom, transport);
    await sendDueDeliveries(newsroom, transport);
    const sent = bot.calls.map((call) => [
      call.fields.chat_id,
      String(call.fields.text).split('\n')[0],
    ]);
    // The picked one to its channel only; the other to every channel that takes it.
    expect(sent.sort()).toEqual(
      [
        ['@gazette_en', '<b>Ferry fares rise</b>'],
        ['@gazette_en', '<b>The harbour reopens</b>'],
        ['@gazette_two', '<b>The harbour reopens</b>'],
      ].sort(),
    );
  });

  it('waits as Telegram asks on 429, shows a refusal on the article, and sends again on Retry', async () => {
    await addChannel({ name: 'Gazette', chatId: '@gazette_en' });
    const draft = await createDraft(editor, 'Ferry fares rise');
    bot.failNext('sendMessage', {
      status: 429,
      description: 'Too Many Requests: retry after 7',
      retryAfter: 7,
    });
    await transition(draft.id, 'publish');
    await sendDueDeliveries(newsroom, transport);
    let [delivery] = (await distribution(draft.id)).deliveries;
    // Waiting as asked is not held against it: no try counted.
    expect(delivery).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: 'Telegram answered 429: Too Many Requests: retry after 7',
    });
    // Not before the seven seconds Telegram asked for.
    await sendDueDeliveries(newsroom, transport);
    expect(bot.calls).toHaveLength(1);

    // Then a refusal that trying again will not mend.
    const later = new Date(newsroom.now().getTime() + 8000);
    newsroom.now = () => later;
    bot.failNext('sendMessage', {
      status: 403,
      description: 'Forbidden: bot is not a member of the channel chat',
    });
    await sendDueDeliveries(newsroom, transport);
    [delivery] = (await distribution(draft.id)).deliveries;
    expect(delivery).toMatchObject({
      state: 'failed',
      lastError: 'Telegram answered 403: Forbidden: bot is not a member of the channel chat',
    });
    await sendDueDeliveries(newsroom, transport);
    expect(bot.calls).toHaveLength(2);

    // The bot is made an admin of the channel; Retry sends it.
    const retried = await editor.send('POST', `/api/deliveries/${delivery?.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    await sendDueDeliveries(newsroom, transport);
    [delivery] = (await distribution(draft.id)).deliveries;
    expect(delivery).toMatchObject({ state: 'sent', lastError: null });
    expect(bot.calls.map((call) => call.method)).toEqual([
      'sendMessage',
      'sendMessage',
      'sendMessage',
    ]);
  });

  it('lets only the editor-in-chief add or change a channel, and checks what is given', async () => {
    const refused = await editor.send('POST', '/api/channels', {
      kind: 'telegram',
      name: 'Gazette',
      chatId: '@gazette_en',
      secret: TOKEN,
    });
    expect(refused.statusCode).toBe(403);
    const bad = await chief.send('POST', '/api/channels', {
      kind: 'telegram',
      name: 'Gazette',
      chatId: 'gazette en',
      secret: 'not a token',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('chatId');
    const channel = await addChannel({
      name: 'Gazette',
      chatId: '@gazette_en',
      language: 'en',
      isDefault: false,
    });
    const changed = await chief.send('PATCH', `/api/channels/${channel.id}`, {
      name: 'Gazette — English',
      secret: '987654321:AAAnotherFakeTokenForTheStandIn_98765',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    // What was not named stays as it was.
    expect(changed.json()).toMatchObject({
      name: 'Gazette — English',
      hasSecret: true,
      language: 'en',
      isDefault: false,
      sectionIds: [],
    });
    expect(changed.body).not.toContain('987654321');
    const audit = (await chief.send('GET', '/api/audit?kind=site')).json();
    expect(JSON.stringify(audit)).not.toContain('AAAnother');
    expect((await chief.send('DELETE', `/api/channels/${channel.id}`)).statusCode).toBe(204);
    expect((await chief.send('GET', '/api/channels')).json()).toEqual({ channels: [] });
  });
});
