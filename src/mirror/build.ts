import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ALL_PAGES, FEEDS_TAG } from '../core/cache-tags.js';
import { articleMediaIds } from '../core/document.js';
import {
  MANIFEST_FILE,
  type MirrorFile,
  type MirrorManifest,
  manifestBytes,
  parseManifest,
  SIGNATURE_FILE,
} from '../core/mirror-manifest.js';
import { internalPath, MIRROR_KEY_PATH, mirrorFileOf, publicPathOf } from '../core/mirror-paths.js';
import {
  MirrorSearchIndex,
  SEARCH_CHUNK_SIZE,
  SEARCH_INDEX_FILE,
  searchChunkIds,
  searchChunkOf,
  searchChunkOfFile,
  searchIndexScript,
} from '../core/mirror-search-index.js';
import { MEDIA_PATH, parseRenditionName } from '../core/renditions.js';
import { loadAssets } from '../http/assets.js';
import { buildServer } from '../http/server.js';
import { mirrorChangesSince, readMediaFiles, readMirrorSearchTexts } from '../newsroom/mirrors.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { getSiteSettings } from '../newsroom/site-settings.js';
import { type SigningKey, signBytes } from './keys.js';
import { rewritePage, sitemapPaths } from './rewrite-links.js';
import { digestOf } from './verify.js';

// A static mirror: the public site rendered by the same routes that serve it
// (an in-process server in mirror mode, asked through inject), with links made
// relative, an in-browser search index, and a signed manifest of every file.
// A later build into the same folder renders only what changed since the
// manifest's build time, and writes only files whose bytes differ.

export type MirrorBuildOptions = {
  directory: string;
  /** Where this copy will be served, recorded in the manifest (`--base-url`). */
  baseUrl: string | null;
  key: SigningKey;
  /** Render everything even when an earlier build is there. */
  full?: boolean;
  /** Told of progress now and then ("rendered 1200 pages"). */
  progress?: (message: string) => void;
  /** Article ids per chunk of the search index (tests make it small to see chunks at work). */
  searchChunkSize?: number;
};

export type MirrorBuildReport = {
  directory: string;
  incremental: boolean;
  /** Pages and files asked of the site in this build. */
  rendered: number;
  files: number;
  /** Files whose bytes changed (or are new), and so were written. */
  written: string[];
  removed: string[];
  /** Links on the site's own pages that lead nowhere (404). */
  brokenLinks: { from: string; to: string }[];
  seconds: number;
};

/** Where a crawl starts: every kind of page a link might not reach. */
const SEEDS = [
  '/',
  '/en',
  '/ru',
  '/search',
  '/corrections',
  '/mirrors',
  '/contact',
  '/mirrors.json',
  '/mirrors.xml',
  '/robots.txt',
  '/sitemap.xml',
  '/news-sitemap.xml',
  '/feed.xml',
  '/feed.atom',
  '/feed.json',
  MIRROR_KEY_PATH,
];

type Produced = { bytes: Buffer; tags: string[] };

/** Where photo files are in a mirror: "media/", as on the site. */
const MEDIA_FOLDER = MEDIA_PATH.slice(1);

/** A listing's feed file ("tags/port/feed.atom"), with its folder ("tags/port/"). */
const FEED_FILE = /^((?:[^/]+\/)*)feed\.(?:xml|atom|json)$/;

