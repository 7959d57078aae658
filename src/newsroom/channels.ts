import type { Kysely } from 'kysely';
import { ALL_PAGES } from '../core/cache-tags.js';
import type {
  ArticleDistribution,
  Channel,
  ChannelInput,
  ChannelPatch,
} from '../core/distribution.js';
import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import type { Article } from '../core/types.js';
import { getArticle } from '../store/articles.js';
import { recordAudit } from '../store/audit.js';
import {
  deleteChannel,
  deliveryArticleId,
  getChannel,
  insertChannel,
  listArticleDeliveries,
  listChannels,
  requeueDelivery,
  updateChannel,
} from '../store/distribution.js';
import { authorByHandle } from '../store/fediverse.js';
import type { Database } from '../store/schema.js';
import { listSections } from '../store/sections.js';
import { getArticleWithRelation } from './articles.js';
import { defaultChannelsFor } from './distribution.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { parseTelegramMessage, telegramPostUrl } from './telegram.js';

// Staff and the channels: the editor-in-chief adds, changes and removes them
// (their tokens are written once and never shown again); whoever may open an
// article sees where it went, and whoever may publish it sends a failed
// delivery again. The queue itself is distribution.ts's.

function checkManage(actor: StaffActor): void {
  if (!can(actor, 'settings.manage'))
    throw new DomainError('not_allowed_for_role', 'only the editor-in-chief manages channels');
}

async function checkSections(db: Kysely<Database>, ids: number[] | undefined): Promise<void> {
  if (!ids || ids.length === 0) return;
  const known = new Set((await listSections(db)).map((section) => section.id));
  const unknown = ids.find((id) => !known.has(id));
  if (unknown !== undefined)
    throw new DomainError(
      'invalid_input',
      `sectionIds: there is no section ${unknown}`,
      'sectionIds',
    );
}

/** The publication is one actor: one fediverse channel at most. */
async function checkOneActor(db: Kysely<Database>, handle: string): Promise<void> {
  if (await authorByHandle(db, handle))
    throw new DomainError(
      'conflict',
      `handle: @${handle} is an author’s own: choose another`,
      'handle',
    );
  const taken = (await listChannels(db)).find((channel) => channel.kind === 'fediverse');
  if (taken)
    throw new DomainError(
      'conflict',
      `kind: the publication is on the fediverse already, as ${taken.handle}: change that channel instead`,
      'kind',
    );
}

async function checkList(db: Kysely<Database>, id: number | undefined): Promise<void> {
  const found =
    id !== undefined &&
    (await db.selectFrom('newsletter_list').select('id').where('id', '=', id).executeTakeFirst());
  if (!found)
    throw new DomainError('invalid_input', `listId: there is no newsletter list ${id}`, 'listId');
}

/** Every channel (no secrets): staff who publish see them to pick; only the editor-in-chief changes them. */
export async function listChannelsForStaff(newsroom: Newsroom): Promise<Channel[]> {
  return await listChannels(newsroom.store.db);
}

export async function addChannel(
  newsroom: Newsroom,
  actor: StaffActor,
  input: ChannelInput,
): Promise<Channel> {
  checkManage(actor);
  const now = newsroom.now().toISOString();
  const added = await newsroom.store.db.transaction().execute(async (trx) => {
    await checkSections(trx, input.sectionIds);
    const isTelegram = input.kind === 'telegram';
    if (input.kind === 'newsletter') await checkList(trx, input.listId);
    if (input.kind === 'fediverse') await checkOneActor(trx, input.handle ?? '');
    const id = await insertChannel(
      trx,
      {
        ...input,
        chatId: isTelegram ? (input.chatId ?? '') : '',
        listId: input.kind === 'newsletter' ? (input.listId ?? null) : null,
        handle: input.kind === 'fediverse' ? (input.handle ?? null) : null,
        secret: isTelegram ? (input.secret ?? null) : null,
      },
      now,
    );
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'channel.add',
      subject: `channel:${id}`,
      detail: {
        name: input.name,
        kind: input.kind,
        ...(isTelegram
          ? { chatId: input.chatId }
          : input.kind === 'newsletter'
            ? { listId: input.listId }
            : { handle: input.handle }),
      },
      at: now,
    });
    const channel = await getChannel(trx, id);
    if (!channel) throw new Error(`channel ${id} vanished`);
    return channel;
  });
  // Every article page names the publication's fediverse account.
  if (added.kind === 'fediverse') newsroom.changed?.(ALL_PAGES);
  return added;
}

