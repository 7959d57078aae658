import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { ALL_PAGES, type CacheChange } from './core/cache-tags.js';
import type { PageCache } from './http/page-cache.js';
import type { RoomMessage, SharedDocRooms } from './http/shared-doc-rooms.js';
import { takeOutAbandonedImports } from './newsroom/import-file.js';
import { smtpMailer } from './newsroom/mail.js';
import type { Newsroom } from './newsroom/newsroom.js';
import { fediverseArticleHtml } from './site/fediverse-article.js';
import { newsletterMail } from './site/newsletter-mail.js';
import { changeLogChannel } from './store/change-log.js';
import { openStore, type Store } from './store/database.js';
import { withLease } from './store/leases.js';
import { folderMediaBytes, type MediaBytes, s3MediaBytes } from './store/media-bytes.js';
import { type MediaFiles, mediaFilesOn, setServerImageSettings } from './store/media-files.js';
import { type ChangeChannel, MAX_CHANGE_PAYLOAD, notifyChannel } from './store/notifications.js';

// The composition root: the only module that wires concrete pieces together.

/**
 * Opens the store (creating and migrating it on first use) and builds the
 * newsroom. Its changes are told to the servers on the same database (a CLI
 * import reaches the running server's page cache); closing the store lets
 * the last of them out first.
 */
/** The change channel each newsroom opened here tells the others through, for its server to listen on. */
const changeChannels = new WeakMap<Newsroom, ChangeChannel>();

export async function openNewsroom(config: Config): Promise<Newsroom> {
  const opened = await openStore(config);
  const channel = openChangeChannel(opened, config.databaseUrl);
  const store: Store = channel
    ? {
        ...opened,
        close: async () => {
          await channel.close();
          await opened.close();
        },
      }
    : opened;
  // Bounded image memory for a long-running process (issue 14).
  setServerImageSettings();
  const newsroom: Newsroom = {
    store,
    mediaFiles: openMediaFiles(config, store),
    now: () => new Date(),
    newId: () => randomUUID(),
    newToken: () => randomBytes(32).toString('base64url'),
    publicUrl: config.publicUrl,
    ...(channel ? { changed: tellOthers(channel, randomUUID()) } : {}),
    fediverse: {
      renderArticle: fediverseArticleHtml,
      allowPrivateAddress: config.fediverseAllowPrivate,
    },
    embedThumbnails: config.embedThumbnails,
    ...(config.smtp
      ? {
          mailer: smtpMailer(config.smtp),
          newsletters: {
            renderNewsletter: newsletterMail,
            maxAddressFailures: config.smtp.maxAddressFailures,
          },
        }
      : {}),
  };
  if (channel) changeChannels.set(newsroom, channel);
  // An import whose process died half-way is taken back out before this
  // process reads its half. Failing that, the scheduler tries again: the
  // newsroom must still open.
  await takeOutAbandonedImports(newsroom).catch((error: unknown) => {
    process.stderr.write(
      `masthead: an interrupted import could not be taken back out yet: ${(error as Error).message}\n`,
    );
  });
  return newsroom;
}

/**
 * Photos in the data directory's folders, or on object storage when the
 * configuration names it. A rendition is made by one server at a time, under
 * a lease on the database: servers sharing object storage make each once.
 */
function openMediaFiles(config: Config, store: Store): MediaFiles {
  return mediaFilesOn(mediaBytesFor(config), {
    lease: (name, work) => withLease(store.db, name, work),
  });
}

/** Where the configuration keeps photos' bytes: object storage, or the data directory's folders. */
export function mediaBytesFor(config: Config): MediaBytes {
  return config.mediaStorage
    ? s3MediaBytes(config.mediaStorage)
    : folderMediaBytes(config.mediaDir, config.originalsDir);
}

/**
 * How processes on this database tell each other their changes, chosen by
 * dialect: LISTEN/NOTIFY on PostgreSQL, the polled change log on SQLite.
 * Null for a PostgreSQL store opened without its URL (nothing to listen with).
 */
export function openChangeChannel(store: Store, databaseUrl: string | null): ChangeChannel | null {
  if (store.dialect === 'sqlite') return changeLogChannel(store.db);
  return databaseUrl ? notifyChannel(store.db, databaseUrl) : null;
}

/** A change as one message on the channel, naming the process (`origin`) that made it. */
type ChangeMessage = { origin: string; change: CacheChange };

function tellOthers(channel: ChangeChannel, origin: string): (change: CacheChange) => void {
  return (change) => {
    let payload = JSON.stringify({ origin, change } satisfies ChangeMessage);
    // A change touching very many pages is told as "everything".
    if (Buffer.byteLength(payload) > MAX_CHANGE_PAYLOAD) {
      payload = JSON.stringify({ origin, change: ALL_PAGES } satisfies ChangeMessage);
    }
    void channel.send(payload).catch(() => {
      // The others keep serving until max-age: better than failing the change.
    });
  };
}

/** The message in `payload`, or null when it is not one of ours. */
function readChangeMessage(payload: string): ChangeMessage | null {
  try {
    const message: unknown = JSON.parse(payload);
    if (typeof message !== 'object' || message === null) return null;
    const { origin, change } = message as Record<string, unknown>;
    if (typeof origin !== 'string') return null;
    if (change === ALL_PAGES) return { origin, change };
    if (Array.isArray(change) && change.every((tag) => typeof tag === 'string'))
      return { origin, change: change as string[] };
    return null;
  } catch {
    return null;
  }
}

