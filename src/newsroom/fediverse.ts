import { lookup } from 'node:dns/promises';
import {
  type Context,
  createFederation,
  exportJwk,
  type Federation,
  generateCryptoKeyPair,
  importJwk,
  isActor,
  type KvKey,
  type KvStore,
  type KvStoreSetOptions,
  LanguageString,
  type Recipient,
} from '@fedify/fedify';
import {
  Accept,
  Announce,
  Article,
  Create,
  Delete,
  Endpoints,
  Follow,
  Hashtag,
  Image,
  Like,
  Note,
  Organization,
  Person,
  PUBLIC_COLLECTION,
  Reject,
  Tombstone,
  Undo,
  Update,
} from '@fedify/fedify/vocab';
import { Temporal } from '@js-temporal/polyfill';
import { sanitizeArchivedHtml } from '../core/archived-html.js';
import type { Channel, DeliveryAction, SendOutcome } from '../core/distribution.js';
import { DomainError } from '../core/errors.js';
import type { ArticleReactions, FediverseStatus, ReplyState } from '../core/fediverse.js';
import { can } from '../core/policy.js';
import { isPublicAddress } from '../core/public-address.js';
import { jpegUpTo, MEDIA_PATH } from '../core/renditions.js';
import type { FeedItem } from '../core/views.js';
import { getArticle } from '../store/articles.js';
import { recordAudit } from '../store/audit.js';
import { listCorrections } from '../store/corrections.js';
import { listChannels } from '../store/distribution.js';
import {
  type AuthorActor,
  acceptFollowing,
  addFollower,
  addFollowing,
  addInteraction,
  articleAuthorActors,
  articleReactions,
  authorByHandle,
  isFollowing,
  keepActorKeys,
  keepReceived,
  kvDelete,
  kvForgetExpired,
  kvGet,
  kvSet,
  listFollowers,
  listFollowing,
  listReceived,
  markReceivedDeleted,
  personHandle,
  readActorKeys,
  rejectFollowing,
  removeFollower,
  removeInteraction,
  repliesBy,
  setPersonHandle,
  setReplyState,
} from '../store/fediverse.js';
import { countAudienceEvents } from './audience.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { readPublishedItem } from './read-feeds.js';
import { getSiteSettings } from './site-settings.js';

// The fediverse, on Fedify: the publication is an ActivityPub actor
// (@handle@your.domain, from its fediverse channel) with WebFinger, a
// profile, an outbox of its articles and a followers collection. Published
// articles go to the followers as `Create` of an `Article` through the
// distribution queue; corrections and edits as `Update`, unpublishing as
// `Delete`. Its inbox accepts follows at once, counts likes and boosts,
// keeps replies for staff to read (never shown to readers by themselves),
// and keeps what the actors it follows publish. Fedify signs what goes out
// and checks the signatures of what comes in (HTTP Signatures as Mastodon
// expects); an unsigned or malformed activity is refused before anything is
// stored.

/** What the fediverse needs from the world, wired in main.ts. */
export type FediverseOptions = {
  /** An article's full text for the fediverse (rendering is site/'s). */
  renderArticle: (
    item: FeedItem,
    corrections: { type: string; text: string }[],
    publicUrl: string,
  ) => string;
  /** Lets Fedify reach servers on private and loopback addresses: for tests only. */
  allowPrivateAddress?: boolean;
};

const ACTOR_PATH = '/ap/actors/{identifier}';
/** The publication's avatar, as a PNG (fediverse apps show no SVG): http/ serves it. */
export const ICON_PATH = '/ap/icon.png';
const ARTICLE_PATH = '/ap/articles/{id}';
const PAGE_SIZE = 20;

/** Fedify's key-value store on the newsroom's own database. */
function databaseKv(newsroom: Newsroom): KvStore {
  const keyOf = (key: KvKey) => JSON.stringify(key);
  return {
    get: async <T>(key: KvKey) =>
      (await kvGet(newsroom.store.db, keyOf(key), newsroom.now().toISOString())) as T | undefined,
    set: async (key: KvKey, value: unknown, options?: KvStoreSetOptions) => {
      const ttl = options?.ttl ? options.ttl.total({ unit: 'milliseconds' }) : null;
      const expiresAt =
        ttl === null ? null : new Date(newsroom.now().getTime() + ttl).toISOString();
      await kvSet(newsroom.store.db, keyOf(key), value, expiresAt);
    },
    delete: async (key: KvKey) => {
      await kvDelete(newsroom.store.db, keyOf(key));
    },
  };
}

/** The publication's fediverse channel, which names its actor; null when it has none. */
async function actorChannel(newsroom: Newsroom): Promise<Channel | null> {
  return (
    (await listChannels(newsroom.store.db)).find(
      (channel) => channel.kind === 'fediverse' && channel.handle !== null,
    ) ?? null
  );
}

