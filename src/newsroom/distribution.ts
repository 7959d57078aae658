import type { Kysely } from 'kysely';
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
  type TelegramPostInput,
} from '../core/distribution.js';
import { renditionName, renditionWidths } from '../core/renditions.js';
import { articleUrl } from '../core/section-path.js';
import type { Article, Section } from '../core/types.js';
import { getArticle } from '../store/articles.js';
import { listCorrections } from '../store/corrections.js';
import {
  articlePosts,
  cancelQueued,
  claimDelivery,
  dueDeliveries,
  enqueueDelivery,
  getChannel,
  getChannelSecret,
  listChannels,
  type QueuedDelivery,
  settleDelivery,
} from '../store/distribution.js';
import { withLease } from '../store/leases.js';
import { getMediaByIds } from '../store/media.js';
import type { Database } from '../store/schema.js';
import { listSections } from '../store/sections.js';
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

/** The section and its ancestors' ids, nearest first. */
function sectionPath(sections: Section[], sectionId: number): number[] {
  const path: number[] = [];
  let current = sections.find((section) => section.id === sectionId);
  while (current && !path.includes(current.id)) {
    path.push(current.id);
    const parentId: number | null = current.parentId;
    current = sections.find((section) => section.id === parentId);
  }
  return path;
}

/** The channels that take an article by default. */
export async function defaultChannelsFor(
  db: Kysely<Database>,
  article: Pick<Article, 'language' | 'sectionId'>,
): Promise<Channel[]> {
  const path = sectionPath(await listSections(db), article.sectionId);
  return (await listChannels(db)).filter((channel) =>
    channelTakes(channel, { language: article.language, sectionPath: path }),
  );
}

