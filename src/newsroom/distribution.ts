import type { Kysely } from 'kysely';
import { channelLink } from '../core/audience.js';
import { formatCreditChain } from '../core/credit.js';
import {
  TELEGRAM_CAPTION_LIMIT as CAPTION_LIMIT,
  type Channel,
  channelTakes,
  type DeliveryAction,
  MAX_ATTEMPTS,
  TELEGRAM_MESSAGE_LIMIT as MESSAGE_LIMIT,
  retryDelayMs,
  type SendOutcome,
  sectionAncestry,
  type TelegramPostInput,
} from '../core/distribution.js';
import { jpegUpTo } from '../core/renditions.js';
import { articleUrl } from '../core/section-path.js';
import type { Article } from '../core/types.js';
import { getArticle } from '../store/articles.js';
import { listCorrections } from '../store/corrections.js';
import {
  cancelQueued,
  claimDelivery,
  dueDeliveries,
  enqueueDelivery,
  getChannel,
  getChannelSecret,
  holdChannel,
  listChannels,
  livePosts,
  type QueuedDelivery,
  settleDelivery,
} from '../store/distribution.js';
import { withLease } from '../store/leases.js';
import { getMediaByIds } from '../store/media.js';
import type { Database } from '../store/schema.js';
import { listSections } from '../store/sections.js';
import { countAudienceEvents } from './audience.js';
import { queueArticleSend, sendDueNewsletters } from './newsletter-sends.js';
import type { Newsroom } from './newsroom.js';
import {
  deleteTelegramPost,
  editTelegramPost,
  parseTelegramMessage,
  postToTelegram,
  type TelegramBot,
} from './telegram.js';

// Distribution: an article published goes out to its channels through one
// durable queue in the database (store/distribution.ts). Publishing queues a
// post on each channel picked (by default, those that take the article's
// language and section); a correction or an update of a published article
// queues an edit of each post; unpublishing queues their deletion. The queue
// is worked by `sendDueDeliveries`, in every server, one process at a time.

// ---------------------------------------------------------------------------
// Queueing, inside the transition's own transaction

/** The channels that take an article by default. */
export async function defaultChannelsFor(
  db: Kysely<Database>,
  article: Pick<Article, 'language' | 'sectionId'>,
): Promise<Channel[]> {
  const sections = await listSections(db);
  const section = sections.find((candidate) => candidate.id === article.sectionId);
  const path = section ? sectionAncestry(sections, section.path) : [];
  return (await listChannels(db)).filter((channel) =>
    channelTakes(channel, { language: article.language, sectionPath: path }),
  );
}

async function queue(
  db: Kysely<Database>,
  delivery: {
    action: DeliveryAction;
    channelId: number;
    articleId: number;
    targetId: number | null;
  },
  now: string,
): Promise<void> {
  // The article is locked for the transition, which queues one message of a
  // kind per channel at most: how many came before numbers this one, the
  // same however often the transition's work is looked at.
  const before = await db
    .selectFrom('delivery')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('article_id', '=', delivery.articleId)
    .where('channel_id', '=', delivery.channelId)
    .where('action', '=', delivery.action)
    .executeTakeFirstOrThrow();
  await enqueueDelivery(db, {
    ...delivery,
    dedupeKey: `${delivery.action}:${delivery.articleId}:${delivery.channelId}:${Number(before.n) + 1}`,
    now,
  });
}

/** The channels picked when the article was scheduled; null: none were picked (the defaults). */
async function scheduledPicks(db: Kysely<Database>, articleId: number): Promise<number[] | null> {
  const row = await db
    .selectFrom('article')
    .select('channel_picks_json')
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (!row?.channel_picks_json) return null;
  const ids = JSON.parse(row.channel_picks_json) as unknown;
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : null;
}

/**
 * What a workflow transition of a published (or newly published) article
 * means for its channels, queued in the transition's transaction, so that
 * nothing is queued for a transition that was refused:
 * - published: a post on each channel of `picked` (those picked when it was
 *   scheduled, for the scheduler's publication; else the defaults);
 * - scheduled: `picked` is kept with the article until it is published;
 * - corrected, or its held-back edits published: an edit of each post sent;
 * - unpublished: what has not gone out yet stays in, and each post sent (or
 *   being sent) is deleted.
 * Each edit and deletion names the very post it is of. True when anything was queued.
 */
