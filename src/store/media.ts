import { type Kysely, sql } from 'kysely';
import { type CreditChain, creditChainSchema } from '../core/credit.js';
import type { Media, MediaMetadataFields } from '../core/types.js';
import { toMedia } from './rows.js';
import type { Database } from './schema.js';

export async function insertMedia(
  db: Kysely<Database>,
  media: Omit<Media, 'id' | MediaMetadataFields | 'focus'> &
    Partial<Pick<Media, MediaMetadataFields | 'focus'>>,
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
      focus_x: media.focus?.x ?? null,
      focus_y: media.focus?.y ?? null,
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

/** The photos with these ids, in the order of `ids` (each once); missing ones are left out. */
export async function getMediaByIds(
  db: Kysely<Database>,
  ids: number[],
): Promise<Map<number, Media>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('media').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  // In the order asked for: pages list a body's photos in the text's order
  // (their structured data too), and PostgreSQL answers in whatever order it reads.
  const ordered = new Map<number, Media>();
  for (const id of ids) {
    const row = byId.get(id);
    if (row && !ordered.has(id)) ordered.set(id, toMedia(row));
  }
  return ordered;
}

/** Every stored master file with the media records using it (one file may serve several). */
export async function mediaIdsByFile(db: Kysely<Database>): Promise<Map<string, number[]>> {
  const rows = await db
    .selectFrom('media')
    .select(['id', 'file'])
    .where('file', 'is not', null)
    .orderBy('id')
    .execute();
  const byFile = new Map<string, number[]>();
  for (const { id, file } of rows) if (file) byFile.set(file, [...(byFile.get(file) ?? []), id]);
  return byFile;
}

/** True when some media row uses the stored file `file`. */
export async function isMediaFileReferenced(db: Kysely<Database>, file: string): Promise<boolean> {
  const row = await db.selectFrom('media').select('id').where('file', '=', file).executeTakeFirst();
  return row !== undefined;
}

/** The newest media first (ids grow with every insert), at most `limit`. */
export type MediaFilter = {
  /** Words to find in the caption, alt text, credit or creator. */
  query?: string;
  /** A name that must stand in the credit chain with this role. */
  photographer?: string;
  agency?: string;
  limit: number;
};

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The library, newest first, optionally searched and filtered by credit. */
export async function listMedia(db: Kysely<Database>, filter: MediaFilter): Promise<Media[]> {
  let query = db.selectFrom('media').selectAll();
  if (filter.query) {
    const pattern = likePattern(filter.query);
    query = query.where((eb) =>
      eb.or(
        ['caption', 'alt', 'credit_json', 'creator'].map((column) =>
          eb(sql`lower(${sql.ref(column)})`, 'like', sql`${pattern} escape '\\'`),
        ),
      ),
    );
  }
  // The names narrow the rows in SQL (so the limit applies to matches, not to
  // the whole library); the role is then checked exactly on the parsed chain.
  for (const name of [filter.photographer, filter.agency]) {
    if (name)
      query = query.where(sql`lower(credit_json)`, 'like', sql`${likePattern(name)} escape '\\'`);
  }
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  const hasPart = (media: Media, role: string, name: string | undefined) =>
    name === undefined ||
    media.credit.some(
      (part) => part.role === role && part.name.toLowerCase() === name.toLowerCase(),
    );
  return rows
    .map(toMedia)
    .filter(
      (media) =>
        hasPart(media, 'photographer', filter.photographer) &&
        hasPart(media, 'agency', filter.agency),
    );
}

/** Articles that show this photo, as lead, in link previews or inside the body. */
export async function articlesUsingMedia(
  db: Kysely<Database>,
  id: number,
): Promise<{ id: number; title: string; status: string }[]> {
  return await db
    .selectFrom('article')
    .select(['id', 'title', 'status'])
    .where((eb) =>
      eb.or([
        eb('lead_media_id', '=', id),
        eb('social_media_id', '=', id),
        eb('body_json', 'like', `%"mediaId":${id},%`),
        eb('body_json', 'like', `%"mediaId":${id}}%`),
        // An embed's stored thumbnail (its facade shows it).
        eb('body_json', 'like', `%"thumbnailMediaId":${id},%`),
        eb('body_json', 'like', `%"thumbnailMediaId":${id}}%`),
      ]),
    )
    .orderBy('id')
    .execute();
}

export async function getMedia(db: Kysely<Database>, id: number): Promise<Media | null> {
  return (await getMediaByIds(db, [id])).get(id) ?? null;
}

/** Changes what editors may correct: alt text, caption, credit chain, own-photo mark, focal point. */
export async function updateMediaDetails(
  db: Kysely<Database>,
  id: number,
  details: Pick<Media, 'alt' | 'caption' | 'credit' | 'isOwnPhoto' | 'focus'>,
): Promise<void> {
  await db
    .updateTable('media')
    .set({
      alt: details.alt,
      caption: details.caption,
      credit_json: JSON.stringify(details.credit),
      is_own_photo: details.isOwnPhoto ? 1 : 0,
      focus_x: details.focus?.x ?? null,
      focus_y: details.focus?.y ?? null,
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteMedia(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('media').where('id', '=', id).execute();
}

/** Every distinct credit chain in the library, for the lists of known photographers and agencies. */
export async function distinctCreditChains(db: Kysely<Database>): Promise<CreditChain[]> {
  const rows = await db.selectFrom('media').select('credit_json').distinct().execute();
  return rows.map((row) => creditChainSchema.catch([]).parse(JSON.parse(row.credit_json)));
}

/** Where an imported photo lives in its old system, with what the source says about it. */
export async function setMediaSource(
  db: Kysely<Database>,
  id: number,
  source: { sourceUrl: string; copyright: string },
): Promise<void> {
  await db
    .updateTable('media')
    .set({ source_url: source.sourceUrl, copyright: source.copyright })
    .where('id', '=', id)
    .execute();
}

/** When each photo was added to the library (ISO 8601), by id. */
export async function listMediaDates(db: Kysely<Database>): Promise<Map<number, string>> {
  const rows = await db.selectFrom('media').select(['id', 'created_at']).execute();
  return new Map(rows.map((row) => [row.id, row.created_at]));
}

/** Imported photos whose file is still to be fetched from their old address. */
export async function listMediaToFetch(
  db: Kysely<Database>,
  afterId: number,
  limit: number,
): Promise<{ id: number; sourceUrl: string }[]> {
  const rows = await db
    .selectFrom('media')
    .select(['id', 'source_url'])
    .where('file', 'is', null)
    .where('source_url', '!=', '')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, sourceUrl: row.source_url }));
}

/** Gives a photo record its stored file (fetched after an import). */
export async function setMediaFile(
  db: Kysely<Database>,
  id: number,
  image: { file: string; width: number; height: number },
): Promise<void> {
  await db
    .updateTable('media')
    .set({ file: image.file, width: image.width, height: image.height })
    .where('id', '=', id)
    .where('file', 'is', null)
    .execute();
}
