import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';

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
  /** Removes a file stored by `storeImage` (used to undo a failed transaction). */
  remove: (file: string) => Promise<void>;
  /**
   * What the image's embedded IPTC IIM and XMP say (exifr's output, one group
   * per standard); {} when it carries none or they cannot be read.
   */
  readMetadata: (bytes: Uint8Array) => Promise<Record<string, unknown>>;
  /** The bytes of a stored file, or null when `name` is not one (never a path outside the folder). */
  read: (name: string) => Promise<Buffer | null>;
};

// Names are a content hash and an extension, nothing else: a request can never
// name a path outside the media folder.
const STORED_NAME = /^[a-f0-9]{32}\.jpg$/;

// Refuses decompression bombs before decoding them.
const MAX_PIXELS = 100_000_000;

export function mediaFilesAt(directory: string): MediaFiles {
  return {
    directory,
    async storeImage(bytes) {
      const image = sharp(bytes, { limitInputPixels: MAX_PIXELS }).rotate();
      const { data, info } = await image
        .jpeg({ quality: 82, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
      const file = `${createHash('sha256').update(data).digest('hex').slice(0, 32)}.jpg`;
      await mkdir(directory, { recursive: true });
      const target = join(directory, file);
      const isNew = await access(target).then(
        () => false,
        () => true,
      );
      if (!isNew) return { file, width: info.width, height: info.height, isNew };
      const temporary = join(directory, `.${file}.${process.pid}.tmp`);
      await writeFile(temporary, data);
      await rename(temporary, target);
      return { file, width: info.width, height: info.height, isNew };
    },
    async remove(file) {
      if (STORED_NAME.test(file)) await rm(join(directory, file), { force: true });
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
      if (!STORED_NAME.test(name)) return null;
      return await readFile(join(directory, name)).catch(() => null);
    },
  };
}
