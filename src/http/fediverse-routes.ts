import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { handleFediverseRequest, ICON_PATH } from '../newsroom/fediverse.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import type { LoadedAssets } from './assets.js';

// The fediverse's addresses, answered by Fedify (newsroom/fediverse.ts):
// WebFinger, the actor and its inbox, outbox and followers, and each
// article's ActivityPub object. Fastify hands each request over as a web
// Request with its body untouched (Fedify checks its digest and signature
// against the bytes sent), at the address the sender signed.

export async function registerFediverseRoutes(
  app: FastifyInstance,
  newsroom: Newsroom,
  assets: LoadedAssets,
): Promise<void> {
  // The site's icon as a PNG avatar, made once.
  let icon: Promise<Buffer> | null = null;
  const iconSvg = [...assets.files.values()].find((file) => file.contentType === 'image/svg+xml');
  app.get(ICON_PATH, async (_request, reply) => {
    if (!iconSvg) return reply.code(404).send();
    icon ??= sharp(iconSvg.body, { density: 300 })
      .resize(400, 400, { fit: 'contain' })
      .png()
      .toBuffer();
    return reply
      .type('image/png')
      .header('cache-control', 'public, max-age=86400')
      .send(await icon);
  });
  await app.register(async (scope) => {
    // Activities arrive as application/activity+json or ld+json: kept as bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );
    const answer = async (request: FastifyRequest, reply: FastifyReply) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
      }
      const body = request.body instanceof Buffer ? new Uint8Array(request.body) : undefined;
      const response = await handleFediverseRequest(
        newsroom,
        new Request(`${newsroom.publicUrl}${request.url}`, {
          method: request.method,
          headers,
          ...(body && request.method !== 'GET' && request.method !== 'HEAD' ? { body } : {}),
        }),
      );
      if (!response)
        return reply
          .code(404)
          .send({ error: { code: 'not_found', message: 'this site is not on the fediverse' } });
      const text = await response.text();
      if (request.method === 'POST' && response.status >= 400)
        // An activity refused (unsigned, a bad signature, malformed): nothing was stored.
        request.log.warn(
          { status: response.status, reason: text.slice(0, 300), url: request.url },
          'a fediverse activity was refused',
        );
      reply.code(response.status);
      response.headers.forEach((value, name) => {
        // Fastify measures and encodes the body it sends itself.
        if (name !== 'content-length' && name !== 'content-encoding') reply.header(name, value);
      });
      return reply.send(text);
    };
    scope.route({
      method: ['GET', 'HEAD', 'POST'],
      url: '/.well-known/webfinger',
      handler: answer,
    });
    scope.route({ method: ['GET', 'HEAD', 'POST'], url: '/ap/actors/*', handler: answer });
    scope.route({ method: ['GET', 'HEAD'], url: '/ap/articles/*', handler: answer });
    scope.route({ method: ['POST'], url: '/ap/inbox', handler: answer });
  });
}