/** How many times a post of the article on the channel has been deleted: a new post after each. */
async function generation(
  db: Kysely<Database>,
  articleId: number,
  channelId: number,
): Promise<number> {
  const row = await db
    .selectFrom('delivery')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('article_id', '=', articleId)
    .where('channel_id', '=', channelId)
    .where('action', '=', 'delete')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function queue(
  db: Kysely<Database>,
  action: DeliveryAction,
  channelId: number,
  articleId: number,
  key: string,
  now: string,
): Promise<void> {
  await enqueueDelivery(db, {
    channelId,
    articleId,
    action,
    dedupeKey: `${action}:${channelId}:${articleId}:${key}`,
    now,
  });
}

/**
 * What a workflow transition of a published (or newly published) article
 * means for its channels, queued in the transition's transaction, so that
 * nothing is queued for a transition that was refused:
 * - published: a post on each channel of `picked` (the defaults when not given);
 * - corrected, or its held-back edits published: an edit of each post;
 * - unpublished: the deletion of each post sent, and nothing more sent.
 * True when anything was queued.
 */
export async function queueForTransition(
  db: Kysely<Database>,
  change: {
    article: Article;
    from: string;
    to: string;
    transition: string;
    picked?: number[] | undefined;
    now: string;
  },
): Promise<boolean> {
  const { article, now } = change;
  if (change.to === 'published' && change.from !== 'published') {
    const channels = change.picked
      ? (await listChannels(db)).filter((channel) => change.picked?.includes(channel.id))
      : await defaultChannelsFor(db, article);
    for (const channel of channels) {
      const round = await generation(db, article.id, channel.id);
      await queue(db, 'post', channel.id, article.id, String(round), now);
    }
    return channels.length > 0;
  }
  const posts = (await articlePosts(db, article.id)).filter(
    (post) => post.state === 'sent' || post.state === 'sending' || post.state === 'queued',
  );
  if (change.from === 'published' && change.to === 'published') {
    for (const post of posts.filter((post) => post.state !== 'queued')) {
      await queue(db, 'edit', post.channelId, article.id, `v${article.version}:${now}`, now);
    }
    return posts.length > 0;
  }
  if (change.from === 'published' && change.to !== 'published') {
    for (const post of posts) {
      await cancelQueued(db, article.id, post.channelId);
      if (post.state === 'queued') continue;
      const round = await generation(db, article.id, post.channelId);
      await queue(db, 'delete', post.channelId, article.id, String(round), now);
    }
    return posts.length > 0;
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
    const due = await dueDeliveries(db, newsroom.now().toISOString(), 50);
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
    await db
      .updateTable('delivery')
      .set({ state: 'cancelled' })
      .where('id', '=', delivery.id)
      .execute();
  } else if (result.ok) {
    await settleDelivery(db, delivery.id, {
      state: 'sent',
      remoteId: result.remoteId,
      at: now.toISOString(),
    });
  } else if (result.permanent || delivery.attempts + 1 >= MAX_ATTEMPTS) {
    await settleDelivery(db, delivery.id, { state: 'failed', error: result.reason });
  } else {
    const wait = result.retryAfterMs ?? retryDelayMs(delivery.attempts + 1);
    await settleDelivery(db, delivery.id, {
      state: 'queued',
      nextAt: new Date(now.getTime() + wait).toISOString(),
      error: result.reason,
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
  const token = await getChannelSecret(db, delivery.channelId);
  if (!channel || !token)
    return { ok: false, permanent: true, reason: 'the channel has no bot token' };
  const bot: TelegramBot = { apiUrl: transport.telegramApiUrl, token };
  const message = parseTelegramMessage(delivery.postRemoteId);
  if (delivery.action === 'delete') {
    if (!message) return 'cancelled';
    return await deleteTelegramPost(bot, channel.chatId, message);
  }
  const article = await getArticle(db, delivery.articleId);
  // Unpublished before it went out: nothing to say any more.
  if (article?.status !== 'published') return 'cancelled';
  const post = await postContent(newsroom, article);
  if (delivery.action === 'edit') {
    if (!message) return 'cancelled';
    const html = transport.renderTelegramPost(
      { ...post.input, photoCredit: message.hasPhoto ? post.input.photoCredit : null },
      message.hasPhoto ? CAPTION_LIMIT : MESSAGE_LIMIT,
    );
    return await editTelegramPost(bot, channel.chatId, message, html, post.input.articleUrl);
  }
  const html = transport.renderTelegramPost(post.input, post.photo ? CAPTION_LIMIT : MESSAGE_LIMIT);
  return await postToTelegram(bot, channel.chatId, {
    html,
    photo: post.photo,
    previewUrl: post.input.articleUrl,
  });
}

/** The post's text and photo: the lead photo at up to 1280 px, when the article has one. */
async function postContent(
  newsroom: Newsroom,
  article: Article,
): Promise<{ photo: Uint8Array | null; input: TelegramPostInput }> {
  const db = newsroom.store.db;
  const section = (await listSections(db)).find((candidate) => candidate.id === article.sectionId);
  const path = section ? articleUrl(section, article.slug) : '/';
  const lead =
    article.leadMediaId === null
      ? undefined
      : (await getMediaByIds(db, [article.leadMediaId])).get(article.leadMediaId);
  let photo: Uint8Array | null = null;
  if (lead?.file) {
    const width = renditionWidths(lead.width)
      .filter((w) => w <= 1280)
      .at(-1);
    const name = width ? renditionName(lead.file, width, 'jpg') : lead.file;
    photo = (await newsroom.mediaFiles.read(name))?.body ?? null;
  }
  const corrections = await listCorrections(db, [article.id]);
  return {
    photo,
    input: {
      title: article.title,
      standfirst: article.standfirst,
      language: article.language,
      articleUrl: `${newsroom.publicUrl}${path}`,
      mirrorsUrl: `${newsroom.publicUrl}/mirrors`,
      photoCredit: photo && lead ? formatCreditChain(lead.credit) || null : null,
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
  const round = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = sendDueDeliveries(newsroom, transport)
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
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
