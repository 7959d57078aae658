import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PERIODS } from '../core/audience.js';
import {
  changeAudienceSettings,
  exportAudience,
  readArticleAudience,
  readAudience,
  readAudienceSettings,
} from '../newsroom/audience-report.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { idParam, parse, type SignedIn } from './admin-api.js';

const periodQuery = z.object({ period: z.enum(PERIODS).default('today') });
const exportQuery = z.object({
  period: z.enum(PERIODS.filter((period) => period !== 'realtime')).default('30d'),
});
const settingsBody = z
  .object({
    countReaders: z.boolean().optional(),
    retentionDays: z.number().int().optional(),
  })
  .strict();

/**
 * Audience numbers (docs/admin-api.md): the dashboard's report for a period,
 * its CSV, an article's own numbers, and what is counted. Session, role and
 * CSRF token are checked by `signedIn` like every other admin route.
 */
export async function registerAudienceApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
): Promise<void> {
  app.get('/api/audience', async (request) => {
    const { actor } = await signedIn(request);
    const { period } = parse(periodQuery, request.query);
    return readAudience(newsroom, actor, period);
  });
  app.get('/api/audience.csv', async (request, reply) => {
    const { actor } = await signedIn(request);
    const { period } = parse(exportQuery, request.query);
    const exported = await exportAudience(newsroom, actor, period);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exported.fileName}"`)
      .header('cache-control', 'no-store')
      .send(exported.csv);
  });
  app.get<{ Params: { id: string } }>('/api/articles/:id/audience', async (request) => {
    const { actor } = await signedIn(request);
    return readArticleAudience(newsroom, actor, idParam(request.params.id, 'article'));
  });
  app.get('/api/audience/settings', async (request) =>
    readAudienceSettings(newsroom, (await signedIn(request)).actor),
  );
  app.put('/api/audience/settings', async (request) => {
    const { actor } = await signedIn(request);
    return changeAudienceSettings(newsroom, actor, parse(settingsBody, request.body));
  });
}
