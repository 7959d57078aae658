import type { Kysely } from 'kysely';
import type { Section } from '../core/types.js';
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
  section: Omit<Section, 'id'>,
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
