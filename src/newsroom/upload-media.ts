import { DomainError } from '../core/errors.js';
import { checkCredit, checkPhotoText } from '../core/photo-input.js';
import { creditChainFrom, photoMetadataFrom } from '../core/photo-metadata.js';
import { can } from '../core/policy.js';
import type { Media } from '../core/types.js';
import { recordAudit } from '../store/audit.js';
import { insertMedia, isMediaFileReferenced } from '../store/media.js';
import type { StoredImage } from '../store/media-files.js';
import { isStorageFull } from '../store/storage-full.js';
import type { Newsroom, StaffActor } from './newsroom.js';

export type UploadImageInput = {
  bytes: Uint8Array;
  alt: string;
  caption?: string;
  /** A printed line ("EPA / Grigory Sysoev / Sputnik") or an explicit chain, checked here. */
  credit?: string | readonly unknown[];
  /** Made by the newsroom's own staff: may be published without a credit. */
  isOwnPhoto?: boolean;
};

/** What an upload that is not a readable picture is told (the same for every way in). */
export const UNREADABLE_IMAGE =
  'the file is not a photo Masthead can read (it may be damaged, or in a format such as HEIC or PDF): save it as JPEG, PNG or WebP and upload it again';

/** What a photo sent to a server whose disk (or database) is full is told. */
export const STORAGE_FULL =
  "the server's disk is full: the photo was not saved. Ask whoever runs the server to free some space, then upload it again";

/**
 * A full disk named as such (storage_full, 507), whatever reported it: the
 * file system (ENOSPC) or the database (SQLITE_FULL, PostgreSQL disk_full).
 * The original error rides along as `detail`, for the server log.
 */
function storageFullOr(error: unknown): unknown {
  return isStorageFull(error)
    ? new DomainError('storage_full', STORAGE_FULL, undefined, error)
    : error;
}

/** Stores an upload's image file, refusing bytes that are no readable picture and naming a full disk. */
export async function storeOrRefuse(newsroom: Newsroom, bytes: Uint8Array): Promise<StoredImage> {
  if (bytes.byteLength === 0) {
    throw new DomainError('invalid_input', 'file: choose an image to upload', 'file');
  }
  try {
    return await newsroom.mediaFiles.storeImage(bytes);
  } catch (error) {
    // File-system failures (ENOSPC, EACCES) carry a Node error `code` and are
    // ours to fix: a full disk is named, the rest stay a 500. sharp's decoding
    // errors carry none and mean the bytes are not a readable image (or one
    // too large to decode).
    if (!(error instanceof Error) || 'code' in error) throw storageFullOr(error);
    if (/pixel limit/i.test(error.message)) {
      throw new DomainError(
        'invalid_input',
        'the photo has more pixels than the pixel limit Masthead processes: make it smaller (at most about 100 megapixels) and upload it again',
        'file',
      );
    }
    // The decoder's own words ("Input buffer contains unsupported image
    // format") tell a reporter nothing; say what to do instead.
    throw new DomainError('invalid_input', UNREADABLE_IMAGE, 'file');
  }
}

/**
 * Stores an image (normalised to JPEG) with its alt text, caption and credit
 * chain, and writes the media row and its audit entry in one transaction. A
 * refusal or failure leaves no row, and no file this upload added.
 */
export async function uploadImage(
  newsroom: Newsroom,
  actor: StaffActor,
  input: UploadImageInput,
): Promise<Media> {
  if (!can(actor, 'media.upload'))
    throw new DomainError('not_allowed_for_role', 'you may not upload images');
  // What the photo says about itself fills whatever the form left empty: agencies
  // send alt text, caption and credit inside the file.
  const metadata = photoMetadataFrom(await newsroom.mediaFiles.readMetadata(input.bytes));
  const { alt, caption } = checkPhotoText({
    alt: input.alt.trim() || metadata.alt,
    caption: (input.caption ?? '').trim() || metadata.caption,
  });
  const typedCredit = typeof input.credit === 'string' ? input.credit.trim() : input.credit;
  const credit =
    typedCredit === undefined || typedCredit === ''
      ? creditChainFrom(metadata)
      : checkCredit(typedCredit);
  const isOwnPhoto = input.isOwnPhoto ?? false;
  // Encoding happens before the transaction, which must not wait on it. The
  // stored JPEG carries no metadata at all: GPS positions and camera serial
  // numbers could lead to a source.
  const image = await storeOrRefuse(newsroom, input.bytes);
  const now = newsroom.now().toISOString();
  try {
    return await newsroom.store.db.transaction().execute(async (trx) => {
      const media = await insertMedia(
        trx,
        {
          kind: 'image',
          file: image.file,
          width: image.width,
          height: image.height,
          alt,
          caption,
          credit,
          isOwnPhoto,
          creator: metadata.creator,
          source: metadata.source,
          copyright: metadata.copyright,
          digitalSourceType: metadata.digitalSourceType,
          keywords: metadata.keywords,
        },
        now,
      );
      await recordAudit(trx, {
        userId: actor.userId,
        action: 'media.upload',
        subject: `media:${media.id}`,
        detail: { file: image.file, width: image.width, height: image.height },
        at: now,
      });
      return media;
    });
  } catch (error) {
    // Files are shared by content: keep one that a committed row already uses.
    if (image.isNew && !(await isMediaFileReferenced(newsroom.store.db, image.file))) {
      await newsroom.mediaFiles.remove(image.file);
    }
    throw storageFullOr(error);
  }
}
