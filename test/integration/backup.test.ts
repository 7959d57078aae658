import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import sharp from 'sharp';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/core/errors.js';
import { loadAssets } from '../../src/http/assets.js';
import { buildServer } from '../../src/http/server.js';
import { createArticle } from '../../src/newsroom/articles.js';
import { type DataDirectory, exportBackup, restoreBackup } from '../../src/newsroom/backup.js';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import { type Newsroom, SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { BACKUP_TABLES, firstTableWithRowsIn } from '../../src/store/backup-rows.js';
import { databaseName, openStore } from '../../src/store/database.js';
import { mediaFilesAt } from '../../src/store/media-files.js';
import { buildTestServer, signIn, simpleBody } from '../admin.js';
import { ON_POSTGRES, openFreshStore } from '../databases.js';
import { postUpload } from '../multipart.js';
import {
  countRows,
  FIXED_NOW,
  openTestNewsroom,
  runCliIn,
  runCliOn,
  type TestNewsroom,
} from '../newsroom.js';
import { buildWxr } from '../wxr-builder.js';

// A backup restored into an empty data directory must give back the same site:
// every public address — found by following the site's own links, sitemaps and
// feeds — answers the same status and the same bytes before and after.

const PUBLIC_URL = 'https://news.example';

let source: TestNewsroom;
let app: FastifyInstance;
let workDir: string;
const opened: { close: () => Promise<unknown> }[] = [];

beforeEach(async () => {
  source = await openTestNewsroom();
  app = await buildTestServer(source);
  workDir = await mkdtemp(join(tmpdir(), 'masthead-backup-'));
});
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
  await app.close();
  await source.dispose();
  await rm(workDir, { recursive: true, force: true });
});

/** config.ts's layout of a data directory, with the PostgreSQL database the restore goes into (if any). */
function dataDirectory(dataDir: string, databaseUrl: string | null = null): DataDirectory {
  return {
    dataDir,
    databaseFile: join(dataDir, 'masthead.sqlite'),
    mediaDir: join(dataDir, 'media'),
    originalsDir: join(dataDir, 'originals'),
    databaseUrl,
  };
}

/**
 * Where a restore's rows go: on the PostgreSQL run, a new empty database
 * (dropped after the test); on SQLite, null (the data directory's own file).
 */
async function emptyDatabase(): Promise<string | null> {
  if (!ON_POSTGRES) return null;
  const fresh = await openFreshStore('');
  await fresh.store.close();
  opened.push({ close: fresh.drop });
  return fresh.databaseUrl;
}

/** True when the restore target's database holds no row (a refused restore left nothing). */
async function databaseIsEmpty(dataDir: string, databaseUrl: string | null): Promise<boolean> {
  if (databaseUrl === null) return !existsSync(join(dataDir, 'masthead.sqlite'));
  const store = await openStore({ databaseUrl, databaseFile: '' });
  try {
    return (await firstTableWithRowsIn(store.db)) === null;
  } finally {
    await store.close();
  }
}

/** A newsroom and public server over a restored data directory, on the same fixed clock. */
async function openRestoredSite(
  dataDir: string,
  databaseUrl: string | null,
): Promise<{ newsroom: Newsroom; app: FastifyInstance }> {
  const directory = dataDirectory(dataDir, databaseUrl);
  const store = await openStore({ databaseUrl, databaseFile: directory.databaseFile });
  const newsroom: Newsroom = {
    store,
    mediaFiles: mediaFilesAt(directory.mediaDir, directory.originalsDir),
    now: () => FIXED_NOW,
    newId: () => 'unused',
    newToken: () => 'unused',
    publicUrl: PUBLIC_URL,
  };
  const server = await buildServer({ newsroom, assets: await loadAssets(), logLevel: 'silent' });
  opened.push({ close: () => store.close() }, { close: () => server.close() });
  return { newsroom, app: server };
}

