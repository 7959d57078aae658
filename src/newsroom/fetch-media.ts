import { DomainError, isDomainError } from '../core/errors.js';
import { isMediaFileReferenced, listMediaToFetch, setMediaFile } from '../store/media.js';
import type { Newsroom } from './newsroom.js';
import { storeOrRefuse } from './upload-media.js';

// Imports keep a photo's old address and never download during the import
// (it must be fast, repeatable and work offline). This fetches them later, when
// the newsroom chooses: each photo is checked like an upload, stored without
// its metadata, and given to its record; a photo that cannot be fetched is
// reported and left for the next run.

export type FetchLine = { id: number; url: string; ok: boolean; detail: string };

export type FetchOptions = {
  /** The HTTP client (tests pass their own; the CLI uses the global fetch). */
  fetch?: typeof fetch;
  maxBytes: number;
  timeoutMs?: number;
  /** At most this many photos in one run. */
  limit?: number;
};

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

export async function fetchImportedMedia(
  newsroom: Newsroom,
  options: FetchOptions,
): Promise<FetchLine[]> {
  const client = options.fetch ?? fetch;
  const lines: FetchLine[] = [];
  for (const { id, sourceUrl } of await listMediaToFetch(
    newsroom.store.db,
    options.limit ?? 1000,
  )) {
    try {
      const bytes = await download(client, sourceUrl, options);
      const image = await storeOrRefuse(newsroom, bytes);
      try {
        await setMediaFile(newsroom.store.db, id, image);
      } catch (error) {
        if (image.isNew && !(await isMediaFileReferenced(newsroom.store.db, image.file))) {
          await newsroom.mediaFiles.remove(image.file);
        }
        throw error;
      }
      lines.push({ id, url: sourceUrl, ok: true, detail: `${image.width}×${image.height}` });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      lines.push({ id, url: sourceUrl, ok: false, detail: error.message });
    }
  }
  return lines;
}

async function download(
  client: typeof fetch,
  url: string,
  options: FetchOptions,
): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DomainError('invalid_input', 'not an address');
  }
  if (!ALLOWED_PROTOCOLS.has(parsed.protocol)) {
    throw new DomainError(
      'invalid_input',
      `only http(s) addresses are fetched, not ${parsed.protocol}`,
    );
  }
  let response: Response;
  try {
    response = await client(parsed, {
      redirect: 'follow',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new DomainError('not_found', `could not be fetched: ${(error as Error).message}`);
  }
  if (!response.ok) throw new DomainError('not_found', `the server answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) throw tooLarge(options.maxBytes);
  // Read with a running count: a server that does not say its size (or lies) is cut off at the limit.
  const parts: Uint8Array[] = [];
  let length = 0;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > options.maxBytes) {
      await reader.cancel();
      throw tooLarge(options.maxBytes);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

function tooLarge(maxBytes: number): DomainError {
  const mb = maxBytes / 1024 / 1024;
  return new DomainError(
    'file_too_large',
    `larger than ${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`,
  );
}
