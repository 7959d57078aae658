import type { Kysely } from 'kysely';
import type { Media, MediaMetadataFields } from '../core/types.js';
import { toMedia } from './rows.js';
import type { Database } from './schema.js';

export async function insertMedia(
  db: Kysely<Database>,
  media: Omit<Media, 'id' | MediaMetadataFields> & Partial<Pick<Media, MediaMetadataFields>>,
  createdAt: string,
): Promise<Media> {
  const row = await db
    .insertInto('media')
    .values({
      kind: media.kind,
      file: media.file,
      width: media.width,
      height: media.height,
      alt: media.alt,
      caption: media.caption,
      credit_json: JSON.stringify(media.credit),
      is_own_photo: media.isOwnPhoto ? 1 : 0,
      creator: media.creator ?? '',
      source: media.source ?? '',
      copyright: media.copyright ?? '',
      digital_source_type: media.digitalSourceType ?? '',
      keywords_json: JSON.stringify(media.keywords ?? []),
      created_at: createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toMedia(row);
}

export async function updateMediaText(
  db: Kysely<Database>,
  id: number,
  media: Pick<Media, 'alt' | 'caption' | 'credit'>,
): Promise<void> {
  await db
    .updateTable('media')
    .set({ alt: media.alt, caption: media.caption, credit_json: JSON.stringify(media.credit) })
    .where('id', '=', id)
    .execute();
}

export async function getMediaByIds(
  db: Kysely<Database>,
  ids: number[],
): Promise<Map<number, Media>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('media').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, toMedia(row)]));
}

/** True when some media row uses the stored file `file`. */
export async function isMediaFileReferenced(db: Kysely<Database>, file: string): Promise<boolean> {
  const row = await db.selectFrom('media').select('id').where('file', '=', file).executeTakeFirst();
  return row !== undefined;
}

/** The newest media first (ids grow with every insert), at most `limit`. */
export async function listMedia(
  db: Kysely<Database>,
  options: { limit: number },
): Promise<Media[]> {
  const rows = await db
    .selectFrom('media')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map(toMedia);
}