/** Adds what the sample lacks: an uploaded photo (with its original), tags, a correction, a translation, a draft. */
async function addNewsroomWork(): Promise<void> {
  const editor = await signIn(app, source, 'editor', 'Tomas Reyes');
  const photo = await sharp({
    create: { width: 700, height: 420, channels: 3, background: { r: 32, g: 96, b: 140 } },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="700" height="420"><circle cx="350" cy="210" r="120" fill="#f3c64a"/></svg>',
        ),
      },
    ])
    .png()
    .toBuffer();
  const upload = await postUpload(app, editor, [
    { name: 'alt', value: 'Cranes over the harbour at dawn.' },
    { name: 'caption', value: 'The container harbour before the strike.' },
    { name: 'credit', value: 'Lantern / Ilse Marr' },
    { name: 'file', filename: 'harbour.png', contentType: 'image/png', bytes: photo },
  ]);
  expect(upload.statusCode, upload.body).toBe(201);
  const mediaId = (upload.json() as { id: number }).id;

  const create = async (body: Record<string, unknown>) => {
    const response = await editor.send('POST', '/api/articles', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: number };
  };
  const publish = async (id: number) => {
    const response = await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    expect(response.statusCode, response.body).toBe(200);
  };
  const english = await create({
    title: 'Harbour cranes stand still as dockers strike',
    section: 'news/world',
    language: 'en',
    standfirst: 'The harbour has been quiet since Monday.',
    body: {
      type: 'doc',
      content: [
        ...simpleBody.content,
        { type: 'image', attrs: { mediaId } },
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'Dockers say the cranes will stay still.' }],
        },
      ],
    },
    leadMediaId: mediaId,
    tags: ['Harbour', 'Strikes'],
  });
  await publish(english.id);
  const corrected = await editor.send('POST', `/api/articles/${english.id}/transitions/correct`, {
    type: 'correction',
    text: 'An earlier version gave the wrong day for the start of the strike.',
  });
  expect(corrected.statusCode, corrected.body).toBe(200);
  const russian = await create({
    title: 'Краны в порту стоят: докеры бастуют',
    section: 'news/world',
    language: 'ru',
    body: {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Порт молчит с понедельника.' }] },
      ],
    },
    leadMediaId: mediaId,
    tags: ['Harbour'],
  });
  await publish(russian.id);
  const linked = await editor.send('POST', `/api/articles/${english.id}/translations`, {
    articleId: russian.id,
  });
  expect(linked.statusCode, linked.body).toBe(200);
  await create({
    title: 'A draft nobody may read yet',
    section: 'news',
    language: 'en',
    body: simpleBody,
  });
  // Imported work: a WordPress post with kept HTML and old addresses, and agency copy.
  const wordpress = buildWxr({
    categories: [{ slug: 'archive', name: 'Archive' }],
    posts: [
      {
        id: 41,
        title: 'Results from the old site',
        slug: 'results',
        link: 'https://old.example/2019/04/results/',
        content: '<p>Turnout by district:</p><table><tr><th>District</th><td>61%</td></tr></table>',
        categories: [{ slug: 'archive', name: 'Archive' }],
      },
    ],
  });
  await importSource(source, bytesSource('old.xml', Buffer.from(wordpress)));
  const wire = {
    uri: 'urn:example:wire:backup',
    version: '3',
    type: 'text',
    embargoed: '2026-03-02T06:00:00Z',
    headlines: [{ role: 'main', value: 'Ferry timetable changes' }],
    bodies: [{ role: 'main', contenttype: 'text/html', value: '<p>Two crossings a day.</p>' }],
  };
  await importSource(source, bytesSource('wire.json', Buffer.from(JSON.stringify(wire))));
}

type Answer = { status: number; type: string; location: string; body: Buffer };

// Where a crawl starts; everything else is found from these.
const START = [
  '/',
  '/ru',
  '/en',
  '/corrections',
  '/feed.xml',
  '/feed.atom',
  '/feed.json',
  '/sitemap.xml',
  '/news-sitemap.xml',
  '/robots.txt',
  '/search?q=harbour',
  '/search?q=%D0%BF%D0%BE%D1%80%D1%82',
  '/api/search?q=council',
  // Old WordPress addresses answer the same redirects.
  '/?p=41',
  '/2019/04/results/',
];