async function handleOf(newsroom: Newsroom): Promise<string | null> {
  return (await actorChannel(newsroom))?.handle ?? null;
}

/** One of the site's accounts: the publication's, or an author's own. */
type OurActor =
  | { kind: 'publication'; handle: string; name: string }
  | { kind: 'author'; handle: string; author: AuthorActor };

/** The account `identifier` names, or null; authors have theirs once the publication has its own. */
async function ourActor(newsroom: Newsroom, identifier: string): Promise<OurActor | null> {
  const channel = await actorChannel(newsroom);
  if (!channel?.handle) return null;
  if (channel.handle === identifier)
    return { kind: 'publication', handle: identifier, name: channel.name };
  const author = await authorByHandle(newsroom.store.db, identifier);
  return author ? { kind: 'author', handle: identifier, author } : null;
}

type StoredKeys = {
  rsa: { pub: JsonWebKey; priv: JsonWebKey };
  ed: { pub: JsonWebKey; priv: JsonWebKey };
};

/** The actor's key pairs (RSA for HTTP Signatures, Ed25519 for Object Integrity Proofs), made on first use. */
async function actorKeys(newsroom: Newsroom, identifier: string): Promise<CryptoKeyPair[]> {
  const db = newsroom.store.db;
  let json = await readActorKeys(db, identifier);
  if (!json) {
    const rsa = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    const ed = await generateCryptoKeyPair('Ed25519');
    const made: StoredKeys = {
      rsa: { pub: await exportJwk(rsa.publicKey), priv: await exportJwk(rsa.privateKey) },
      ed: { pub: await exportJwk(ed.publicKey), priv: await exportJwk(ed.privateKey) },
    };
    json = await keepActorKeys(db, identifier, JSON.stringify(made), newsroom.now().toISOString());
  }
  const keys = JSON.parse(json) as StoredKeys;
  return [
    {
      publicKey: await importJwk(keys.rsa.pub, 'public'),
      privateKey: await importJwk(keys.rsa.priv, 'private'),
    },
    {
      publicKey: await importJwk(keys.ed.pub, 'public'),
      privateKey: await importJwk(keys.ed.priv, 'private'),
    },
  ];
}

/** A tag as a hashtag: letters, digits and _ only ("#PortWorkers"). */
function hashtagName(name: string): string {
  const words = name.split(/[^\p{L}\p{N}_]+/u).filter((word) => word !== '');
  return `#${words.map((word, index) => (index === 0 ? word : word[0]?.toUpperCase() + word.slice(1))).join('')}`;
}

const instant = (iso: string) => Temporal.Instant.from(iso);

/** An article as an ActivityPub `Article`: the full text, credited photos, tags, its address. */
async function articleObject(
  newsroom: Newsroom,
  options: FediverseOptions,
  ctx: Context<void>,
  handle: string,
  articleId: number,
): Promise<Article | null> {
  const item = await readPublishedItem(newsroom, articleId);
  if (!item?.article.publishedAt) return null;
  const corrections = await listCorrections(newsroom.store.db, [articleId]);
  const content = options.renderArticle(
    item,
    corrections.map(({ type, text }) => ({ type, text })),
    newsroom.publicUrl,
  );
  const { article, lead } = item;
  const publishedAt = article.publishedAt ?? item.modifiedAt;
  const publicUrl = newsroom.publicUrl;
  const leadImage =
    lead?.file && lead.width
      ? (() => {
          const shown = jpegUpTo(lead.file, lead.width, 1280);
          return new Image({
            url: new URL(`${publicUrl}${MEDIA_PATH}${shown.name}`),
            mediaType: /\.png$/i.test(shown.name)
              ? 'image/png'
              : /\.webp$/i.test(shown.name)
                ? 'image/webp'
                : 'image/jpeg',
            name: lead.alt,
            width: shown.width,
            height: lead.height ? Math.round((lead.height * shown.width) / lead.width) : null,
          });
        })()
      : null;
  return new Article({
    id: ctx.getObjectUri(Article, { id: String(articleId) }),
    // The publication, and each author with an account of their own.
    attributions: [
      ctx.getActorUri(handle),
      ...(await articleAuthorActors(newsroom.store.db, articleId)).map((author) =>
        ctx.getActorUri(author.handle),
      ),
    ],
    name: article.title,
    summary: article.standfirst ? escapeText(article.standfirst) : null,
    contents: [content, new LanguageString(content, article.language)],
    url: new URL(`${publicUrl}${item.url}`),
    published: instant(publishedAt),
    updated: item.modifiedAt > publishedAt ? instant(item.modifiedAt) : null,
    tos: [PUBLIC_COLLECTION],
    ccs: [ctx.getFollowersUri(handle)],
    tags: item.tags.map(
      (tag) =>
        new Hashtag({
          name: hashtagName(tag.name),
          href: new URL(`${publicUrl}/tags/${tag.slug}`),
        }),
    ),
    attachments: leadImage ? [leadImage] : [],
  });
}

