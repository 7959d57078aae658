import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/http/assets.js';
import { PageCache } from '../../src/http/page-cache.js';
import { buildServer } from '../../src/http/server.js';
import { shareCachePurges } from '../../src/main.js';
import type { Newsroom } from '../../src/newsroom/newsroom.js';
import { installSampleContent } from '../../src/newsroom/sample-content.js';
import { openPostgresStore } from '../../src/store/database.js';
import type { ChangeChannel } from '../../src/store/notifications.js';
import { signIn } from '../admin.js';
import { ON_POSTGRES } from '../databases.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Two Masthead processes on one PostgreSQL database (here two servers in one
// test process, each with its own store, page cache and notification channel):
// a publication through one reaches readers of the other.

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function process(newsroom: Newsroom, url: string): Promise<FastifyInstance> {
  const cache = new PageCache(16 * 1024 * 1024);
  const channel: ChangeChannel = await shareCachePurges(newsroom, cache, url);
  const app = await buildServer({
    newsroom,
    assets: await loadAssets(),
    logLevel: 'silent',
    pageCache: cache,
  });
  cleanup.push(
    () => app.close(),
    () => channel.close(),
  );
  return app;
}

describe.skipIf(!ON_POSTGRES)('several processes on one PostgreSQL database', () => {
  it('serves a publication made through one process from the other within a second', async () => {
    const first: TestNewsroom = await openTestNewsroom();
    cleanup.push(() => first.dispose());
    await installSampleContent(first);
    const url = first.databaseUrl ?? '';
    const secondStore = await openPostgresStore(url);
    cleanup.push(() => secondStore.close());
    const second: Newsroom = { ...first, store: secondStore, changed: undefined };
    const a = await process(first, url);
    const b = await process(second, url);

    // B has the home page in its cache before the publication.
    expect((await b.inject('/')).statusCode).toBe(200);
    const editor = await signIn(a, first, 'editor', 'Tomas Reyes');
    const created = await editor.send('POST', '/api/articles', {
      title: 'Night ferry returns to the islands',
      standfirst: 'Crossings resume on Monday.',
      section: 'news/world',
      language: 'en',
      body: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Text.' }] }],
      },
    });
    const { id } = created.json() as { id: number };
    expect((await editor.send('POST', `/api/articles/${id}/transitions/publish`)).statusCode).toBe(
      200,
    );

    let seen = false;
    const started = Date.now();
    while (!seen && Date.now() - started < 1000) {
      seen = (await b.inject('/')).body.includes('Night ferry returns to the islands');
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toBe(true);
  });
});
