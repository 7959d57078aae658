import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  articleListQuerySchema,
  articlePatchSchema,
  newArticleSchema,
  transitionBodySchemas,
} from '../core/article-input.js';
import { auditQuerySchema } from '../core/audit-actions.js';
import { DomainError } from '../core/errors.js';
import { plainIssueMessage } from '../core/plain-errors.js';
import type { User } from '../core/staff.js';
import { TRANSITIONS, type TransitionRequest } from '../core/workflow.js';
import {
  createArticle,
  getArticleForStaff,
  linkTranslation,
  listArticlesForStaffMember,
  listRevisions,
  restoreRevision,
  transitionArticle,
  unlinkTranslation,
  updateArticle,
} from '../newsroom/articles.js';
import { listPeople, listSectionTree, readAuditLog } from '../newsroom/directory.js';
import type { Newsroom, StaffActor } from '../newsroom/newsroom.js';
import { readPublishedItem } from '../newsroom/read-feeds.js';
import { readSiteChrome } from '../newsroom/read-site.js';
import { decodeBodyState } from '../newsroom/shared-docs.js';
import { getSiteSettings } from '../newsroom/site-settings.js';
import {
  addUser,
  authenticate,
  beginTotpSetup,
  type CurrentSession,
  confirmTotpSetup,
  isTotpRequiredForAll,
  listUsers,
  login,
  logout,
  logoutEverywhere,
  requireTotpForAll,
  setPasswordWithToken,
  updateStaffAccount,
} from '../newsroom/staff.js';
import { articleToNinjs } from '../site/ninjs.js';
import { registerAudienceApi } from './audience-api.js';
import { registerDeskApi } from './desk-api.js';
import { registerDistributionApi } from './distribution-api.js';
import { registerFediverseApi } from './fediverse-api.js';
import { registerLiveApi } from './live-api.js';
import { registerMediaApi } from './media-api.js';
import { registerNewslettersApi } from './newsletters-api.js';
import { registerNotesApi } from './notes-api.js';
import { registerPeopleApi } from './people-api.js';
import { registerSiteApi } from './site-api.js';

/** The session cookie: sent only to /api, never readable by scripts, never cross-site. */
export const SESSION_COOKIE = 'masthead_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Routes a signed-in user may use before setting up a required second factor.
const TOTP_SETUP_ROUTES = new Set([
  '/api/session',
  '/api/session/totp',
  '/api/session/totp/confirm',
]);

type Signed = { session: CurrentSession; actor: StaffActor; token: string };

/** Parses a request part with zod, refusing with `invalid_input` naming the first bad field in plain words. */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {}, { error: plainIssueMessage });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  throw new DomainError(
    'invalid_input',
    `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid request'}`,
    field,
  );
}

/** A numeric id from the path; anything else names nothing, so 404. */
export function idParam(value: string, what = 'item'): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new DomainError('not_found', `there is no ${what} ${value}`);
  return id;
}

function presentUser(user: User) {
  const { id, personId, name, email, role, hasTotp, disabledAt, createdAt } = user;
  return { id, personId, name, email, role, hasTotp, disabledAt, createdAt };
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The signed-in user of a request, checking the CSRF token on every state-changing one. */
export type SignedIn = (request: FastifyRequest) => Promise<Signed>;

/**
 * Builds the session check every admin route starts with, so routes registered
 * elsewhere (the media API) are guarded exactly like these.
 */
export function makeSignedIn(newsroom: Newsroom): SignedIn {
  return async function signedIn(request) {
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await authenticate(newsroom, token) : null;
    if (!token || !session) throw new DomainError('unauthenticated', 'sign in first');
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) {
        throw new DomainError(
          'csrf_invalid',
          'missing or wrong X-CSRF-Token header: reload the page and try again',
        );
      }
    }
    if (session.mustSetUpTotp && !TOTP_SETUP_ROUTES.has(request.routeOptions.url ?? '')) {
      throw new DomainError(
        'totp_required',
        'the newsroom requires two-factor sign-in: set it up first',
      );
    }
    const actor = {
      userId: session.user.id,
      personId: session.user.personId,
      role: session.user.role,
    };
    return { session, actor, token };
  };
}

/**
 * The admin API (JSON): sessions, articles and their workflow, images, staff, the
 * audit log. Routes are thin — parse with zod, call one use case, present — and every
 * state change needs a live session and its CSRF token in `X-CSRF-Token`.
 */
