import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchChunkOf, searchChunkOfFile } from '../../src/core/mirror-search-index.js';
import { buildMirror } from '../../src/mirror/build.js';
import { readSigningKey } from '../../src/mirror/keys.js';
import { createArticle, transitionArticle } from '../../src/newsroom/articles.js';
import { updateMedia } from '../../src/newsroom/media-library.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { buildTestServer, signIn, simpleBody } from '../admin.js';
import { SEED_FILE } from '../fixtures.js';
import { FIXED_NOW, openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';

// A static mirror of the sample site and the seed article: every file signed,
// every link relative and resolving inside the folder, a second build writing
// only what an edit changed, and verification naming any tampered file.

let newsroom: TestNewsroom;
let workDir: string;
let clock: Date;

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  clock = FIXED_NOW;
  newsroom.now = () => clock;
  workDir = await mkdtemp(join(tmpdir(), 'masthead-mirror-'));
  const app = await buildTestServer(newsroom);
  await app.close();
  expect((await runCliOn(newsroom, ['import', SEED_FILE])).code).toBe(0);
  const keys = await runCliOn(newsroom, ['keys', 'init']);
  expect(keys.code, keys.lines.join('\n')).toBe(0);
});
afterEach(async () => {
  await newsroom.dispose();
  await rm(workDir, { recursive: true, force: true });
});

const later = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000);

async function build(
  directory: string,
  options: { full?: boolean; searchChunkSize?: number } = {},
) {
  return buildMirror(newsroom, {
    directory,
    baseUrl: 'https://mirror.example/lantern/',
    key: await readSigningKey(newsroom.dataDir),
    ...options,
  });
}

/** Every file of a folder, by mirror path, with its bytes. */
async function filesOf(folder: string): Promise<Map<string, Buffer>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = new Map<string, Buffer>();
  for (const entry of entries.filter((candidate) => candidate.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(relative(folder, path).split(sep).join('/'), await readFile(path));
  }
  return files;
}

async function verify(target: string) {
  return runCliOn(newsroom, ['mirror', 'verify', target]);
}

const SEED_PAGE = /^news\/politics\/azerbaijans-aliyev-[a-z0-9-]+\/index\.html$/;

