import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeExport } from '../../scripts/lib/wxr-generator.js';
import { exportBackup } from '../../src/newsroom/backup.js';
import { openSqliteStore, type Store } from '../../src/store/database.js';
import {
  batchTiming,
  undoAbandonedImports,
  type WriteBatches,
  writeInBatches,
} from '../../src/store/write-batches.js';
import { buildTestServer, type Client, createDraft, signIn } from '../admin.js';
import { ON_POSTGRES } from '../databases.js';
import {
  openTestNewsroom,
  serverEnvironment,
  type TestNewsroom,
  tableChecksums,
} from '../newsroom.js';

// A large import on SQLite commits in short batches, so the servers' writes
// get through while it runs, and is still all or nothing: a failure, or a
// process killed half-way, takes every batch back out (store/write-batches.ts).
// Before, an import held the write lock for its whole write pass, and every
// save made meanwhile was answered 503 after waiting 3 s. PostgreSQL imports
// in one transaction that blocks no one: the suite runs on SQLite only.

const CLI = fileURLToPath(new URL('../../bin/masthead.js', import.meta.url));
/** Enough posts for a write pass of several seconds, longer than a save waits for the lock. */
const POSTS = 3000;

let newsroom: TestNewsroom;
const cleanup: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  newsroom = await openTestNewsroom();
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  await newsroom.dispose();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A top-level News section, written before any import. */
async function newsSection(): Promise<{ id: number }> {
  return await newsroom.store.db
    .insertInto('section')
    .values({ parent_id: null, slug: 'news', path: 'news', name: 'News', position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Another handle on the test's SQLite file, as another process holds one. */
async function otherProcessStore(): Promise<Store> {
  const store = await openSqliteStore(join(newsroom.dataDir, 'masthead.sqlite'));
  cleanup.push(() => store.close());
  return store;
}

/** `masthead import <file>` as a process of its own. */
function startCliImport(file: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(globalThis.process.execPath, [CLI, 'import', file], {
    env: serverEnvironment(newsroom),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => {
    if (code !== 0 && code !== null) throw new Error(`masthead import failed: ${stderr}`);
    return code as number | null;
  });
  cleanup.push(async () => {
    child.kill('SIGKILL');
    await exited.catch(() => null);
  });
  return { child, exited };
}

/** The rows of a table, read through `store`. */
async function countOf(store: Pick<Store, 'db'>, table: 'article' | 'import_run'): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const articleCount = (store: Pick<Store, 'db'>) => countOf(store, 'article');
const runCount = (store: Pick<Store, 'db'>) => countOf(store, 'import_run');

/**
 * Goes on writing batch after batch (each past its time, so each pause
 * commits) until another process's `write`, waiting for the lock, has got in.
 */
async function batchesUntil(batches: WriteBatches, write: Promise<unknown>): Promise<void> {
  let settled = false;
  void write.finally(() => {
    settled = true;
  });
  while (!settled) {
    await sleep(170);
    await batches.between();
  }
  await write;
}

/** Polls `check` every 20 ms for up to `ms`; true once it holds. */
async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
}

describe.skipIf(ON_POSTGRES)('a large import in batches (SQLite)', () => {
  it("lets the server's saves and sign-ins through while a CLI import of thousands of posts writes", async () => {
    const app: FastifyInstance = await buildTestServer(newsroom);
    cleanup.push(() => app.close());
    const editor: Client = await signIn(app, newsroom, 'editor', 'Ada Editor');
    let draft = await createDraft(editor, 'Ferry fares rise');
    const file = join(newsroom.dataDir, 'archive.xml');
    await writeExport(file, POSTS);
    const other = await otherProcessStore();

    const { exited } = startCliImport(file);
    let done = false;
    void exited.finally(() => {
      done = true;
    });
    // The write pass has begun once the import's run is in the journal.
    expect(await within(60_000, async () => (await runCount(other)) > 0)).toBe(true);

    const answers: { what: string; status: number; ms: number }[] = [];
    let savesWhileImporting = 0;
    while (!done) {
      let started = performance.now();
      const saved = await editor.send('PATCH', `/api/articles/${draft.id}`, {
        version: draft.version,
        title: `Ferry fares rise, take ${answers.length}`,
      });
      answers.push({ what: 'save', status: saved.statusCode, ms: performance.now() - started });
      if (saved.statusCode === 200) draft = saved.json();
      if ((await runCount(other)) > 0) savesWhileImporting++;
      started = performance.now();
      const signInFailed = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email: 'someone@news.example', password: 'not the password' },
      });
      answers.push({
        what: 'sign-in',
        status: signInFailed.statusCode,
        ms: performance.now() - started,
      });
      await sleep(50);
    }
    expect(await exited).toBe(0);

    // The import wrote for a good while, and the saves went on meanwhile…
    expect(savesWhileImporting).toBeGreaterThanOrEqual(5);
    expect(await articleCount(other)).toBeGreaterThanOrEqual(POSTS);
    // …each answered, none refused as busy (before: 503 after a 3 s wait).
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused, JSON.stringify(refused)).toEqual([]);
    for (const answer of answers) {
      // A wrong password is counted: 401, or 429 once the throttle slows the guessing.
      expect(answer.status, answer.what).toBe(
        answer.what === 'save' ? 200 : answer.status === 429 ? 429 : 401,
      );
      expect(answer.ms, answer.what).toBeLessThan(2000);
    }
    // The import is in, and its journal empty.
    expect(await runCount(other)).toBe(0);
    const journal = await other.db.selectFrom('import_undo').select('seq').execute();
    expect(journal).toEqual([]);
  });

  it('lets a writer of another process in as soon as it waits, not when the batch is done', async () => {
    // A batch that, unless it noticed the writer, would hold the lock past
    // the 3 s a write waits for it.
    const timing = { ...batchTiming };
    batchTiming.holdMs = 10_000;
    cleanup.push(async () => Object.assign(batchTiming, timing));
    const other = await otherProcessStore();
    const section = await newsSection();
    let stop = false;
    let written = 0;
    const importing = writeInBatches(newsroom.store.db, async (batches) => {
      while (!stop) {
        await batches.db
          .insertInto('section')
          .values({
            parent_id: section.id,
            slug: `part-${written}`,
            path: `news/part-${written}`,
            name: `Part ${written}`,
            position: written,
          })
          .execute();
        written++;
        // An item's own work, then the next.
        await sleep(2);
        await batches.between();
      }
    });
    expect(await within(5000, async () => (await runCount(other)) > 0)).toBe(true);
    const waited: number[] = [];
    for (let n = 0; n < 5; n++) {
      const started = performance.now();
      await other.db
        .insertInto('setting')
        .values({ key: `other.${n}`, value: 'meanwhile' })
        .execute();
      waited.push(Math.round(performance.now() - started));
      await sleep(100);
    }
    stop = true;
    await importing;
    expect(written).toBeGreaterThan(0);
    // Each got in within a few of its tries (20 to 125 ms apart), far from the batch's 10 s.
    for (const ms of waited) expect(ms, JSON.stringify(waited)).toBeLessThan(1000);
    expect(await other.db.selectFrom('setting').select('key').execute()).toHaveLength(5);
  });

  it('takes a failed import back out whole, though its first batches were committed', async () => {
    // Batches that commit every 150 ms whether or not anyone waits, so that
    // several are in before the failure.
    const timing = { ...batchTiming };
    batchTiming.holdMs = 150;
    cleanup.push(async () => Object.assign(batchTiming, timing));
    const db = newsroom.store.db;
    const other = await otherProcessStore();
    const section = await newsSection();
    const tag = await db
      .insertInto('tag')
      .values({ name: 'Harbour', slug: 'harbour' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('setting').values({ key: 'site.title', value: 'The Gazette' }).execute();
    const before = await tableChecksums(newsroom);

    let committedMidway = 0;
    const failure = writeInBatches(db, async (batches: WriteBatches) => {
      for (let n = 0; n < 4; n++) {
        await batches.db
          .insertInto('section')
          .values({
            parent_id: section.id,
            slug: `part-${n}`,
            path: `news/part-${n}`,
            name: `Part ${n}`,
            position: n,
          })
          .execute();
        // Past the batch's time: the next pause commits it.
        await sleep(170);
        await batches.between();
      }
      // An update, a delete and a row whose parent the import made.
      await batches.db
        .updateTable('setting')
        .set({ value: 'Imported' })
        .where('key', '=', 'site.title')
        .execute();
      await batches.db.deleteFrom('tag').where('id', '=', tag.id).execute();
      // Committed: another process sees the batches so far…
      committedMidway = Number(
        (
          await other.db
            .selectFrom('section')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      // …and writes in a pause between two batches: its write stays.
      const otherWrite = other.db
        .insertInto('setting')
        .values({ key: 'site.tagline', value: 'Written by another process meanwhile' })
        .execute();
      await batchesUntil(batches, otherWrite);
      throw new Error('the file turned out to be broken');
    });

    await expect(failure).rejects.toThrow('the file turned out to be broken');
    expect(committedMidway).toBe(5);
    const after = await tableChecksums(newsroom);
    const { setting: settingAfter, ...restAfter } = after;
    const { setting: settingBefore, ...restBefore } = before;
    expect(restAfter).toEqual(restBefore);
    expect(settingAfter).not.toBe(settingBefore);
    const settings = await db.selectFrom('setting').selectAll().orderBy('key').execute();
    expect(settings).toEqual([
      { key: 'site.tagline', value: 'Written by another process meanwhile' },
      { key: 'site.title', value: 'The Gazette' },
    ]);
  });

  it('takes back out an import whose process was killed half-way, and never one still running', async () => {
    const file = join(newsroom.dataDir, 'archive.xml');
    await writeExport(file, POSTS);
    const before = await tableChecksums(newsroom);
    const other = await otherProcessStore();
    const { child, exited } = startCliImport(file);
    // Some batches are in.
    expect(await within(60_000, async () => (await articleCount(other)) >= 200)).toBe(true);
    // A running import is left alone, by whoever looks.
    expect(await undoAbandonedImports(other.db)).toBe(0);
    child.kill('SIGKILL');
    await exited.catch(() => null);

    const partial = await articleCount(other);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(POSTS);
    expect(await runCount(other)).toBe(1);
    // Not at once: a run is taken for dead once it has been quiet for half a
    // minute (a live one commits several times a second)…
    expect(await undoAbandonedImports(other.db)).toBe(0);
    // …then the next process to open the database (or a server's scheduler) takes it out.
    expect(await undoAbandonedImports(other.db, Date.now() + 31_000)).toBe(1);
    expect(await tableChecksums(newsroom)).toEqual(before);
    expect(await articleCount(other)).toBe(0);
  });

  it('keeps, when taking an import out, a row the newsroom has come to rely on meanwhile', async () => {
    const db = newsroom.store.db;
    const other = await otherProcessStore();
    const section = await newsSection();
    const article = await db
      .insertInto('article')
      .values({
        uuid: '00000000-0000-4000-8000-00000000a001',
        slug: 'ferry',
        section_id: section.id,
        language: 'en',
        status: 'draft',
        title: 'Ferry fares rise',
        standfirst: '',
        body_json: JSON.stringify({ type: 'doc', content: [] }),
        translation_group: null,
        lead_media_id: null,
        published_at: null,
        scheduled_at: null,
        created_by_user_id: null,
        embargo_until: null,
        pending_json: null,
        version: 1,
        created_at: '2026-03-01T09:00:00.000Z',
        updated_at: '2026-03-01T09:00:00.000Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const failing = writeInBatches(db, async (batches) => {
      const tag = await batches.db
        .insertInto('tag')
        .values({ name: 'Ferries', slug: 'ferries' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await batches.db.insertInto('tag').values({ name: 'Harbour', slug: 'harbour' }).execute();
      await sleep(170);
      await batches.between();
      // Meanwhile an editor, in another process, tags an article with it.
      const tagging = other.db
        .insertInto('article_tag')
        .values({ article_id: article.id, tag_id: tag.id, position: 0 })
        .execute();
      await batchesUntil(batches, tagging);
      throw new Error('the file turned out to be broken');
    });
    await expect(failing).rejects.toThrow('the file turned out to be broken');
    // The tag the editor uses stays, with the editor's tagging; the other goes.
    const tags = await db.selectFrom('tag').select('slug').execute();
    expect(tags).toEqual([{ slug: 'ferries' }]);
    expect(await db.selectFrom('article_tag').select('article_id').execute()).toEqual([
      { article_id: article.id },
    ]);
    // The journal is empty: nothing is left to take out at the next start.
    expect(await runCount(newsroom.store)).toBe(0);
  });

  it('refuses a second import while one is being written', async () => {
    const db = newsroom.store.db;
    const other = await otherProcessStore();
    let released = false;
    // An import writing batch after batch until told to stop.
    const first = writeInBatches(db, async (batches) => {
      while (!released) {
        await sleep(170);
        await batches.between();
      }
    });
    expect(await within(5000, async () => (await runCount(other)) > 0)).toBe(true);
    // Another process's import gets in between two batches, finds it, and stops.
    await expect(writeInBatches(other.db, async () => {})).rejects.toThrow(
      /another import is being written/,
    );
    released = true;
    await first;
    // Once it has ended, the next one goes ahead.
    await writeInBatches(other.db, async () => {});
    expect(await runCount(other)).toBe(0);
  });

  it('makes a backup wait for an import being written, so it never keeps half of one', async () => {
    const db = newsroom.store.db;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const importing = writeInBatches(db, async (batches) => {
      await batches.db
        .insertInto('section')
        .values({ parent_id: null, slug: 'late', path: 'late', name: 'Late', position: 0 })
        .execute();
      await sleep(170);
      await batches.between();
      await released;
      await batches.db
        .insertInto('section')
        .values({ parent_id: null, slug: 'later', path: 'later', name: 'Later', position: 1 })
        .execute();
    });
    expect(await within(5000, async () => (await runCount(newsroom.store)) > 0)).toBe(true);
    let backedUp = false;
    const backup = exportBackup(newsroom, join(newsroom.dataDir, 'backup.tar.gz')).then(
      (summary) => {
        backedUp = true;
        return summary;
      },
    );
    await sleep(1500);
    expect(backedUp).toBe(false);
    release();
    await importing;
    const summary = await backup;
    expect(summary.tables.find((table) => table.name === 'section')?.rows).toBe(2);
  });
});