/** Every same-site address in a body: links, srcsets, sitemap locations, feed and JSON-LD URLs. */
function addressesIn(body: string): string[] {
  const text = body.replaceAll('&amp;', '&');
  const found = new Set<string>();
  for (const match of text.matchAll(/https:\/\/news\.example(\/[^\s"'<>\\)]*)/g))
    found.add(match[1] ?? '/');
  for (const match of text.matchAll(/\s(?:href|src)="(\/[^"/][^"]*|\/)"/gi))
    found.add(match[1] ?? '/');
  for (const match of text.matchAll(/\ssrcset="([^"]*)"/gi)) {
    for (const candidate of (match[1] ?? '').split(',')) {
      const url = candidate.trim().split(/\s+/)[0] ?? '';
      if (url.startsWith('/') && !url.startsWith('//')) found.add(url);
    }
  }
  // The admin app and its API are staff-only; reader pages never need them.
  // A fragment names a place in a page the crawl fetches anyway.
  return [...found]
    .map((url) => url.replace(/#.*$/, '') || '/')
    .filter((url) => !url.startsWith('/admin') && !/^\/api\/(?!search)/.test(url));
}

/** Fetches the start addresses and everything they lead to, once each. */
async function crawl(server: FastifyInstance): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  const queue = [...START];
  while (queue.length > 0) {
    const url = queue.shift() ?? '/';
    if (answers.has(url)) continue;
    const response = await server.inject({ method: 'GET', url });
    const type = String(response.headers['content-type'] ?? '');
    const location = String(response.headers.location ?? '');
    answers.set(url, { status: response.statusCode, type, location, body: response.rawPayload });
    // A redirect's target is crawled too (old addresses lead to imported pages).
    if (location.startsWith('/') && !answers.has(location)) queue.push(location);
    if (/html|xml|json|text\/plain/.test(type)) {
      for (const next of addressesIn(response.body)) if (!answers.has(next)) queue.push(next);
    }
    expect(answers.size, 'the crawl should stay within the site').toBeLessThan(2000);
  }
  return answers;
}

async function fetchAll(
  server: FastifyInstance,
  urls: Iterable<string>,
): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  for (const url of urls) {
    const response = await server.inject({ method: 'GET', url });
    answers.set(url, {
      status: response.statusCode,
      type: String(response.headers['content-type'] ?? ''),
      location: String(response.headers.location ?? ''),
      body: response.rawPayload,
    });
  }
  return answers;
}

/** Every backed-up row, as stored, table by table in primary-key order. */
async function allRows(newsroom: Newsroom): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const table of BACKUP_TABLES) {
    const order = sql.raw(table.key.map((column) => `"${column}"`).join(', '));
    rows[table.name] = (
      await sql`select * from ${sql.table(table.name)} order by ${order}`.execute(newsroom.store.db)
    ).rows;
  }
  return rows;
}

/** The entries of a (small) archive, in order, in memory. */
async function unpack(file: string): Promise<{ name: string; body: Buffer }[]> {
  const extract = tar.extract();
  const entries: { name: string; body: Buffer }[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.push({ name: entry.header.name, body: Buffer.concat(chunks) });
    }
  })();
  extract.end(gunzipSync(await readFile(file)));
  await done;
  return entries;
}

async function pack(file: string, entries: { name: string; body: Buffer }[]): Promise<void> {
  const archive = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) archive.entry({ name: entry.name }, entry.body);
  archive.finalize();
  await collected;
  await writeFile(file, gzipSync(Buffer.concat(chunks)));
}

async function restoreError(
  file: string,
  dataDir: string,
  databaseUrl: string | null,
): Promise<string> {
  const error = await restoreBackup(file, dataDirectory(dataDir, databaseUrl)).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(isDomainError(error), String(error)).toBe(true);
  return (error as Error).message;
}

