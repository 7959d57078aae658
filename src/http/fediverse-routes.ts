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
      if (request.method === 'POST') {
        const refused = foreignSigner(headers, body);
        if (refused) {
          request.log.warn(
            { url: request.url, reason: refused },
            'a fediverse activity was refused',
          );
          return reply.code(401).send(`refused: ${refused}`);
        }
      }
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
      let text = await response.text();
      if (
        request.method === 'GET' &&
        response.ok &&
        /^\/ap\/actors\/[^/]+$/.test(request.url) &&
        (response.headers.get('content-type') ?? '').includes('json')
      )
        text = withAttributionDomains(text, new URL(newsroom.publicUrl).host);
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