/** Our article an activity is about, by its object's address; null when it is not one of ours. */
function ourArticleId(ctx: Context<void>, uri: URL | null): number | null {
  const parsed = ctx.parseUri(uri);
  if (parsed?.type !== 'object' || parsed.class !== Article) return null;
  const id = Number(parsed.values.id);
  return Number.isSafeInteger(id) ? id : null;
}

/** Plain text for a field the fediverse reads as HTML. */
function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A collection page's cursor: an offset, 0 for anything that is not one. */
function cursorOffset(cursor: string): number {
  return /^\d{1,9}$/.test(cursor) ? Number(cursor) : 0;
}

/** Replies kept from one account at most: a flood from one server fills nothing. */
const MAX_REPLIES_PER_ACTOR = 500;

/**
 * Whether `id` lives on the same server as the account `actorId`: an
 * account speaks only for what its own server holds (FEP-fe34), so another
 * server cannot claim its likes, posts or follows.
 */
function isOwnedBy(id: URL | null, actorId: URL | null): boolean {
  return id !== null && actorId !== null && id.origin === actorId.origin;
}

/** Whether `actorId` is among those an object is attributed to (none named: its sender). */
function isAttributedTo(object: { attributionIds: URL[] }, actorId: URL): boolean {
  return (
    object.attributionIds.length === 0 ||
    object.attributionIds.some((id) => id.href === actorId.href)
  );
}

/** An address readers may open (http or https), else null. */
function webAddress(value: unknown): string | null {
  const url = value instanceof URL ? value : null;
  return url && (url.protocol === 'https:' || url.protocol === 'http:') ? url.href : null;
}

/**
 * Whether the server may send to these inboxes of `actorId`: on the
 * account's own server, over https, at public addresses (never the
 * server's own network), unless private addresses are allowed for tests.
 */
async function mayDeliverTo(
  newsroom: Newsroom,
  actorId: URL,
  inboxes: (URL | null)[],
): Promise<boolean> {
  const allowPrivate = newsroom.fediverse?.allowPrivateAddress ?? false;
  for (const inbox of inboxes) {
    if (inbox === null) continue;
    if (inbox.origin !== actorId.origin) return false;
    if (allowPrivate) continue;
    if (inbox.protocol !== 'https:') return false;
    const found = await lookup(inbox.hostname, { all: true }).catch(() => []);
    if (found.length === 0 || found.some(({ address }) => !isPublicAddress(address))) return false;
  }
  return true;
}

const federations = new WeakMap<Newsroom, Federation<void>>();