describe('backup and restore', () => {
  it('gives back an identical site: every public page, feed, sitemap and photo, byte for byte', async () => {
    await addNewsroomWork();
    const before = await crawl(app);
    const urls = [...before.keys()];
    // Imported work is part of the site: old addresses redirect to the imported post.
    expect(before.get('/?p=41')).toMatchObject({ status: 301, location: '/archive/results' });
    expect(before.get('/archive/results')?.status).toBe(200);
    // The crawl found the whole site, not just the start: articles in both
    // languages, tag and author pages, every sitemap, pages, photo renditions.
    for (const expected of [
      /^\/news\/world\/harbour-cranes-stand-still-as-dockers-strike$/,
      /^\/tags\/harbour$/,
      /^\/authors\/tomas-reyes$/,
      /^\/sitemaps\/.+\.xml$/,
      /^\/terms-of-use$/,
      /^\/media\/[a-f0-9]{32}-320\.avif$/,
      /^\/media\/[a-f0-9]{32}\.jpg$/,
      /\/feed\.atom$/,
    ])
      expect(
        urls.some((url) => expected.test(url)),
        String(expected),
      ).toBe(true);
    expect(before.get('/search?q=harbour')?.body.toString()).toContain(
      'href="/news/world/harbour-cranes-stand-still-as-dockers-strike"',
    );
    const rowsBefore = await allRows(source);

    const file = join(workDir, 'site.tar.gz');
    const backup = await exportBackup(source, file);
    expect(backup.mediaFiles).toBe(4);
    expect(backup.originals).toBe(4);
    const entries = (await unpack(file)).map((entry) => entry.name);
    expect(entries[0]).toBe('manifest.json');
    // Renditions are made again on request; sessions and sign-in counters stay behind.
    expect(entries.filter((name) => /-\d+\.(avif|webp|jpg)$/.test(name))).toEqual([]);
    expect(entries).not.toContain('tables/session.jsonl');
    expect(entries).not.toContain('tables/login_attempt.jsonl');
    expect(entries).not.toContain('tables/article_search.jsonl');

    const target = join(workDir, 'restored');
    const targetDatabase = await emptyDatabase();
    const restored = await restoreBackup(file, dataDirectory(target, targetDatabase));
    expect(restored.tables).toEqual(backup.tables);
    const site = await openRestoredSite(target, targetDatabase);
    const after = await fetchAll(site.app, urls);
    for (const url of urls) {
      const was = before.get(url);
      const is = after.get(url);
      expect({ url, status: is?.status, type: is?.type }).toEqual({
        url,
        status: was?.status,
        type: was?.type,
      });
      expect(
        is?.body.equals(was?.body ?? Buffer.alloc(0)),
        `${url} differs after the restore`,
      ).toBe(true);
    }
    // Every row came back with its id, drafts and staff included; sessions did not.
    expect(await allRows(site.newsroom)).toEqual(rowsBefore);
    const sessions = await site.newsroom.store.db
      .selectFrom('session')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(sessions.n)).toBe(0);
    // The restored newsroom goes on working: new rows get ids after the restored ones.
    const person = (rowsBefore.person?.[0] ?? {}) as { id?: number };
    const next = await createArticle(site.newsroom, SYSTEM_ACTOR, {
      title: 'First story after the restore',
      standfirst: '',
      section: 'news/world',
      language: 'en',
      body: simpleBody,
      authors: [{ personId: person.id ?? 0, label: null }],
      sources: [],
      tags: ['after the restore'],
      leadMediaId: null,
    });
    const ids = (rowsBefore.article ?? []).map((row) => (row as { id: number }).id);
    expect(next.id).toBeGreaterThan(Math.max(...ids));
    // The original upload came back too (never served, so not part of the crawl).
    const [master] = (await readdir(join(source.dataDir, 'originals'))).filter((name) =>
      name.endsWith('.png'),
    );
    expect(master).toBeDefined();
    expect(await readFile(join(target, 'originals', master ?? ''))).toEqual(
      await readFile(join(source.dataDir, 'originals', master ?? '')),
    );
  });

  it('refuses a damaged or foreign archive, naming the problem, and leaves the target as it was', async () => {
    const file = join(workDir, 'site.tar.gz');
    await exportBackup(source, file);
    const bytes = await readFile(file);
    const entries = await unpack(file);

    const cases: { name: string; make: (path: string) => Promise<void>; error: RegExp }[] = [
      {
        name: 'cut in half',
        make: (path) => writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2))),
        error: /^half\.tar\.gz is not a readable backup archive .*damaged or cut short: /,
      },
      {
        name: 'a flipped byte in a table',
        make: async (path) => {
          const tampered = entries.map((entry) => {
            if (entry.name !== 'tables/article.jsonl') return entry;
            const body = Buffer.from(entry.body);
            const at = body.indexOf('Velmora');
            body[at] = 'W'.charCodeAt(0);
            return { name: entry.name, body };
          });
          await pack(path, tampered);
        },
        error: /tables\/article\.jsonl does not match its checksum in the manifest/,
      },
      {
        name: 'a newer schema',
        make: async (path) => {
          const manifest = JSON.parse(entries[0]?.body.toString() ?? '{}');
          manifest.schemaLevel = '999-from-the-future';
          await pack(path, [
            { name: 'manifest.json', body: Buffer.from(JSON.stringify(manifest)) },
            ...entries.slice(1),
          ]);
        },
        error:
          /made by a newer Masthead \(database schema 999-from-the-future; this Masthead knows up to \d{3}-[a-z-]+\): upgrade Masthead/,
      },
      {
        name: 'a newer backup format',
        make: async (path) => {
          const manifest = JSON.parse(entries[0]?.body.toString() ?? '{}');
          manifest.formatVersion = 2;
          await pack(path, [
            { name: 'manifest.json', body: Buffer.from(JSON.stringify(manifest)) },
          ]);
        },
        error: /is in backup format version 2; this Masthead reads version 1/,
      },
      {
        name: 'an entry missing',
        make: (path) =>
          pack(
            path,
            entries.filter((entry) => !entry.name.startsWith('originals/')),
          ),
        error: /is incomplete: originals\/.+ and 2 more entries listed in the manifest are missing/,
      },
      {
        name: 'some other tar',
        make: (path) => pack(path, [{ name: 'notes.txt', body: Buffer.from('hello') }]),
        error: /is not a Masthead backup: it begins with notes\.txt, not manifest\.json/,
      },
      {
        name: 'not an archive at all',
        make: (path) => writeFile(path, 'just some text'),
        error: /is not a readable backup archive/,
      },
    ];
    const targetDatabase = await emptyDatabase();
    for (const [index, example] of cases.entries()) {
      const path = join(workDir, index === 0 ? 'half.tar.gz' : `case-${index}.tar.gz`);
      await example.make(path);
      // An empty directory stays empty; one that did not exist is not created.
      const emptyTarget = join(workDir, `empty-${index}`);
      await mkdir(emptyTarget);
      expect(await restoreError(path, emptyTarget, targetDatabase), example.name).toMatch(
        example.error,
      );
      expect(await readdir(emptyTarget), example.name).toEqual([]);
      const absentTarget = join(workDir, `absent-${index}`);
      expect(await restoreError(path, absentTarget, targetDatabase), example.name).toMatch(
        example.error,
      );
      expect(existsSync(absentTarget), example.name).toBe(false);
      expect(await databaseIsEmpty(absentTarget, targetDatabase), example.name).toBe(true);
    }
  });

  it('undoes a restore whose rows the database refuses, leaving no database behind', async () => {
    const file = join(workDir, 'site.tar.gz');
    await exportBackup(source, file);
    const entries = await unpack(file);
    // Checksums that match, rows that do not: a hand-made archive. Two tags with one slug.
    const tag = Buffer.from(
      '{"id":1,"name":"Port","slug":"port"}\n{"id":2,"name":"port","slug":"port"}\n',
    );
    const manifest = JSON.parse(entries[0]?.body.toString() ?? '{}') as {
      tables: { name: string; rows: number }[];
      entries: { name: string; size: number; sha256: string }[];
    };
    const { createHash } = await import('node:crypto');
    for (const table of manifest.tables) if (table.name === 'tag') table.rows = 2;
    for (const entry of manifest.entries)
      if (entry.name === 'tables/tag.jsonl')
        Object.assign(entry, {
          size: tag.length,
          sha256: createHash('sha256').update(tag).digest('hex'),
        });
    const path = join(workDir, 'bad-rows.tar.gz');
    await pack(path, [
      { name: 'manifest.json', body: Buffer.from(JSON.stringify(manifest)) },
      ...entries
        .slice(1)
        .map((entry) =>
          entry.name === 'tables/tag.jsonl' ? { name: entry.name, body: tag } : entry,
        ),
    ]);
    const target = join(workDir, 'target');
    await mkdir(target);
    const targetDatabase = await emptyDatabase();
    expect(await restoreError(path, target, targetDatabase)).toMatch(
      ON_POSTGRES
        ? /^tables\/tag\.jsonl: its rows do not fit this Masthead's database \(duplicate key value violates unique constraint "tag_slug/
        : /^tables\/tag\.jsonl: its rows do not fit this Masthead's database \(UNIQUE constraint failed: tag\.slug\)/,
    );
    expect(await readdir(target)).toEqual([]);
    expect(await databaseIsEmpty(target, targetDatabase)).toBe(true);
  });

  it('refuses to restore over a site that has content, and changes nothing there', async () => {
    const file = join(workDir, 'site.tar.gz');
    await exportBackup(source, file);
    const counts = await countRows(source);
    const media = await readdir(join(source.dataDir, 'media'));
    expect(await restoreError(file, source.dataDir, source.databaseUrl)).toBe(
      source.databaseUrl
        ? `${databaseName({ databaseUrl: source.databaseUrl, databaseFile: '' })} already holds a site (its database has setting rows); restore into an empty database`
        : `${source.dataDir} already holds a site (its database has setting rows); restore into an empty data directory`,
    );
    expect(await countRows(source)).toEqual(counts);
    expect(await readdir(join(source.dataDir, 'media'))).toEqual(media);
    // Photo files alone make a directory not empty either.
    const target = join(workDir, 'photos-only');
    await mkdir(join(target, 'media'), { recursive: true });
    await writeFile(join(target, 'media', 'stray.jpg'), 'x');
    const targetDatabase = await emptyDatabase();
    expect(await restoreError(file, target, targetDatabase)).toBe(
      `${join(target, 'media')} is not empty; restore into an empty data directory`,
    );
    expect(existsSync(join(target, 'masthead.sqlite'))).toBe(false);
    expect(await databaseIsEmpty(target, targetDatabase)).toBe(true);
  });

  it('writes no file when the export fails', async () => {
    // A table nobody classified: the backup would silently miss it, so it refuses.
    await sql`create table scratch (id integer primary key)`.execute(source.store.db);
    const file = join(workDir, 'site.tar.gz');
    await expect(exportBackup(source, file)).rejects.toThrow(
      /tables a backup does not know of \(scratch\)/,
    );
    expect(await readdir(workDir)).toEqual([]);
  });
});

