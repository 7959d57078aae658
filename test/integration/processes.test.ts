import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/http/assets.js';
import { PageCache } from '../../src/http/page-cache.js';
import { buildServer } from '../../src/http/server.js';
import { shareCachePurges } from '../../src/main.js';
import {
  createArticle,
  publishDueArticles,
  transitionArticle,
} from '../../src/newsroom/articles.js';
import { type Newsroom, SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { installSampleContent } from '../../src/newsroom/sample-content.js';
import { openPostgresStore } from '../../src/store/database.js';
import type { ChangeChannel } from '../../src/store/notifications.js';
import { publishThroughApi, signIn, simpleBody } from '../admin.js';
import { ON_POSTGRES } from '../databases.js';
import { FIXED_NOW, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

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
    await publishThroughApi(editor, {
      title: 'Night ferry returns to the islands',
      section: 'news/world',
    });

    let seen = false;
    const started = Date.now();
    while (!seen && Date.now() - started < 1000) {
      seen = (await b.inject('/')).body.includes('Night ferry returns to the islands');
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toBe(true);
  });

  it('publishes a scheduled article once when several processes find it due at once', async () => {
    const first: TestNewsroom = await openTestNewsroom(FIXED_NOW);
    cleanup.push(() => first.dispose());
    await installSampleContent(first);
    const url = first.databaseUrl ?? '';
    const article = await createArticle(first, SYSTEM_ACTOR, {
      title: 'Harbour ballot results at midnight',
      standfirst: '',
      section: 'news/politics',
      language: 'en',
      body: simpleBody,
      authors: [{ personId: (await anyPersonId(first)) ?? 0, label: null }],
      sources: [],
      tags: [],
      leadMediaId: null,
    });
    const at = new Date(FIXED_NOW.getTime() + 60_000).toISOString();
    await transitionArticle(first, SYSTEM_ACTOR, article.id, { name: 'schedule', at });

    // Three processes, each with its own connections, all past the time.
    const later = () => new Date(FIXED_NOW.getTime() + 120_000);
    const processes: Newsroom[] = [];
    for (let i = 0; i < 3; i++) {
      const store = await openPostgresStore(url);
      cleanup.push(() => store.close());
      processes.push({ ...first, store, now: later, changed: undefined });
    }
    const runs = await Promise.all(
      [...processes, ...processes].map((newsroom) => publishDueArticles(newsroom)),
    );
    expect(runs.flat()).toEqual([article.id]);

    const audit = await first.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject', '=', `article:${article.id}`)
      .where('action', 'like', 'article.publish%')
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['article.publish']);
    const row = await first.store.db
      .selectFrom('article')
      .select(['status', 'published_at'])
      .where('id', '=', article.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'published', published_at: later().toISOString() });
  });
});

async function anyPersonId(newsroom: Newsroom): Promise<number | undefined> {
  const person = await newsroom.store.db.selectFrom('person').select('id').executeTakeFirst();
  return person?.id;
}
