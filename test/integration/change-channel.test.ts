import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openChangeChannel } from '../../src/main.js';
import { type ChangeLogOptions, changeLogChannel } from '../../src/store/change-log.js';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/database.js';
import type { ChangeChannel } from '../../src/store/notifications.js';
import { ON_POSTGRES } from '../databases.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// The channel that tells one process's changes to the others on the same
// database: two stores on one database stand for two processes (on SQLite two
// connections to one file, each with its own Kysely, as two processes have).

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function twoStores(): Promise<{ newsroom: TestNewsroom; first: Store; second: Store }> {
  const newsroom = await openTestNewsroom();
  cleanup.push(() => newsroom.dispose());
  const second = newsroom.databaseUrl
    ? await openPostgresStore(newsroom.databaseUrl)
    : await openSqliteStore(join(newsroom.dataDir, 'masthead.sqlite'));
  cleanup.push(() => second.close());
  return { newsroom, first: newsroom.store, second };
}

function channelOf(store: Store, url: string | null): ChangeChannel {
  const channel = openChangeChannel(store, url);
  if (!channel) throw new Error('no change channel for this store');
  cleanup.push(() => channel.close());
  return channel;
}

/** Polls `check` every 20 ms for up to `ms`; true once it holds. */
async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the change channel between processes', () => {
  it('brings what one process sends to another, in order, and nothing sent before it listened', async () => {
    const { newsroom, first, second } = await twoStores();
    const sender = channelOf(first, newsroom.databaseUrl);
    const listener = channelOf(second, newsroom.databaseUrl);
    await sender.send('before');
    const heard: string[] = [];
    await listener.listen((payload) => heard.push(payload));
    await sender.send('one');
    await sender.send('two');
    expect(await within(3000, () => heard.length >= 2)).toBe(true);
    expect(heard).toEqual(['one', 'two']);
  });
});

describe.skipIf(ON_POSTGRES)('the change log on SQLite', () => {
  function logOf(store: Store, options: ChangeLogOptions = {}): ChangeChannel {
    const channel = changeLogChannel(store.db, { pollMs: 20, ...options });
    cleanup.push(() => channel.close());
    return channel;
  }

  const payloads = async (store: Store) =>
    (await store.db.selectFrom('change_log').select('payload').orderBy('id').execute()).map(
      (row) => row.payload,
    );

  it('deletes rows older than it keeps them whenever it writes one', async () => {
    const { first, second } = await twoStores();
    let clock = Date.parse('2026-03-01T09:00:00Z');
    const sender = logOf(first, { keepMs: 60_000, now: () => clock });
    await sender.send('nine o’clock');
    clock += 30_000;
    await sender.send('half a minute later');
    clock += 31_000;
    await sender.send('a minute later');
    expect(await payloads(second)).toEqual(['half a minute later', 'a minute later']);
    clock += 10 * 60_000;
    await sender.send('ten minutes later');
    expect(await payloads(second)).toEqual(['ten minutes later']);
  });

  it('goes on bringing new rows after the old ones are gone', async () => {
    const { first, second } = await twoStores();
    let clock = Date.parse('2026-03-01T09:00:00Z');
    const sender = logOf(first, { keepMs: 60_000, now: () => clock });
    const heard: string[] = [];
    await logOf(second).listen((payload) => heard.push(payload));
    await sender.send('first');
    expect(await within(3000, () => heard.length === 1)).toBe(true);
    clock += 2 * 60_000;
    await sender.send('second');
    expect(await within(3000, () => heard.length === 2)).toBe(true);
    clock += 2 * 60_000;
    await sender.send('third');
    expect(await within(3000, () => heard.length === 3)).toBe(true);
    expect(heard).toEqual(['first', 'second', 'third']);
    expect(await payloads(second)).toEqual(['third']);
  });

  it('tells a listener that could not read for half the keeping time that it may have missed changes', async () => {
    const { second } = await twoStores();
    let clock = Date.parse('2026-03-01T09:00:00Z');
    let missed = 0;
    await logOf(second, { keepMs: 60_000, now: () => clock }).listen(
      () => {},
      () => missed++,
    );
    // Reads on time: nothing missed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(missed).toBe(0);
    // As if the process had stood still for 31 s (a stopped machine, a blocked loop).
    clock += 31_000;
    expect(await within(3000, () => missed === 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(missed).toBe(1);
  });

  it('keeps reading while another process holds the write lock, and a send waits for the lock instead of being lost', async () => {
    const { newsroom, first, second } = await twoStores();
    const sender = logOf(first);
    const heard: string[] = [];
    await logOf(second).listen((payload) => heard.push(payload));
    await sender.send('before the lock');

    // Another process (a long import) takes the write lock for 3.5 s.
    const other = new SqliteDatabase(join(newsroom.dataDir, 'masthead.sqlite'));
    cleanup.push(async () => other.close());
    other.exec('begin immediate');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('commit');
        resolve();
      }, 3500),
    );
    const sent = sender.send('while it was held');
    // Readers never wait for a writer: what came before the lock is read meanwhile.
    expect(await within(2000, () => heard.includes('before the lock'))).toBe(true);
    expect(heard).not.toContain('while it was held');
    await released;
    await sent;
    expect(await within(3000, () => heard.includes('while it was held'))).toBe(true);
  });

  it('lets the sends under way out before it closes, and reads nothing more once closed', async () => {
    const { first, second } = await twoStores();
    const sender = changeLogChannel(first.db);
    const heard: string[] = [];
    const listener = logOf(second);
    await listener.listen((payload) => heard.push(payload));
    void sender.send('the last change of a CLI command');
    await sender.close();
    expect(await payloads(second)).toEqual(['the last change of a CLI command']);
    expect(await within(3000, () => heard.length === 1)).toBe(true);

    await listener.close();
    await logOf(first).send('after the listener closed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual(['the last change of a CLI command']);
  });
});