describe('masthead export backup / masthead restore', () => {
  it('round-trips through the CLI, refuses a site that has content, and fails on a damaged file', async () => {
    const file = join(workDir, 'site.tar.gz');
    const exported = await runCliOn(source, ['export', 'backup', file]);
    expect(exported.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const target = join(workDir, 'restored');
    const targetDatabase = await emptyDatabase();
    const restored = await runCliIn(target, ['restore', file], targetDatabase);
    expect(restored.code, restored.lines.join('\n')).toBe(0);
    const site = await openRestoredSite(target, targetDatabase);
    const home = await site.app.inject({ method: 'GET', url: '/' });
    expect(home.body).toBe((await app.inject({ method: 'GET', url: '/' })).body);
    // Over a site that has content: refused, exit 1, nothing changed.
    const counts = await countRows(source);
    const again = await runCliOn(source, ['restore', file]);
    expect(again.code).toBe(1);
    expect(again.lines.join('\n')).toContain('already holds a site');
    expect(await countRows(source)).toEqual(counts);
    // A damaged archive: exit 1, and the empty target stays without a database.
    const damaged = join(workDir, 'damaged.tar.gz');
    await writeFile(damaged, (await readFile(file)).subarray(0, 200));
    const empty = join(workDir, 'empty');
    const emptyTarget = await emptyDatabase();
    const failed = await runCliIn(empty, ['restore', damaged], emptyTarget);
    expect(failed.code).toBe(1);
    expect(await databaseIsEmpty(empty, emptyTarget)).toBe(true);
    // Usage: one file, no more.
    expect((await runCliIn(empty, ['restore'], emptyTarget)).code).toBe(2);
  });
});
