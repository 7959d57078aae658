import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PageCache } from '../../src/http/page-cache.js';
import { recordAudit } from '../../src/store/audit.js';
import { DATABASE_BUSY, LOCK_WAIT_MS } from '../../src/store/write-retry.js';
import { buildTestServer, type Client, createDraft, publishThroughApi, signIn } from '../admin.js';
import { ON_POSTGRES } from '../databases.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Another process holds SQLite's write lock (a CLI import, `masthead user
// add`): here a second connection to the newsroom's file, in BEGIN IMMEDIATE.
// The server's writes wait for it after timers, never inside SQLite, so the
// event loop keeps turning: health checks, cached pages and reads answer at
// once, a save goes through once the lock is let go, and one that waited too
// long is answered 503 with Retry-After. PostgreSQL locks rows, not the whole
// database, and has no such lock to hold: the suite runs on SQLite only.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let cache: PageCache;
let editor: Client;
let holder: SqliteDatabase.Database | undefined;

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  cache = new PageCache(8 * 1024 * 1024);
  app = await buildTestServer(newsroom, { pageCache: cache });
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
});
afterEach(async () => {
  holder?.close();
  holder = undefined;
  await app.close();
  await newsroom.dispose();
});

/** Takes the database's write lock from another connection, as another process would. */
function holdWriteLock(): { release: () => void } {
  const other = new SqliteDatabase(join(newsroom.dataDir, 'masthead.sqlite'));
  holder = other;
  other.exec('begin immediate');
  return { release: () => other.exec('rollback') };
}

/**
 * Counts the turns of the event loop with a 20 ms timer: the longest gap
 * between two ticks is how long the process stopped answering anything.
 */
function watchEventLoop(): { stop: () => { ticks: number; longestGapMs: number } } {
  let last = performance.now();
  let longest = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks += 1;
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      return { ticks, longestGapMs: Math.max(longest, performance.now() - last) };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A GET and how long it took to answer. */
async function timed(url: string): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  const response = await app.inject(url);
  return { status: response.statusCode, ms: performance.now() - started, body: response.body };
}

describe.skipIf(ON_POSTGRES)('writes while another process holds the write lock (SQLite)', () => {
  it('lets a save wait for the lock without stopping the server, and saves once it is let go', async () => {
    const draft = await createDraft(editor, 'Ferry fares rise');
    const lock = holdWriteLock();
    const loop = watchEventLoop();
    const started = performance.now();
    let answeredAfterMs = 0;
    const saving = editor
      .send('PATCH', `/api/articles/${draft.id}`, {
        version: draft.version,
        title: 'Ferry fares rise by a fifth',
      })
      .finally(() => {
        answeredAfterMs = performance.now() - started;
      });
    await sleep(1000);
    lock.release();
    const saved = await saving;
    const { ticks, longestGapMs } = loop.stop();

    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      title: 'Ferry fares rise by a fifth',
      version: draft.version + 1,
    });
    // It waited for the lock rather than failing at once…
    expect(answeredAfterMs).toBeGreaterThanOrEqual(950);
    // …and the process kept turning all along: the 20 ms timer never stopped
    // for long (waiting inside SQLite stopped it for seconds).
    expect(longestGapMs).toBeLessThan(400);
    expect(ticks).toBeGreaterThanOrEqual(15);
  });

  it('answers the health check, cached pages and reads at once while a write waits', async () => {
    const published = await publishThroughApi(editor, {
      title: 'The harbour reopens',
      section: 'news/politics',
    });
    expect((await app.inject(published.url)).statusCode).toBe(200);
    expect(cache.has(published.url)).toBe(true);
    const draft = await createDraft(editor, 'Ferry fares rise');

    const lock = holdWriteLock();
    // A write waiting for the lock, as readers arrive.
    const saving = editor.send('PATCH', `/api/articles/${draft.id}`, {
      version: draft.version,
      title: 'Ferry fares rise by a fifth',
    });
    await sleep(100);
    const health = await timed('/healthz');
    const cachedPage = await timed(published.url);
    // Not cached: rendered from the database, which WAL lets readers read.
    const section = await timed('/news/politics');
    const list = await editor.send('GET', '/api/articles');
    lock.release();
    expect((await saving).statusCode).toBe(200);

    expect(health).toMatchObject({ status: 200 });
    expect(cachedPage.status).toBe(200);
    expect(cachedPage.body).toContain('The harbour reopens');
    expect(section.status).toBe(200);
    expect(section.body).toContain('The harbour reopens');
    expect(list.statusCode).toBe(200);
    for (const [name, answer] of Object.entries({ health, cachedPage, section })) {
      expect(answer.ms, name).toBeLessThan(500);
    }
  });

  it('answers 503 with Retry-After when the lock stays taken past the wait, and changes nothing', async () => {
    const draft = await createDraft(editor, 'Ferry fares rise');
    const lock = holdWriteLock();
    const loop = watchEventLoop();
    const started = performance.now();
    const [saved, signInAttempt] = await Promise.all([
      editor.send('PATCH', `/api/articles/${draft.id}`, {
        version: draft.version,
        title: 'Ferry fares rise by a fifth',
      }),
      // A wrong password is enough to need the lock: the attempt is counted.
      app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email: 'ada.editor@news.example', password: 'not the password' },
      }),
    ]);
    const tookMs = performance.now() - started;
    const { longestGapMs } = loop.stop();
    lock.release();

    for (const response of [saved, signInAttempt]) {
      expect(response.statusCode, response.body).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({ error: { code: 'database_busy', message: DATABASE_BUSY } });
    }
    expect(tookMs).toBeGreaterThanOrEqual(LOCK_WAIT_MS - 50);
    expect(longestGapMs).toBeLessThan(400);
    const unchanged = await editor.send('GET', `/api/articles/${draft.id}`);
    expect(unchanged.json()).toMatchObject({ title: 'Ferry fares rise', version: draft.version });
    // With the lock free again, the same wrong password is simply wrong.
    const again = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'ada.editor@news.example', password: 'not the password' },
    });
    expect(again.statusCode).toBe(401);
  });

  it('lets a statement outside any transaction wait for the lock too', async () => {
    const lock = holdWriteLock();
    const loop = watchEventLoop();
    const writing = recordAudit(newsroom.store.db, {
      userId: null,
      action: 'session.login-failed',
      subject: 'account:unknown',
      detail: { reason: 'password' },
      at: new Date(0).toISOString(),
    });
    await sleep(300);
    lock.release();
    await writing;
    expect(loop.stop().longestGapMs).toBeLessThan(400);
    const row = await newsroom.store.db
      .selectFrom('audit_log')
      .select('subject')
      .where('action', '=', 'session.login-failed')
      .executeTakeFirst();
    expect(row?.subject).toBe('account:unknown');
  });
});
