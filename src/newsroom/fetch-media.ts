import { isDomainError } from '../core/errors.js';
import { isMediaFileReferenced, listMediaToFetch, setMediaFile } from '../store/media.js';
import type { StoredImage } from '../store/media-files.js';
import type { Newsroom } from './newsroom.js';
import { downloadPublic, type Resolve } from './public-download.js';
import { storeOrRefuse } from './upload-media.js';

// Imports keep a photo's old address and never download during the import
// (it must be fast, repeatable and work offline). This fetches them later, when
// the newsroom chooses: each photo is checked like an upload, stored without
// its metadata, and given to its record; a photo that cannot be fetched is
// reported and left for the next run. Photos are fetched a few at a time, never
// more than two from one host, so one slow server neither stops the run nor
// gets hammered; `public-download.ts` keeps the addresses to the public internet.

export type FetchLine = { id: number; url: string; ok: boolean; detail: string };

export type FetchOptions = {
  maxBytes: number;
  /** For each photo's whole download (30 s by default). */
  timeoutMs?: number;
  /** At most this many photos in one run (all by default). */
  limit?: number;
  /**
   * Fetch from loopback and private networks too. Off by default: the
   * addresses come from imported files, and must not reach the server's own
   * network (a cloud metadata service, an admin port).
   */
  allowPrivate?: boolean;
  /** Lets one non-public address through (tests: their own 127.0.0.1 listener). */
  allowAddress?: (address: string) => boolean;
  /** How host names are resolved (tests pass their own). */
  resolve?: Resolve;
  /** Photos fetched at once (4 by default), and at most `perHost` (2) from one host. */
  concurrency?: number;
  perHost?: number;
  /** Told about each photo as soon as it is done (the CLI prints progress). */
  onLine?: (line: FetchLine) => void;
};

/**
 * Fetches the file of every imported photo that has none yet (up to `limit`),
 * a few at a time; one line per photo, in id order. A photo that cannot be
 * fetched or is no readable photo is a failed line, left for the next run;
 * only a failure to store (disk, database) stops the run.
 */
export async function fetchImportedMedia(
  newsroom: Newsroom,
  options: FetchOptions,
): Promise<FetchLine[]> {
  const lines: FetchLine[] = [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  // Through every waiting photo by id, a page at a time: photos that keep
  // failing never stand in the way of those after them.
  let after = 0;
  while (lines.length < limit) {
    const size = Math.min(100, limit - lines.length);
    const page = await listMediaToFetch(newsroom.store.db, after, size);
    if (page.length === 0) break;
    after = page.at(-1)?.id ?? after;
    const done = await eachLimited(
      page,
      { concurrency: options.concurrency ?? 4, perHost: options.perHost ?? 2, hostOf },
      async ({ id, sourceUrl }) => {
        const line = await fetchOne(newsroom, id, sourceUrl, options);
        options.onLine?.(line);
        return line;
      },
    );
    lines.push(...done);
  }
  return lines;
}

function hostOf({ sourceUrl }: { sourceUrl: string }): string {
  try {
    return new URL(sourceUrl).hostname;
  } catch {
    return '';
  }
}

/**
 * `work` on every item, at most `concurrency` at once and `perHost` at once
 * for one host (a slow server holds two slots, not the run); the results in
 * the items' order. An error stops new work and is thrown once the running work is done.
 */
async function eachLimited<T, R>(
  items: T[],
  limits: { concurrency: number; perHost: number; hostOf: (item: T) => string },
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  const waiting = items.map((item, index) => ({ item, index, host: limits.hostOf(item) }));
  const busy = new Map<string, number>();
  let running = 0;
  let failure: { error: unknown } | null = null;
  return await new Promise<R[]>((resolve, reject) => {
    const next = () => {
      if (running === 0 && (failure || waiting.length === 0)) {
        if (failure) reject(failure.error);
        else resolve(results);
        return;
      }
      while (!failure && running < limits.concurrency) {
        const at = waiting.findIndex((entry) => (busy.get(entry.host) ?? 0) < limits.perHost);
        const [entry] = at < 0 ? [] : waiting.splice(at, 1);
        if (!entry) break;
        running++;
        busy.set(entry.host, (busy.get(entry.host) ?? 0) + 1);
        work(entry.item)
          .then(
            (result) => {
              results[entry.index] = result;
            },
            (error: unknown) => {
              failure ??= { error };
            },
          )
          .finally(() => {
            running--;
            busy.set(entry.host, (busy.get(entry.host) ?? 1) - 1);
            next();
          });
      }
    };
    next();
  });
}

async function fetchOne(
  newsroom: Newsroom,
  id: number,
  sourceUrl: string,
  options: FetchOptions,
): Promise<FetchLine> {
  let image: StoredImage;
  try {
    const bytes = await downloadPublic(sourceUrl, {
      maxBytes: options.maxBytes,
      timeoutMs: options.timeoutMs ?? 30_000,
      allowPrivate: options.allowPrivate === true,
      allowAddress: options.allowAddress,
      resolve: options.resolve,
    });
    image = await storeOrRefuse(newsroom, bytes);
  } catch (error) {
    // Refusals name their reason; anything else here (a disk that is full)
    // is the newsroom's to fix, and stops the run.
    if (!isDomainError(error)) throw error;
    return { id, url: sourceUrl, ok: false, detail: error.message };
  }
  try {
    await setMediaFile(newsroom.store.db, id, image);
  } catch (error) {
    if (image.isNew && !(await isMediaFileReferenced(newsroom.store.db, image.file))) {
      await newsroom.mediaFiles.remove(image.file);
    }
    throw error;
  }
  // Pages that showed the photo without its file can show it now.
  newsroom.changed?.([`m:${id}`]);
  return { id, url: sourceUrl, ok: true, detail: `${image.width}×${image.height}` };
}
