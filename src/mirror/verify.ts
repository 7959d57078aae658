import { createHash, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DomainError } from '../core/errors.js';
import {
  compareWithManifest,
  MANIFEST_FILE,
  type MirrorDifference,
  type MirrorManifest,
  parseManifest,
  SIGNATURE_FILE,
} from '../core/mirror-manifest.js';
import { checkSignature } from './keys.js';

// Checks a mirror (a folder, or an http(s) address serving one) against its
// signed manifest: the signature first, with a key the reader trusts, then
// every file. A folder can also be searched for files nobody signed; over
// HTTP only the listed files can be asked for.

export type MirrorVerdict = {
  manifest: MirrorManifest;
  checked: number;
  differences: MirrorDifference[];
};

/** Fails (with the reason) when the manifest is missing, unreadable or not signed by `key`. */
export async function verifyMirror(
  location: string,
  key: KeyObject,
  fetchFile: typeof fetch = fetch,
): Promise<MirrorVerdict> {
  const isRemote = /^https?:\/\//.test(location);
  const read = isRemote
    ? remoteReader(location, fetchFile)
    : (path: string) => readFile(join(location, path)).catch(() => null);
  const manifestBytes = await read(MANIFEST_FILE);
  if (!manifestBytes)
    throw new DomainError(
      'malformed_file',
      `${location} has no ${MANIFEST_FILE}: it is not a Masthead mirror`,
    );
  const signature = await read(SIGNATURE_FILE);
  if (!signature)
    throw new DomainError(
      'malformed_file',
      `${location} has no ${SIGNATURE_FILE}: the mirror is not signed`,
    );
  if (!checkSignature(manifestBytes, signature.toString('utf8'), key))
    throw new DomainError(
      'malformed_file',
      `${SIGNATURE_FILE} does not match ${MANIFEST_FILE} with this public key: the manifest was altered, or signed by someone else`,
    );
  const manifest = parseManifest(manifestBytes);

  const found = new Map<string, { size: number; sha256: string } | null>();
  if (isRemote) {
    for (const file of manifest.files) found.set(file.path, digestOrNull(await read(file.path)));
  } else {
    for (const path of await listFolder(location)) found.set(path, digestOrNull(await read(path)));
  }
  return {
    manifest,
    checked: manifest.files.length,
    differences: compareWithManifest(manifest, found, !isRemote),
  };
}

/** A file's size and SHA-256, as a manifest lists them. */
export function digestOf(bytes: Buffer): { size: number; sha256: string } {
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function digestOrNull(bytes: Buffer | null): { size: number; sha256: string } | null {
  return bytes ? digestOf(bytes) : null;
}

function remoteReader(base: string, fetchFile: typeof fetch) {
  const root = base.endsWith('/') ? base : `${base}/`;
  return async (path: string): Promise<Buffer | null> => {
    const response = await fetchFile(new URL(encodeURI(path), root), {
      redirect: 'error',
      signal: AbortSignal.timeout(30_000),
    }).catch(() => null);
    if (!response?.ok) return null;
    return Buffer.from(await response.arrayBuffer());
  };
}

/** Every file under `folder`, as mirror paths ("news/index.html"). */
async function listFolder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'));
}
