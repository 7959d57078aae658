import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/http/assets.js';
import { PageCache } from '../../src/http/page-cache.js';
import { buildServer } from '../../src/http/server.js';
import { SharedDocRooms } from '../../src/http/shared-doc-rooms.js';
import { openChangeChannel, shareCachePurges } from '../../src/main.js';
import {
  createArticle,
  publishDueArticles,
  transitionArticle,
} from '../../src/newsroom/articles.js';
import { type Newsroom, SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { installSampleContent } from '../../src/newsroom/sample-content.js';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/database.js';
import { createDraft, publishThroughApi, signIn, simpleBody } from '../admin.js';
import { ON_POSTGRES } from '../databases.js';
import { SEED_FILE } from '../fixtures.js';
import { FIXED_NOW, openTestNewsroom, serverEnvironment, type TestNewsroom } from '../newsroom.js';
import { connectSharedText } from '../shared-text.js';

// Several Masthead processes on one database: here two servers in one test
// process, each with its own store, page cache and change channel, and a
// real `masthead serve` with a `masthead import` run beside it. A change made
// through one reaches the readers of the others, on SQLite as on PostgreSQL.

const CLI = fileURLToPath(new URL('../../bin/masthead.js', import.meta.url));
const execFileAsync = promisify(execFile);

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function process(newsroom: Newsroom, url: string | null): Promise<FastifyInstance> {
  const cache = new PageCache(16 * 1024 * 1024);
  const channel = openChangeChannel(newsroom.store, url);
  if (!channel) throw new Error('no change channel for this store');
  const rooms = new SharedDocRooms(newsroom);
  await shareCachePurges(newsroom, cache, channel, rooms);
  const app = await buildServer({
    newsroom,
    assets: await loadAssets(),
    logLevel: 'silent',
    pageCache: cache,
    sharedDocs: rooms,
  });
  cleanup.push(
    () => app.close(),
    () => channel.close(),
  );
  return app;
}

/** A second handle on the test's database, as another process would open it. */
async function secondStore(newsroom: TestNewsroom): Promise<Store> {
  const store = newsroom.databaseUrl
    ? await openPostgresStore(newsroom.databaseUrl)
    : await openSqliteStore(join(newsroom.dataDir, 'masthead.sqlite'));
  cleanup.push(() => store.close());
  return store;
}

/** Polls `check` every 50 ms for up to `ms`; true once it holds. */
async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('several processes on one database', () => {
  it('serves a publication made through one process from the other within about a second', async () => {
    const first: TestNewsroom = await openTestNewsroom();
    cleanup.push(() => first.dispose());
    await installSampleContent(first);
    const second: Newsroom = { ...first, store: await secondStore(first), changed: undefined };
    const a = await process(first, first.databaseUrl);
    const b = await process(second, first.databaseUrl);

    // B has the home page in its cache before the publication.
    expect((await b.inject('/')).statusCode).toBe(200);
    const editor = await signIn(a, first, 'editor', 'Tomas Reyes');
    await publishThroughApi(editor, {
      title: 'Night ferry returns to the islands',
      section: 'news/world',
    });

    const started = Date.now();
    const seen = await within(3000, async () =>
      (await b.inject('/')).body.includes('Night ferry returns to the islands'),
    );
    expect(seen).toBe(true);
    // About a second: PostgreSQL notifies at once, SQLite's log is read twice a second.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('shows an editor who is already in an article on one process to an editor who opens it on the other', async () => {
    const first: TestNewsroom = await openTestNewsroom();
    cleanup.push(() => first.dispose());
    await installSampleContent(first);
    const second: Newsroom = { ...first, store: await secondStore(first), changed: undefined };
    const [a, b] = [
      await process(first, first.databaseUrl),
      await process(second, first.databaseUrl),
    ];
    const baseUrls: string[] = [];
    for (const app of [a, b]) {
      await app.listen({ port: 0, host: '127.0.0.1' });
      baseUrls.push(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
    }
    const editor = await signIn(a, first, 'editor', 'Ada Editor');
    const reporter = await signIn(a, first, 'author', 'Rui Reporter');
    const draft = await createDraft(reporter, 'Harbour cranes go quiet');

    const ada = connectSharedText(baseUrls[0] ?? '', draft.id, editor, { name: 'Ada Editor' });
    cleanup.push(async () => ada.destroy());
    await ada.synced;
    // Ada's presence was told while process B had no room for the article.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const rui = connectSharedText(baseUrls[1] ?? '', draft.id, reporter, { name: 'Rui Reporter' });
    cleanup.push(async () => rui.destroy());
    await rui.synced;

    const names = (client: typeof ada) =>
      [...client.provider.awareness.getStates().values()].map(
        (state) => (state.user as { name?: string } | undefined)?.name,
      );
    // Well before editors renew their presence (every 15 s).
    expect(await within(3000, async () => names(rui).includes('Ada Editor'))).toBe(true);
    expect(await within(3000, async () => names(ada).includes('Rui Reporter'))).toBe(true);
  });

  it('shows what a CLI import changed on the cached pages of a running server within seconds, with a new ETag', async () => {
    const newsroom: TestNewsroom = await openTestNewsroom();
    cleanup.push(() => newsroom.dispose());
    await installSampleContent(newsroom);
    const server = await serve(newsroom);
    cleanup.push(() => server.stop());

    const read = async (path: string) => {
      const response = await fetch(`${server.baseUrl}${path}`);
      return { etag: response.headers.get('etag'), body: await response.text() };
    };
    const title = 'Aliyev accuses Russian forces';
    const before = { home: await read('/'), news: await read('/news') };
    // Read again: the same bytes from the page cache.
    expect((await read('/')).etag).toBe(before.home.etag);
    expect((await read('/news')).etag).toBe(before.news.etag);
    expect(before.home.body).not.toContain(title);
    expect(before.news.body).not.toContain(title);

    // Another process, as someone at the server's shell would run it.
    await execFileAsync(
      globalThis.process.execPath,
      [CLI, 'import', SEED_FILE, '--published-at', new Date().toISOString()],
      { env: serverEnvironment(newsroom), timeout: 60_000 },
    );

    for (const [path, was] of [
      ['/', before.home],
      ['/news', before.news],
    ] as const) {
      let now = was;
      const changed = await within(5000, async () => {
        now = await read(path);
        return now.body.includes(title);
      });
      expect(changed, `${path} after the import`).toBe(true);
      expect(now.etag).not.toBe(was.etag);
    }
  });
});

/** `masthead serve` as a process of its own, on a free port of 127.0.0.1, answering once it listens. */
async function serve(
  newsroom: TestNewsroom,
): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(globalThis.process.execPath, [CLI, 'serve'], {
    env: { ...serverEnvironment(newsroom), HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  let printed = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        printed += chunk.toString();
        if (printed.includes('Masthead is serving')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) =>
        reject(new Error(`masthead serve exited (${code}):\n${printed}`)),
      );
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl: `http://127.0.0.1:${port}`, stop };
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

describe.skipIf(!ON_POSTGRES)('several processes on one PostgreSQL database', () => {
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
