import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import exifr from 'exifr';
import sharp from 'sharp';
import { parseRenditionName, type RenditionFormat, renditionWidths } from '../core/renditions.js';
import { createSemaphore, createSingleFlight, type Semaphore } from './concurrency.js';
import type { LeaseOutcome } from './leases.js';
import { type FileWriter, folderMediaBytes, type MediaBytes } from './media-bytes.js';
import { isStorageFull } from './storage-full.js';

export type { FileWriter } from './media-bytes.js';

export type StoredImage = {
  file: string;
  width: number;
  height: number;
  /** False when an identical file was already stored (and must not be removed on rollback). */
  isNew: boolean;
};

/**
 * Photos' files: what is made of an upload, and its renditions. Files are
 * named by content hash, so a re-import of the same picture reuses its file
 * and names never collide. Where the bytes live is `bytes`' business
 * (folders under the data directory, or object storage).
 */
export type MediaFiles = {
  bytes: MediaBytes;
  /** Normalises any image sharp reads (SVG included) to a JPEG and stores it. */
  storeImage: (bytes: Uint8Array) => Promise<StoredImage>;
  /**
   * The upload exactly as it arrived, metadata and all, kept outside the
   * public folder for editors (null when none was kept, e.g. a photo stored
   * before originals were kept).
   */
  readOriginal: (
    file: string,
  ) => Promise<{ body: Buffer; contentType: string; name: string } | null>;
  /** Removes a file stored by `storeImage`, its original and its renditions (a failed upload, a deleted photo). */
  remove: (file: string) => Promise<void>;
  /**
   * What the image's embedded IPTC IIM and XMP say (exifr's output, one group
   * per standard); {} when it carries none or they cannot be read.
   */
  readMetadata: (bytes: Uint8Array) => Promise<Record<string, unknown>>;
  /**
   * A stored master or one of its renditions (made from the master on first
   * request, then kept beside it), with its content type; null when `name` is
   * neither (never a path outside the folder).
   */
  read: (name: string) => Promise<{ body: Buffer; contentType: string } | null>;
};

// The formats uploads are accepted in, by what sharp reads in the bytes (not
// the file name), with the extension their kept original is stored under.
const ORIGINAL_EXTENSIONS: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  heif: 'avif',
  gif: 'gif',
  svg: 'svg',
};
const ORIGINAL_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  svg: 'image/svg+xml',
};

/** The content type of a kept original, by the extension it was stored under. */
export function originalContentType(name: string): string {
  return ORIGINAL_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

const CONTENT_TYPES: Record<RenditionFormat, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpg: 'image/jpeg',
};

/** Encodes one rendition. AVIF at low effort: default effort takes seconds per image on small machines. */
async function encodeRendition(
  master: Buffer,
  width: number,
  format: RenditionFormat,
): Promise<Buffer> {
  const resized = sharp(master).resize({ width, withoutEnlargement: true });
  if (format === 'avif') return await resized.avif({ quality: 55, effort: 2 }).toBuffer();
  if (format === 'webp') return await resized.webp({ quality: 72 }).toBuffer();
  return await resized.jpeg({ quality: 80, mozjpeg: true }).toBuffer();
}

// Names are a content hash and an extension, nothing else: a request can never
// name a path outside the media folder.
const STORED_NAME = /^[a-f0-9]{32}\.jpg$/;

// Refuses decompression bombs before decoding them.
const MAX_PIXELS = 100_000_000;

/**
 * How many sharp pipelines (an upload's decode and encode, a rendition's
 * encode) run at once in a process; the rest queue. Each holds hundreds of
 * megabytes for a large photo (measured for 100 megapixels: about 600 MiB
 * for an upload, 300 MiB for a rendition of its progressive master), so a
 * burst must queue. Two keep two cores busy: four such uploads at once took
 * as long as without a bound (7.5 s), the server peaking at 1.4 GiB instead
 * of 2.6 (`npm run bench:media`).
 */
export const IMAGE_PIPELINES = 2;

// Process-wide, as libvips' memory is: every MediaFiles of a process shares it.
const processPipelines = createSemaphore(IMAGE_PIPELINES);

/**
 * libvips set for a long-running server. No operation cache: renditions are
 * kept on disk, and with sharp's default cache a burst of renditions of one
 * 100-megapixel photo left 2.5 GiB held in the process, against less than
 * 0.2 GiB above the start without it. One thread per pipeline: the codecs here
 * work on one thread anyway (two were no faster), and sharp's own default
 * changes with MALLOC_ARENA_MAX (1 with glibc, else one per core).
 */
export function setServerImageSettings(): void {
  sharp.cache(false);
  sharp.concurrency(1);
}

/**
 * Says whether this process may make a rendition, so that servers sharing
 * object storage make each one once: `withLease` bound to the database (a
 * PostgreSQL advisory lock; on SQLite the work simply runs).
 */
export type RenditionLease = <T>(name: string, work: () => Promise<T>) => Promise<LeaseOutcome<T>>;

const alwaysMine: RenditionLease = async (_name, work) => ({ ran: true, value: await work() });

/** How often, and how long, a server polls for a rendition another server is making. */
const MADE_ELSEWHERE_POLL_MS = 100;
const MADE_ELSEWHERE_WAIT_MS = 30_000;

/** The kept original of `file` ("<hash>.jpg"), whatever its extension, or null. */
async function findOriginal(bytes: MediaBytes, file: string): Promise<string | null> {
  const [name] = await bytes.list('private', file.replace(/\.jpg$/, '.'));
  return name ?? null;
}