export async function buildMirror(
  newsroom: Newsroom,
  options: MirrorBuildOptions,
): Promise<MirrorBuildReport> {
  const started = performance.now();
  const builtAt = newsroom.now().toISOString();
  const chunkSize = options.searchChunkSize ?? SEARCH_CHUNK_SIZE;
  const assets = await loadAssets();
  const generator = await generatorOf([...assets.files.keys()], chunkSize);
  // The last build's manifest: what it listed is removed when no longer made.
  // Its files are reused only when the same Masthead made them, with the same
  // assets (a new stylesheet's name is on every page) and index layout.
  const previous = await readPreviousManifest(options.directory);
  const reusable = options.full || previous?.generator !== generator ? null : previous;
  const changes = reusable ? await mirrorChangesSince(newsroom, reusable.builtAt) : null;
  const plan =
    reusable && changes && changes.pages !== ALL_PAGES
      ? await planReuse(options.directory, reusable, changes.pages, changes.articleIds, chunkSize)
      : null;
  const incremental = plan !== null;
  const kept = plan?.kept ?? new Map<string, MirrorFile>();

  const app = await buildServer({ newsroom, assets, logLevel: 'silent', isMirror: true });
  try {
    const crawl = await crawlSite(
      app,
      newsroom.publicUrl,
      [
        ...SEEDS,
        ...[...assets.files.keys()].map((name) => `/assets/${name}`),
        ...(plan?.seeds ?? []),
      ],
      {
        // In an incremental build, a file kept from the last one is not asked for again.
        skip: (file) => kept.has(file),
        progress: options.progress,
      },
    );

    const produced = crawl.files;
    // A listing gone since the last build (a tag whose last article was
    // unpublished) takes its feeds along, as in a full build, which finds no
    // link to them.
    for (const path of [...produced.keys()]) {
      const listing = FEED_FILE.exec(path);
      if (listing && crawl.gone.has(`${listing[1] ?? ''}index.html`)) produced.delete(path);
    }
    for (const [path, file] of await searchIndexFiles(
      newsroom,
      plan?.searchChunks ?? 'all',
      chunkSize,
    ))
      produced.set(path, file);
    const chunkPaths = [...produced.keys(), ...kept.keys()].filter((path) =>
      searchChunkOfFile(path),
    );
    produced.set(SEARCH_INDEX_FILE, {
      bytes: Buffer.from(searchIndexScript(chunkPaths)),
      tags: [],
    });

    const written: string[] = [];
    const files: MirrorFile[] = [];
    for (const [path, { bytes, tags }] of produced) {
      const { sha256 } = digestOf(bytes);
      // Compared with what is on disk, not with the manifest: a file altered
      // since the last build is put right.
      const onDisk = await readFile(join(options.directory, path)).catch(() => null);
      if (!onDisk?.equals(bytes)) {
        await writeAtomically(join(options.directory, path), bytes);
        written.push(path);
      }
      files.push({ path, size: bytes.length, sha256, ...(tags.length > 0 ? { tags } : {}) });
    }
    const stillKept = [...kept.values()].filter(
      (file) => !produced.has(file.path) && !crawl.gone.has(file.path),
    );
    const isShown = incremental ? await photoShown(newsroom, [...files, ...stillKept]) : () => true;
    for (const file of stillKept) if (isShown(file.path)) files.push(file);
    const listed = new Set(files.map((file) => file.path));
    const removed = (previous?.files ?? [])
      .map((file) => file.path)
      .filter((path) => !listed.has(path));
    for (const path of removed) await rm(join(options.directory, path), { force: true });

    const settings = await getSiteSettings(newsroom);
    const manifest: MirrorManifest = {
      format: 'masthead-mirror',
      version: 1,
      generator,
      site: settings.name,
      origin: newsroom.publicUrl,
      mirrorUrl: options.baseUrl,
      builtAt,
      files,
    };
    const bytes = manifestBytes(manifest);
    await writeAtomically(join(options.directory, MANIFEST_FILE), bytes);
    await writeAtomically(
      join(options.directory, SIGNATURE_FILE),
      Buffer.from(signBytes(bytes, options.key.privateKey)),
    );
    return {
      directory: options.directory,
      incremental,
      rendered: crawl.rendered,
      files: files.length,
      written: written.sort(),
      removed: removed.sort(),
      brokenLinks: crawl.brokenLinks,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await app.close();
  }
}

/**
 * Asks the site for every path reachable from `seeds` (links in pages, sitemap
 * entries), rewriting pages for the mirror. Paths whose file `skip` says to
 * keep are not asked for, nor followed further.
 */
async function crawlSite(
  app: FastifyInstance,
  origin: string,
  seeds: string[],
  options: { skip: (file: string) => boolean; progress?: ((message: string) => void) | undefined },
): Promise<{
  files: Map<string, Produced>;
  gone: Set<string>;
  rendered: number;
  brokenLinks: { from: string; to: string }[];
}> {
  const files = new Map<string, Produced>();
  const gone = new Set<string>();
  const brokenLinks: { from: string; to: string }[] = [];
  const queued = new Set<string>();
  const queue: { path: string; from: string | null }[] = [];
  const enqueue = (path: string, from: string | null) => {
    const file = mirrorFileOf(path);
    if (queued.has(file) || options.skip(file)) return;
    queued.add(file);
    queue.push({ path, from });
  };
  for (const seed of seeds) enqueue(seed, null);
  let rendered = 0;
  while (queue.length > 0) {
    const { path, from } = queue.shift() as { path: string; from: string | null };
    const file = mirrorFileOf(path);
    const response = await app.inject({ method: 'GET', url: encodeURI(path) });
    rendered++;
    if (rendered % 500 === 0) options.progress?.(`rendered ${rendered} pages and files`);
    // A server error is no answer about the page: a mirror built past it would
    // drop the page, so the build stops before writing anything.
    if (response.statusCode >= 500)
      throw new Error(`mirror build: ${path} answered ${response.statusCode}; nothing was written`);
    if (response.statusCode !== 200) {
      // Not a page (a redirect, a 404): nothing to keep; a link to it from a page is broken.
      gone.add(file);
      if (from !== null && response.statusCode === 404) brokenLinks.push({ from, to: path });
      continue;
    }
    const type = String(response.headers['content-type'] ?? '');
    const tags = String(response.headers['surrogate-key'] ?? '')
      .split(' ')
      .filter((tag) => tag !== '');
    if (type.startsWith('text/html')) {
      const page = rewritePage(response.body, file);
      files.set(file, { bytes: Buffer.from(page.html), tags });
      for (const link of page.links) enqueue(link, path);
    } else {
      files.set(file, { bytes: response.rawPayload, tags });
      if (/^\/(sitemap\.xml|news-sitemap\.xml|sitemaps\/)/.test(path))
        for (const found of sitemapPaths(response.body, origin)) {
          const target = internalPath(found);
          if (target) enqueue(target.path, path);
        }
    }
  }
  return { files, gone, rendered, brokenLinks };
}

/**
 * The files of the search index chunks asked for (or of all), each chunk
 * made from its published articles in id order. A chunk's `docs.js` carries
 * the `m:` tags of the photos its articles show (captions are searched), so
 * that a photo correction finds the chunk.
 */
async function searchIndexFiles(
  newsroom: Newsroom,
  chunks: Set<string> | 'all',
  chunkSize: number,
): Promise<Map<string, Produced>> {
  const out = new Map<string, Produced>();
  let index: MirrorSearchIndex | null = null;
  let media = new Set<number>();
  const finish = () => {
    if (!index) return;
    const tags = [...media].sort((a, b) => a - b).map((id) => `m:${id}`);
    for (const [path, text] of index.files())
      out.set(path, { bytes: Buffer.from(text), tags: path.endsWith('/docs.js') ? tags : [] });
  };
  const ranges =
    chunks === 'all'
      ? [null]
      : [...chunks]
          .flatMap((chunk) => searchChunkIds(chunk, chunkSize) ?? [])
          .sort((a, b) => a.first - b.first);
  let current = '';
  for (const range of ranges) {
    for await (const { article, fields, url } of readMirrorSearchTexts(newsroom, range)) {
      const chunk = searchChunkOf(article.id, chunkSize);
      if (chunk !== current || !index) {
        finish();
        index = new MirrorSearchIndex(chunk);
        media = new Set();
        current = chunk;
      }
      index.add(
        {
          file: mirrorFileOf(url),
          title: article.title,
          publishedAt: article.publishedAt,
          language: article.language,
        },
        fields,
      );
      for (const id of articleMediaIds(article)) media.add(id);
    }
  }
  finish();
  return out;
}

/**
 * What made a mirror's files, as the manifest records it: Masthead's version,
 * the mirror layout (the search index's chunk size) and the site's assets by
 * their fingerprinted names.
 */
async function generatorOf(assetNames: string[], chunkSize: number): Promise<string> {
  const { version } = JSON.parse(
    await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  const assets = createHash('sha256')
    .update([...assetNames].sort().join('\n'))
    .digest('hex');
  return `masthead ${version}; search chunks of ${chunkSize}; assets ${assets.slice(0, 16)}`;
}

/**
 * Whether a photo file is still shown by some page or feed of the mirror,
 * read from their `m:` tags: a kept photo of an article since unpublished (or
 * whose photo was replaced) goes, as a full build would not reach it, and an
 * unpublished photo must not stay on the mirrors.
 */
async function photoShown(
  newsroom: Newsroom,
  files: readonly MirrorFile[],
): Promise<(path: string) => boolean> {
  const shown = new Set<string>();
  for (const file of files)
    if (!file.path.startsWith(MEDIA_FOLDER) && searchChunkOfFile(file.path) === null)
      for (const tag of file.tags ?? []) if (tag.startsWith('m:')) shown.add(tag);
  const byFile = await readMediaFiles(newsroom);
  return (path) => {
    if (!path.startsWith(MEDIA_FOLDER)) return true;
    const name = path.slice(MEDIA_FOLDER.length);
    const master = parseRenditionName(name)?.master ?? name;
    return (byFile.get(master) ?? []).some((id) => shown.has(`m:${id}`));
  };
}

/** What an incremental build keeps of the last one, and what it makes again. */
type ReusePlan = {
  kept: Map<string, MirrorFile>;
  /** Paths to render: files a change touched or that are damaged, and the changed articles. */
  seeds: string[];
  /** The search index chunks to make again. */
  searchChunks: Set<string>;
};

/**
 * Sorts the last build's files into kept and made again, from the change
 * (cache tags) and the changed articles' ids, and checks that kept files are
 * still as the last build left them.
 */
async function planReuse(
  directory: string,
  previous: MirrorManifest,
  change: readonly string[],
  articleIds: readonly number[],
  chunkSize: number,
): Promise<ReusePlan> {
  // When the last build wrote its manifest: a file changed since is checked by hash.
  const writtenAt = (await stat(join(directory, MANIFEST_FILE))).mtimeMs;
  // Every feed carries the `feeds` tag, so that the page cache drops them
  // all on any change. A mirror can be exact instead: a feed changes when
  // an article it shows changes, or when its listing's page does (an
  // article joined it), and that page is found by its own tags.
  const changed = new Set(change);
  changed.delete(FEEDS_TAG);
  const touched = (file: MirrorFile) => file.tags?.some((tag) => changed.has(tag)) ?? false;
  const pages = new Set(previous.files.filter(touched).map((file) => file.path));
  // Checked 64 at a time: one by one, waiting on each file's stat took most
  // of a second; all at once could read a whole folder of photos into memory.
  const intact = new Set<string>();
  await eachAtATime(previous.files, 64, async (file) => {
    if (await isIntact(directory, file, writtenAt)) intact.add(file.path);
  });

  const kept = new Map<string, MirrorFile>();
  const seeds: string[] = [];
  const chunkFiles = new Map<string, MirrorFile[]>();
  for (const file of previous.files) {
    // The list of chunks is always made again; the chunks are planned below.
    // (The same generator means they are of this build's size.)
    if (file.path === SEARCH_INDEX_FILE) continue;
    const chunk = searchChunkOfFile(file.path);
    if (chunk !== null) {
      chunkFiles.set(chunk, [...(chunkFiles.get(chunk) ?? []), file]);
      continue;
    }
    const listing = FEED_FILE.exec(file.path);
    const listingPage = listing ? `${listing[1] ?? ''}index.html` : null;
    // What a change touched, and anything no longer as the last build left
    // it (damaged, or altered by someone), is made again.
    const isDirty =
      pages.has(file.path) ||
      (listingPage !== null && pages.has(listingPage)) ||
      !intact.has(file.path);
    if (isDirty) seeds.push(publicPathOf(file.path));
    else kept.set(file.path, file);
  }
  // The changed articles' own pages, new ones included.
  for (const tag of change) if (tag.startsWith('a:')) seeds.push(tag.slice(2));

  // A chunk is made again when one of its articles changed (or was
  // published), a photo it quotes a caption of was corrected, or a file of
  // it is not as the last build left it. Files of the index listed nowhere
  // after this build are removed.
  const searchChunks = new Set(articleIds.map((id) => searchChunkOf(id, chunkSize)));
  for (const [chunk, files] of chunkFiles) {
    if (searchChunks.has(chunk)) continue;
    if (files.every((file) => !touched(file) && intact.has(file.path)))
      for (const file of files) kept.set(file.path, file);
    else searchChunks.add(chunk);
  }
  return { kept, seeds, searchChunks };
}

async function readPreviousManifest(directory: string): Promise<MirrorManifest | null> {
  const bytes = await readFile(join(directory, MANIFEST_FILE)).catch(() => null);
  if (!bytes) return null;
  try {
    return parseManifest(bytes);
  } catch {
    // Not ours, or damaged: build everything again.
    return null;
  }
}

/**
 * True when the file on disk is the one the manifest lists. A file of the
 * right size untouched since the manifest was written is taken as it is
 * (reading a whole archive again would cost more than rendering what
 * changed); one modified since is hashed. `mirror verify`, and a `--full`
 * build, check every byte.
 */
async function isIntact(directory: string, file: MirrorFile, writtenAt: number): Promise<boolean> {
  const path = join(directory, file.path);
  const info = await stat(path).catch(() => null);
  if (!info || info.size !== file.size) return false;
  if (info.mtimeMs <= writtenAt) return true;
  const bytes = await readFile(path).catch(() => null);
  return bytes !== null && digestOf(bytes).sha256 === file.sha256;
}

/** Runs `task` on every item, at most `limit` at a time. */
async function eachAtATime<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Written under a temporary name and renamed: a host serving the folder never sees half a file. */
async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.masthead-tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}
