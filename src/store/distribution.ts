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

const settingsSchema = z.object({
  chatId: z.string().default(''),
  listId: z.number().int().nullable().default(null),
  handle: z.string().nullable().default(null),
});
const sectionIdsSchema = z.array(z.number().int());

function toChannel(row: Selectable<Database['channel']>): Channel {
  return {
    id: row.id,
    kind: z.enum(CHANNEL_KINDS).parse(row.kind),
    name: row.name,
    language: row.language,
    sectionIds: sectionIdsSchema.parse(JSON.parse(row.sections_json)),
    isDefault: row.is_default === 1,
    ...settingsSchema.parse(JSON.parse(row.settings_json)),
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
  };
}

/** The service's address of the channel: a Telegram chat, a newsletter list, or a fediverse handle. */
function settingsJson(fields: {
  chatId: string;
  listId: number | null;
  handle: string | null;
}): string {
  if (fields.listId !== null) return JSON.stringify({ listId: fields.listId });
  if (fields.handle !== null) return JSON.stringify({ handle: fields.handle });
  return JSON.stringify({ chatId: fields.chatId });
}

export async function insertChannel(
  db: Kysely<Database>,
  fields: ChannelFields & { secret: string | null },
  now: string,
): Promise<number> {
  const row = await db
    .insertInto('channel')
    .values({
      kind: fields.kind,
      name: fields.name,
      ...channelColumns(fields),
      settings_json: settingsJson(fields),
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
  const current = await getChannel(db, id);
  if (!current) return;
  const isAddressChanged =
    fields.chatId !== undefined || fields.listId !== undefined || fields.handle !== undefined;
  await db
    .updateTable('channel')
    .set({
      ...channelColumns(fields),
      ...(isAddressChanged
        ? {
            settings_json: settingsJson({
              chatId: fields.chatId ?? current.chatId,
              listId: fields.listId ?? current.listId,
              handle: fields.handle ?? current.handle,
            }),
          }
        : {}),
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
  /** The message this one edits or deletes: that post's remote id (null: it never went out). */
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
    /** The post an edit or a deletion is of. */
    targetId: number | null;
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
      target_id: delivery.targetId,
      dedupe_key: delivery.dedupeKey,
      state: 'queued',
      next_at: delivery.now,
      created_at: delivery.now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * The article's live posts: not cancelled, not failed, and not deleted (no
 * deletion of them queued or done), one per channel at most, newest first.
 */
export async function livePosts(
  db: Kysely<Database>,
  articleId: number,
): Promise<{ id: number; channelId: number; state: DeliveryState }[]> {
  const rows = await db
    .selectFrom('delivery as post')
    .select(['post.id', 'post.channel_id', 'post.state'])
    .where('post.article_id', '=', articleId)
    .where('post.action', '=', 'post')
    .where('post.state', 'in', ['queued', 'sending', 'sent'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('delivery as gone')
            .select('gone.id')
            .whereRef('gone.target_id', '=', 'post.id')
            .where('gone.action', '=', 'delete')
            .where('gone.state', '!=', 'cancelled'),
        ),
      ),
    )
    .orderBy('post.id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    channelId: row.channel_id,
    state: z.enum(DELIVERY_STATES).parse(row.state),
  }));
}

/** Stops the posts and edits of an article still waiting to go out (it was unpublished first); deletions go on. */
export async function cancelQueued(db: Kysely<Database>, articleId: number): Promise<void> {
  await db
    .updateTable('delivery')
    .set({ state: 'cancelled' })
    .where('article_id', '=', articleId)
    .where('action', '!=', 'delete')
    .where('state', '=', 'queued')
    .execute();
}

/**
 * The oldest delivery due by `now` of each channel: one channel's backlog
 * never holds up the others, and a channel gets its messages in order.
 */
export async function dueDeliveries(db: Kysely<Database>, now: string): Promise<QueuedDelivery[]> {
  const rows = await db
    .selectFrom('delivery')
    .leftJoin('delivery as target', 'target.id', 'delivery.target_id')
    .select([
      'delivery.id',
      'delivery.channel_id',
      'delivery.article_id',
      'delivery.action',
      'delivery.attempts',
      'target.remote_id as target_remote_id',
    ])
    .where('delivery.id', 'in', (eb) =>
      eb
        .selectFrom('delivery')
        .select((inner) => inner.fn.min('id').as('id'))
        .where('state', '=', 'queued')
        .where('next_at', '<=', now)
        .groupBy('channel_id'),
    )
    .orderBy('delivery.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    channelId: row.channel_id,
    articleId: row.article_id,
    action: z.enum(DELIVERY_ACTIONS).parse(row.action),
    attempts: row.attempts,
    postRemoteId: row.target_remote_id ?? null,
  }));
}

/** Holds every queued delivery of a channel until `until` (the service asked to wait). */
export async function holdChannel(
  db: Kysely<Database>,
  channelId: number,
  until: string,
): Promise<void> {
  await db
    .updateTable('delivery')
    .set({ next_at: until })
    .where('channel_id', '=', channelId)
    .where('state', '=', 'queued')
    .where('next_at', '<', until)
    .execute();
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
    /** Again later; `isCounted` false when the try does not count towards giving up (the service asked to wait). */
    | { state: 'queued'; nextAt: string; error: string; isCounted: boolean }
    | { state: 'failed'; error: string }
    | { state: 'cancelled' },
): Promise<void> {
  await db
    .updateTable('delivery')
    .set((eb) =>
      outcome.state === 'sent'
        ? { state: 'sent', remote_id: outcome.remoteId, sent_at: outcome.at, last_error: null }
        : outcome.state === 'queued'
          ? {
              state: 'queued',
              next_at: outcome.nextAt,
              last_error: outcome.error,
              ...(outcome.isCounted ? {} : { attempts: eb('attempts', '-', 1) }),
            }
          : outcome.state === 'failed'
            ? { state: 'failed', last_error: outcome.error }
            : { state: 'cancelled' },
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
): Promise<(Omit<Delivery, 'url'> & { remoteId: string | null })[]> {
  const rows = await db
    .selectFrom('delivery')
    .innerJoin('channel', 'channel.id', 'delivery.channel_id')
    .select([
      'delivery.id',
      'delivery.channel_id',
      'channel.name as channel_name',
      'channel.kind as channel_kind',
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
