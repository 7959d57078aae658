import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import proxyAddr from '@fastify/proxy-addr';
import Fastify, { type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import { EMBED_PLAYER_ORIGINS } from '../core/embeds.js';
import { isDomainError } from '../core/errors.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { ServerErrorPage } from '../site/pages/server-error-page.js';
import { renderHtml } from '../site/render-page.js';
import { makeSignedIn, registerAdminApi } from './admin-api.js';
import { registerAdminUi } from './admin-ui.js';
import type { LoadedAssets } from './assets.js';
import { DeskEvents, registerDeskEvents } from './desk-events.js';
import { STATUS_BY_CODE } from './errors.js';
import { registerFediverseRoutes } from './fediverse-routes.js';
import { registerFrontsApi } from './fronts-api.js';
import { registerNewsletterRoutes } from './newsletter-routes.js';
import type { PageCache } from './page-cache.js';
import { registerPreviewRoutes } from './preview-routes.js';
import {
  cachedAnswer,
  isApiRequest,
  registerPublicRoutes,
  sendNotFound,
  serveFromCache,
} from './public-routes.js';
import { SharedDocRooms } from './shared-doc-rooms.js';
import { attachSharedDocSockets } from './shared-doc-socket.js';

export type ServerOptions = {
  newsroom: Newsroom;
  assets: LoadedAssets;
  /** The largest image upload accepted, in MB (MASTHEAD_MAX_UPLOAD_MB). */
  maxUploadMb?: number;
  /** Reverse proxies to believe for the client's address (see MASTHEAD_TRUST_PROXY). */
  trustProxy?: boolean | string[];
  /** The WebSub hub the feeds name (MASTHEAD_WEBSUB_HUB), or null. */
  websubHub?: string | null;
  /** The built newsroom app (dist/admin); absent in tests that need no admin UI. */
  adminDirectory?: string;
  logLevel: string;
  /** Reader pages kept rendered; without one every request renders. */
  pageCache?: PageCache;
  /** Renders pages for a static mirror (`masthead mirror build`): they say so, and search runs in the browser. */
  isMirror?: boolean;
  /** The co-editing rooms, when main.ts shares them with other processes; else the server makes its own. */
  sharedDocs?: SharedDocRooms;
};

/**
 * The reader's address for a request answered before Fastify sees it, worked
 * out as Fastify's `request.ip` is (the same proxy-addr rules): the socket's,
 * or behind trusted proxies the nearest address they did not vouch for. Only
 * ever used, with the user agent, in the day's salted reader hash.
 */
function readerAddresses(
  trustProxy: boolean | string[],
): (request: IncomingMessage) => string | undefined {
  if (trustProxy === false) return (request) => request.socket.remoteAddress;
  const trust = trustProxy === true ? () => true : proxyAddr.compile(trustProxy);
  return (request) => proxyAddr(request, trust);
}

/**
 * The HTTP server: security headers, compression, one error handler, the public
 * routes. Reader pages load nothing from another origin, which the CSP enforces.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { newsroom, assets } = options;
  const pageCache = options.pageCache;
  const readerAddress = readerAddresses(options.trustProxy ?? false);
  const app = Fastify({
    // Cached reader pages are answered on the socket before Fastify sees the
    // request: as close to a static file server as Node gets.
    ...(pageCache?.enabled
      ? {
          serverFactory: (handler: (request: IncomingMessage, response: ServerResponse) => void) =>
            createHttpServer((request, response) => {
              const answer = cachedAnswer(
                pageCache,
                request.method,
                request.url,
                request.headers,
                readerAddress(request),
              );
              if (!answer) return handler(request, response);
              response.writeHead(answer.status, answer.headers);
              response.end(answer.body ?? undefined);
            }),
        }
      : {}),
    logger: { level: options.logLevel },
    // No access log: readers' addresses and browsers are not ours to keep.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy ?? false,
    // A URL that cannot be decoded never reaches a route: it leads nowhere, so a 404 page.
    frameworkErrors: (_error, _request, reply: FastifyReply) =>
      sendNotFound(reply, newsroom, assets),
  });
  if (!options.trustProxy) warnOnceAboutUntrustedProxy(app);
  // The same fast path for requests that do not come through the socket (inject).
  if (pageCache?.enabled) app.addHook('onRequest', serveFromCache(pageCache));
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        // Embeds' players, framed only once a reader presses Play (site.js).
        frameSrc: ["'self'", ...EMBED_PLAYER_ORIGINS],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    // Readers arrive over plain HTTP on mirrors and onion services too.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  await app.register(compress, { encodings: ['br', 'gzip'] });

  app.setErrorHandler((error, request, reply) => {
    if (isDomainError(error)) {
      const status = STATUS_BY_CODE[error.code];
      // What the caller needs to recover: the current article, or the articles using a photo.
      const current =
        error.code === 'version_conflict' && error.detail
          ? { current: error.detail }
          : error.code === 'media_in_use' && error.detail
            ? { usedIn: error.detail }
            : {};
      // A throttled sign-in, or a write the database was too busy to take, says
      // when to come back, in the header clients and proxies read.
      const retryAfter = (error.detail as { retryAfterSeconds?: unknown } | undefined)
        ?.retryAfterSeconds;
      if (
        (error.code === 'rate_limited' || error.code === 'database_busy') &&
        typeof retryAfter === 'number'
      )
        reply.header('Retry-After', String(retryAfter));
      // Refused writes are the operator's to notice: something held the lock too long.
      if (error.code === 'database_busy')
        request.log.warn(
          'a write waited for the database, which another process (an import, say) kept busy, and was refused with 503',
        );
      return reply.code(status).send({
        error: { code: error.code, message: error.message, field: error.field, ...current },
      });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply
        .code(status)
        .send({ error: { code: 'invalid_input', message: (error as Error).message } });
    }
    // Never leak internals (SQL, paths) to a client; the log keeps them.
    request.log.error({ err: error }, 'request failed');
    reply.code(500);
    if (isApiRequest(request.url)) {
      return reply.send({
        error: { code: 'internal', message: 'Something went wrong on our side.' },
      });
    }
    // Readers get a page, built without the database (which may be what failed).
    return reply
      .type('text/html; charset=utf-8')
      .send(renderHtml(ServerErrorPage({ assets: assets.urls })));
  });
  app.setNotFoundHandler((request, reply) =>
    isApiRequest(request.url)
      ? reply.code(404).send({
          error: { code: 'not_found', message: `no route for ${request.method} ${request.url}` },
        })
      : sendNotFound(reply, newsroom, assets),
  );

  await registerAdminApi(app, newsroom, {
    ...(options.maxUploadMb ? { maxUploadMb: options.maxUploadMb } : {}),
  });
  if (!options.isMirror)
    shareDocs(app, newsroom, options.sharedDocs ?? new SharedDocRooms(newsroom));
  registerPreviewRoutes(app, newsroom, assets, makeSignedIn(newsroom));
  registerFrontsApi(app, newsroom, assets, makeSignedIn(newsroom));
  if (options.adminDirectory) await registerAdminUi(app, options.adminDirectory);
  if (!options.isMirror) registerNewsletterRoutes(app, newsroom, assets);
  if (!options.isMirror) await registerFediverseRoutes(app, newsroom, assets);
  registerPublicRoutes(app, newsroom, assets, options.websubHub ?? null, options.pageCache, {
    isMirror: options.isMirror ?? false,
  });
  return app;
}

/**
 * What staff see change as it happens: the co-editing rooms hear of every
 * save, note and change of rights, here and (through `tell`) in the other
 * processes, and editors connect over a WebSocket; the desk's event stream
 * says when someone's desk may have changed.
 */
function shareDocs(app: FastifyInstance, newsroom: Newsroom, rooms: SharedDocRooms): void {
  const saved = newsroom.articleSaved;
  newsroom.articleSaved = (articleId, version) => {
    saved?.(articleId, version);
    void rooms.saved(articleId, version).catch((error: unknown) => rooms.failed(error));
    rooms.tell({ kind: 'saved', articleId, version });
  };
  const desk = new DeskEvents();
  rooms.onDesk = () => desk.changed();
  const deskChanged = newsroom.deskChanged;
  newsroom.deskChanged = () => {
    deskChanged?.();
    desk.changed();
    rooms.tell({ kind: 'desk' });
  };
  registerDeskEvents(app, makeSignedIn(newsroom), desk);
  const notesChanged = newsroom.notesChanged;
  newsroom.notesChanged = (articleId) => {
    notesChanged?.(articleId);
    rooms.notesChanged(articleId);
    rooms.tell({ kind: 'notes', articleId });
  };
  const rightsChanged = newsroom.rightsChanged;
  newsroom.rightsChanged = () => {
    rightsChanged?.();
    void rooms.checkRights().catch((error: unknown) => rooms.failed(error));
    rooms.tell({ kind: 'rights' });
  };
  attachSharedDocSockets(app, newsroom, rooms);
}

/**
 * Behind a proxy that is not trusted, every request seems to come from the
 * proxy's address, so every sign-in shares that address's throttle: whoever
 * guesses wrong slows the whole newsroom down. Requests that carry
 * X-Forwarded-For show a proxy is there; say so once, naming the setting.
 */
function warnOnceAboutUntrustedProxy(app: FastifyInstance): void {
  let hasWarned = false;
  app.addHook('onRequest', async (request) => {
    if (hasWarned || request.headers['x-forwarded-for'] === undefined) return;
    hasWarned = true;
    // No address in the message: without a proxy, it would be a reader's.
    app.log.warn(
      'A request carries X-Forwarded-For, so Masthead seems to run behind a proxy, but MASTHEAD_TRUST_PROXY is not set: every visitor then seems to come from the proxy, and failed sign-ins by anyone slow everyone’s sign-in down. Set MASTHEAD_TRUST_PROXY to the proxy’s address (for example MASTHEAD_TRUST_PROXY=127.0.0.1 when it runs on this machine). Without a proxy, someone sent the header themselves: nothing to do.',
    );
  });
}
