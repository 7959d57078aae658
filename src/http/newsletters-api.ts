import type { FastifyInstance } from 'fastify';
import { newsletterListInputSchema } from '../core/newsletters.js';
import { addNewsletterList, readNewsletterLists } from '../newsroom/newsletters.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { parse, type SignedIn } from './admin-api.js';

/** Newsletter lists for staff: every member reads them, the editor-in-chief adds them. */
export async function registerNewslettersApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
): Promise<void> {
  app.get('/api/newsletters', async (request) => {
    await signedIn(request);
    return { lists: await readNewsletterLists(newsroom), canSend: newsroom.mailer !== undefined };
  });
  app.post('/api/newsletters', async (request, reply) => {
    const { actor } = await signedIn(request);
    const list = await addNewsletterList(
      newsroom,
      actor,
      parse(newsletterListInputSchema, request.body),
    );
    return reply.code(201).send(list);
  });
}