export async function queueForTransition(
  db: Kysely<Database>,
  change: {
    article: Article;
    from: string;
    to: string;
    picked?: number[] | undefined;
    now: string;
  },
): Promise<boolean> {
  const { article, now } = change;
  const wasPicked = change.from === 'scheduled' ? await scheduledPicks(db, article.id) : null;
  if (change.to === 'scheduled' || change.from === 'scheduled') {
    // What the editor picked when scheduling waits with the article; any
    // other move (publication, unscheduling) uses it up.
    await db
      .updateTable('article')
      .set({
        channel_picks_json:
          change.to === 'scheduled' && change.picked ? JSON.stringify(change.picked) : null,
      })
      .where('id', '=', article.id)
      .execute();
  }
  if (change.to === 'published' && change.from !== 'published') {
    const picked = change.picked ?? wasPicked;
    // An e-mail cannot be taken back: a list that had the article once (it
    // was unpublished and published again) does not get it twice.
    const mailed = new Set(
      (
        await db
          .selectFrom('delivery')
          .select('channel_id')
          .where('article_id', '=', article.id)
          .where('action', '=', 'post')
          .where('state', 'in', ['queued', 'sending', 'sent'])
          .execute()
      ).map((row) => row.channel_id),
    );
    const channels = (
      picked
        ? (await listChannels(db)).filter((channel) => picked.includes(channel.id))
        : await defaultChannelsFor(db, article)
    ).filter((channel) => channel.kind !== 'newsletter' || !mailed.has(channel.id));
    for (const channel of channels) {
      await queue(
        db,
        { action: 'post', channelId: channel.id, articleId: article.id, targetId: null },
        now,
      );
    }
    return channels.length > 0;
  }
  // E-mail cannot be edited or taken back: only the channels that can are asked to.
  const newsletterChannels = new Set(
    (await listChannels(db))
      .filter((channel) => channel.kind === 'newsletter')
      .map((channel) => channel.id),
  );
  const posts = (await livePosts(db, article.id)).filter(
    (post) => !newsletterChannels.has(post.channelId),
  );
  /** One message of `action` about each of `targets`, the post it is of named. */
  const queueOf = async (action: DeliveryAction, targets: typeof posts) => {
    for (const post of targets) {
      await queue(
        db,
        { action, channelId: post.channelId, articleId: article.id, targetId: post.id },
        now,
      );
    }
    return targets.length > 0;
  };
  if (change.from === 'published' && change.to === 'published') {
    // A post still waiting goes out as the article is then: it needs no edit.
    return await queueOf(
      'edit',
      posts.filter((post) => post.state === 'sent'),
    );
  }
  if (change.from === 'published' && change.to !== 'published') {
    await cancelQueued(db, article.id);
    return await queueOf(
      'delete',
      posts.filter((post) => post.state !== 'queued'),
    );
  }
  return false;
}

// ---------------------------------------------------------------------------
// Sending

/**
 * What the queue needs from the world, wired in main.ts: Telegram's address
 * (a self-hosted Bot API server's, or a test's stand-in); how a post reads
 * (rendering is site/'s); and the least time between two messages to one
 * channel: Telegram channels take about 20 posts a minute.
 */
export type DistributionTransport = {
  telegramApiUrl: string;
  renderTelegramPost: (post: TelegramPostInput, limit: number) => string;
  channelIntervalMs?: number;
};

const CHANNEL_INTERVAL_MS = 3000;
/** When each channel was last sent to, per newsroom (the process's own pace). */
const lastSentAt = new WeakMap<Newsroom, Map<number, number>>();

/**
 * Sends what is due, oldest first, at most one message every 3 s per channel;
 * one process at a time on PostgreSQL. Returns how many deliveries were
 * settled (sent, given up, or put back for later).
 */
