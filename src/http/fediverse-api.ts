import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fediverseHandleSchema, REPLY_STATES } from '../core/fediverse.js';
import {
  followActor,
  moderateReply,
  readArticleReactions,
  readFediverse,
  readMyFediverseHandle,
  setMyFediverseHandle,
} from '../newsroom/fediverse.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { idParam, parse, type SignedIn } from './admin-api.js';

// The fediverse for staff: the editor-in-chief sees the publication's
// followers, follows other newsrooms and reads what they publish; editors
// see each article's likes, boosts and replies, and approve or hide replies.

const followSchema = z.object({
  handle: z
    .string()
    .trim()
    .min(3, 'handle: an account such as @news@example.org, or its address')
    .max(500),
});
const moderateSchema = z.object({ state: z.enum(REPLY_STATES) });
const handleSchema = z.object({ handle: fediverseHandleSchema.nullable() });

export async function registerFediverseApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
): Promise<void> {
  app.get('/api/fediverse', async (request) => {
    const { actor } = await signedIn(request);
    return await readFediverse(newsroom, actor);
  });
  app.post('/api/fediverse/follow', async (request) => {
    const { actor } = await signedIn(request);
    return await followActor(newsroom, actor, parse(followSchema, request.body).handle);
  });
  // Each member's own account (authors who want to be followed themselves).
  app.get('/api/account/fediverse', async (request) => {
    const { actor } = await signedIn(request);
    return await readMyFediverseHandle(newsroom, actor);
  });
  app.put('/api/account/fediverse', async (request) => {
    const { actor } = await signedIn(request);
    return await setMyFediverseHandle(newsroom, actor, parse(handleSchema, request.body).handle);
  });
  app.get<{ Params: { id: string } }>('/api/articles/:id/reactions', async (request) => {
    const { actor } = await signedIn(request);
    return await readArticleReactions(newsroom, actor, idParam(request.params.id, 'article'));
  });
  app.post<{ Params: { id: string } }>('/api/fediverse/replies/:id', async (request) => {
    const { actor } = await signedIn(request);
    return await moderateReply(
      newsroom,
      actor,
      idParam(request.params.id, 'reply'),
      parse(moderateSchema, request.body).state,
    );
  });
}
