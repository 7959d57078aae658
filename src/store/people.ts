import type { Kysely } from 'kysely';
import type { Person } from '../core/types.js';
import { toPerson } from './rows.js';
import type { Database } from './schema.js';

export async function findPersonBySlug(db: Kysely<Database>, slug: string): Promise<Person | null> {
  const row = await db.selectFrom('person').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toPerson(row) : null;
}

export async function insertPerson(
  db: Kysely<Database>,
  person: Omit<Person, 'id'>,
): Promise<Person> {
  const row = await db
    .insertInto('person')
    .values({
      name: person.name,
      slug: person.slug,
      bio: person.bio,
      masthead_role: person.mastheadRole,
      masthead_title: person.mastheadTitle,
      masthead_position: person.mastheadPosition,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPerson(row);
}

export async function updatePersonMasthead(
  db: Kysely<Database>,
  id: number,
  masthead: Pick<Person, 'mastheadRole' | 'mastheadTitle' | 'mastheadPosition'>,
): Promise<void> {
  await db
    .updateTable('person')
    .set({
      masthead_role: masthead.mastheadRole,
      masthead_title: masthead.mastheadTitle,
      masthead_position: masthead.mastheadPosition,
    })
    .where('id', '=', id)
    .execute();
}

/** People on the masthead, in the order the newsroom lists them. */
export async function listMastheadPeople(db: Kysely<Database>): Promise<Person[]> {
  const rows = await db
    .selectFrom('person')
    .selectAll()
    .where('masthead_role', 'is not', null)
    .orderBy('masthead_position')
    .orderBy('name')
    .execute();
  return rows.map(toPerson);
}

/** The highest masthead position in use, so a newcomer is listed last. */
export async function lastMastheadPosition(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('person')
    .select((eb) => eb.fn.max('masthead_position').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/** Everyone, by name. */
export async function listPeople(db: Kysely<Database>): Promise<Person[]> {
  const rows = await db.selectFrom('person').selectAll().orderBy('name').execute();
  return rows.map(toPerson);
}

/** The ids, among `ids`, that name an existing person. */
export async function existingPersonIds(db: Kysely<Database>, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('person').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}
