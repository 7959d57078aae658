import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { ALL_PAGES, type CacheChange } from './core/cache-tags.js';
import { loadAssets } from './http/assets.js';
import { openPageCache, type PageCache } from './http/page-cache.js';
import { buildServer } from './http/server.js';
import { purgeCdn } from './newsroom/cdn-purge.js';
import type { Newsroom } from './newsroom/newsroom.js';
import { startScheduler } from './newsroom/scheduler.js';
import { pingHub } from './newsroom/websub.js';
import { openStore } from './store/database.js';
import { mediaFilesAt } from './store/media-files.js';
import {
  type ChangeChannel,
  MAX_CHANGE_PAYLOAD,
  openChangeChannel,
} from './store/notifications.js';

// The composition root: the only module that wires concrete pieces together.

/** Opens the store (creating and migrating it on first use) and builds the newsroom. */
export async function openNewsroom(config: Config): Promise<Newsroom> {
  const store = await openStore(config);
  return {
    store,
    mediaFiles: mediaFilesAt(config.mediaDir, config.originalsDir),
    now: () => new Date(),
    newId: () => randomUUID(),
    newToken: () => randomBytes(32).toString('base64url'),
    publicUrl: config.publicUrl,
  };
}

/**
 * Several processes on one PostgreSQL database: each change purges this
 * process's cache and is told to the others (LISTEN/NOTIFY), which purge theirs.
 */
export async function shareCachePurges(
  newsroom: Newsroom,
  pageCache: PageCache,
  databaseUrl: string,
): Promise<ChangeChannel> {
  const origin = randomUUID();
  const channel = await openChangeChannel(databaseUrl, (payload) => {
    try {
      const message = JSON.parse(payload) as { origin: string; change: CacheChange };
      if (message.origin !== origin) pageCache.purge(message.change);
    } catch {
      // Not one of ours: ignore.
    }
  });
  newsroom.changed = (change) => {
    pageCache.purge(change);
    let payload = JSON.stringify({ origin, change });
    // A change touching very many pages is told as "everything".
    if (Buffer.byteLength(payload) > MAX_CHANGE_PAYLOAD) {
      payload = JSON.stringify({ origin, change: ALL_PAGES });
    }
    void channel.publish(payload).catch(() => {
      // The others keep serving until max-age: better than failing the change.
    });
  };
  return channel;
}

/** The HTTP server over an open newsroom. */
export async function createServer(newsroom: Newsroom, config: Config): Promise<FastifyInstance> {
  const assets = await loadAssets();
  const adminDirectory = fileURLToPath(new URL('../dist/admin/', import.meta.url));
  const pageCache = await openPageCache(config.pageCacheMb * 1024 * 1024, config.pageCacheDisk);
  const channel = config.databaseUrl
    ? await shareCachePurges(newsroom, pageCache, config.databaseUrl)
    : null;
  if (!channel) {
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
  server.addHook('onClose', async () => {
    await scheduler.stop();
    await pageCache.settled();
    await channel?.close();
    await newsroom.store.close();
  });
  return server;
}
