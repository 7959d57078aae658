import type { FastifyInstance } from 'fastify';
import { channelInputSchema, channelPatchSchema } from '../core/distribution.js';
import {
  addChannel,
  changeChannel,
  listChannelsForStaff,
  readArticleDistribution,
  removeChannel,
  retryDelivery,
} from '../newsroom/channels.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { idParam, parse, type SignedIn } from './admin-api.js';

// The channels articles go out to (editor-in-chief), and each article's
// distribution: where it went, when, what failed, and Retry.

export async function registerDistributionApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
): Promise<void> {
  // Every signed-in member reads the list (the publish dialog offers it).
  app.get('/api/channels', async (request) => {
    await signedIn(request);
    return { channels: await listChannelsForStaff(newsroom) };
  });
  app.post('/api/channels', async (request, reply) => {
    const { actor } = await signedIn(request);
    const channel = await addChannel(newsroom, actor, parse(channelInputSchema, request.body));
    return reply.code(201).send(channel);
  });
  app.patch<{ Params: { id: string } }>('/api/channels/:id', async (request) => {
    const { actor } = await signedIn(request);
    // A channel as the API shows it carries no token, only whether one is set.
    return await changeChannel(
      newsroom,
      actor,
      idParam(request.params.id, 'channel'),
      parse(channelPatchSchema, request.body),
    );
  });
  app.delete<{ Params: { id: string } }>('/api/channels/:id', async (request, reply) => {
    const { actor } = await signedIn(request);
    await removeChannel(newsroom, actor, idParam(request.params.id, 'channel'));
    return reply.code(204).send();
  });
  app.get<{ Params: { id: string } }>('/api/articles/:id/distribution', async (request) => {
    const { actor } = await signedIn(request);
    return readArticleDistribution(newsroom, actor, idParam(request.params.id, 'article'));
  });
  app.post<{ Params: { id: string } }>('/api/deliveries/:id/retry', async (request) => {
    const { actor } = await signedIn(request);
    return retryDelivery(newsroom, actor, idParam(request.params.id, 'delivery'));
  });
}
