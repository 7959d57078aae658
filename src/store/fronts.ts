import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type StoredFront = {
  language: string;
  path: string;
  layout: string;
  version: number;
  updatedAt: string;
  updatedBy: number | null;
};

export async function getFront(
  db: Kysely<Database>,
  language: string,
  path: string,
): Promise<StoredFront | null> {
  const row = await db
    .selectFrom('front')
    .selectAll()
    .where('language', '=', language)
    .where('path', '=', path)
    .executeTakeFirst();
  return row
    ? {
        language: row.language,
        path: row.path,
        layout: row.layout,
        version: row.version,
        updatedAt: row.updated_at,
        updatedBy: row.updated_by,
      }
    : null;
}

/** Which fronts have been arranged, and when. */
export async function listFronts(
  db: Kysely<Database>,
): Promise<{ language: string; path: string; updatedAt: string }[]> {
  const rows = await db.selectFrom('front').select(['language', 'path', 'updated_at']).execute();
  return rows.map((row) => ({ language: row.language, path: row.path, updatedAt: row.updated_at }));
}

/**
 * Writes a front if it is still at `version` (0: never saved). False when
 * someone saved it meanwhile: nothing is written.
 */
export async function saveFront(
  db: Kysely<Database>,
  front: { language: string; path: string; layout: string; version: number },
  at: string,
  userId: number | null,
): Promise<boolean> {
  if (front.version === 0) {
    const inserted = await db
      .insertInto('front')
      .values({
        language: front.language,
        path: front.path,
        layout: front.layout,
        version: 1,
        updated_at: at,
        updated_by: userId,
      })
      .onConflict((oc) => oc.columns(['language', 'path']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const updated = await db
    .updateTable('front')
    .set({ layout: front.layout, version: front.version + 1, updated_at: at, updated_by: userId })
    .where('language', '=', front.language)
    .where('path', '=', front.path)
    .where('version', '=', front.version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
