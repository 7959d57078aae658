import { lookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { DomainError, isDomainError } from '../core/errors.js';
import { isPublicAddress } from '../core/public-address.js';

// Downloads a file named in an imported document without letting that
// document reach the server's own network. A host name is resolved once, every
// address it resolves to is checked, and the connection goes to a checked
// address (the name still goes in the Host header and TLS's SNI): a resolver
// that answers a public address to the check and 127.0.0.1 to the connection
// (DNS rebinding) gets nowhere. Each redirect is resolved and checked again.

/** Every address a host name resolves to. */
export type Resolve = (host: string) => Promise<string[]>;

export type DownloadOptions = {
  maxBytes: number;
  /** For the whole download: resolving, connecting, redirects and the body. */
  timeoutMs: number;
  /** Fetch from loopback and private networks too. */
  allowPrivate: boolean;
  /** Lets one non-public address through (tests: their own 127.0.0.1 listener). */
  allowAddress?: ((address: string) => boolean) | undefined;
  /** How host names are resolved (tests pass their own; the system resolver by default). */
  resolve?: Resolve | undefined;
  /** What is asked for (images by default; an oEmbed answer asks for JSON). */
  accept?: string | undefined;
};

const MAX_REDIRECTS = 5;
const PROTOCOLS = new Set(['http:', 'https:']);

const systemResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * The body of `url` (following up to five redirects), from public addresses
 * only unless allowed; any failure — a refused address, a timeout, a reset,
 * an error status, a body over `maxBytes` — is a DomainError saying why.
 */
export async function downloadPublic(url: string, options: DownloadOptions): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    return await follow(url, options, signal);
  } catch (error) {
    if (isDomainError(error)) throw error;
    if (signal.aborted) {
      throw new DomainError(
        'not_found',
        `could not be fetched: no complete answer within ${seconds(options.timeoutMs)}`,
      );
    }
    throw new DomainError('not_found', `could not be fetched: ${describe(error)}`);
  }
}

async function follow(url: string, options: DownloadOptions, signal: AbortSignal) {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new DomainError('invalid_input', 'not an address');
  }
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!PROTOCOLS.has(target.protocol)) {
      throw new DomainError(
        'invalid_input',
        `only http(s) addresses are fetched, not ${target.protocol}`,
      );
    }
    const addresses = await checkedAddresses(target, options, signal);
    const response = await get(target, addresses, signal, options.accept ?? 'image/*');
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.destroy();
      try {
        target = new URL(location, target);
      } catch {
        throw new DomainError('not_found', 'redirected to something that is not an address');
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      throw new DomainError('not_found', `the server answered ${status}`);
    }
    return await readBody(response, options.maxBytes);
  }
  throw new DomainError('not_found', `more than ${MAX_REDIRECTS} redirects`);
}

/** The addresses `url`'s host resolves to, each one checked; refused if any is not allowed. */
async function checkedAddresses(
  url: URL,
  options: DownloadOptions,
  signal: AbortSignal,
): Promise<string[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await abortable((options.resolve ?? systemResolve)(host), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      addresses = [];
    }
    if (addresses.length === 0) {
      throw new DomainError('not_found', `could not be fetched: ${host} does not resolve`);
    }
  }
  if (options.allowPrivate) return addresses;
  // Every address, not only the first: the connection may use any of them.
  const refused = addresses.find(
    (address) => !isPublicAddress(address) && !options.allowAddress?.(address),
  );
  if (refused !== undefined) {
    throw new DomainError(
      'invalid_input',
      `${refused === host ? host : `${host} (${refused})`} is a private or local address: not fetched (pass --allow-private to allow it)`,
    );
  }
  return addresses;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** A GET of `url` on a fresh connection to one of `addresses`, never to another one. */
function get(
  url: URL,
  addresses: string[],
  signal: AbortSignal,
  accept: string,
): Promise<IncomingMessage> {
  const entries = addresses.map((address) => ({ address, family: isIP(address) }));
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    const first = entries[0];
    if (!first) callback(new Error('no checked address'), '');
    else if (lookupOptions.all) callback(null, entries);
    else callback(null, first.address, first.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      url,
      {
        // No pooled socket: one to another address must never be reused.
        agent: false,
        lookup: pinned,
        signal,
        headers: { accept, 'user-agent': 'Masthead media fetch' },
      },
      resolve,
    );
    request.on('error', reject);
  });
}

/** The body, cut off (refused) as soon as it passes `maxBytes`, whatever size it announced. */
async function readBody(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length'] ?? '0');
  if (declared > maxBytes) {
    response.destroy();
    throw tooLarge(maxBytes);
  }
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxBytes) {
      response.destroy();
      throw tooLarge(maxBytes);
    }
    parts.push(chunk);
  }
  // A connection closed before the announced length is a cut-off file, not a photo.
  if (!response.complete) throw new DomainError('not_found', 'the server stopped mid-file');
  return Buffer.concat(parts);
}

function tooLarge(maxBytes: number): DomainError {
  const mb = maxBytes / 1024 / 1024;
  return new DomainError(
    'file_too_large',
    `larger than ${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`,
  );
}

function seconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

const REASONS: Record<string, string> = {
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ETIMEDOUT: 'the connection timed out',
  EPIPE: 'the connection was closed',
};

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code && REASONS[code]) return REASONS[code];
  return error instanceof Error ? error.message : String(error);
}