/** The newsroom's federation (made once): the actor, its collections, its inbox. */
export function fediverseOf(newsroom: Newsroom): Federation<void> | null {
  const options = newsroom.fediverse;
  // An account is a domain's: a site served under a path cannot be one.
  if (!options || new URL(newsroom.publicUrl).pathname !== '/') return null;
  const made = federations.get(newsroom);
  if (made) return made;
  const db = newsroom.store.db;
  const federation = createFederation<void>({
    kv: databaseKv(newsroom),
    origin: newsroom.publicUrl,
    allowPrivateAddress: options.allowPrivateAddress ?? false,
    userAgent: { software: 'Masthead' },
  });

  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      const found = await ourActor(newsroom, identifier);
      if (!found) return null;
      const site = await getSiteSettings(newsroom);
      const keys = await ctx.getActorKeyPairs(identifier);
      const common = {
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        icon: new Image({
          url: new URL(`${newsroom.publicUrl}${ICON_PATH}`),
          mediaType: 'image/png',
        }),
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((key) => key.multikey),
        manuallyApprovesFollowers: false,
        discoverable: true,
        indexable: true,
      };
      if (found.kind === 'author')
        // An author: their name, their biography, their page on the site.
        return new Person({
          ...common,
          name: found.author.name,
          summary: found.author.bio ? escapeText(found.author.bio) : null,
          url: new URL(`${newsroom.publicUrl}/authors/${found.author.slug}`),
        });
      return new Organization({
        ...common,
        name: found.name || site.name,
        summary: site.tagline ? escapeText(site.tagline) : null,
        url: new URL(newsroom.publicUrl),
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) =>
      (await ourActor(newsroom, identifier)) ? await actorKeys(newsroom, identifier) : [],
    );

  federation.setObjectDispatcher(Article, ARTICLE_PATH, async (ctx, values) => {
    const handle = await handleOf(newsroom);
    const id = Number(values.id);
    if (!handle || !Number.isSafeInteger(id)) return null;
    return await articleObject(newsroom, options, ctx, handle, id);
  });

  federation
    .setFollowersDispatcher(`${ACTOR_PATH}/followers`, async (_ctx, identifier, cursor) => {
      if (!(await ourActor(newsroom, identifier))) return null;
      const all = await listFollowers(db, identifier);
      const items = (rows: typeof all): Recipient[] =>
        rows.map((row) => ({
          id: new URL(row.iri),
          inboxId: new URL(row.inbox),
          endpoints: row.sharedInbox ? { sharedInbox: new URL(row.sharedInbox) } : null,
        }));
      if (cursor === null) return { items: items(all) };
      const from = cursorOffset(cursor);
      const page = all.slice(from, from + 100);
      return {
        items: items(page),
        nextCursor: from + 100 < all.length ? String(from + 100) : null,
      };
    })
    .setFirstCursor(() => '0')
    .setCounter(async (_ctx, identifier) => (await listFollowers(db, identifier)).length);

  federation
    .setOutboxDispatcher(`${ACTOR_PATH}/outbox`, async (ctx, identifier, cursor) => {
      const found = await ourActor(newsroom, identifier);
      const publication = await handleOf(newsroom);
      if (!found || !publication || cursor === null) return null;
      const from = cursorOffset(cursor);
      // An author's outbox holds their own articles.
      const rows = await db
        .selectFrom('article')
        .select('id')
        .where('status', '=', 'published')
        .$if(found.kind === 'author', (query) =>
          query.where((eb) =>
            eb.exists(
              eb
                .selectFrom('article_author')
                .select('article_author.article_id')
                .whereRef('article_author.article_id', '=', 'article.id')
                .where(
                  'article_author.person_id',
                  '=',
                  found.kind === 'author' ? found.author.personId : 0,
                ),
            ),
          ),
        )
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .limit(PAGE_SIZE + 1)
        .offset(from)
        .execute();
      const items: Create[] = [];
      for (const row of rows.slice(0, PAGE_SIZE)) {
        const object = await articleObject(newsroom, options, ctx, publication, row.id);
        if (!object?.id) continue;
        items.push(
          new Create({
            id: new URL(`${object.id.href}#create`),
            actor: ctx.getActorUri(identifier),
            object,
            tos: [PUBLIC_COLLECTION],
            ccs: [ctx.getFollowersUri(identifier)],
            published: object.published,
          }),
        );
      }
      return { items, nextCursor: rows.length > PAGE_SIZE ? String(from + PAGE_SIZE) : null };
    })
    .setFirstCursor(() => '0')
    .setCounter(async () => {
      const row = await db
        .selectFrom('article')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'published')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    });

  const now = () => newsroom.now().toISOString();
  federation
    .setInboxListeners(`${ACTOR_PATH}/inbox`, '/ap/inbox')
    // Activities to the shared inbox are fetched and checked with the
    // publication's own key: servers that require signed fetches answer it.
    .setSharedKeyDispatcher(async () => {
      const handle = await handleOf(newsroom);
      return handle ? { identifier: handle } : null;
    })
    .on(Follow, async (ctx, follow) => {
      const parsed = ctx.parseUri(follow.objectId);
      if (parsed?.type !== 'actor' || !(await ourActor(newsroom, parsed.identifier))) return;
      if (!isOwnedBy(follow.id, follow.actorId)) return;
      const follower = await follow.getActor(ctx);
      // The follower is the account that signed, as its own server describes it.
      if (!follower?.id || !follower.inboxId || follower.id.href !== follow.actorId?.href) return;
      const sharedInbox = follower.endpoints?.sharedInbox ?? null;
      if (!(await mayDeliverTo(newsroom, follower.id, [follower.inboxId, sharedInbox]))) return;
      const isNew = await addFollower(
        db,
        {
          identifier: parsed.identifier,
          iri: follower.id.href,
          inbox: follower.inboxId.href,
          sharedInbox: sharedInbox?.href ?? null,
          name: textOf(follower.name ?? follower.preferredUsername).slice(0, 200),
          followIri: follow.id?.href ?? '',
        },
        now(),
      );
      if (isNew)
        await countAudienceEvents(newsroom, [{ kind: 'followed', subject: parsed.identifier }]);
      // Follows are accepted at once: the publication is public.
      await ctx.sendActivity(
        { identifier: parsed.identifier },
        follower,
        new Accept({
          id: new URL(`${ctx.getActorUri(parsed.identifier).href}#accepts/${newsroom.newId()}`),
          actor: ctx.getActorUri(parsed.identifier),
          object: follow,
        }),
      );
    })
    .on(Accept, async (_ctx, accept) => {
      // Our Follow, by its id (embedded or not): the table checks it was sent to this actor.
      if (accept.objectId && accept.actorId)
        await acceptFollowing(db, accept.objectId.href, accept.actorId.href);
    })
    .on(Reject, async (_ctx, reject) => {
      if (reject.objectId && reject.actorId)
        await rejectFollowing(db, reject.objectId.href, reject.actorId.href);
    })
    .on(Undo, async (_ctx, undo) => {
      if (!undo.actorId || !undo.objectId) return;
      // Only what the signer did itself: its follow, its like or boost.
      await countUnfollows(
        newsroom,
        await removeFollower(db, null, undo.actorId.href, undo.objectId.href),
      );
      await removeInteraction(db, undo.objectId.href, undo.actorId.href);
    })
    .on(Like, async (ctx, like) => {
      await countReaction(ctx, 'like', like.id, like.actorId, like.objectId);
    })
    .on(Announce, async (ctx, announce) => {
      await countReaction(ctx, 'announce', announce.id, announce.actorId, announce.objectId);
    })
    .on(Create, async (ctx, create) => {
      const actorId = create.actorId;
      const object = await create.getObject(ctx);
      // Only its author's own words, on its author's own server.
      if (!object?.id || !actorId || !isOwnedBy(object.id, actorId)) return;
      if (!isAttributedTo(object, actorId)) return;
      const articleId = object instanceof Note ? ourArticleId(ctx, object.replyTargetId) : null;
      if (articleId !== null) {
        if ((await repliesBy(db, actorId.href)) >= MAX_REPLIES_PER_ACTOR) return;
        const author = await create.getActor(ctx);
        await addInteraction(
          db,
          {
            articleId,
            kind: 'reply',
            activityIri: object.id.href,
            actorIri: actorId.href,
            actorName: textOf(author?.name ?? author?.preferredUsername).slice(0, 200),
            content: sanitizeArchivedHtml(textOf(object.content).slice(0, 20_000)),
            url: webAddress(object.url),
          },
          now(),
        );
        return;
      }
      if (
        (object instanceof Article || object instanceof Note) &&
        (await isFollowing(db, actorId.href))
      )
        await keepObject(newsroom, object, actorId.href);
    })
    .on(Update, async (ctx, update) => {
      const actorId = update.actorId;
      const object = await update.getObject(ctx);
      if (!object?.id || !actorId || !isOwnedBy(object.id, actorId)) return;
      if (!isAttributedTo(object, actorId)) return;
      if (
        (object instanceof Article || object instanceof Note) &&
        (await isFollowing(db, actorId.href))
      )
        await keepObject(newsroom, object, actorId.href);
    })
    .on(Delete, async (_ctx, deletion) => {
      if (!deletion.objectId || !deletion.actorId) return;
      // An account deleted: it follows nothing any more.
      if (deletion.objectId.href === deletion.actorId.href) {
        await countUnfollows(newsroom, await removeFollower(db, null, deletion.actorId.href));
        return;
      }
      await markReceivedDeleted(db, deletion.objectId.href, deletion.actorId.href, now());
      await removeInteraction(db, deletion.objectId.href, deletion.actorId.href);
    });

  /** A like or a boost of one of our articles: once per account and article. */
  async function countReaction(
    ctx: Context<void>,
    kind: 'like' | 'announce',
    id: URL | null,
    actorId: URL | null,
    objectId: URL | null,
  ): Promise<void> {
    const articleId = ourArticleId(ctx, objectId);
    if (articleId === null || !id || !actorId || !isOwnedBy(id, actorId)) return;
    await addInteraction(
      db,
      {
        articleId,
        kind,
        activityIri: id.href,
        actorIri: actorId.href,
        actorName: '',
        content: null,
        url: null,
      },
      now(),
    );
  }

  federations.set(newsroom, federation);
  return federation;
}

