import type { Kysely } from 'kysely';
import type {
  ArticleReactions,
  FediverseStatus,
  InteractionKind,
  ReceivedPost,
  ReplyState,
} from '../core/fediverse.js';
import { REPLY_STATES } from '../core/fediverse.js';
import type { Database } from './schema.js';

// The fediverse's rows (migration 018): keys, Fedify's cache, followers,
// following, interactions with articles, and posts received.

// ---------------------------------------------------------------------------
// Keys and cache

export async function readActorKeys(
  db: Kysely<Database>,
  identifier: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('fedi_key')
    .select('keys_json')
    .where('identifier', '=', identifier)
    .executeTakeFirst();
  return row?.keys_json ?? null;
}

/** Keeps an actor's keys unless it has some already (the first writer wins); answers the kept ones. */
export async function keepActorKeys(
  db: Kysely<Database>,
  identifier: string,
  keysJson: string,
  now: string,
): Promise<string> {
  await db
    .insertInto('fedi_key')
    .values({ identifier, keys_json: keysJson, created_at: now })
    .onConflict((oc) => oc.column('identifier').doNothing())
    .execute();
  const kept = await readActorKeys(db, identifier);
  if (!kept) throw new Error(`the keys of ${identifier} were not kept`);
  return kept;
}

export async function kvGet(db: Kysely<Database>, key: string, now: string): Promise<unknown> {
  const row = await db
    .selectFrom('fedi_kv')
    .select(['value', 'expires_at'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
  return JSON.parse(row.value) as unknown;
}

export async function kvSet(
  db: Kysely<Database>,
  key: string,
  value: unknown,
  expiresAt: string | null,
): Promise<void> {
  const json = JSON.stringify(value) ?? 'null';
  await db
    .insertInto('fedi_kv')
    .values({ key, value: json, expires_at: expiresAt })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, expires_at: expiresAt }))
    .execute();
}

export async function kvDelete(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('fedi_kv').where('key', '=', key).execute();
}

/** Drops the cache's expired entries. */
export async function kvForgetExpired(db: Kysely<Database>, now: string): Promise<void> {
  await db.deleteFrom('fedi_kv').where('expires_at', '<', now).execute();
}

// ---------------------------------------------------------------------------
// Followers and following

export type FollowerRow = { iri: string; inbox: string; sharedInbox: string | null };

/** Adds (or renews) a follower; true when it did not follow before. */
export async function addFollower(
  db: Kysely<Database>,
  follower: {
    identifier: string;
    iri: string;
    inbox: string;
    sharedInbox: string | null;
    name: string;
    followIri: string;
  },
  now: string,
): Promise<boolean> {
  const known = await db
    .selectFrom('fedi_follower')
    .select('id')
    .where('identifier', '=', follower.identifier)
    .where('follower_iri', '=', follower.iri)
    .executeTakeFirst();
  await db
    .insertInto('fedi_follower')
    .values({
      identifier: follower.identifier,
      follower_iri: follower.iri,
      inbox: follower.inbox,
      shared_inbox: follower.sharedInbox,
      name: follower.name,
      follow_iri: follower.followIri,
      created_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['identifier', 'follower_iri']).doUpdateSet({
        inbox: follower.inbox,
        shared_inbox: follower.sharedInbox,
        name: follower.name,
        follow_iri: follower.followIri,
      }),
    )
    .execute();
  return known === undefined;
}

/**
 * Removes the follower `iri` (of `identifier`, or of every actor); when
 * `followIri` is given, only if that is the Follow it made (an Undo names it).
 * Returns the actors it no longer follows.
 */
export async function removeFollower(
  db: Kysely<Database>,
  identifier: string | null,
  iri: string,
  followIri?: string,
): Promise<string[]> {
  let query = db.deleteFrom('fedi_follower').where('follower_iri', '=', iri);
  if (identifier !== null) query = query.where('identifier', '=', identifier);
  if (followIri !== undefined) query = query.where('follow_iri', '=', followIri);
  const removed = await query.returning('identifier').execute();
  return removed.map((row) => row.identifier);
}

export async function listFollowers(
  db: Kysely<Database>,
  identifier: string,
): Promise<(FollowerRow & { name: string; since: string })[]> {
  const rows = await db
    .selectFrom('fedi_follower')
    .select(['follower_iri', 'inbox', 'shared_inbox', 'name', 'created_at'])
    .where('identifier', '=', identifier)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    iri: row.follower_iri,
    inbox: row.inbox,
    sharedInbox: row.shared_inbox,
    name: row.name,
    since: row.created_at,
  }));
}

