import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
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
  /** At most this many photos in one run (all by default). */
  limit?: number;
  /**
   * Fetch from loopback and private networks too. Off by default: the
   * addresses come from imported files, and must not reach the server's own
   * network (a cloud metadata service, an admin port).
   */
  allowPrivate?: boolean;
};

const MAX_REDIRECTS = 5;

// Loopback, private, link-local, carrier-grade NAT, unique-local, multicast and unspecified ranges.
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  return PRIVATE.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** Refuses a host that is, or resolves to, a loopback or private address. */
async function checkPublicHost(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host)
      ? [host]
      : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    throw new DomainError('not_found', `could not be fetched: ${host} does not resolve`);
  }
  if (addresses.some(isPrivateAddress)) {
    throw new DomainError(
      'invalid_input',
      `${host} is a private or local address: not fetched (pass --allow-private to allow it)`,
    );
  }
}

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

export async function fetchImportedMedia(
  newsroom: Newsroom,
  options: FetchOptions,
): Promise<FetchLine[]> {
  const client = options.fetch ?? fetch;
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
    for (const { id, sourceUrl } of page) {
      lines.push(await fetchOne(newsroom, client, id, sourceUrl, options));
    }
  }
  return lines;
}

async function fetchOne(
  newsroom: Newsroom,
  client: typeof fetch,
  id: number,
  sourceUrl: string,
  options: FetchOptions,
): Promise<FetchLine> {
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
    // Pages that showed the photo without its file can show it now.
    newsroom.changed?.([`m:${id}`]);
    return { id, url: sourceUrl, ok: true, detail: `${image.width}×${image.height}` };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { id, url: sourceUrl, ok: false, detail: error.message };
  }
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
  let response: Response | null = null;
  // Redirects are followed by hand, each hop checked like the first.
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!ALLOWED_PROTOCOLS.has(parsed.protocol)) {
      throw new DomainError(
        'invalid_input',
        `only http(s) addresses are fetched, not ${parsed.protocol}`,
      );
    }
    if (!options.allowPrivate) await checkPublicHost(parsed);
    try {
      response = await client(parsed, {
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new DomainError('not_found', `could not be fetched: ${(error as Error).message}`);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) break;
    await response.body?.cancel();
    parsed = new URL(location, parsed);
    response = null;
  }
  if (!response) throw new DomainError('not_found', `more than ${MAX_REDIRECTS} redirects`);
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