/** Keeps an article or post from an actor the publication follows, its HTML sanitized. */
async function keepObject(
  newsroom: Newsroom,
  object: Article | Note,
  actorIri: string,
): Promise<void> {
  if (!object.id) return;
  await keepReceived(
    newsroom.store.db,
    {
      objectIri: object.id.href,
      actorIri,
      type: object instanceof Article ? 'Article' : 'Note',
      name: textOf(object.name).slice(0, 500),
      summary: sanitizeArchivedHtml(textOf(object.summary).slice(0, 5000)),
      content: sanitizeArchivedHtml(textOf(object.content).slice(0, 200_000)),
      url: webAddress(object.url),
      publishedAt: object.published ? object.published.toString() : null,
      updatedAt: object.updated ? object.updated.toString() : null,
    },
    newsroom.now().toISOString(),
  );
}

/** Drops Fedify's expired cache entries (the distribution loop calls it now and then). */
export async function forgetExpiredFediverseCache(newsroom: Newsroom): Promise<void> {
  await kvForgetExpired(newsroom.store.db, newsroom.now().toISOString());
}

/** The origin of an address, or null when it is not one. */
function originOf(value: unknown): string | null {
  try {
    return typeof value === 'string' ? new URL(value).origin : null;
  } catch {
    return null;
  }
}

