import {
  EMBED_THUMBNAIL_BASES,
  type EmbedThumbnailBases,
  embedProvider,
  embedProviderNames,
  embedThumbnailSource,
} from '../core/embeds.js';
import { DomainError, isDomainError } from '../core/errors.js';
import { checkCredit } from '../core/photo-input.js';
import { can } from '../core/policy.js';
import type { Media } from '../core/types.js';
import { recordAudit } from '../store/audit.js';
import { insertMedia, isMediaFileReferenced } from '../store/media.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { downloadPublic, type Resolve } from './public-download.js';
import { storeOrRefuse } from './upload-media.js';

// An embed's facade shows a thumbnail, and readers must never fetch it from
// the provider: the server fetches it once, when the embed is added or its
// address changes, and keeps it as a media record like any photo (credited to
// the provider). The provider is asked through `public-download.ts`, so an
// answer naming a private address (an oEmbed thumbnail_url pointing inside
// the server's network) is refused like an imported photo's would be.

export type EmbedThumbnailOptions = {
  /** The providers' addresses: the real ones by default, a stand-in on 127.0.0.1 in tests. */
  bases: EmbedThumbnailBases;
  /** Fetch from loopback and private networks too (tests only). */
  allowPrivate?: boolean;
  /** Lets one non-public address through (tests: their own listener). */
  allowAddress?: (address: string) => boolean;
  resolve?: Resolve;
  /** For each download (10 s by default). */
  timeoutMs?: number;
};

/** The largest thumbnail taken: providers' are well under 1 MB. */
const MAX_THUMBNAIL_BYTES = 5 * 1024 * 1024;
/** The largest oEmbed answer read: a few hundred bytes in practice. */
const MAX_OEMBED_BYTES = 64 * 1024;

export type EmbedThumbnailResult = {
  /** The stored thumbnail, or null when the provider has none or could not give it. */
  media: Media | null;
  /** Why there is none, in plain words (the embed is saved all the same). */
  problem: string | null;
};

/**
 * Fetches the thumbnail of the item `url` names from its provider and stores
 * it as a media record. A URL off the allow-list is refused (invalid_input on
 * `url`); a provider that offers no thumbnail (posts) or fails to answer gives
 * `media: null` with the reason, so the embed is saved without a picture.
 */
export async function storeEmbedThumbnail(
  newsroom: Newsroom,
  actor: StaffActor,
  input: { url: unknown; title?: unknown },
): Promise<EmbedThumbnailResult> {
  if (!can(actor, 'media.upload'))
    throw new DomainError('not_allowed_for_role', 'you may not add pictures');
  const url = typeof input.url === 'string' ? input.url.trim() : '';
  const provider = embedProvider(url);
  if (!provider || url.length > 2000) {
    throw new DomainError(
      'invalid_input',
      `url: embeds come only from ${embedProviderNames().join(', ')}, over https`,
      'url',
    );
  }
  const title = typeof input.title === 'string' ? input.title.trim().slice(0, 300) : '';
  const options = newsroom.embedThumbnails ?? { bases: EMBED_THUMBNAIL_BASES };
  const source = embedThumbnailSource(url, options.bases);
  if (!source) {
    return { media: null, problem: `${provider.name} gives no picture for this address` };
  }
  let bytes: Uint8Array;
  try {
    const imageUrl =
      'image' in source ? source.image : await oembedThumbnail(source.oembed, options);
    bytes = await download(imageUrl, MAX_THUMBNAIL_BYTES, 'image/*', options);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { media: null, problem: `no picture from ${provider.name}: ${error.message}` };
  }
  let image: Awaited<ReturnType<typeof storeOrRefuse>>;
  try {
    image = await storeOrRefuse(newsroom, bytes);
  } catch (error) {
    // A full disk is the newsroom's to know about; an unreadable answer only means no picture.
    if (!isDomainError(error, 'invalid_input')) throw error;
    return { media: null, problem: `${provider.name} answered something that is not a picture` };
  }
  const now = newsroom.now().toISOString();
  try {
    const media = await newsroom.store.db.transaction().execute(async (trx) => {
      const stored = await insertMedia(
        trx,
        {
          kind: 'image',
          file: image.file,
          width: image.width,
          height: image.height,
          alt: title ? `${provider.name}: ${title}` : `${provider.name} picture`,
          caption: '',
          credit: checkCredit(provider.name),
          isOwnPhoto: false,
          source: provider.name,
        },
        now,
      );
      await recordAudit(trx, {
        userId: actor.userId,
        action: 'media.upload',
        subject: `media:${stored.id}`,
        detail: { file: image.file, width: image.width, height: image.height, embed: url },
        at: now,
      });
      return stored;
    });
    return { media, problem: null };
  } catch (error) {
    // Files are shared by content: keep one that a committed row already uses.
    if (image.isNew && !(await isMediaFileReferenced(newsroom.store.db, image.file))) {
      await newsroom.mediaFiles.remove(image.file);
    }
    throw error;
  }
}

/** The picture an oEmbed answer names in `thumbnail_url`; a DomainError when there is none. */
async function oembedThumbnail(address: string, options: EmbedThumbnailOptions): Promise<string> {
  const body = await download(address, MAX_OEMBED_BYTES, 'application/json', options);
  let answer: unknown;
  try {
    answer = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new DomainError('not_found', 'its oEmbed answer is not JSON');
  }
  const thumbnail = (answer as { thumbnail_url?: unknown } | null)?.thumbnail_url;
  if (typeof thumbnail !== 'string' || !/^https?:\/\//i.test(thumbnail)) {
    throw new DomainError('not_found', 'its oEmbed answer names no thumbnail');
  }
  return thumbnail;
}

function download(
  address: string,
  maxBytes: number,
  accept: string,
  options: EmbedThumbnailOptions,
): Promise<Uint8Array> {
  return downloadPublic(address, {
    maxBytes,
    timeoutMs: options.timeoutMs ?? 10_000,
    allowPrivate: options.allowPrivate === true,
    allowAddress: options.allowAddress,
    resolve: options.resolve,
    accept,
  });
}
