import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { newsletterListInputSchema, newsletterSendInputSchema } from '../core/newsletters.js';
import {
  cancelNewsletterSend,
  readNewsletterSends,
  retryNewsletterSend,
  scheduleNewsletter,
  sendTestNewsletter,
} from '../newsroom/newsletter-sends.js';
import { addNewsletterList, readNewsletterLists } from '../newsroom/newsletters.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import {
  deleteSubscriber,
  exportSubscribers,
  importSubscribers,
  searchSubscribers,
} from '../newsroom/subscribers.js';
import { idParam, parse, type SignedIn } from './admin-api.js';

// Newsletters for staff: every member reads the lists; editors send to them
// (now, later, or a test to themselves) and follow each send; the
// editor-in-chief adds lists and alone sees, imports, exports and deletes
// readers' addresses.

const importSchema = z.object({
  csv: z.string().min(1, 'csv: the file is empty'),
  fileName: z.string().trim().min(1).max(200).default('subscribers.csv'),
});

/** A CSV of 100 000 addresses is a few megabytes. */
const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

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

  app.get('/api/newsletter-sends', async (request) => {
    const { actor } = await signedIn(request);
    return { sends: await readNewsletterSends(newsroom, actor) };
  });
  app.post('/api/newsletter-sends', async (request, reply) => {
    const { actor } = await signedIn(request);
    const send = await scheduleNewsletter(
      newsroom,
      actor,
      parse(newsletterSendInputSchema, request.body),
    );
    return reply.code(201).send(send);
  });
  app.post('/api/newsletter-sends/test', async (request) => {
    const { actor } = await signedIn(request);
    return await sendTestNewsletter(
      newsroom,
      actor,
      parse(newsletterSendInputSchema, request.body),
    );
  });
  app.post<{ Params: { id: string } }>('/api/newsletter-sends/:id/cancel', async (request) => {
    const { actor } = await signedIn(request);
    return await cancelNewsletterSend(newsroom, actor, idParam(request.params.id, 'send'));
  });
  app.post<{ Params: { id: string } }>('/api/newsletter-sends/:id/retry', async (request) => {
    const { actor } = await signedIn(request);
    return await retryNewsletterSend(newsroom, actor, idParam(request.params.id, 'send'));
  });

  app.get<{ Querystring: { q?: string; list?: string; offset?: string } }>(
    '/api/subscribers',
    async (request) => {
      const { actor } = await signedIn(request);
      const { q = '', list, offset } = request.query;
      return await searchSubscribers(newsroom, actor, {
        query: q,
        listId: list ? idParam(list, 'newsletter list') : null,
        offset: Number(offset) || 0,
      });
    },
  );
  app.delete<{ Params: { id: string } }>('/api/subscribers/:id', async (request, reply) => {
    const { actor } = await signedIn(request);
    await deleteSubscriber(newsroom, actor, idParam(request.params.id, 'subscriber'));
    return reply.code(204).send();
  });
  app.get<{ Params: { id: string } }>(
    '/api/newsletters/:id/subscribers.csv',
    async (request, reply) => {
      const { actor } = await signedIn(request);
      const exported = await exportSubscribers(
        newsroom,
        actor,
        idParam(request.params.id, 'newsletter list'),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exported.fileName}"`)
        .header('cache-control', 'no-store')
        .send(exported.csv);
    },
  );
  app.post<{ Params: { id: string } }>(
    '/api/newsletters/:id/subscribers/import',
    { bodyLimit: IMPORT_BODY_LIMIT },
    async (request) => {
      const { actor } = await signedIn(request);
      const body = parse(importSchema, request.body);
      return await importSubscribers(newsroom, actor, {
        listId: idParam(request.params.id, 'newsletter list'),
        csv: body.csv,
        fileName: body.fileName,
      });
    },
  );
}
