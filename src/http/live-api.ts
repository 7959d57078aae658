import type { FastifyInstance } from 'fastify';
import { DomainError, isDomainError } from '../core/errors.js';
import { type LiveEntry, liveEntryInputSchema, liveEntryPatchSchema } from '../core/live.js';
import {
  addLiveEntry,
  editLiveEntry,
  endLiveCoverage,
  listLiveEntriesForStaff,
  removeLiveEntry,
  startLiveCoverage,
} from '../newsroom/live.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { idParam, parse, type SignedIn } from './admin-api.js';

/** An entry as the newsroom app gets it: its author by name, not the whole person record. */
export function presentLiveEntry(entry: LiveEntry) {
  const { author, ...rest } = entry;
  return {
    ...rest,
    author: author ? { personId: author.id, name: author.name } : null,
  };
}

type EntryParams = { Params: { id: string; entryId: string } };

/**
 * Live coverage of an article (docs/admin-api.md): start and end it, and its
 * entries, each saved against its own version. Session, role and CSRF token
 * are checked by `signedIn` like every other admin route.
 */
export async function registerLiveApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
): Promise<void> {
  app.post<{ Params: { id: string } }>('/api/articles/:id/live', async (request) => {
    const { actor } = await signedIn(request);
    return {
      coverage: await startLiveCoverage(newsroom, actor, idParam(request.params.id, 'article')),
    };
  });
  app.delete<{ Params: { id: string } }>('/api/articles/:id/live', async (request) => {
    const { actor } = await signedIn(request);
    return {
      coverage: await endLiveCoverage(newsroom, actor, idParam(request.params.id, 'article')),
    };
  });
  app.get<{ Params: { id: string } }>('/api/articles/:id/entries', async (request) => {
    const { actor } = await signedIn(request);
    const { coverage, entries } = await listLiveEntriesForStaff(
      newsroom,
      actor,
      idParam(request.params.id, 'article'),
    );
    return { coverage, entries: entries.map(presentLiveEntry) };
  });
  app.post<{ Params: { id: string } }>('/api/articles/:id/entries', async (request, reply) => {
    const { actor } = await signedIn(request);
    const input = parse(liveEntryInputSchema, request.body);
    const entry = await addLiveEntry(newsroom, actor, idParam(request.params.id, 'article'), input);
    return reply.code(201).send(presentLiveEntry(entry));
  });
  app.patch<EntryParams>('/api/articles/:id/entries/:entryId', async (request) => {
    const { actor } = await signedIn(request);
    const patch = parse(liveEntryPatchSchema, request.body);
    try {
      return presentLiveEntry(
        await editLiveEntry(
          newsroom,
          actor,
          idParam(request.params.id, 'article'),
          idParam(request.params.entryId, 'live entry'),
          patch,
        ),
      );
    } catch (error) {
      // The entry as it now is goes back in the same shape as every other answer.
      if (isDomainError(error, 'version_conflict') && error.detail)
        throw new DomainError(
          error.code,
          error.message,
          error.field,
          presentLiveEntry(error.detail as LiveEntry),
        );
      throw error;
    }
  });
  app.delete<EntryParams>('/api/articles/:id/entries/:entryId', async (request, reply) => {
    const { actor } = await signedIn(request);
    await removeLiveEntry(
      newsroom,
      actor,
      idParam(request.params.id, 'article'),
      idParam(request.params.entryId, 'live entry'),
    );
    return reply.code(204).send();
  });
}