export async function registerAdminApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  options: { maxUploadMb?: number } = {},
): Promise<void> {
  await app.register(cookie);

  const signedIn = makeSignedIn(newsroom);

  function setSessionCookie(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    expiresAt: string,
  ): void {
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/api',
      httpOnly: true,
      sameSite: 'strict',
      // HTTPS at the public address (usually a proxy terminating TLS) or on this socket.
      secure: newsroom.publicUrl.startsWith('https:') || request.protocol === 'https',
      expires: new Date(expiresAt),
    });
  }

  // Sessions
  app.post('/api/session', async (request, reply) => {
    const body = parse(
      z.object({
        email: z.string().max(320),
        password: z.string().max(1024),
        totp: z.string().max(12).optional(),
      }),
      request.body,
    );
    const signed = await login(newsroom, { ...body, ip: request.ip });
    setSessionCookie(request, reply, signed.sessionToken, signed.expiresAt);
    // The newsroom's time zone comes with the session: the app shows every date in it.
    const { timeZone } = await getSiteSettings(newsroom);
    return { user: presentUser(signed.user), csrfToken: signed.csrfToken, timeZone };
  });
  app.get('/api/session', async (request) => {
    const { session } = await signedIn(request);
    return {
      user: presentUser(session.user),
      csrfToken: session.csrfToken,
      mustSetUpTotp: session.mustSetUpTotp,
      timeZone: (await getSiteSettings(newsroom)).timeZone,
    };
  });
  app.delete('/api/session', async (request, reply) => {
    const { token } = await signedIn(request);
    await logout(newsroom, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/api' });
    return reply.code(204).send();
  });
  app.post('/api/session/logout-everywhere', async (request, reply) => {
    const { actor } = await signedIn(request);
    const ended = await logoutEverywhere(newsroom, actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/api' });
    return { ended };
  });
  app.post('/api/session/totp', async (request) =>
    beginTotpSetup(newsroom, (await signedIn(request)).actor),
  );
  app.post('/api/session/totp/confirm', async (request) => {
    const { actor } = await signedIn(request);
    // The secret is the one `POST /api/session/totp` stored. Older clients still
    // send `secret`: it is accepted and ignored, never trusted.
    const body = parse(
      z.object({ code: z.string().max(12), secret: z.unknown().optional() }),
      request.body,
    );
    return { user: presentUser(await confirmTotpSetup(newsroom, actor, body.code)) };
  });
  // The one-time link's token is the credential here: there is no session yet.
  app.post('/api/password', async (request) => {
    const body = parse(
      z.object({ token: z.string().min(20).max(200), password: z.string().max(2000) }),
      request.body,
    );
    return { user: presentUser(await setPasswordWithToken(newsroom, body.token, body.password)) };
  });

  // Articles and their workflow
  app.get('/api/articles', async (request) => {
    const { actor } = await signedIn(request);
    // { articles, total, page, pageSize }: one page, and how many match in all.
    return await listArticlesForStaffMember(
      newsroom,
      actor,
      parse(articleListQuerySchema, request.query),
    );
  });
  app.post('/api/articles', async (request, reply) => {
    const { actor } = await signedIn(request);
    const article = await createArticle(newsroom, actor, parse(newArticleSchema, request.body));
    return reply.code(201).send(article);
  });
  // A published article as IPTC ninjs 2.1, for partners who republish it.
  app.get<{ Params: { id: string } }>('/api/articles/:id.ninjs.json', async (request, reply) => {
    await signedIn(request);
    const [item, chrome] = await Promise.all([
      readPublishedItem(newsroom, idParam(request.params.id)),
      readSiteChrome(newsroom),
    ]);
    if (!item)
      throw new DomainError('not_found', `there is no published article ${request.params.id}`);
    return reply.type('application/json; charset=utf-8').send(articleToNinjs(item, chrome));
  });
  app.get<{ Params: { id: string } }>('/api/articles/:id', async (request) => {
    const { actor } = await signedIn(request);
    return getArticleForStaff(newsroom, actor, idParam(request.params.id));
  });
  app.patch<{ Params: { id: string } }>('/api/articles/:id', async (request) => {
    const { actor } = await signedIn(request);
    return updateArticle(
      newsroom,
      actor,
      idParam(request.params.id),
      parse(articlePatchSchema, request.body),
    );
  });
  app.post<{ Params: { id: string; name: string } }>(
    '/api/articles/:id/transitions/:name',
    async (request) => {
      const { actor } = await signedIn(request);
      const name = parse(z.enum(TRANSITIONS), request.params.name);
      const { version, changes, bodyState, ...body } = parse(
        transitionBodySchemas[name],
        request.body,
      );
      const transition = { ...body, name } as TransitionRequest;
      return transitionArticle(
        newsroom,
        actor,
        idParam(request.params.id),
        transition,
        version,
        changes,
        bodyState === undefined ? undefined : decodeBodyState(bodyState),
      );
    },
  );
  // The same story in other languages: link one more, or leave the group.
  app.post<{ Params: { id: string } }>('/api/articles/:id/translations', async (request) => {
    const { actor } = await signedIn(request);
    const { articleId } = parse(z.object({ articleId: z.number().int().positive() }), request.body);
    return linkTranslation(newsroom, actor, idParam(request.params.id), articleId);
  });
  app.delete<{ Params: { id: string } }>('/api/articles/:id/translations', async (request) => {
    const { actor } = await signedIn(request);
    return unlinkTranslation(newsroom, actor, idParam(request.params.id));
  });
  app.get<{ Params: { id: string } }>('/api/articles/:id/revisions', async (request) => {
    const { actor } = await signedIn(request);
    return { revisions: await listRevisions(newsroom, actor, idParam(request.params.id)) };
  });
  app.post<{ Params: { id: string; revision: string } }>(
    '/api/articles/:id/revisions/:revision/restore',
    async (request) => {
      const { actor } = await signedIn(request);
      const { version } = parse(z.object({ version: z.number().int().positive() }), request.body);
      return restoreRevision(
        newsroom,
        actor,
        idParam(request.params.id),
        idParam(request.params.revision),
        version,
      );
    },
  );

  // What the editor's forms need
  app.get('/api/sections', async (request) => {
    await signedIn(request);
    return { sections: await listSectionTree(newsroom) };
  });
  app.get('/api/people', async (request) => {
    await signedIn(request);
    return { people: await listPeople(newsroom) };
  });
  await registerMediaApi(app, newsroom, signedIn, options.maxUploadMb);
  await registerSiteApi(app, newsroom, signedIn);
  await registerLiveApi(app, newsroom, signedIn);
  await registerNotesApi(app, newsroom, signedIn);
  await registerDeskApi(app, newsroom, signedIn);
  await registerAudienceApi(app, newsroom, signedIn);
  await registerDistributionApi(app, newsroom, signedIn);
  await registerNewslettersApi(app, newsroom, signedIn);
  await registerFediverseApi(app, newsroom, signedIn);
  await registerPeopleApi(app, newsroom, signedIn);

  // Staff and settings (editor-in-chief)
  app.get('/api/users', async (request) => {
    const { actor } = await signedIn(request);
    return { users: (await listUsers(newsroom, actor)).map(presentUser) };
  });
  app.post('/api/users', async (request, reply) => {
    const { actor } = await signedIn(request);
    const body = parse(
      z.object({
        email: z.string(),
        name: z.string().max(200),
        role: z.string(),
        linkPerson: z.boolean().optional(),
      }),
      request.body,
    );
    const { user, passwordLink } = await addUser(newsroom, actor, body);
    return reply.code(201).send({ user: presentUser(user), passwordLink });
  });
  app.patch<{ Params: { id: string } }>('/api/users/:id', async (request) => {
    const { actor } = await signedIn(request);
    const body = parse(
      z.object({ role: z.string().optional(), disabled: z.literal(true).optional() }),
      request.body,
    );
    const user = await updateStaffAccount(newsroom, actor, idParam(request.params.id), {
      ...(body.role ? { role: body.role } : {}),
      ...(body.disabled ? { isDisabled: true } : {}),
    });
    return { user: presentUser(user) };
  });
  app.get('/api/audit', async (request) => {
    const { actor } = await signedIn(request);
    const { user, ...query } = parse(auditQuerySchema, request.query);
    return await readAuditLog(newsroom, actor, { ...query, ...(user ? { by: user } : {}) });
  });
  app.get('/api/settings/security', async (request) => {
    const { actor } = await signedIn(request);
    return { totpRequired: await isTotpRequiredForAll(newsroom, actor) };
  });
  app.put('/api/settings/security', async (request) => {
    const { actor } = await signedIn(request);
    const { totpRequired } = parse(z.object({ totpRequired: z.boolean() }), request.body);
    await requireTotpForAll(newsroom, actor, totpRequired);
    return { totpRequired };
  });
}
