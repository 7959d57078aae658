import type { Kysely } from 'kysely';
import { hasContacts, type PersonContacts } from '../core/contacts.js';
import type { Person } from '../core/types.js';
import { toPerson } from './rows.js';
import type { Database } from './schema.js';

export async function findPersonBySlug(db: Kysely<Database>, slug: string): Promise<Person | null> {
  const row = await db.selectFrom('person').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toPerson(row) : null;
}

/** A new person: a name for bylines; a public profile comes later, from the person. */
export type NewPerson = Omit<Person, 'id' | 'photoMediaId' | 'contacts'>;

export async function insertPerson(db: Kysely<Database>, person: NewPerson): Promise<Person> {
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

export async function getPerson(db: Kysely<Database>, id: number): Promise<Person | null> {
  const row = await db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPerson(row) : null;
}

/** Changes a person's public profile: biography, portrait, contacts (each only when given). */
export async function updatePersonProfile(
  db: Kysely<Database>,
  id: number,
  profile: { bio?: string; photoMediaId?: number | null; contacts?: PersonContacts },
): Promise<void> {
  const changes = {
    ...(profile.bio === undefined ? {} : { bio: profile.bio }),
    ...(profile.photoMediaId === undefined ? {} : { photo_media_id: profile.photoMediaId }),
    ...(profile.contacts === undefined ? {} : { contacts: JSON.stringify(profile.contacts) }),
  };
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('person').set(changes).where('id', '=', id).execute();
}

/**
 * People who publish a way to reach them, by name, for the contact page. Not
 * those whose account is disabled: someone who left the newsroom must not
 * still be offered to sources as a way in.
 */
export async function listPeopleWithContacts(db: Kysely<Database>): Promise<Person[]> {
  const rows = await db
    .selectFrom('person')
    .leftJoin('user', 'user.person_id', 'person.id')
    .selectAll('person')
    .where('person.contacts', '!=', '{}')
    .where('user.disabled_at', 'is', null)
    .orderBy('person.name')
    .execute();
  return rows.map(toPerson).filter((person) => hasContacts(person.contacts));
}

/** The people whose portrait is photo `mediaId` (a photo in use cannot be deleted). */
export async function peopleUsingPhoto(
  db: Kysely<Database>,
  mediaId: number,
): Promise<{ id: number; name: string }[]> {
  return await db
    .selectFrom('person')
    .select(['id', 'name'])
    .where('photo_media_id', '=', mediaId)
    .orderBy('name')
    .execute();
}
