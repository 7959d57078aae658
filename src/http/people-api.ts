import type { FastifyInstance } from 'fastify';
import { parsePersonProfile } from '../core/contacts.js';
import { getContactSettings, updateContactSettings } from '../newsroom/contact-settings.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import {
  type PersonProfile,
  readPersonProfile,
  updatePersonProfile,
} from '../newsroom/profiles.js';
import { idParam, type SignedIn } from './admin-api.js';
import { presentMedia } from './media-api.js';

// Public profiles (each person their own, the editor-in-chief anyone's) and
// the newsroom's secure channels for /contact (the editor-in-chief).

function presentProfile({ person, photo }: PersonProfile) {
  return {
    personId: person.id,
    name: person.name,
    slug: person.slug,
    bio: person.bio,
    contacts: person.contacts,
    photo: photo ? presentMedia(photo) : null,
  };
}

export async function registerPeopleApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
): Promise<void> {
  app.get<{ Params: { id: string } }>('/api/people/:id/profile', async (request) => {
    const { actor } = await signedIn(request);
    return presentProfile(
      await readPersonProfile(newsroom, actor, idParam(request.params.id, 'person')),
    );
  });
  app.patch<{ Params: { id: string } }>('/api/people/:id/profile', async (request) => {
    const { actor } = await signedIn(request);
    const personId = idParam(request.params.id, 'person');
    return presentProfile(
      await updatePersonProfile(newsroom, actor, personId, parsePersonProfile(request.body)),
    );
  });
  app.get('/api/settings/contact', async (request) => {
    const { actor } = await signedIn(request);
    return await getContactSettings(newsroom, actor);
  });
  app.put('/api/settings/contact', async (request) => {
    const { actor } = await signedIn(request);
    return await updateContactSettings(newsroom, actor, request.body);
  });
}