export async function sendDueDeliveries(
  newsroom: Newsroom,
  transport: DistributionTransport,
): Promise<number> {
  const outcome = await withLease(newsroom.store.db, 'distribution', async () => {
    const db = newsroom.store.db;
    const due = await dueDeliveries(db, newsroom.now().toISOString());
    const interval = transport.channelIntervalMs ?? CHANNEL_INTERVAL_MS;
    const sentAt = lastSentAt.get(newsroom) ?? new Map<number, number>();
    lastSentAt.set(newsroom, sentAt);
    const busy = new Set<number>();
    let settled = 0;
    for (const delivery of due) {
      const last = sentAt.get(delivery.channelId) ?? 0;
      if (busy.has(delivery.channelId) || Date.now() - last < interval) continue;
      if (!(await claimDelivery(db, delivery.id))) continue;
      busy.add(delivery.channelId);
      const result = await sendOne(newsroom, transport, delivery).catch(
        (error: unknown): SendOutcome => ({
          ok: false,
          permanent: false,
          reason: (error as Error).message,
        }),
      );
      sentAt.set(delivery.channelId, Date.now());
      await settle(newsroom, delivery, result);
      settled++;
    }
    return settled;
  });
  return outcome.ran ? outcome.value : 0;
}

async function settle(
  newsroom: Newsroom,
  delivery: QueuedDelivery,
  result: SendOutcome | 'cancelled',
): Promise<void> {
  const db = newsroom.store.db;
  const now = newsroom.now();
  if (result === 'cancelled') {
    await settleDelivery(db, delivery.id, { state: 'cancelled' });
  } else if (result.ok) {
    await settleDelivery(db, delivery.id, {
      state: 'sent',
      remoteId: result.remoteId,
      at: now.toISOString(),
    });
  } else if (result.permanent) {
    await settleDelivery(db, delivery.id, { state: 'failed', error: result.reason });
  } else if (result.retryAfterMs !== undefined) {
    // The service said how long the whole channel must wait: every message
    // to it waits, and the try is not held against this one.
    const until = new Date(now.getTime() + result.retryAfterMs).toISOString();
    await settleDelivery(db, delivery.id, {
      state: 'queued',
      nextAt: until,
      error: result.reason,
      isCounted: false,
    });
    await holdChannel(db, delivery.channelId, until);
  } else if (delivery.attempts + 1 >= MAX_ATTEMPTS) {
    await settleDelivery(db, delivery.id, { state: 'failed', error: result.reason });
  } else {
    await settleDelivery(db, delivery.id, {
      state: 'queued',
      nextAt: new Date(now.getTime() + retryDelayMs(delivery.attempts + 1)).toISOString(),
      error: result.reason,
      isCounted: true,
    });
  }
}

/** One delivery: the article as it is now, to the channel as it is now. */
async function sendOne(
  newsroom: Newsroom,
  transport: DistributionTransport,
  delivery: QueuedDelivery,
): Promise<SendOutcome | 'cancelled'> {
  const db = newsroom.store.db;
  const channel = await getChannel(db, delivery.channelId);
  if (channel?.kind === 'newsletter') return await sendToList(newsroom, channel, delivery);
  if (channel?.kind === 'fediverse') {
    // Fedify (a few hundred modules) is loaded when something goes to the
    // fediverse, not by every process that queues a delivery (a CLI command).
    const { sendToFediverse } = await import('./fediverse.js');
    return await sendToFediverse(newsroom, channel, delivery);
  }
  const token = await getChannelSecret(db, delivery.channelId);
  if (!channel || !token)
    return { ok: false, permanent: true, reason: 'the channel has no bot token' };
  const bot: TelegramBot = { apiUrl: transport.telegramApiUrl, token };
  const message = parseTelegramMessage(delivery.postRemoteId);
  if (delivery.action === 'delete') {
    if (!message) return 'cancelled';
    return await deleteTelegramPost(bot, message);
  }
  const article = await getArticle(db, delivery.articleId);
  // Unpublished before it went out: nothing to say any more.
  if (article?.status !== 'published') return 'cancelled';
  if (delivery.action === 'edit') {
    if (!message) return 'cancelled';
    // The photo in the post stays what it was: its credit goes with it.
    const post = await postContent(newsroom, article, message.photoId, true);
    const html = transport.renderTelegramPost(
      post.input,
      message.photoId !== null ? CAPTION_LIMIT : MESSAGE_LIMIT,
    );
    return await editTelegramPost(bot, message, html, post.url);
  }
  const post = await postContent(newsroom, article, article.leadMediaId, false);
  const html = transport.renderTelegramPost(post.input, post.photo ? CAPTION_LIMIT : MESSAGE_LIMIT);
  const sent = await postToTelegram(bot, channel.chatId, {
    html,
    photo: post.photo ? { id: post.photo.id, bytes: post.photo.bytes } : null,
    previewUrl: post.url,
  });
  if (sent.ok)
    await countAudienceEvents(newsroom, [{ kind: 'telegram_sent', subject: channel.id }]);
  return sent;
}