/**
 * Why an activity is refused before Fedify sees it, or null: its signing
 * key (HTTP Signature, or a signature or proof in the body) must be on the
 * server of the account it speaks for. Fedify 1.5 trusts a key that merely
 * names an account as its owner, so another server could sign as anyone.
 */
function foreignSigner(headers: Headers, body: Uint8Array | undefined): string | null {
  if (!body) return null;
  let activity: Record<string, unknown>;
  try {
    activity = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
  } catch {
    return null; // Malformed: Fedify refuses it.
  }
  const actor = activity.actor;
  const actorOrigin = originOf(
    typeof actor === 'object' && actor !== null ? (actor as { id?: unknown }).id : actor,
  );
  if (!actorOrigin) return null;
  const keyIds = [
    /keyId="([^"]+)"/.exec(headers.get('signature') ?? '')?.[1],
    /keyid="([^"]+)"/i.exec(headers.get('signature-input') ?? '')?.[1],
    (activity.signature as { creator?: unknown } | undefined)?.creator,
    (activity.proof as { verificationMethod?: unknown } | undefined)?.verificationMethod,
  ];
  for (const keyId of keyIds) {
    if (keyId === undefined) continue;
    const origin = originOf(keyId);
    if (origin !== actorOrigin)
      return `signed with a key on ${origin ?? 'no server'} for an account on ${actorOrigin}`;
  }
  return null;
}

/** Tells Mastodon which domain's pages may credit the account (`fediverse:creator`). */
function withAttributionDomains(json: string, host: string): string {
  try {
    const actor = JSON.parse(json) as Record<string, unknown>;
    const context = Array.isArray(actor['@context']) ? actor['@context'] : [actor['@context']];
    actor['@context'] = [
      ...context,
      {
        toot: 'http://joinmastodon.org/ns#',
        attributionDomains: { '@id': 'toot:attributionDomains', '@type': '@id' },
      },
    ];
    actor.attributionDomains = [host];
    return JSON.stringify(actor);
  } catch {
    return json;
  }
}

/**
 * Answers a request for the fediverse's addresses (WebFinger, an actor, its
 * inbox…), or null when the site has none. An activity whose signer is on
 * another server than the account it speaks for is refused here, before
 * Fedify; an actor's profile gains `attributionDomains`.
 */
export async function handleFediverseRequest(
  newsroom: Newsroom,
  request: Request,
): Promise<Response | null> {
  const federation = fediverseOf(newsroom);
  if (!federation) return null;
  if (request.method === 'POST') {
    const refused = foreignSigner(
      request.headers,
      new Uint8Array(await request.clone().arrayBuffer()),
    );
    if (refused) return new Response(`refused: ${refused}`, { status: 401 });
  }
  const response = await federation.fetch(request, { contextData: undefined });
  const isActorProfile = /^\/ap\/actors\/[^/]+$/.test(new URL(request.url).pathname);
  if (
    request.method !== 'GET' ||
    !response.ok ||
    !isActorProfile ||
    !(response.headers.get('content-type') ?? '').includes('json')
  )
    return response;
  return new Response(
    withAttributionDomains(await response.text(), new URL(newsroom.publicUrl).host),
    { status: response.status, headers: response.headers },
  );
}

function contextOf(newsroom: Newsroom): Context<void> {
  const federation = fediverseOf(newsroom);
  if (!federation) throw new DomainError('conflict', 'the fediverse is not set up on this server');
  return federation.createContext(new URL(newsroom.publicUrl), undefined);
}

// ---------------------------------------------------------------------------
// Sending, from the distribution queue

/**
 * One delivery to the followers: the article as a `Create` (a post), an
 * `Update` (an edit) or a `Delete` (a deletion). Fedify signs it and sends
 * it to each follower's (shared) inbox; if any inbox fails, the delivery is
 * tried again later, and those that had it already know it by its id.
 */
