import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Newsroom } from '../newsroom/newsroom.js';
import {
  addNote,
  editNote,
  listNotes,
  mentionableStaff,
  noteInputSchema,
  settleThread,
} from '../newsroom/notes.js';
import { idParam, parse, type SignedIn } from './admin-api.js';

type NoteParams = { Params: { id: string; noteId: string } };

/**
 * Notes on drafts (docs/admin-api.md): an article's threads, replies,
 * resolving and reopening, and whom a note may name. Session, role and CSRF
 * token are checked by `signedIn` like every other admin route.
 */
export async function registerNotesApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
): Promise<void> {
  app.get<{ Params: { id: string } }>('/api/articles/:id/notes', async (request) => {
    const { actor } = await signedIn(request);
    return { notes: await listNotes(newsroom, actor, idParam(request.params.id, 'article')) };
  });
  app.post<{ Params: { id: string } }>('/api/articles/:id/notes', async (request, reply) => {
    const { actor } = await signedIn(request);
    const input = parse(noteInputSchema, request.body);
    const note = await addNote(newsroom, actor, idParam(request.params.id, 'article'), input);
    return reply.code(201).send({ note });
  });
  app.patch<NoteParams>('/api/articles/:id/notes/:noteId', async (request) => {
    const { actor } = await signedIn(request);
    const { body } = parse(z.object({ body: noteInputSchema.shape.body }), request.body);
    return {
      note: await editNote(
        newsroom,
        actor,
        idParam(request.params.id, 'article'),
        idParam(request.params.noteId, 'note'),
        body,
      ),
    };
  });
  for (const [path, isResolved] of [
    ['resolve', true],
    ['reopen', false],
  ] as const) {
    app.post<NoteParams>(`/api/articles/:id/notes/:noteId/${path}`, async (request) => {
      const { actor } = await signedIn(request);
      return {
        note: await settleThread(
          newsroom,
          actor,
          idParam(request.params.id, 'article'),
          idParam(request.params.noteId, 'note'),
          isResolved,
        ),
      };
    });
  }
  app.get('/api/mentionable', async (request) => {
    await signedIn(request);
    return { staff: await mentionableStaff(newsroom) };
  });
}
