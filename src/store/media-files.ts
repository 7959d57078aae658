import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { parseRenditionName, type RenditionFormat, renditionWidths } from '../core/renditions.js';
import { createSemaphore, createSingleFlight, type Semaphore } from './concurrency.js';
import { isStorageFull } from './storage-full.js';

export type StoredImage = {
  file: string;
  width: number;
  height: number;
  /** False when an identical file was already stored (and must not be removed on rollback). */
  isNew: boolean;
};

/**
 * Image files under the data directory. Files are named by content hash, so a
 * re-import of the same picture reuses its file and names never collide.
 */
export type MediaFiles = {
  directory: string;
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
   * request, then cached on disk), with its content type; null when `name` is
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

/** How files are written: node's writeFile, or in tests one that fails as a full disk does. */
export type FileWriter = (path: string, data: Uint8Array) => Promise<void>;

/**
 * Writes through a temporary name, so a reader never sees half a file; a
 * failed write (a full disk) leaves no temporary file behind either.
 */
async function writeAtomically(write: FileWriter, path: string, data: Uint8Array): Promise<void> {
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

/** The kept original of `file` ("<hash>.jpg"), whatever its extension, or null. */
async function findOriginal(originalsDirectory: string, file: string): Promise<string | null> {
  const stem = file.replace(/\.jpg$/, '.');
  const names = await readdir(originalsDirectory).catch(() => [] as string[]);
  return names.find((name) => name.startsWith(stem) && !name.endsWith('.tmp')) ?? null;
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
  // Keyed by rendition name: every request for one rendition while it is
  // being made waits for that one encode.
  const renditionFlights = createSingleFlight<Buffer | null>();

  /** The rendition from disk, or made from its master and kept; null when it is not one worth making. */
  async function cachedOrMade(
    name: string,
    rendition: { master: string; width: number; format: RenditionFormat },
  ): Promise<Buffer | null> {
    const cached = await readFile(join(directory, name)).catch(() => null);
    if (cached) return cached;
    const body = await pipelines.run(async () => {
      // Read once a place is free: a request waiting in line holds no master in memory.
      const master = await readFile(join(directory, rendition.master)).catch(() => null);
      if (!master) return null;
      const { width } = await sharp(master).metadata();
      // Only the widths the pages ask for, and never an upscale.
      if (!renditionWidths(width ?? null).includes(rendition.width)) return null;
      return await encodeRendition(master, rendition.width, rendition.format);
    });
    if (!body) return null;
    // On a full disk the rendition is still served, only not kept for the next request.
    await writeAtomically(write, join(directory, name), body).catch((error: unknown) => {
      if (!isStorageFull(error)) throw error;
    });
    return body;
  }

  return {
    directory,
    async storeImage(bytes) {
      const { format, data, info } = await pipelines.run(async () => {
        const image = sharp(bytes, { limitInputPixels: MAX_PIXELS });
        const { format } = await image.metadata();
        const output = await image
          .rotate()
          .jpeg({ quality: 82, mozjpeg: true })
          .toBuffer({ resolveWithObject: true });
        return { format, ...output };
      });
      const file = `${createHash('sha256').update(data).digest('hex').slice(0, 32)}.jpg`;
      await mkdir(directory, { recursive: true });
      const target = join(directory, file);
      const isNew = await access(target).then(
        () => false,
        () => true,
      );
      if (!isNew) return { file, width: info.width, height: info.height, isNew };
      const extension = ORIGINAL_EXTENSIONS[format ?? ''] ?? 'bin';
      await mkdir(originalsDirectory, { recursive: true, mode: 0o700 });
      const original = join(originalsDirectory, file.replace(/\.jpg$/, `.${extension}`));
      await writeAtomically(write, original, bytes);
      try {
        await writeAtomically(write, target, data);
      } catch (error) {
        // All or nothing: an original without its master would be kept forever.
        await rm(original, { force: true }).catch(() => {});
        throw error;
      }
      return { file, width: info.width, height: info.height, isNew };
    },
    async readOriginal(file) {
      if (!STORED_NAME.test(file)) return null;
      const name = await findOriginal(originalsDirectory, file);
      if (!name) return null;
      const body = await readFile(join(originalsDirectory, name)).catch(() => null);
      const extension = name.slice(name.lastIndexOf('.') + 1);
      return body
        ? { body, name, contentType: ORIGINAL_TYPES[extension] ?? 'application/octet-stream' }
        : null;
    },
    async remove(file) {
      if (!STORED_NAME.test(file)) return;
      await rm(join(directory, file), { force: true });
      const original = await findOriginal(originalsDirectory, file);
      if (original) await rm(join(originalsDirectory, original), { force: true });
      // Its cached renditions go with it.
      const stem = file.replace(/\.jpg$/, '-');
      const names = await readdir(directory).catch(() => [] as string[]);
      for (const name of names) {
        if (name.startsWith(stem) && parseRenditionName(name))
          await rm(join(directory, name), { force: true });
      }
    },
    async readMetadata(bytes) {
      // mergeOutput: false keeps IPTC and XMP apart (merged, XMP Credit would hide IPTC Credit).
      const raw = await exifr
        .parse(Buffer.from(bytes), {
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
        const body = await renditionFlights(name, () => cachedOrMade(name, rendition));
        return body ? { body, contentType: CONTENT_TYPES[rendition.format] } : null;
      }
      if (!STORED_NAME.test(name)) return null;
      const body = await readFile(join(directory, name)).catch(() => null);
      return body ? { body, contentType: 'image/jpeg' } : null;
    },
  };
}
