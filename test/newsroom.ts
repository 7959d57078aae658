import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Newsroom } from '../src/newsroom/newsroom.js';
import { mediaFilesAt } from '../src/store/media-files.js';
import { reindexAllArticles } from '../src/store/search-index.js';
import { openFreshStore } from './databases.js';

export const FIXED_NOW = new Date('2026-03-01T09:00:00.000Z');

export type TestNewsroom = Newsroom & {
  dataDir: string;
  /** The test's own PostgreSQL database, or null on SQLite (the file in dataDir). */
  databaseUrl: string | null;
  dispose: () => Promise<void>;
};

/**
 * A newsroom on a fresh database (SQLite in its own temp directory, or a new
 * PostgreSQL database in the integration-pg suite), with a fixed clock and ids.
 */
export async function openTestNewsroom(now: Date = FIXED_NOW): Promise<TestNewsroom> {
  const dataDir = await mkdtemp(join(tmpdir(), 'masthead-test-'));
  const { store, databaseUrl, drop } = await openFreshStore(join(dataDir, 'masthead.sqlite'));
  let nextId = 0;
  return {
    dataDir,
    databaseUrl,
    store,
    mediaFiles: mediaFilesAt(join(dataDir, 'media'), join(dataDir, 'originals')),
    now: () => now,
    newId: () => `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
    newToken: () => randomBytes(32).toString('base64url'),
    publicUrl: 'https://news.example',
    dispose: async () => {
      await store.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The stored body (JSON) of the article with this slug. */
export async function storedBodyJson(newsroom: Newsroom, slug: string): Promise<string> {
  const row = await newsroom.store.db
    .selectFrom('article')
    .select('body_json')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.body_json;
}

/** Row counts of every content table and the audit log: equal before and after means nothing was written. */
export async function countRows(newsroom: Newsroom): Promise<Record<string, number>> {
  const tables = [
    'section',
    'person',
    'media',
    'article',
    'article_author',
    'article_source',
    'page',
    'import_ref',
    'setting',
    'tag',
    'article_tag',
    'correction',
    'audit_log',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await newsroom.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** Runs a `masthead` CLI command against this newsroom's data directory; its exit code and every line printed. */
export async function runCliOn(
  newsroom: TestNewsroom,
  args: string[],
): Promise<{ code: number; lines: string[] }> {
  return runCliIn(newsroom.dataDir, args, newsroom.databaseUrl);
}

/** Runs a `masthead` CLI command with MASTHEAD_DATA set to `dataDir`. */
export async function runCliIn(
  dataDir: string,
  args: string[],
  databaseUrl: string | null = null,
): Promise<{ code: number; lines: string[] }> {
  const { runCli } = await import('../src/cli.js');
  const lines: string[] = [];
  const previous = process.env.MASTHEAD_DATA;
  const previousUrl = process.env.DATABASE_URL;
  process.env.MASTHEAD_DATA = dataDir;
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  else delete process.env.DATABASE_URL;
  try {
    const code = await runCli(args, {
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
    });
    return { code, lines };
  } finally {
    if (previous === undefined) delete process.env.MASTHEAD_DATA;
    else process.env.MASTHEAD_DATA = previous;
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
  }
}

/**
 * The search index as an import wrote it (from the bodies at hand) and as
 * rebuilding it from the stored articles gives it, by their checksums.
 */
export async function searchIndexAndRebuilt(
  newsroom: Newsroom,
): Promise<{ written: string | undefined; rebuilt: string | undefined }> {
  const written = (await tableChecksums(newsroom)).article_search;
  await reindexAllArticles(newsroom.store.db);
  return { written, rebuilt: (await tableChecksums(newsroom)).article_search };
}

/**
 * A SHA-256 of every row of every table (search index, import journal and
 * migrations included), keyed by table: equal before and after means the
 * database is exactly as it was. All but `change_log`, which holds no content:
 * it carries "purge your page cache" to the other servers, and a failed import
 * sends that too (pages rendered between its batches may have shown part of it).
 * The SQLite search index is compared by what it holds (its rows, by article),
 * not by FTS5's shadow tables: an index whose rows were written in a batch and
 * deleted again holds the same rows in differently merged segments.
 */
export async function tableChecksums(newsroom: Newsroom): Promise<Record<string, string>> {
  const { sql } = await import('kysely');
  const { createHash } = await import('node:crypto');
  const tables =
    newsroom.store.dialect === 'postgres'
      ? await sql<{ name: string }>`
          select tablename as name from pg_tables where schemaname = 'public' order by tablename
        `.execute(newsroom.store.db)
      : await sql<{ name: string }>`
          select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name
        `.execute(newsroom.store.db);
  const sums: Record<string, string> = {};
  const isFtsShadow = (name: string) =>
    newsroom.store.dialect === 'sqlite' && name.startsWith('article_search_');
  for (const { name } of tables.rows.filter(
    (table) => table.name !== 'change_log' && !isFtsShadow(table.name),
  )) {
    const columns =
      newsroom.store.dialect === 'sqlite' && name === 'article_search' ? sql`rowid, *` : sql`*`;
    const rows = await sql<
      Record<string, unknown>
    >`select ${columns} from ${sql.table(name)}`.execute(newsroom.store.db);
    const lines = rows.rows.map((row) =>
      JSON.stringify(row, (_key, value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
      ),
    );
    sums[name] = createHash('sha256').update(lines.sort().join('\n')).digest('hex');
  }
  return sums;
}

/** The environment of a `masthead` process on this test's data (and database). */
export function serverEnvironment(newsroom: TestNewsroom): NodeJS.ProcessEnv {
  const { DATABASE_URL: _inherited, ...environment } = globalThis.process.env;
  return {
    ...environment,
    MASTHEAD_DATA: newsroom.dataDir,
    LOG_LEVEL: 'silent',
    ...(newsroom.databaseUrl ? { DATABASE_URL: newsroom.databaseUrl } : {}),
  };
}
