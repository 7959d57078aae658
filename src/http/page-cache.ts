import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ALL_PAGES, type CacheChange } from '../core/cache-tags.js';

// Reader pages rendered once and served from memory until something they show
// changes. Each entry keeps its body with a strong ETag and, made on first
// demand, its Brotli and gzip encodings; an index from tag to entries makes a
// purge touch exactly the pages that carry the tag. Least recently used
// entries go first when the cache passes its size.

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

export type PageCacheStats = { entries: number; bytes: number; hits: number; misses: number };

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private readonly byTag = new Map<string, Set<string>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  /** `maxBytes` 0 turns the cache off (every request renders). */
  constructor(private readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
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

  set(key: string, page: Omit<CachedPage, 'key' | 'etag' | 'encodings' | 'headers'>): CachedPage {
    const entry: CachedPage = {
      ...page,
      key,
      etag: etagOf(page.body),
      encodings: new Map(),
      headers: null,
    };
    if (!this.enabled) return entry;
    this.remove(key);
    this.entries.set(key, entry);
    for (const tag of entry.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) {
        keys = new Set();
        this.byTag.set(tag, keys);
      }
      keys.add(key);
    }
    this.bytes += sizeOf(entry);
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
    return entry;
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
    if (change === ALL_PAGES) {
      const count = this.entries.size;
      this.entries.clear();
      this.byTag.clear();
      this.bytes = 0;
      return count;
    }
    let count = 0;
    for (const tag of change) {
      for (const key of [...(this.byTag.get(tag) ?? [])]) {
        if (this.remove(key)) count++;
      }
    }
    return count;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  stats(): PageCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses };
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.bytes -= sizeOf(entry);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
    return true;
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
