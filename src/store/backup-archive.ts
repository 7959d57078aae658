import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { DomainError } from '../core/errors.js';

// The backup's container: a gzip-compressed tar, written and read as streams
// (tar-stream, node:zlib), so a media library larger than memory passes
// through. What goes in it, and what the entries mean, is newsroom/backup.ts's.

/** One entry to write: bytes in memory, or a file streamed from disk; `sha256` is checked as it streams. */
export type ArchiveEntry = { name: string; size: number; sha256: string; mode: number } & (
  | { bytes: Buffer }
  | { path: string }
);

/** What a file's bytes hash to, and how many there are. */
export type Digest = { sha256: string; size: number };

/** A pass-through stream that hashes what flows through it. */
export function hashingStream(): Transform & { digest: () => Digest } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return Object.assign(stream, { digest: () => ({ sha256: hash.digest('hex'), size }) });
}

export function digestOf(bytes: Buffer): Digest {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

/** Hashes a file without loading it. */
export async function digestFile(path: string): Promise<Digest> {
  const hasher = hashingStream();
  await pipeline(createReadStream(path), hasher, async (source: AsyncIterable<Buffer>) => {
    for await (const _ of source);
  });
  return hasher.digest();
}

/**
 * Writes `entries` as a gzip-compressed tar at `file`, through a temporary
 * name beside it: the file is complete or absent, never half-written. Each
 * entry's bytes are hashed as they stream and must match its `sha256` (a file
 * changed since it was hashed fails the write). Readable by the owner only:
 * a backup holds what the database holds.
 */
export async function writeArchive(
  file: string,
  entries: Iterable<ArchiveEntry>,
  mtime: Date,
): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const pack = tar.pack();
  const written = pipeline(pack, createGzip(), createWriteStream(temporary, { mode: 0o600 }));
  // Reported by the await below; this keeps an early failure from going unhandled meanwhile.
  written.catch(() => {});
  try {
    for (const entry of entries) {
      const header = { name: entry.name, size: entry.size, mode: entry.mode, mtime };
      const hasher = hashingStream();
      const changed = new DomainError(
        'conflict',
        `${entry.name} changed while the backup was being written; run the backup again`,
      );
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
        const source = 'bytes' in entry ? streamOf(entry.bytes) : createReadStream(entry.path);
        pipeline(source, hasher, sink).catch(reject);
      }).catch((error: unknown) => {
        // tar-stream refuses an entry whose bytes differ in number from its
        // header's size: the file grew or shrank since it was hashed.
        throw error instanceof Error && 'syscall' in error ? error : changed;
      });
      const { sha256, size } = hasher.digest();
      if (sha256 !== entry.sha256 || size !== entry.size) throw changed;
    }
    pack.finalize();
    await written;
    await rename(temporary, file);
  } catch (error) {
    pack.destroy();
    await written.catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
}

async function* streamOf(bytes: Buffer): AsyncIterable<Buffer> {
  yield bytes;
}

/** An entry as read: its name, declared size and type ("file", "directory", …). */
export type ReadEntry = { name: string; size: number; type: string };

/**
 * Reads the gzip-compressed tar at `file` entry by entry, in order; `onEntry`
 * must consume (or drain) each body before the next is read. A file that is
 * not such an archive, or is damaged or cut short, fails with a DomainError
 * naming it; errors thrown by `onEntry` pass through as they are.
 */
export async function readArchive(
  file: string,
  onEntry: (entry: ReadEntry, body: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const source = createReadStream(file);
  try {
    await new Promise<void>((resolve, reject) => {
      source.once('open', () => resolve());
      source.once('error', reject);
    });
  } catch (error) {
    throw new DomainError('not_found', `cannot read ${file}: ${(error as Error).message}`);
  }
  const extract = tar.extract();
  const reading = pipeline(source, createGunzip(), extract);
  reading.catch(() => {});
  try {
    for await (const entry of extract) {
      const { name, size, type } = entry.header;
      await onEntry({ name, size, type }, bytesOf(entry));
      // Whatever `onEntry` left unread is skipped.
      entry.resume();
    }
    await reading;
  } catch (error) {
    source.destroy();
    throw isDamage(error)
      ? new DomainError(
          'malformed_file',
          `${basename(file)} is not a readable backup archive (a gzip-compressed tar); it may be damaged or cut short: ${(error as Error).message}`,
        )
      : error;
  }
}

async function* bytesOf(body: AsyncIterable<unknown>): AsyncIterable<Buffer> {
  for await (const chunk of body) {
    // tar-stream hands out Buffers on Node (through b4a).
    if (!Buffer.isBuffer(chunk)) throw new Error('tar-stream gave a chunk that is not a Buffer');
    yield chunk;
  }
}

/** Whether an error says the archive's bytes are bad, rather than something of ours (a DomainError, a disk). */
function isDamage(error: unknown): boolean {
  if (error instanceof DomainError) return false;
  // Errors from the file system carry the system call that failed; zlib's and
  // tar-stream's do not.
  return !(error instanceof Error && 'syscall' in error);
}