/**
 * Public masters and renditions in `directory` (served under /media/), and the
 * uploads as they arrived in `originalsDirectory`, which is never served: an
 * original may carry a GPS position or a camera serial number. Its sharp work
 * queues in `pipelines`: the process's own unless a test or benchmark says.
 */
export function mediaFilesAt(
  directory: string,
  originalsDirectory: string,
  write: FileWriter = writeFile,
  pipelines: Semaphore = processPipelines,
): MediaFiles {
  return mediaFilesOn(folderMediaBytes(directory, originalsDirectory, write), { pipelines });
}

/**
 * Photos whose bytes are in `bytes`. Renditions are made on first request,
 * one encode however many ask: in this process by single-flight, across the
 * servers sharing the storage by `lease` (a server that finds another making
 * one waits for it to appear rather than make it again).
 */
export function mediaFilesOn(
  bytes: MediaBytes,
  options: { pipelines?: Semaphore; lease?: RenditionLease } = {},
): MediaFiles {
  const pipelines = options.pipelines ?? processPipelines;
  const lease = options.lease ?? alwaysMine;
  // Keyed by rendition name: every request for one rendition while it is
  // being made waits for that one encode.
  const renditionFlights = createSingleFlight<Buffer | null>();

  /** Encodes a rendition from its master; null when it is not one worth making. */
  async function encode(rendition: {
    master: string;
    width: number;
    format: RenditionFormat;
  }): Promise<Buffer | null> {
    // Read once a place is free: a request waiting in line holds no master in memory.
    const master = await bytes.read('public', rendition.master);
    if (!master) return null;
    const { width } = await sharp(master).metadata();
    // Only the widths the pages ask for, and never an upscale.
    if (!renditionWidths(width ?? null).includes(rendition.width)) return null;
    return await encodeRendition(master, rendition.width, rendition.format);
  }

  /** The kept rendition, or made from its master and kept; null when it is not one worth making. */
  async function keptOrMade(
    name: string,
    rendition: { master: string; width: number; format: RenditionFormat },
  ): Promise<Buffer | null> {
    const waitUntil = Date.now() + MADE_ELSEWHERE_WAIT_MS;
    for (;;) {
      const kept = await bytes.read('public', name);
      if (kept) return kept;
      const outcome = await pipelines.run(() =>
        lease(`rendition:${name}`, async () => {
          // Made by another server while this one waited for the lease?
          const madeMeanwhile = await bytes.read('public', name);
          if (madeMeanwhile) return madeMeanwhile;
          const body = await encode(rendition);
          if (!body) return null;
          // On a full disk the rendition is still served, only not kept for the next request.
          await bytes
            .write('public', name, body, CONTENT_TYPES[rendition.format])
            .catch((error: unknown) => {
              if (!isStorageFull(error)) throw error;
            });
          return body;
        }),
      );
      if (outcome.ran) return outcome.value;
      // Another server is making it: it will be in the storage shortly. If it
      // never comes (that server died), make it here after all.
      if (Date.now() > waitUntil) return await pipelines.run(() => encode(rendition));
      await new Promise((resolve) => setTimeout(resolve, MADE_ELSEWHERE_POLL_MS));
    }
  }

  return {
    bytes,
    async storeImage(input) {
      const { format, data, info } = await pipelines.run(async () => {
        const image = sharp(input, { limitInputPixels: MAX_PIXELS });
        const { format } = await image.metadata();
        const output = await image
          .rotate()
          .jpeg({ quality: 82, mozjpeg: true })
          .toBuffer({ resolveWithObject: true });
        return { format, ...output };
      });
      const file = `${createHash('sha256').update(data).digest('hex').slice(0, 32)}.jpg`;
      const isNew = !(await bytes.has('public', file));
      if (!isNew) return { file, width: info.width, height: info.height, isNew };
      const extension = ORIGINAL_EXTENSIONS[format ?? ''] ?? 'bin';
      const original = file.replace(/\.jpg$/, `.${extension}`);
      await bytes.write('private', original, input, originalContentType(original));
      try {
        await bytes.write('public', file, data, 'image/jpeg');
      } catch (error) {
        // All or nothing: an original without its master would be kept forever.
        await bytes.remove('private', original).catch(() => {});
        throw error;
      }
      return { file, width: info.width, height: info.height, isNew };
    },
    async readOriginal(file) {
      if (!STORED_NAME.test(file)) return null;
      const name = await findOriginal(bytes, file);
      if (!name) return null;
      const body = await bytes.read('private', name);
      return body ? { body, name, contentType: originalContentType(name) } : null;
    },
    async remove(file) {
      if (!STORED_NAME.test(file)) return;
      await bytes.remove('public', file);
      const original = await findOriginal(bytes, file);
      if (original) await bytes.remove('private', original);
      // Its kept renditions go with it.
      for (const name of await bytes.list('public', file.replace(/\.jpg$/, '-'))) {
        if (parseRenditionName(name)) await bytes.remove('public', name);
      }
    },
    async readMetadata(input) {
      // mergeOutput: false keeps IPTC and XMP apart (merged, XMP Credit would hide IPTC Credit).
      const raw = await exifr
        .parse(Buffer.from(input), {
          iptc: true,
          xmp: true,
          tiff: false,
          exif: false,
          gps: false,
          mergeOutput: false,
        })
        .catch(() => undefined);
      return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    },
    async read(name) {
      const rendition = parseRenditionName(name);
      if (rendition) {
        const body = await renditionFlights(name, () => keptOrMade(name, rendition));
        return body ? { body, contentType: CONTENT_TYPES[rendition.format] } : null;
      }
      if (!STORED_NAME.test(name)) return null;
      const body = await bytes.read('public', name);
      return body ? { body, contentType: 'image/jpeg' } : null;
    },
  };
}