export async function addFollowing(
  db: Kysely<Database>,
  following: { iri: string; handle: string; name: string; inbox: string; followIri: string },
  now: string,
): Promise<void> {
  await db
    .insertInto('fedi_following')
    .values({
      target_iri: following.iri,
      handle: following.handle,
      name: following.name,
      inbox: following.inbox,
      state: 'pending',
      follow_iri: following.followIri,
      created_at: now,
    })
    .onConflict((oc) =>
      oc.column('target_iri').doUpdateSet({ follow_iri: following.followIri, state: 'pending' }),
    )
    .execute();
}

/** The other side accepted our Follow `followIri`. */
export async function acceptFollowing(
  db: Kysely<Database>,
  followIri: string,
  actorIri: string,
): Promise<boolean> {
  const result = await db
    .updateTable('fedi_following')
    .set({ state: 'accepted' })
    .where('follow_iri', '=', followIri)
    .where('target_iri', '=', actorIri)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The other side refused our Follow `followIri`: we do not follow it. */
export async function rejectFollowing(
  db: Kysely<Database>,
  followIri: string,
  actorIri: string,
): Promise<void> {
  await db
    .deleteFrom('fedi_following')
    .where('follow_iri', '=', followIri)
    .where('target_iri', '=', actorIri)
    .execute();
}

/** Whether the publication follows `actorIri` and was accepted. */
export async function isFollowing(db: Kysely<Database>, actorIri: string): Promise<boolean> {
  const row = await db
    .selectFrom('fedi_following')
    .select('id')
    .where('target_iri', '=', actorIri)
    .where('state', '=', 'accepted')
    .executeTakeFirst();
  return row !== undefined;
}

export async function listFollowing(db: Kysely<Database>): Promise<FediverseStatus['following']> {
  const rows = await db.selectFrom('fedi_following').selectAll().orderBy('id').execute();
  return rows.map((row) => ({
    iri: row.target_iri,
    handle: row.handle,
    name: row.name,
    state: row.state === 'accepted' ? 'accepted' : 'pending',
  }));
}

// ---------------------------------------------------------------------------
// Interactions with articles

/** How many replies from `actorIri` are kept. */
export async function repliesBy(db: Kysely<Database>, actorIri: string): Promise<number> {
  const row = await db
    .selectFrom('fedi_interaction')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('actor_iri', '=', actorIri)
    .where('kind', '=', 'reply')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Records a like, a boost or a reply once (by its activity's id; a like or a
 * boost once per account and article); false when it was there.
 */
export async function addInteraction(
  db: Kysely<Database>,
  interaction: {
    articleId: number;
    kind: InteractionKind;
    activityIri: string;
    actorIri: string;
    actorName: string;
    content: string | null;
    url: string | null;
  },
  now: string,
): Promise<boolean> {
  if (interaction.kind !== 'reply') {
    const again = await db
      .selectFrom('fedi_interaction')
      .select('id')
      .where('article_id', '=', interaction.articleId)
      .where('kind', '=', interaction.kind)
      .where('actor_iri', '=', interaction.actorIri)
      .executeTakeFirst();
    if (again) return false;
  }
  const result = await db
    .insertInto('fedi_interaction')
    .values({
      article_id: interaction.articleId,
      kind: interaction.kind,
      activity_iri: interaction.activityIri,
      actor_iri: interaction.actorIri,
      actor_name: interaction.actorName,
      content: interaction.content,
      url: interaction.url,
      state: interaction.kind === 'reply' ? 'pending' : 'counted',
      created_at: now,
    })
    .onConflict((oc) => oc.column('activity_iri').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Takes back a like or boost (Undo), or a reply (Delete), by its id, only when `actorIri` made it. */
export async function removeInteraction(
  db: Kysely<Database>,
  activityIri: string,
  actorIri: string,
): Promise<void> {
  await db
    .deleteFrom('fedi_interaction')
    .where('activity_iri', '=', activityIri)
    .where('actor_iri', '=', actorIri)
    .execute();
}

export async function articleReactions(
  db: Kysely<Database>,
  articleId: number,
): Promise<ArticleReactions> {
  const rows = await db
    .selectFrom('fedi_interaction')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('id')
    .execute();
  return {
    likes: rows.filter((row) => row.kind === 'like').length,
    boosts: rows.filter((row) => row.kind === 'announce').length,
    replies: rows
      .filter((row) => row.kind === 'reply')
      .map((row) => ({
        id: row.id,
        actorIri: row.actor_iri,
        actorName: row.actor_name,
        content: row.content ?? '',
        url: row.url,
        state: REPLY_STATES.find((state) => state === row.state) ?? 'pending',
        createdAt: row.created_at,
      })),
  };
}

/** Sets a reply's standing; answers its article, or null when there is no such reply. */
export async function setReplyState(
  db: Kysely<Database>,
  id: number,
  state: ReplyState,
): Promise<number | null> {
  const row = await db
    .updateTable('fedi_interaction')
    .set({ state })
    .where('id', '=', id)
    .where('kind', '=', 'reply')
    .returning('article_id')
    .executeTakeFirst();
  return row?.article_id ?? null;
}

// ---------------------------------------------------------------------------
// Posts received from those followed

export async function keepReceived(
  db: Kysely<Database>,
  post: Omit<ReceivedPost, 'id' | 'deletedAt'>,
  now: string,
): Promise<void> {
  const values = {
    actor_iri: post.actorIri,
    type: post.type,
    name: post.name,
    summary: post.summary,
    content: post.content,
    url: post.url,
    published_at: post.publishedAt,
    updated_at: post.updatedAt,
  };
  await db
    .insertInto('fedi_received')
    .values({ ...values, object_iri: post.objectIri, received_at: now })
    .onConflict((oc) =>
      oc
        .column('object_iri')
        .doUpdateSet(values)
        // Only its own author changes a post.
        .where('fedi_received.actor_iri', '=', post.actorIri),
    )
    .execute();
}

export async function markReceivedDeleted(
  db: Kysely<Database>,
  objectIri: string,
  actorIri: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('fedi_received')
    .set({ deleted_at: now, content: '', summary: '' })
    .where('object_iri', '=', objectIri)
    .where('actor_iri', '=', actorIri)
    .execute();
}

export async function listReceived(db: Kysely<Database>, limit: number): Promise<ReceivedPost[]> {
  const rows = await db
    .selectFrom('fedi_received')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    objectIri: row.object_iri,
    actorIri: row.actor_iri,
    type: row.type,
    name: row.name,
    summary: row.summary,
    content: row.content,
    url: row.url,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  }));
}

// ---------------------------------------------------------------------------
// Authors' own accounts

export type AuthorActor = {
  personId: number;
  handle: string;
  name: string;
  slug: string;
  bio: string;
};

/** The author whose fediverse handle this is, or null. */
export async function authorByHandle(
  db: Kysely<Database>,
  handle: string,
): Promise<AuthorActor | null> {
  const row = await db
    .selectFrom('person')
    .select(['id', 'fediverse_handle', 'name', 'slug', 'bio'])
    .where('fediverse_handle', '=', handle)
    .executeTakeFirst();
  return row?.fediverse_handle
    ? {
        personId: row.id,
        handle: row.fediverse_handle,
        name: row.name,
        slug: row.slug,
        bio: row.bio,
      }
    : null;
}

/** The authors of an article who have an account of their own, in byline order. */
export async function articleAuthorActors(
  db: Kysely<Database>,
  articleId: number,
): Promise<AuthorActor[]> {
  const rows = await db
    .selectFrom('article_author')
    .innerJoin('person', 'person.id', 'article_author.person_id')
    .select(['person.id', 'person.fediverse_handle', 'person.name', 'person.slug', 'person.bio'])
    .where('article_author.article_id', '=', articleId)
    .where('person.fediverse_handle', 'is not', null)
    .orderBy('article_author.position')
    .execute();
  return rows.flatMap((row) =>
    row.fediverse_handle
      ? [
          {
            personId: row.id,
            handle: row.fediverse_handle,
            name: row.name,
            slug: row.slug,
            bio: row.bio,
          },
        ]
      : [],
  );
}

/** A person's own handle, or null. */
export async function personHandle(db: Kysely<Database>, personId: number): Promise<string | null> {
  const row = await db
    .selectFrom('person')
    .select('fediverse_handle')
    .where('id', '=', personId)
    .executeTakeFirst();
  return row?.fediverse_handle ?? null;
}

export async function setPersonHandle(
  db: Kysely<Database>,
  personId: number,
  handle: string | null,
): Promise<void> {
  await db
    .updateTable('person')
    .set({ fediverse_handle: handle })
    .where('id', '=', personId)
    .execute();
}
