import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ALL_PAGES, type CacheChange } from '../core/cache-tags.js';
import type { PageView } from '../newsroom/audience.js';

// Reader pages rendered once and served from memory until something they show
// changes. Each entry keeps its body with a strong ETag and, made on first
// demand, its Brotli and gzip encodings; an index from tag to entries makes a
// purge touch exactly the pages that carry the tag. Least recently used
// entries go first when the cache passes its size.
//
// An optional disk tier takes what memory lets go, so that a long archive
// does not have to be rendered again when memory is small: an entry evicted
// from memory is written to a file, found there on a later miss, and moved
// back into memory. Purges reach both tiers, through the same tag index.

export type CachedPage = {
  key: string;
  status: number;
  type: string;
  cacheControl: string;
  /** Cache tags, also sent as Surrogate-Key. */
  tags: readonly string[];
  body: Buffer;
  etag: string;
  encodings: Map<'br' | 'gzip', Buffer>;
  /**
   * Every header of the first answer (security headers included), kept so
   * later hits can be written straight to the socket (see serveFromCache).
   */
  headers: Record<string, string> | null;
};

export type PageCacheStats = {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  disk: { entries: number; bytes: number; hits: number };
};

/** Where the disk tier keeps its files, and how much it may hold. */
export type DiskTierOptions = { directory: string; maxBytes: number };

/** A page kept on disk: what is needed to find, purge and load it back. */
type DiskEntry = { file: string; size: number; tags: readonly string[] };