/** A co-editing room's message from another process, or null (ours, or not one). */
function readRoomMessage(payload: string, origin: string): RoomMessage | null {
  try {
    const message = JSON.parse(payload) as { origin?: unknown; room?: RoomMessage };
    return message.origin !== origin && typeof message.room === 'object' && message.room !== null
      ? message.room
      : null;
  } catch {
    return null;
  }
}

/**
 * Several processes on one database: each change purges this process's cache
 * at once and is told to the others through `channel`, which purge theirs;
 * the others' changes purge this one's as they arrive.
 */
export async function shareCachePurges(
  newsroom: Newsroom,
  pageCache: PageCache,
  channel: ChangeChannel,
  rooms: SharedDocRooms,
): Promise<void> {
  const origin = randomUUID();
  await channel.listen(
    (payload) => {
      const message = readChangeMessage(payload);
      if (message && message.origin !== origin) pageCache.purge(message.change);
      const told = readRoomMessage(payload, origin);
      if (told) void rooms.heard(told).catch((error: unknown) => rooms.failed(error));
    },
    // Some changes went unheard: any page may be out of date, any shared text behind.
    () => {
      pageCache.purge(ALL_PAGES);
      void rooms.missed().catch((error: unknown) => rooms.failed(error));
    },
  );
  rooms.tellOthers((room) => {
    void channel.send(JSON.stringify({ origin, room })).catch((error: unknown) => {
      // The others read the stored updates when they next hear of the article.
      rooms.failed(error);
    });
  });
  const tell = tellOthers(channel, origin);
  newsroom.changed = (change) => {
    pageCache.purge(change);
    tell(change);
  };
}

/** The HTTP server over an open newsroom. */
export async function createServer(newsroom: Newsroom, config: Config): Promise<FastifyInstance> {
  // What only a running server needs (Fastify and its routes, the queues and,
  // through them, Fedify): loaded here, so that a CLI command such as
  // `masthead user add` does not spend a second loading it.
  const [
    { loadAssets },
    { openPageCache },
    { buildServer },
    { SharedDocRooms },
    { forgetReaderHashes, startAudience },
    { purgeCdn },
    { startDistribution },
    { startScheduler },
    { pingHub },
    { telegramPostHtml },
  ] = await Promise.all([
    import('./http/assets.js'),
    import('./http/page-cache.js'),
    import('./http/server.js'),
    import('./http/shared-doc-rooms.js'),
    import('./newsroom/audience.js'),
    import('./newsroom/cdn-purge.js'),
    import('./newsroom/distribution.js'),
    import('./newsroom/scheduler.js'),
    import('./newsroom/websub.js'),
    import('./site/telegram-post.js'),
  ]);
  const assets = await loadAssets();
  const adminDirectory = fileURLToPath(new URL('../dist/admin/', import.meta.url));
  const pageCache = await openPageCache(config.pageCacheMb * 1024 * 1024, config.pageCacheDisk);
  // The newsroom's own channel when openNewsroom made it (its store's close
  // closes it); else one of the server's own, closed with the server.
  const ownChannel = changeChannels.has(newsroom)
    ? null
    : openChangeChannel(newsroom.store, config.databaseUrl);
  const channel = changeChannels.get(newsroom) ?? ownChannel;
  const sharedDocs = new SharedDocRooms(newsroom);
  if (channel) {
    await shareCachePurges(newsroom, pageCache, channel, sharedDocs);
  } else {
    newsroom.changed = (change) => {
      pageCache.purge(change);
    };
  }
  const cdn = config.cdnPurge;
  const server = await buildServer({
    newsroom,
    assets,
    pageCache,
    logLevel: config.logLevel,
    adminDirectory,
    trustProxy: config.trustProxy,
    maxUploadMb: config.maxUploadMb,
    sharedDocs,
    websubHub: config.websubHub,
  });
  const hub = config.websubHub;
  if (hub) {
    newsroom.announce = (feedUrls) => {
      pingHub(hub, feedUrls).catch((error: unknown) =>
        server.log.warn({ err: error }, 'the WebSub hub was not told of a publication'),
      );
    };
  }
  if (cdn) {
    // Only the process that made the change tells the CDN (the others purge
    // on the notification alone), and never holds the change up.
    const purgeOwn = newsroom.changed;
    newsroom.changed = (change) => {
      purgeOwn?.(change);
      purgeCdn(cdn, change).catch((error: unknown) =>
        server.log.warn(
          { err: error },
          'the CDN was not told to purge; its copies expire by max-age',
        ),
      );
    };
  }
  const scheduler = startScheduler(newsroom, (error) =>
    server.log.error({ err: error }, 'scheduled publishing failed'),
  );
  // The queue of what goes out to the channels (Telegram…): worked every two
  // seconds, and at once when a publication queues something.
  const distribution = startDistribution(
    newsroom,
    { telegramApiUrl: config.telegramApiUrl, renderTelegramPost: telegramPostHtml },
    (error) => server.log.error({ err: error }, 'sending to the channels failed'),
  );
  newsroom.distribute = distribution.wake;
  // Page views, added up without anything about the reader (the dashboard,
  // each article's numbers, the fronts' "most read").
  const audience = config.countAudience
    ? startAudience(newsroom, (error) =>
        server.log.warn({ err: error }, 'audience numbers were not written'),
      )
    : null;
  pageCache.onView = audience?.count ?? null;
  if (!audience) await forgetReaderHashes(newsroom);
  server.addHook('onClose', async () => {
    await scheduler.stop();
    await distribution.stop();
    await audience?.stop();
    newsroom.mailer?.close?.();
    await pageCache.settled();
    await ownChannel?.close();
    await newsroom.store.close();
  });
  return server;
}
