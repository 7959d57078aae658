import { MOST_READ_TAG } from '../core/cache-tags.js';
import { addReads } from '../store/fronts.js';
import type { Newsroom } from './newsroom.js';

/** How often counted reads are written, and "most read" lists refreshed. */
const FLUSH_EVERY_MS = 5 * 60_000;

export type ReadCounts = {
  /** One more read of an article page. */
  count: (articleId: number) => void;
  /** Writes what was counted so far (also on stop). */
  flush: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Counts reads of articles in memory and writes them every few minutes as one
 * number per article and day: no address, cookie or visitor id is involved.
 * When reads were written, the pages with a "most read" list are purged so
 * the next reader sees it current. A failed write is reported and its counts
 * are dropped: they are only a ranking.
 */
export function startReadCounts(
  newsroom: Newsroom,
  onError: (error: unknown) => void,
  everyMs: number = FLUSH_EVERY_MS,
): ReadCounts {
  let pending = new Map<number, number>();
  // The write under way, which stop() waits for before the store closes.
  let writing: Promise<void> = Promise.resolve();
  const write = async (reads: Map<number, number>): Promise<void> => {
    try {
      await addReads(newsroom.store.db, newsroom.now().toISOString().slice(0, 10), reads);
      newsroom.changed?.([MOST_READ_TAG]);
    } catch (error) {
      onError(error);
    }
  };
  const flush = (): Promise<void> => {
    if (pending.size > 0) {
      const reads = pending;
      pending = new Map();
      writing = writing.then(() => write(reads));
    }
    return writing;
  };
  const timer = setInterval(() => void flush(), everyMs);
  timer.unref();
  return {
    count: (articleId) => pending.set(articleId, (pending.get(articleId) ?? 0) + 1),
    flush,
    stop: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}
