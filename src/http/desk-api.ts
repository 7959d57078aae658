import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assignmentInputSchema, notificationChoicesSchema } from '../core/desk.js';
import {
  assignStory,
  chooseNotifications,
  deskCount,
  finishAssignment,
  listAssignments,
  listNotifications,
  notificationChoices,
  readDesk,
  readNotifications,
  startAssignment,
} from '../newsroom/desk.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { idParam, parse, type SignedIn } from './admin-api.js';

type IdParams = { Params: { id: string } };

/**
 * The desk (docs/admin-api.md): each person's start screen and the count in
 * the menu, notifications and how each person hears of them, and the stories
 * editors give to writers. Session, role and CSRF token are checked by
 * `signedIn` like every other admin route.
 */
export async function registerDeskApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
): Promise<void> {
  app.get('/api/desk', async (request) => readDesk(newsroom, (await signedIn(request)).actor));
  app.get('/api/desk/count', async (request) => ({
    count: await deskCount(newsroom, (await signedIn(request)).actor),
  }));
  app.get('/api/notifications', async (request) =>
    listNotifications(newsroom, (await signedIn(request)).actor),
  );
  app.post('/api/notifications/read', async (request) => {
    const { actor } = await signedIn(request);
    const { ids, articleId } = parse(
      z.object({
        ids: z.array(z.number().int().positive()).max(500).optional(),
        articleId: z.number().int().positive().optional(),
      }),
      request.body ?? {},
    );
    await readNotifications(newsroom, actor, articleId ? { articleId } : (ids ?? 'all'));
    return listNotifications(newsroom, actor);
  });
  app.get('/api/notification-choices', async (request) => ({
    choices: await notificationChoices(newsroom, (await signedIn(request)).actor),
  }));
  app.put('/api/notification-choices', async (request) => {
    const { actor } = await signedIn(request);
    const { choices } = parse(z.object({ choices: notificationChoicesSchema }), request.body);
    return { choices: await chooseNotifications(newsroom, actor, choices) };
  });
  app.get<{ Querystring: { done?: string } }>('/api/assignments', async (request) => ({
    assignments: await listAssignments(newsroom, (await signedIn(request)).actor, {
      includeDone: request.query.done === '1',
    }),
  }));
  app.post('/api/assignments', async (request, reply) => {
    const { actor } = await signedIn(request);
    const assignment = await assignStory(
      newsroom,
      actor,
      parse(assignmentInputSchema, request.body),
    );
    return reply.code(201).send({ assignment });
  });
  app.post<IdParams>('/api/assignments/:id/start', async (request) => ({
    articleId: await startAssignment(
      newsroom,
      (await signedIn(request)).actor,
      idParam(request.params.id, 'assignment'),
    ),
  }));
  for (const [path, isDone] of [
    ['done', true],
    ['reopen', false],
  ] as const) {
    app.post<IdParams>(`/api/assignments/:id/${path}`, async (request) => ({
      assignment: await finishAssignment(
        newsroom,
        (await signedIn(request)).actor,
        idParam(request.params.id, 'assignment'),
        isDone,
      ),
    }));
  }
}