/**
 * An article published to a newsletter channel: a send of it, in full, to
 * the channel's list, starting at once (the send's own queue reaches each
 * reader). The delivery is done once the send is queued; a delivery tried
 * again finds the send it made.
 */
async function sendToList(
  newsroom: Newsroom,
  channel: Channel,
  delivery: QueuedDelivery,
): Promise<SendOutcome | 'cancelled'> {
  if (delivery.action !== 'post') return 'cancelled';
  const article = await getArticle(newsroom.store.db, delivery.articleId);
  if (article?.status !== 'published') return 'cancelled';
  if (!newsroom.mailer || !newsroom.newsletters)
    return {
      ok: false,
      permanent: true,
      reason: 'the site sends no e-mail: set MASTHEAD_SMTP_URL and MASTHEAD_MAIL_FROM',
    };
  if (channel.listId === null)
    return { ok: false, permanent: true, reason: 'the channel has no newsletter list' };
  const sendId = await queueArticleSend(newsroom, {
    deliveryId: delivery.id,
    listId: channel.listId,
    articleId: article.id,
  });
  return { ok: true, remoteId: String(sendId) };
}

/**
 * The post's text, and the photo `photoId` at up to 1280 px (the lead photo
 * for a new post; for an edit, the one the post shows), with its credit.
 */
async function postContent(
  newsroom: Newsroom,
  article: Article,
  photoId: number | null,
  isEdit: boolean,
): Promise<{
  photo: { id: number; bytes: Uint8Array } | null;
  input: TelegramPostInput;
  /** The article's own address, which Telegram's link preview shows. */
  url: string;
}> {
  const db = newsroom.store.db;
  const section = (await listSections(db)).find((candidate) => candidate.id === article.sectionId);
  const path = section ? articleUrl(section, article.slug) : '/';
  const shown = photoId === null ? undefined : (await getMediaByIds(db, [photoId])).get(photoId);
  let photo: { id: number; bytes: Uint8Array } | null = null;
  if (shown?.file) {
    const { name } = jpegUpTo(shown.file, shown.width ?? 0, 1280);
    const read = await newsroom.mediaFiles.read(name);
    if (read) photo = { id: shown.id, bytes: read.body };
  }
  const corrections = await listCorrections(db, [article.id]);
  const url = `${newsroom.publicUrl}${path}`;
  return {
    photo,
    url,
    input: {
      title: article.title,
      standfirst: article.standfirst,
      language: article.language,
      // The post's link says it came from Telegram (readers' apps send no referrer).
      articleUrl: channelLink(url, 'telegram'),
      mirrorsUrl: `${newsroom.publicUrl}/mirrors`,
      // A new post credits the photo it carries; an edited one, the photo it shows.
      photoCredit: shown && (photo || isEdit) ? formatCreditChain(shown.credit) || null : null,
      corrections: corrections.map(({ type, text }) => ({ type, text })),
    },
  };
}

/**
 * Works the queue every `intervalMs`, and at once when woken (an article was
 * just published). Stopping waits for a round under way.
 */
export function startDistribution(
  newsroom: Newsroom,
  transport: DistributionTransport,
  onError: (error: unknown) => void,
  intervalMs = 2000,
): { wake: () => void; stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  let lastCacheSweep = 0;
  const round = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = sendDueDeliveries(newsroom, transport)
      .then(async () => {
        // Fedify's cache entries expire; drop them now and then.
        if (Date.now() - lastCacheSweep > 10 * 60_000) {
          lastCacheSweep = Date.now();
          const { forgetExpiredFediverseCache } = await import('./fediverse.js');
          await forgetExpiredFediverseCache(newsroom);
        }
        const mail = await sendDueNewsletters(newsroom);
        // A long send gives way to the channels between rounds, then goes on.
        if (mail.hasMore) again = true;
      })
      .catch((error: unknown) => onError(error))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          round();
        }
      });
  };
  const timer = setInterval(round, intervalMs);
  timer.unref();
  return {
    wake: round,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
