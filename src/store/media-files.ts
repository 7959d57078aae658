import { createHash } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
};

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
      await rm(join(directory, file), { force: true });
    },
  };
}