export async function sendToFediverse(
  newsroom: Newsroom,
  channel: Channel,
  delivery: { id: number; articleId: number; action: DeliveryAction },
): Promise<SendOutcome | 'cancelled'> {
  const options = newsroom.fediverse;
  const handle = channel.handle;
  if (!options || !handle)
    return { ok: false, permanent: true, reason: 'the fediverse is not set up on this server' };
  const ctx = contextOf(newsroom);
  const objectId = ctx.getObjectUri(Article, { id: String(delivery.articleId) });
  let object: Article | null = null;
  if (delivery.action !== 'delete') {
    object = await articleObject(newsroom, options, ctx, handle, delivery.articleId);
    // Unpublished before it went out: nothing to say any more.
    if (!object) return 'cancelled';
  }
  // From the publication to its followers, and from each author with an
  // account of their own to theirs.
  const senders = [
    handle,
    ...(await articleAuthorActors(newsroom.store.db, delivery.articleId)).map(
      (author) => author.handle,
    ),
  ];
  let sent = 0;
  let tried = 0;
  let lastFailure = '';
  for (const sender of senders) {
    const actor = ctx.getActorUri(sender);
    const addressing = { tos: [PUBLIC_COLLECTION], ccs: [ctx.getFollowersUri(sender)] };
    const activityId = new URL(
      `${objectId.href}#${delivery.action}-${delivery.id}${sender === handle ? '' : `-${sender}`}`,
    );
    const activity =
      delivery.action === 'delete' || !object
        ? new Delete({
            id: activityId,
            actor,
            object: new Tombstone({ id: objectId }),
            ...addressing,
          })
        : delivery.action === 'post'
          ? new Create({
              id: activityId,
              actor,
              object,
              published: object.published,
              ...addressing,
            })
          : new Update({
              id: activityId,
              actor,
              object,
              updated: Temporal.Now.instant(),
              ...addressing,
            });
    const outcome = await deliverToFollowers(newsroom, ctx, sender, activity);
    sent += outcome.sent;
    tried += outcome.tried;
    lastFailure = outcome.failure ?? lastFailure;
  }
  if (tried > 0 && sent === 0)
    return { ok: false, permanent: false, reason: lastFailure.slice(0, 300) || 'not sent' };
  return { ok: true, remoteId: objectId.href };
}

/**
 * Sends an activity of `sender` to its followers, each server's inbox on its
 * own: one that is down or gone does not hold up the others, nor make them
 * get it again on a retry. An inbox gone for good (404, 410) loses its
 * followers. Answers how many inboxes took it, out of how many.
 */
async function deliverToFollowers(
  newsroom: Newsroom,
  ctx: Context<void>,
  sender: string,
  activity: Create | Update | Delete,
): Promise<{ sent: number; tried: number; failure: string | null }> {
  const followers = await listFollowers(newsroom.store.db, sender);
  const byInbox = new Map<string, Recipient[]>();
  for (const follower of followers) {
    const inbox = follower.sharedInbox ?? follower.inbox;
    const group = byInbox.get(inbox) ?? [];
    group.push({
      id: new URL(follower.iri),
      inboxId: new URL(follower.inbox),
      endpoints: follower.sharedInbox ? { sharedInbox: new URL(follower.sharedInbox) } : null,
    });
    byInbox.set(inbox, group);
  }
  const groups = [...byInbox.values()];
  const outcomes = await Promise.allSettled(
    groups.map((recipients) =>
      ctx.sendActivity({ identifier: sender }, recipients, activity, { preferSharedInbox: true }),
    ),
  );
  let failure: string | null = null;
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') continue;
    failure = String(outcome.reason);
    if (/\b(404|410)\b/.test(failure))
      for (const recipient of groups[index] ?? [])
        if (recipient.id)
          await countUnfollows(
            newsroom,
            await removeFollower(newsroom.store.db, sender, recipient.id.href),
          );
  }
  return {
    sent: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
    tried: outcomes.length,
    failure,
  };
}

// ---------------------------------------------------------------------------
// Staff

function checkChief(actor: StaffActor): void {
  if (!can(actor, 'settings.manage'))
    throw new DomainError('not_allowed_for_role', 'only the editor-in-chief manages the fediverse');
}

