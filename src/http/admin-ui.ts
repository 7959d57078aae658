import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built newsroom app (dist/admin, made by `npm run build:admin`,
 * which `npm ci` runs): index.html never cached, hashed assets cached forever.
 * Without a build, /admin/ says how to make one instead of failing obscurely.
 */
export async function registerAdminUi(app: FastifyInstance, directory: string): Promise<void> {
  const index = await readFile(join(directory, 'index.html'), 'utf8').catch(() => null);
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of await readdir(join(directory, 'assets')).catch(() => [] as string[])) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { body: await readFile(join(directory, 'assets', name)), type });
  }

  app.get('/admin', async (_request, reply) => reply.redirect('/admin/', 301));
  app.get('/admin/', async (_request, reply) => {
    if (index === null) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The newsroom app has not been built. Run `npm run build:admin` (npm ci does it), then restart.',
        );
    }
    // The app shows a photo chosen for upload before it is sent (an object
    // URL), so the reporter can describe what it shows: only this page's
    // policy allows blob: images; reader pages keep the site-wide one.
    const policy = String(reply.getHeader('content-security-policy') ?? '');
    if (policy) {
      reply.header(
        'content-security-policy',
        policy.replace(/img-src ([^;]*)/, (_match, sources: string) => `img-src ${sources} blob:`),
      );
    }
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(index);
  });
  app.get<{ Params: { name: string } }>('/admin/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.callNotFound();
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type(asset.type)
      .send(asset.body);
  });
}
