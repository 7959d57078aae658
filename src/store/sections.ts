import type { Kysely } from 'kysely';
import type { Localized, Section } from '../core/types.js';
import { toSection } from './rows.js';
import type { Database } from './schema.js';

/** Every section, ordered for navigation (position, then name). */
export async function listSections(db: Kysely<Database>): Promise<Section[]> {
  const rows = await db
    .selectFrom('section')
    .selectAll()
    .orderBy('position')
    .orderBy('name')
    .execute();
  return rows.map(toSection);
}

export async function findSectionByPath(
  db: Kysely<Database>,
  path: string,
): Promise<Section | null> {
  const row = await db
    .selectFrom('section')
    .selectAll()
    .where('path', '=', path)
    .executeTakeFirst();
  return row ? toSection(row) : null;
}

export async function insertSection(
  db: Kysely<Database>,
  section: Omit<Section, 'id' | 'names'>,
): Promise<Section> {
  const row = await db
    .insertInto('section')
    .values({
      parent_id: section.parentId,
      slug: section.slug,
      path: section.path,
      name: section.name,
      position: section.position,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSection(row);
}

/** The sections under `parentId` (null: the top level), in navigation order. */
export async function listChildSections(
  db: Kysely<Database>,
  parentId: number | null,
): Promise<Section[]> {
  const query = db.selectFrom('section').selectAll();
  const rows = await (parentId === null
    ? query.where('parent_id', 'is', null)
    : query.where('parent_id', '=', parentId)
  )
    .orderBy('position')
    .orderBy('name')
    .execute();
  return rows.map(toSection);
}

export async function updateSectionName(
  db: Kysely<Database>,
  id: number,
  name: string,
): Promise<void> {
  await db.updateTable('section').set({ name }).where('id', '=', id).execute();
}

/** A section's names in other languages (JSON, core/localized.ts). */
export async function updateSectionNames(
  db: Kysely<Database>,
  id: number,
  names: Localized,
): Promise<void> {
  await db
    .updateTable('section')
    .set({ names: JSON.stringify(names) })
    .where('id', '=', id)
    .execute();
}

export async function updateSectionPosition(
  db: Kysely<Database>,
  id: number,
  position: number,
): Promise<void> {
  await db.updateTable('section').set({ position }).where('id', '=', id).execute();
}
