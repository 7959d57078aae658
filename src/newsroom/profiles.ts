import { profileChangeTags } from '../core/cache-tags.js';
import type { PersonProfileChange } from '../core/contacts.js';
import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import type { Media, Person } from '../core/types.js';
import { recordAudit } from '../store/audit.js';
import { getMedia } from '../store/media.js';
import { getPerson, updatePersonProfile as writeProfile } from '../store/people.js';
import type { Newsroom, StaffActor } from './newsroom.js';

// A person's public profile — biography, portrait, the ways to reach them —
// as their author page shows it. Each person edits their own; the
// editor-in-chief anyone's (a byline without an account, someone away).

export type PersonProfile = { person: Person; photo: Media | null };

function requireProfileRight(actor: StaffActor, personId: number): void {
  if (actor.personId === personId || can(actor, 'staff.manage')) return;
  throw new DomainError(
    'not_allowed_for_role',
    'you may change only your own public profile: the editor-in-chief changes others’',
  );
}

async function profileOf(newsroom: Newsroom, personId: number): Promise<PersonProfile> {
  const person = await getPerson(newsroom.store.db, personId);
  if (!person) throw new DomainError('not_found', `there is no person ${personId}`);
  const photo =
    person.photoMediaId === null ? null : await getMedia(newsroom.store.db, person.photoMediaId);
  return { person, photo };
}

/** A person's public profile, for its form (the person or the editor-in-chief). */
export async function readPersonProfile(
  newsroom: Newsroom,
  actor: StaffActor,
  personId: number,
): Promise<PersonProfile> {
  requireProfileRight(actor, personId);
  return await profileOf(newsroom, personId);
}

/** Changes a public profile (already checked by core's parsePersonProfile), audited. */
export async function updatePersonProfile(
  newsroom: Newsroom,
  actor: StaffActor,
  personId: number,
  change: PersonProfileChange,
): Promise<PersonProfile> {
  requireProfileRight(actor, personId);
  await newsroom.store.db.transaction().execute(async (trx) => {
    const person = await getPerson(trx, personId);
    if (!person) throw new DomainError('not_found', `there is no person ${personId}`);
    if (change.photoMediaId != null && !(await getMedia(trx, change.photoMediaId))) {
      throw new DomainError(
        'invalid_input',
        `photoMediaId: there is no photo ${change.photoMediaId} in the library`,
        'photoMediaId',
      );
    }
    await writeProfile(trx, personId, change);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'person.profile',
      subject: `person:${personId}`,
      // Which parts changed, not what they say: contacts are the person's to show.
      detail: { name: person.name, changed: Object.keys(change) },
      at: newsroom.now().toISOString(),
    });
  });
  newsroom.changed?.(profileChangeTags(personId));
  return await profileOf(newsroom, personId);
}