export async function changeChannel(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  patch: ChannelPatch,
): Promise<Channel> {
  checkManage(actor);
  const now = newsroom.now().toISOString();
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const current = await getChannel(trx, id);
    if (!current) throw new DomainError('not_found', `there is no channel ${id}`);
    await checkSections(trx, patch.sectionIds);
    // A channel stays what it is: a Telegram chat gets no list, a list no chat or token.
    const fields = {
      telegram: ['chatId', 'secret'],
      newsletter: ['listId'],
      fediverse: ['handle'],
    } as const;
    // A fediverse handle never changes: followers know the actor by it.
    const wrong = (['chatId', 'secret', 'listId'] as const).find(
      (field) =>
        patch[field] !== undefined && !(fields[current.kind] as readonly string[]).includes(field),
    );
    if (wrong)
      throw new DomainError(
        'invalid_input',
        `${wrong}: a ${current.kind} channel has none; add a channel of the other kind instead`,
        wrong,
      );
    if (patch.listId !== undefined) await checkList(trx, patch.listId);
    await updateChannel(trx, id, patch, now);
    const changed = Object.keys(patch).map((field) => (field === 'secret' ? 'token' : field));
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'channel.change',
      subject: `channel:${id}`,
      detail: { changed },
      at: now,
    });
    const channel = await getChannel(trx, id);
    if (!channel) throw new Error(`channel ${id} vanished`);
    return channel;
  });
}

/** Removes a channel and its queue (what was posted there stays there). */
export async function removeChannel(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<void> {
  checkManage(actor);
  const now = newsroom.now().toISOString();
  const removed = await newsroom.store.db.transaction().execute(async (trx) => {
    const channel = await getChannel(trx, id);
    if (!channel) throw new DomainError('not_found', `there is no channel ${id}`);
    await deleteChannel(trx, id);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'channel.remove',
      subject: `channel:${id}`,
      detail: { name: channel.name },
      at: now,
    });
    return channel;
  });
  if (removed.kind === 'fediverse') newsroom.changed?.(ALL_PAGES);
}

/** The article, when the actor may open it (else not_found), and whether it is their own. */
async function openable(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<{ article: Article; isOwn: boolean }> {
  const { isOwn } = await getArticleWithRelation(newsroom, actor, articleId);
  const article = await getArticle(newsroom.store.db, articleId);
  if (!article) throw new DomainError('not_found', `there is no article ${articleId}`);
  return { article, isOwn };
}

/** Where an article went, when, and what failed; and which channels take it by default. */
export async function readArticleDistribution(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<ArticleDistribution> {
  const { article } = await openable(newsroom, actor, articleId);
  const db = newsroom.store.db;
  const rows = await listArticleDeliveries(db, articleId);
  return {
    deliveries: rows.map(({ remoteId, ...delivery }) => ({
      ...delivery,
      url:
        delivery.channelKind === 'telegram' &&
        delivery.action === 'post' &&
        delivery.state === 'sent'
          ? telegramPostUrl(parseTelegramMessage(remoteId))
          : null,
    })),
    defaultChannelIds: (await defaultChannelsFor(db, article)).map((channel) => channel.id),
  };
}

/** Sends a failed delivery again (editors, and the authors who may publish the article). */
export async function retryDelivery(
  newsroom: Newsroom,
  actor: StaffActor,
  deliveryId: number,
): Promise<ArticleDistribution> {
  const db = newsroom.store.db;
  const articleId = await deliveryArticleId(db, deliveryId);
  if (articleId === null) throw new DomainError('not_found', `there is no delivery ${deliveryId}`);
  const { article, isOwn } = await openable(newsroom, actor, articleId);
  if (!can(actor, 'article.publish', { isOwn }))
    throw new DomainError('not_allowed_for_role', 'only those who may publish it send it again');
  const now = newsroom.now().toISOString();
  await db.transaction().execute(async (trx) => {
    if (!(await requeueDelivery(trx, deliveryId, now)))
      throw new DomainError(
        'conflict',
        'only a failed delivery, or one stuck sending, is sent again',
      );
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'delivery.retry',
      subject: `article:${article.id}`,
      detail: { delivery: deliveryId },
      at: now,
    });
  });
  newsroom.distribute?.();
  return await readArticleDistribution(newsroom, actor, articleId);
}
