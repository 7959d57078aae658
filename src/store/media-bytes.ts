import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

// Where the bytes of photos live, apart from what is done with them
// (media-files.ts decodes, encodes and names them). Two areas: `public`, the
// masters and renditions served under /media/, and `private`, the uploads as
// they arrived, which may carry a GPS position or a camera's serial number
// and are never served. Either a pair of folders under the data directory
// (the default), or S3-compatible object storage, which several app servers
// can share.

export type MediaArea = 'public' | 'private';

export type MediaBytes = {
  /** Where, for messages: the folder, or the s3:// address, of each area. */
  readonly where: Record<MediaArea, string>;
  /** The stored bytes, or null when there are none under that name. */
  read: (area: MediaArea, name: string) => Promise<Buffer | null>;
  /** Stores the bytes whole or not at all: a reader never sees half of them. */
  write: (area: MediaArea, name: string, bytes: Uint8Array, contentType: string) => Promise<void>;
  has: (area: MediaArea, name: string) => Promise<boolean>;
  /** Removes the bytes (nothing when there are none). */
  remove: (area: MediaArea, name: string) => Promise<void>;
  /** The names stored in an area that begin with `prefix` (all, without one). */
  list: (area: MediaArea, prefix?: string) => Promise<string[]>;
  /** The file that holds the bytes, when they are in one (backups read such files in place). */
  localPath?: (area: MediaArea, name: string) => string;
};

/** How files are written: node's writeFile, or in tests one that fails as a full disk does. */
export type FileWriter = (path: string, data: Uint8Array) => Promise<void>;

/**
 * Writes through a temporary name, so a reader never sees half a file; a
 * failed write (a full disk) leaves no temporary file behind either.
 */
export async function writeAtomically(
  write: FileWriter,
  path: string,
  data: Uint8Array,
): Promise<void> {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await write(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    // The write's own error is the one worth reporting, not a failed clean-up.
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Folders

/**
 * The public area in `publicDirectory`, the private one in
 * `privateDirectory` (made readable by its owner only).
 */
export function folderMediaBytes(
  publicDirectory: string,
  privateDirectory: string,
  write: FileWriter = writeFile,
): MediaBytes {
  const folders: Record<MediaArea, string> = {
    public: publicDirectory,
    private: privateDirectory,
  };
  const path = (area: MediaArea, name: string) => join(folders[area], checked(name));
  return {
    where: folders,
    localPath: path,
    read: (area, name) => readFile(path(area, name)).catch(() => null),
    async write(area, name, bytes) {
      await mkdir(folders[area], {
        recursive: true,
        ...(area === 'private' ? { mode: 0o700 } : {}),
      });
      await writeAtomically(write, path(area, name), bytes);
    },
    has: (area, name) =>
      stat(path(area, name)).then(
        () => true,
        () => false,
      ),
    remove: (area, name) => rm(path(area, name), { force: true }),
    async list(area, prefix = '') {
      const entries = await readdir(folders[area], { withFileTypes: true }).catch(
        (error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
          throw error;
        },
      );
      // Half-written files (writeAtomically's) are no one's yet.
      return entries
        .filter((entry) => entry.isFile() && entry.name.startsWith(prefix))
        .map((entry) => entry.name)
        .filter((name) => !name.endsWith('.tmp'))
        .sort();
    },
  };
}

// ---------------------------------------------------------------------------
// S3-compatible object storage

/** A bucket and a key prefix ("" or ending in "/"). */
export type S3Location = { bucket: string; prefix: string };

/** "s3://bucket/prefix/", for messages. */
export function s3Address(location: S3Location): string {
  return `s3://${location.bucket}/${location.prefix}`;
}

// What a name in an area may be: a content hash and an extension, a
// rendition's suffix. Checked here too, whatever the callers checked: a name
// is never a path or a key outside the area.
const SAFE_NAME = /^[a-z0-9][a-z0-9-]*\.[a-z0-9]+$/;

function checked(name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`not a stored photo's name: ${JSON.stringify(name)}`);
  return name;
}

export type S3Options = {
  public: S3Location;
  private: S3Location;
  /** An S3-compatible service's address (MinIO, Garage, R2…); AWS itself without one. */
  endpoint?: string;
  region?: string;
  /** Without them, the AWS SDK's own chain (AWS_ACCESS_KEY_ID…, a role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

function isMissing(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}

/**
 * Masters and renditions under one bucket and prefix, which may be public
 * (a CDN can serve it), originals under another, which must not be.
 */
export function s3MediaBytes(options: S3Options): MediaBytes {
  const client = new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Checksums only where S3 demands them: S3-compatible services do not all
    // read the newer checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const locations: Record<MediaArea, S3Location> = {
    public: options.public,
    private: options.private,
  };
  const object = (area: MediaArea, name: string) => ({
    Bucket: locations[area].bucket,
    Key: `${locations[area].prefix}${checked(name)}`,
  });
  return {
    where: { public: s3Address(options.public), private: s3Address(options.private) },
    async read(area, name) {
      try {
        const answer = await client.send(new GetObjectCommand(object(area, name)));
        return answer.Body ? Buffer.from(await answer.Body.transformToByteArray()) : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async write(area, name, bytes, contentType) {
      // A PUT is whole or nothing: readers get the old object or the new one.
      await client.send(
        new PutObjectCommand({
          ...object(area, name),
          Body: bytes,
          ContentType: contentType,
          // Names are content hashes: what is under one never changes.
          ...(area === 'public' ? { CacheControl: 'public, max-age=31536000, immutable' } : {}),
        }),
      );
    },
    async has(area, name) {
      try {
        await client.send(new HeadObjectCommand(object(area, name)));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async remove(area, name) {
      await client.send(new DeleteObjectCommand(object(area, name)));
    },
    async list(area, prefix = '') {
      const { bucket, prefix: base } = locations[area];
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: `${base}${prefix}`,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const item of page.Contents ?? []) {
          const name = item.Key?.slice(base.length) ?? '';
          // Deeper keys belong to something else sharing the bucket (the other area, say).
          if (name !== '' && !name.includes('/')) names.push(name);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return names.sort();
    },
  };
}