/** The publication on the fediverse: its handle, followers, whom it follows, what came in. */
export async function readFediverse(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<FediverseStatus> {
  checkChief(actor);
  const handle = await handleOf(newsroom);
  const host = new URL(newsroom.publicUrl).host;
  const db = newsroom.store.db;
  return {
    handle: handle ? `@${handle}@${host}` : null,
    actorUrl: handle ? `${newsroom.publicUrl}/ap/actors/${handle}` : null,
    followers: handle
      ? (await listFollowers(db, handle)).map(({ iri, name, since }) => ({ iri, name, since }))
      : [],
    following: await listFollowing(db),
    received: await listReceived(db, 50),
  };
}

/**
 * Follows another actor (another newsroom), by its handle (@news@example.org)
 * or its address: their articles then come in. Editor-in-chief; audited.
 */
export async function followActor(
  newsroom: Newsroom,
  actor: StaffActor,
  target: string,
): Promise<FediverseStatus> {
  checkChief(actor);
  const handle = await handleOf(newsroom);
  if (!handle)
    throw new DomainError('conflict', 'add a fediverse channel first: it names the publication');
  const ctx = contextOf(newsroom);
  const remote = await ctx.lookupObject(target.trim()).catch(() => null);
  if (!isActor(remote) || !remote.id || !remote.inboxId)
    throw new DomainError(
      'invalid_input',
      `handle: no fediverse account was found at ${target}`,
      'handle',
    );
  const me = ctx.getActorUri(handle);
  const followId = new URL(`${me.href}#follows/${newsroom.newId()}`);
  const now = newsroom.now().toISOString();
  await addFollowing(
    newsroom.store.db,
    {
      iri: remote.id.href,
      handle: target.trim(),
      name: textOf(remote.name ?? remote.preferredUsername),
      inbox: remote.inboxId.href,
      followIri: followId.href,
    },
    now,
  );
  await ctx.sendActivity(
    { identifier: handle },
    remote,
    new Follow({ id: followId, actor: me, object: remote.id }),
  );
  await recordAudit(newsroom.store.db, {
    userId: actor.userId,
    action: 'fediverse.follow',
    subject: 'site:fediverse',
    detail: { handle: target.trim() },
    at: now,
  });
  return await readFediverse(newsroom, actor);
}

/** The signed-in member's own account on the fediverse ("@ada@your.domain"), or null. */
export async function readMyFediverseHandle(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<{ handle: string | null; address: string | null; isAvailable: boolean }> {
  const publication = await handleOf(newsroom);
  const mine =
    actor.personId === null ? null : await personHandle(newsroom.store.db, actor.personId);
  return {
    handle: mine,
    address: mine ? `@${mine}@${new URL(newsroom.publicUrl).host}` : null,
    // Authors have accounts once the publication has its own.
    isAvailable: publication !== null && actor.personId !== null,
  };
}

/**
 * Gives the signed-in author an account of their own (`handle`), or takes
 * it away (null): their articles then also go to their own followers. A
 * handle is one person's, and never the publication's. Audited.
 */
export async function setMyFediverseHandle(
  newsroom: Newsroom,
  actor: StaffActor,
  handle: string | null,
): Promise<{ handle: string | null; address: string | null; isAvailable: boolean }> {
  if (actor.personId === null)
    throw new DomainError(
      'not_allowed_for_role',
      'an account of one’s own is for staff with a byline',
    );
  const publication = await handleOf(newsroom);
  if (!publication)
    throw new DomainError(
      'conflict',
      'the publication is not on the fediverse yet: ask the editor-in-chief',
    );
  const db = newsroom.store.db;
  const now = newsroom.now().toISOString();
  await db.transaction().execute(async (trx) => {
    if (handle !== null) {
      const taken = await authorByHandle(trx, handle);
      if (handle === publication || (taken && taken.personId !== actor.personId))
        throw new DomainError('conflict', `handle: @${handle} is taken: choose another`, 'handle');
    }
    await setPersonHandle(trx, actor.personId ?? 0, handle);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'fediverse.handle',
      subject: `person:${actor.personId}`,
      detail: { handle },
      at: now,
    });
  });
  return await readMyFediverseHandle(newsroom, actor);
}

/** Likes, boosts and replies of an article (whoever may open it; replies' text for editors). */
export async function readArticleReactions(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<ArticleReactions> {
  if (!can(actor, 'article.view-drafts'))
    throw new DomainError('not_allowed_for_role', 'editors read what the fediverse said');
  if (!(await getArticle(newsroom.store.db, articleId)))
    throw new DomainError('not_found', `there is no article ${articleId}`);
  return await articleReactions(newsroom.store.db, articleId);
}

/** Approves or hides a reply (editors); audited. */
export async function moderateReply(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  state: ReplyState,
): Promise<ArticleReactions> {
  if (!can(actor, 'article.view-drafts'))
    throw new DomainError('not_allowed_for_role', 'editors moderate replies');
  const db = newsroom.store.db;
  const now = newsroom.now().toISOString();
  const articleId = await db.transaction().execute(async (trx) => {
    const found = await setReplyState(trx, id, state);
    if (found === null) throw new DomainError('not_found', `there is no reply ${id}`);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'fediverse.moderate',
      subject: `article:${found}`,
      detail: { reply: id, state },
      at: now,
    });
    return found;
  });
  return await articleReactions(db, articleId);
}

/** Counts the actors a follower left (for the audience numbers: how many, never who). */
async function countUnfollows(newsroom: Newsroom, identifiers: readonly string[]): Promise<void> {
  await countAudienceEvents(
    newsroom,
    identifiers.map((identifier) => ({ kind: 'unfollowed', subject: identifier })),
  );
}
