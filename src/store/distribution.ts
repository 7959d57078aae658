import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import {
  CHANNEL_KINDS,
  type Channel,
  DELIVERY_ACTIONS,
  DELIVERY_STATES,
  type Delivery,
  type DeliveryAction,
  type DeliveryState,
} from '../core/distribution.js';
import type { Database } from './schema.js';

// The channels and the distribution queue (migration 015).

const settingsSchema = z.object({ chatId: z.string() });
const sectionIdsSchema = z.array(z.number().int());

function toChannel(row: Selectable<Database['channel']>): Channel {
  return {
    id: row.id,
    kind: z.enum(CHANNEL_KINDS).parse(row.kind),
    name: row.name,
    language: row.language,
    sectionIds: sectionIdsSchema.parse(JSON.parse(row.sections_json)),
    isDefault: row.is_default === 1,
    chatId: settingsSchema.parse(JSON.parse(row.settings_json)).chatId,
    hasSecret: row.secret !== null && row.secret !== '',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listChannels(db: Kysely<Database>): Promise<Channel[]> {
  const rows = await db.selectFrom('channel').selectAll().orderBy('name').orderBy('id').execute();
  return rows.map(toChannel);
}

export async function getChannel(db: Kysely<Database>, id: number): Promise<Channel | null> {
  const row = await db.selectFrom('channel').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toChannel(row) : null;
}

/** The channel's secret (a bot token), for sending only: never for staff's eyes. */
export async function getChannelSecret(db: Kysely<Database>, id: number): Promise<string | null> {
  const row = await db
    .selectFrom('channel')
    .select('secret')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.secret ?? null;
}

export type ChannelFields = Omit<Channel, 'id' | 'hasSecret' | 'createdAt' | 'updatedAt'>;

function channelColumns(fields: Partial<ChannelFields>) {
  return {
    ...(fields.kind !== undefined ? { kind: fields.kind } : {}),
    ...(fields.name !== undefined ? { name: fields.name } : {}),
    ...(fields.language !== undefined ? { language: fields.language } : {}),
    ...(fields.sectionIds !== undefined
      ? { sections_json: JSON.stringify(fields.sectionIds) }
      : {}),
    ...(fields.isDefault !== undefined ? { is_default: fields.isDefault ? 1 : 0 } : {}),
    ...(fields.chatId !== undefined
      ? { settings_json: JSON.stringify({ chatId: fields.chatId }) }
      : {}),
  };
}

export async function insertChannel(
  db: Kysely<Database>,
  fields: ChannelFields & { secret: string },
  now: string,
): Promise<number> {
  const row = await db
    .insertInto('channel')
    .values({
      kind: fields.kind,
      name: fields.name,
      ...channelColumns(fields),
      secret: fields.secret,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateChannel(
  db: Kysely<Database>,
  id: number,
  fields: Partial<ChannelFields> & { secret?: string },
  now: string,
): Promise<void> {
  await db
    .updateTable('channel')
    .set({
      ...channelColumns(fields),
      ...(fields.secret !== undefined ? { secret: fields.secret } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteChannel(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('channel').where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------
// The queue

/** A row of the queue with what sending it needs. */
export type QueuedDelivery = {
  id: number;
  channelId: number;
  articleId: number;
  action: DeliveryAction;
  attempts: number;
  /** The message this one edits or deletes: the channel's post of the article. */
  postRemoteId: string | null;
};

/**
 * Adds a delivery unless one with the same key is there already (an article
 * posted to a channel once, each correction edited once): returns whether
 * it was added.
 */
export async function enqueueDelivery(
  db: Kysely<Database>,
  delivery: {
    channelId: number;
    articleId: number;
    action: DeliveryAction;
    dedupeKey: string;
    now: string;
  },
): Promise<boolean> {
  const result = await db
    .insertInto('delivery')
    .values({
      channel_id: delivery.channelId,
      article_id: delivery.articleId,
      action: delivery.action,
      dedupe_key: delivery.dedupeKey,
      state: 'queued',
      next_at: delivery.now,
      created_at: delivery.now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The article's posts on each channel: sent, or still on their way. */
export async function articlePosts(
  db: Kysely<Database>,
  articleId: number,
): Promise<{ channelId: number; state: DeliveryState; remoteId: string | null }[]> {
  const rows = await db
    .selectFrom('delivery')
    .select(['channel_id', 'state', 'remote_id'])
    .where('article_id', '=', articleId)
    .where('action', '=', 'post')
    .execute();
  return rows.map((row) => ({
    channelId: row.channel_id,
    state: z.enum(DELIVERY_STATES).parse(row.state),
    remoteId: row.remote_id,
  }));
}

/** Stops what is still waiting to go out for an article (it was unpublished first). */
export async function cancelQueued(
  db: Kysely<Database>,
  articleId: number,
  channelId: number,
): Promise<void> {
  await db
    .updateTable('delivery')
    .set({ state: 'cancelled' })
    .where('article_id', '=', articleId)
    .where('channel_id', '=', channelId)
    .where('state', '=', 'queued')
    .execute();
}

/** Deliveries due by `now`, oldest first. */
export async function dueDeliveries(
  db: Kysely<Database>,
  now: string,
  limit: number,
): Promise<QueuedDelivery[]> {
  const rows = await db
    .selectFrom('delivery')
    .select(['id', 'channel_id', 'article_id', 'action', 'attempts'])
    .where('state', '=', 'queued')
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  const out: QueuedDelivery[] = [];
  for (const row of rows) {
    const post = await db
      .selectFrom('delivery')
      .select('remote_id')
      .where('article_id', '=', row.article_id)
      .where('channel_id', '=', row.channel_id)
      .where('action', '=', 'post')
      .where('state', '=', 'sent')
      .executeTakeFirst();
    out.push({
      id: row.id,
      channelId: row.channel_id,
      articleId: row.article_id,
      action: z.enum(DELIVERY_ACTIONS).parse(row.action),
      attempts: row.attempts,
      postRemoteId: post?.remote_id ?? null,
    });
  }
  return out;
}

/**
 * Marks a queued delivery as being sent, before the service is asked: if the
 * process dies before the answer is recorded, the row stays `sending` and is
 * never sent again by itself. False when it was not queued any more.
 */
export async function claimDelivery(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db
    .updateTable('delivery')
    .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records the service's answer to a claimed delivery. */
export async function settleDelivery(
  db: Kysely<Database>,
  id: number,
  outcome:
    | { state: 'sent'; remoteId: string | null; at: string }
    | { state: 'queued'; nextAt: string; error: string }
    | { state: 'failed'; error: string },
): Promise<void> {
  await db
    .updateTable('delivery')
    .set(
      outcome.state === 'sent'
        ? { state: 'sent', remote_id: outcome.remoteId, sent_at: outcome.at, last_error: null }
        : outcome.state === 'queued'
          ? { state: 'queued', next_at: outcome.nextAt, last_error: outcome.error }
          : { state: 'failed', last_error: outcome.error },
    )
    .where('id', '=', id)
    .execute();
}

/** Puts a failed (or stuck) delivery back in the queue, to go at once. False when it was neither. */
export async function requeueDelivery(
  db: Kysely<Database>,
  id: number,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('delivery')
    .set({ state: 'queued', next_at: now, attempts: 0 })
    .where('id', '=', id)
    .where('state', 'in', ['failed', 'sending'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Every delivery of an article, with its channel, oldest first. */
export async function listArticleDeliveries(
  db: Kysely<Database>,
  articleId: number,
): Promise<(Omit<Delivery, 'url'> & { remoteId: string | null; chatId: string })[]> {
  const rows = await db
    .selectFrom('delivery')
    .innerJoin('channel', 'channel.id', 'delivery.channel_id')
    .select([
      'delivery.id',
      'delivery.channel_id',
      'channel.name as channel_name',
      'channel.kind as channel_kind',
      'channel.settings_json',
      'delivery.article_id',
      'delivery.action',
      'delivery.state',
      'delivery.attempts',
      'delivery.next_at',
      'delivery.last_error',
      'delivery.remote_id',
      'delivery.created_at',
      'delivery.sent_at',
    ])
    .where('delivery.article_id', '=', articleId)
    .orderBy('delivery.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    channelId: row.channel_id,
    channelName: row.channel_name,
    channelKind: z.enum(CHANNEL_KINDS).parse(row.channel_kind),
    chatId: settingsSchema.parse(JSON.parse(row.settings_json)).chatId,
    articleId: row.article_id,
    action: z.enum(DELIVERY_ACTIONS).parse(row.action),
    state: z.enum(DELIVERY_STATES).parse(row.state),
    attempts: row.attempts,
    nextAt: row.next_at,
    lastError: row.last_error,
    remoteId: row.remote_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  }));
}

/** A delivery's article, for checking who may retry it. */
export async function deliveryArticleId(db: Kysely<Database>, id: number): Promise<number | null> {
  const row = await db
    .selectFrom('delivery')
    .select('article_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.article_id ?? null;
}