describe('mirror build', () => {
  it('writes the whole site with relative links that all resolve inside the folder, signed', async () => {
    clock = later(1);
    const mirror = join(workDir, 'mirror');
    const report = await build(mirror);
    expect(report.incremental).toBe(false);
    expect(report.brokenLinks).toEqual([]);
    const files = await filesOf(mirror);
    const paths = [...files.keys()];
    for (const expected of [
      'index.html',
      'news/index.html',
      'news/politics/index.html',
      'en/index.html',
      'ru/index.html',
      'corrections/index.html',
      'masthead/index.html',
      'terms-of-use/index.html',
      'mirrors/index.html',
      'mirrors.json',
      'mirrors.xml',
      'search/index.html',
      'search/index.js',
      'search/ids-0-999/docs.js',
      'feed.xml',
      'feed.atom',
      'feed.json',
      'sitemap.xml',
      'news-sitemap.xml',
      'robots.txt',
      '.well-known/masthead-key',
      'manifest.json',
      'manifest.sig',
    ])
      expect(paths, expected).toContain(expected);
    expect(paths.some((path) => SEED_PAGE.test(path))).toBe(true);
    expect(paths.some((path) => /^authors\/[a-z0-9-]+\/index\.html$/.test(path))).toBe(true);
    expect(paths.some((path) => /^media\/[a-f0-9]{32}-320\.avif$/.test(path))).toBe(true);
    expect(paths.some((path) => /^assets\/site\.[a-f0-9]{10}\.css$/.test(path))).toBe(true);

    // Every page: no root-relative address left, every local link leads to a file.
    let links = 0;
    for (const [path, bytes] of files) {
      if (!path.endsWith('.html')) continue;
      const page = parse(bytes.toString('utf8'));
      expect(page.querySelector('.mirror-notice'), path).not.toBeNull();
      for (const element of page.querySelectorAll('[href], [src], [srcset], [action]')) {
        const values = [
          element.getAttribute('href'),
          element.getAttribute('src'),
          element.getAttribute('action'),
          ...(element.getAttribute('srcset') ?? '')
            .split(',')
            .map((candidate) => candidate.trim().split(/\s+/)[0]),
        ].filter((value): value is string => !!value);
        for (const value of values) {
          expect(value.startsWith('/') && !value.startsWith('//'), `${path}: ${value}`).toBe(false);
          if (/^[a-z]+:|^#|^\?/.test(value)) continue;
          const target = join(dirname(path), decodeURI(value.replace(/[?#].*$/, '')));
          expect(files.has(target.split(sep).join('/')), `${path} → ${value}`).toBe(true);
          links++;
        }
      }
    }
    expect(links).toBeGreaterThan(1000);
    // Canonical addresses stay on the newsroom's own domain.
    const seed = [...files].find(([path]) => SEED_PAGE.test(path));
    const canonical = parse(seed?.[1].toString('utf8') ?? '').querySelector('link[rel=canonical]');
    expect(canonical?.getAttribute('href')).toMatch(/^https:\/\/news\.example\/news\/politics\//);
    // The key the mirror carries is the one the site publishes.
    expect(files.get('.well-known/masthead-key')?.toString()).toMatch(/^ed25519 [\w-]{43}\n$/);

    const verified = await verify(mirror);
    expect(verified.code, verified.lines.join('\n')).toBe(0);
    expect(verified.lines.join('\n')).toContain(`ok: all ${report.files} files of The Lantern`);
  });

  it('fails verification on every kind of tampering, naming the file', async () => {
    clock = later(1);
    const mirror = join(workDir, 'mirror');
    await build(mirror);
    const seedPath = [...(await filesOf(mirror)).keys()].find((path) => SEED_PAGE.test(path)) ?? '';
    const seedFile = join(mirror, seedPath);
    const original = await readFile(seedFile);

    // One byte changed in one article.
    const flipped = Buffer.from(original);
    const at = flipped.indexOf('Aliyev');
    flipped[at] = 'E'.charCodeAt(0);
    await writeFile(seedFile, flipped);
    let result = await verify(mirror);
    expect(result.code).toBe(1);
    expect(result.lines).toContain(`altered: ${seedPath}`);
    await writeFile(seedFile, original);

    // A script injected into a page.
    await writeFile(
      join(mirror, 'index.html'),
      (await readFile(join(mirror, 'index.html')))
        .toString()
        .replace('</body>', '<script src="https://evil.example/x.js"></script></body>'),
    );
    result = await verify(mirror);
    expect(result.code).toBe(1);
    expect(result.lines).toContain('altered: index.html');
    await build(mirror);
    expect((await verify(mirror)).code).toBe(0);

    // A file added.
    await writeFile(join(mirror, 'news', 'extra.html'), '<p>not ours</p>');
    result = await verify(mirror);
    expect(result.code).toBe(1);
    expect(result.lines).toContain('added: news/extra.html');
    await rm(join(mirror, 'news', 'extra.html'));

    // A file removed.
    await rm(join(mirror, 'feed.atom'));
    result = await verify(mirror);
    expect(result.code).toBe(1);
    expect(result.lines).toContain('missing: feed.atom');
    await build(mirror);

    // The manifest rewritten to match a forgery: its signature no longer holds.
    const manifest = (await readFile(join(mirror, 'manifest.json'))).toString();
    await writeFile(
      join(mirror, 'manifest.json'),
      manifest.replace('"The Lantern"', '"The Lanterm"'),
    );
    result = await verify(mirror);
    expect(result.code).toBe(1);
    expect(result.lines.join('\n')).toMatch(/manifest\.sig does not match manifest\.json/);
    await writeFile(join(mirror, 'manifest.json'), manifest);

    // Someone else's key: the genuine mirror does not verify against it.
    result = await runCliOn(newsroom, [
      'mirror',
      'verify',
      mirror,
      '--public-key',
      'ed25519 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ]);
    expect(result.code).toBe(1);
    expect((await verify(mirror)).code).toBe(0);
  });

  it('verifies a mirror over HTTP, naming altered and missing files', async () => {
    clock = later(1);
    const mirror = join(workDir, 'mirror');
    await build(mirror);
    // A plain static host under a path prefix.
    const host = createServer((request, response) => {
      const path = decodeURIComponent((request.url ?? '').replace(/^\/copy\//, ''));
      readFile(join(mirror, path)).then(
        (body) => response.writeHead(200).end(body),
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const address = `http://127.0.0.1:${(host.address() as AddressInfo).port}/copy/`;
    try {
      const good = await verify(address);
      expect(good.code, good.lines.join('\n')).toBe(0);
      await writeFile(join(mirror, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
      await rm(join(mirror, 'feed.json'));
      const bad = await verify(address);
      expect(bad.code).toBe(1);
      expect(bad.lines).toContain('altered: robots.txt');
      expect(bad.lines).toContain('missing: feed.json');
    } finally {
      await new Promise((resolve) => host.close(resolve));
    }
  });

  it('rebuilds after one edit by writing only the files whose bytes changed, the same as a full build', async () => {
    clock = later(1);
    const mirror = join(workDir, 'mirror');
    // Two article ids per chunk of the search index, so that the sample site has several.
    const searchChunkSize = 2;
    await build(mirror, { searchChunkSize });
    const before = await filesOf(mirror);
    const modified = new Map<string, number>();
    for (const path of before.keys()) modified.set(path, (await stat(join(mirror, path))).mtimeMs);

    clock = later(2);
    const article = await newsroom.store.db
      .selectFrom('article')
      .select(['id', 'version'])
      .where('status', '=', 'published')
      .where('title', 'like', 'Ferry strike%')
      .executeTakeFirstOrThrow();
    // An edit to a published article goes live with Update.
    await transitionArticle(
      newsroom,
      SYSTEM_ACTOR,
      article.id,
      { name: 'update' },
      article.version,
      {
        title: 'Ferry strike leaves three island villages without fuel',
      },
    );
    clock = later(3);
    const report = await build(mirror, { searchChunkSize });
    expect(report.incremental).toBe(true);
    // A second round: a new article joins listings and feeds it was never in.
    const author = await newsroom.store.db
      .selectFrom('person')
      .select('id')
      .executeTakeFirstOrThrow();
    const created = await createArticle(newsroom, SYSTEM_ACTOR, {
      title: 'Harbour pilots return to work',
      standfirst: '',
      section: 'news/world',
      language: 'en',
      body: simpleBody,
      authors: [{ personId: author.id, label: null }],
      sources: [],
      tags: ['Harbour pilots'],
      leadMediaId: null,
    });
    await transitionArticle(newsroom, SYSTEM_ACTOR, created.id, { name: 'publish' });
    clock = later(4);
    const second = await build(mirror, { searchChunkSize });
    expect(second.incremental).toBe(true);
    expect(second.written).toContain('tags/harbour-pilots/feed.atom');
    // A third round: a photo's caption corrected reaches the search chunks of the articles showing it.
    const photo = await newsroom.store.db
      .selectFrom('article')
      .select(['id', 'lead_media_id'])
      .where('status', '=', 'published')
      .where('lead_media_id', 'is not', null)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await updateMedia(newsroom, SYSTEM_ACTOR, Number(photo.lead_media_id), {
      caption: 'Fuel barrels stacked on the quay at Tallinn',
    });
    clock = later(5);
    const third = await build(mirror, { searchChunkSize });
    expect(third.incremental).toBe(true);
    const searchedCaption = [...(await filesOf(mirror))]
      .filter(([path]) => searchChunkOfFile(path) === searchChunkOf(photo.id, searchChunkSize))
      .some(([, bytes]) => bytes.toString('utf8').includes('"tallinn"'));
    expect(searchedCaption).toBe(true);
    // A fourth: an article whose photo no other page shows is unpublished.
    // Its page, its photo's files and its search entry go.
    const beforeUnpublish = await filesOf(mirror);
    const withPhoto = await newsroom.store.db
      .selectFrom('article')
      .select('id')
      .where('status', '=', 'published')
      .where('title', 'like', 'Why we print our corrections%')
      .executeTakeFirstOrThrow();
    const unpublished = await transitionArticle(newsroom, SYSTEM_ACTOR, withPhoto.id, {
      name: 'unpublish',
    });
    clock = later(6);
    const fourth = await build(mirror, { searchChunkSize });
    expect(fourth.incremental).toBe(true);
    const after = await filesOf(mirror);
    const gone = [...beforeUnpublish.keys()].filter((path) => !after.has(path));
    expect(gone).toContain(`${unpublished.url.slice(1)}/index.html`);
    expect(gone.some((path) => path.startsWith('media/'))).toBe(true);
    expect(fourth.removed).toEqual(gone.sort());

    // The same bytes a full build makes from scratch (but the build time in the manifest).
    clock = later(6);
    const fresh = join(workDir, 'fresh');
    await build(fresh, { full: true, searchChunkSize });
    const full = await filesOf(fresh);
    expect([...after.keys()].sort()).toEqual([...full.keys()].sort());
    for (const [path, bytes] of full)
      if (path !== 'manifest.sig') expect(after.get(path)?.equals(bytes), path).toBe(true);

    // Written: exactly the files whose bytes differ from the first build.
    const changed = [...after.keys()].filter(
      (path) => !UNSIGNED(path) && !before.get(path)?.equals(after.get(path) ?? Buffer.alloc(0)),
    );
    expect(
      [...new Set([...report.written, ...second.written, ...third.written, ...fourth.written])]
        .filter((path) => after.has(path))
        .sort(),
    ).toEqual(changed.sort());
    // Of the search index, only the chunks of the articles that changed (and the list of chunks).
    const chunks = new Set([...after.keys()].flatMap((path) => searchChunkOfFile(path) ?? []));
    expect(chunks.size).toBeGreaterThan(3);
    const changedChunks = new Set(changed.flatMap((path) => searchChunkOfFile(path) ?? []));
    expect([...changedChunks].sort()).toEqual(
      [
        ...new Set(
          [article.id, created.id, photo.id, withPhoto.id].map((id) =>
            searchChunkOf(id, searchChunkSize),
          ),
        ),
      ].sort(),
    );
    expect(changed.some((path) => path.startsWith('news/world/ferry-strike'))).toBe(true);
    expect(changed).toContain('index.html');
    expect(changed).toContain('feed.xml');
    // Pages that do not show the article were neither rendered nor touched.
    expect(changed).not.toContain('terms-of-use/index.html');
    expect(report.rendered).toBeLessThan(before.size / 2);
    for (const path of before.keys())
      if (after.has(path) && !changed.includes(path) && !UNSIGNED(path))
        expect((await stat(join(mirror, path))).mtimeMs, path).toBe(modified.get(path));
    expect((await verify(mirror)).code).toBe(0);
  });

  it('starts over on a mirror another version made, removing the files it no longer makes', async () => {
    clock = later(1);
    const mirror = join(workDir, 'mirror');
    await build(mirror);
    // What an older Masthead left: a search index of another layout, listed in
    // a manifest that names no generator (or another one).
    const old = JSON.parse(await readFile(join(mirror, 'manifest.json'), 'utf8')) as {
      generator?: string;
      files: { path: string; size: number; sha256: string }[];
    };
    await writeFile(join(mirror, 'search/docs.js'), 'window.mastheadSearch.docs([]);\n');
    old.files.push({ path: 'search/docs.js', size: 31, sha256: 'a'.repeat(64) });
    delete old.generator;
    await writeFile(join(mirror, 'manifest.json'), JSON.stringify(old));

    clock = later(2);
    const upgraded = await build(mirror);
    expect(upgraded.incremental).toBe(false);
    expect(upgraded.removed).toEqual(['search/docs.js']);
    expect(existsSync(join(mirror, 'search/docs.js'))).toBe(false);
    expect((await verify(mirror)).code).toBe(0);

    // --full reads the last manifest too, to remove what it listed and is no longer made.
    await writeFile(join(mirror, 'search/docs.js'), 'window.mastheadSearch.docs([]);\n');
    const listed = JSON.parse(await readFile(join(mirror, 'manifest.json'), 'utf8')) as {
      files: { path: string; size: number; sha256: string }[];
    };
    listed.files.push({ path: 'search/docs.js', size: 31, sha256: 'a'.repeat(64) });
    await writeFile(join(mirror, 'manifest.json'), JSON.stringify(listed));
    clock = later(3);
    const full = await build(mirror, { full: true });
    expect(full.incremental).toBe(false);
    expect(full.removed).toEqual(['search/docs.js']);
    expect((await verify(mirror)).code).toBe(0);
  });
});

const UNSIGNED = (path: string) => path === 'manifest.json' || path === 'manifest.sig';

describe('the mirror list', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildTestServer(newsroom, { sample: false });
  });
  afterEach(async () => {
    await app.close();
  });

  it('lets editors list mirrors, published as a page, JSON and a feed, with Onion-Location for Tor', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Tomas Reyes');
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Writer');
    const list = {
      mirrors: [
        { url: 'https://lantern-copy.example.net/', label: 'Cloud copy, Europe' },
        {
          url: 'http://lanternxyzabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop.onion',
          label: '',
        },
      ],
    };
    expect((await contributor.send('PUT', '/api/mirrors', list)).statusCode).toBe(403);
    const bad = await editor.send('PUT', '/api/mirrors', { mirrors: [{ url: 'ftp://x.example' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_input' } });
    const saved = await editor.send('PUT', '/api/mirrors', list);
    expect(saved.statusCode, saved.body).toBe(200);

    const page = await app.inject('/mirrors');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('https://lantern-copy.example.net/');
    expect(page.body).toContain('Cloud copy, Europe');
    const json = (await app.inject('/mirrors.json')).json() as { mirrors: { kind: string }[] };
    expect(json.mirrors.map((mirror) => mirror.kind)).toEqual(['web', 'onion']);
    const feed = await app.inject('/mirrors.xml');
    expect(feed.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(feed.body.match(/<entry>/g)).toHaveLength(2);
    const home = await app.inject('/');
    expect(home.headers['onion-location']).toBe(
      'http://lanternxyzabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop.onion/',
    );
    const key = await app.inject('/.well-known/masthead-key');
    expect(key.statusCode).toBe(200);
    expect(key.body).toMatch(/^ed25519 [\w-]{43}\n$/);
    expect(existsSync(join(newsroom.dataDir, 'keys', 'mirror-signing-key.pem'))).toBe(true);
    expect(
      (await stat(join(newsroom.dataDir, 'keys', 'mirror-signing-key.pem'))).mode & 0o777,
    ).toBe(0o600);
  });
});
