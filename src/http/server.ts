import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { isDomainError } from '../core/errors.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import type { LoadedAssets } from './assets.js';
import { STATUS_BY_CODE } from './errors.js';
import { registerPublicRoutes } from './public-routes.js';

export type ServerOptions = {
  newsroom: Newsroom;
  assets: LoadedAssets;
  logLevel: string;
};

/**
 * The HTTP server: security headers, compression, one error handler, the public
 * routes. Reader pages load nothing from another origin, which the CSP enforces.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel },
    trustProxy: false,
    // A URL that cannot be decoded never reaches a route: answer in the API's error shape.
    frameworkErrors: (error, _request, reply: FastifyReply) =>
      reply.code(400).send({ error: { code: 'invalid_input', message: error.message } }),
  });
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
      return reply
        .code(status)
        .send({ error: { code: error.code, message: error.message, field: error.field } });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply
        .code(status)
        .send({ error: { code: 'invalid_input', message: (error as Error).message } });
    }
    // Never leak internals (SQL, paths) to a client; the log keeps them.
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
  });

  registerPublicRoutes(app, options.newsroom, options.assets);
  return app;
}