/** What a disk file holds besides the body (JSON on its first line). */
type DiskHead = Omit<CachedPage, 'key' | 'body' | 'encodings'> & { key: string };

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private readonly byTag = new Map<string, Set<string>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private readonly onDisk = new Map<string, DiskEntry>();
  private readonly onDiskByTag = new Map<string, Set<string>>();
  private diskBytes = 0;
  private diskHits = 0;
  private spills = 0;
  private purges = 0;
  private readonly writing = new Set<Promise<void>>();
  /**
   * Told of each page a reader is sent, cached or not (set by main.ts to
   * count the audience; a mirror build counts nothing).
   */
  onView: ((view: PageView) => void) | null = null;

  /**
   * `maxBytes` 0 turns the cache off (every request renders). With `disk`,
   * pages memory lets go are kept in files under its directory, which must
   * be this process's own and empty (see `openPageCache`).
   */
  constructor(
    private readonly maxBytes: number,
    private readonly disk: DiskTierOptions | null = null,
  ) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /**
   * The page from memory, else from the disk tier (moved back into memory),
   * else undefined. `get` is the memory-only answer the socket fast path uses.
   */
  async load(key: string): Promise<CachedPage | undefined> {
    const inMemory = this.get(key);
    if (inMemory || !this.disk) return inMemory;
    const kept = this.onDisk.get(key);
    if (!kept) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(kept.file);
    } catch {
      this.dropFromDisk(key);
      return undefined;
    }
    // Purged (or replaced) while the file was being read: not this one.
    if (this.onDisk.get(key) !== kept) return undefined;
    this.dropFromDisk(key);
    const newline = bytes.indexOf(10);
    let head: DiskHead;
    try {
      head = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as DiskHead;
    } catch {
      // A damaged file costs a render, never an error page.
      return undefined;
    }
    if (head.key !== key) return undefined;
    this.diskHits++;
    return this.keepInMemory({
      ...head,
      body: bytes.subarray(newline + 1),
      encodings: new Map(),
    });
  }

  /** Resolves when every disk write started so far has ended (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.writing.size > 0) await Promise.all([...this.writing]);
  }

  get(key: string): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last: the Map's order is the eviction order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Counts purges: a page rendered from data read before the latest purge must not be kept. */
  get generation(): number {
    return this.purges;
  }

  /**
   * Keeps a rendered page. `renderedAt` is the `generation` when its data
   * was read: a purge since then may have been about that very data, so the
   * page is answered once but not kept.
   */
  set(
    key: string,
    page: Omit<CachedPage, 'key' | 'etag' | 'encodings' | 'headers'>,
    renderedAt: number = this.purges,
  ): CachedPage {
    const entry: CachedPage = {
      ...page,
      key,
      etag: etagOf(page.body),
      encodings: new Map(),
      headers: null,
    };
    if (!this.enabled || renderedAt !== this.purges) return entry;
    return this.keepInMemory(entry);
  }

  private keepInMemory(entry: CachedPage): CachedPage {
    const key = entry.key;
    this.remove(key);
    this.dropFromDisk(key);
    this.entries.set(key, entry);
    index(this.byTag, key, entry.tags);
    this.bytes += sizeOf(entry);
    for (const [oldestKey, oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldestKey);
      this.spill(oldest);
    }
    return entry;
  }

  /** Writes a page memory let go to the disk tier (in the background). */
  private spill(entry: CachedPage): void {
    const disk = this.disk;
    if (!disk) return;
    const { body, encodings: _encodings, ...rest } = entry;
    const head = Buffer.from(`${JSON.stringify(rest satisfies DiskHead)}\n`);
    const size = head.length + body.length;
    if (size > disk.maxBytes) return;
    // A file per spill, never reused: a write still under way for a purged
    // copy of the page can then never land on the file of a newer one.
    const name = `${createHash('sha256').update(entry.key).digest('hex').slice(0, 32)}-${++this.spills}`;
    const kept: DiskEntry = { file: join(disk.directory, `${name}.page`), size, tags: entry.tags };
    this.onDisk.set(entry.key, kept);
    index(this.onDiskByTag, entry.key, entry.tags);
    this.diskBytes += size;
    for (const oldest of this.onDisk.keys()) {
      if (this.diskBytes <= disk.maxBytes) break;
      this.dropFromDisk(oldest);
    }
    if (this.onDisk.get(entry.key) !== kept) return;
    // Written under a temporary name and renamed: a reader never sees half a file.
    const temporary = `${kept.file}.tmp`;
    const write = writeFile(temporary, Buffer.concat([head, body]))
      .then(() => rename(temporary, kept.file))
      .then(async () => {
        // Purged while being written: the file must not outlive its entry.
        if (this.onDisk.get(entry.key) !== kept) await unlink(kept.file).catch(() => {});
      })
      .catch(() => {
        // A full or broken disk costs a render later, never an answer now.
        if (this.onDisk.get(entry.key) === kept) this.dropFromDisk(entry.key);
      })
      .finally(() => this.writing.delete(write));
    this.writing.add(write);
  }

  private dropFromDisk(key: string): boolean {
    const kept = this.onDisk.get(key);
    if (!kept) return false;
    this.onDisk.delete(key);
    this.diskBytes -= kept.size;
    unindex(this.onDiskByTag, key, kept.tags);
    void unlink(kept.file).catch(() => {});
    return true;
  }

  /** The body in `encoding`, compressed once and kept with the entry. */
  encoded(entry: CachedPage, encoding: 'br' | 'gzip'): Buffer {
    let body = entry.encodings.get(encoding);
    if (!body) {
      body =
        encoding === 'br'
          ? brotliCompressSync(entry.body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 9,
                [constants.BROTLI_PARAM_SIZE_HINT]: entry.body.length,
              },
            })
          : gzipSync(entry.body, { level: 9 });
      entry.encodings.set(encoding, body);
      if (this.entries.get(entry.key) === entry) this.bytes += body.length;
    }
    return body;
  }

  /** Drops every entry carrying one of `tags` (or all of them); returns how many went. */
  purge(change: CacheChange): number {
    this.purges++;
    if (change === ALL_PAGES) {
      const count = this.entries.size + this.onDisk.size;
      this.entries.clear();
      this.byTag.clear();
      this.bytes = 0;
      for (const key of [...this.onDisk.keys()]) this.dropFromDisk(key);
      return count;
    }
    let count = 0;
    for (const tag of change) {
      for (const key of [...(this.byTag.get(tag) ?? [])]) {
        if (this.remove(key)) count++;
      }
      for (const key of [...(this.onDiskByTag.get(tag) ?? [])]) {
        if (this.dropFromDisk(key)) count++;
      }
    }
    return count;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  stats(): PageCacheStats {
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      hits: this.hits,
      misses: this.misses,
      disk: { entries: this.onDisk.size, bytes: this.diskBytes, hits: this.diskHits },
    };
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.bytes -= sizeOf(entry);
    unindex(this.byTag, key, entry.tags);
    return true;
  }
}

/**
 * A page cache, with a disk tier in `disk.directory` when asked. The folder is
 * emptied first: pages kept there by an earlier run missed the purges made
 * while it was down.
 */
export async function openPageCache(
  maxBytes: number,
  disk: DiskTierOptions | null,
): Promise<PageCache> {
  if (!disk || maxBytes === 0 || disk.maxBytes === 0) return new PageCache(maxBytes);
  await rm(disk.directory, { recursive: true, force: true });
  await mkdir(disk.directory, { recursive: true, mode: 0o700 });
  return new PageCache(maxBytes, disk);
}

function index(byTag: Map<string, Set<string>>, key: string, tags: readonly string[]): void {
  for (const tag of tags) {
    let keys = byTag.get(tag);
    if (!keys) {
      keys = new Set();
      byTag.set(tag, keys);
    }
    keys.add(key);
  }
}

function unindex(byTag: Map<string, Set<string>>, key: string, tags: readonly string[]): void {
  for (const tag of tags) {
    const keys = byTag.get(tag);
    keys?.delete(key);
    if (keys?.size === 0) byTag.delete(tag);
  }
}

function sizeOf(entry: CachedPage): number {
  let size = entry.body.length;
  for (const body of entry.encodings.values()) size += body.length;
  return size;
}

/** A strong validator: the body's own hash. */
function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}
