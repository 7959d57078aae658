import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadAssets } from '../src/http/assets.js';
import type { PageCache } from '../src/http/page-cache.js';
import { buildServer } from '../src/http/server.js';
import { SYSTEM_ACTOR } from '../src/newsroom/newsroom.js';
import { installSampleContent } from '../src/newsroom/sample-content.js';
import { addUser } from '../src/newsroom/staff.js';
import type { TestNewsroom } from './newsroom.js';

export const PASSWORD = 'correct horse battery staple';

/** A signed-in staff member, for `fastify.inject` requests. */
export type Client = {
  personId: number;
  userId: number;
  cookie: string;
  csrf: string;
  /** Sends a request as this user, with the session cookie and (unless told not to) the CSRF token. */
  send: (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    options?: { csrf?: string | null },
  ) => Promise<LightMyRequestResponse>;
};

export async function buildTestServer(
  newsroom: TestNewsroom,
  options: { sample?: boolean; pageCache?: PageCache } = {},
): Promise<FastifyInstance> {
  if (options.sample !== false) await installSampleContent(newsroom);
  // As main.ts wires it: the newsroom's changes purge the server's page cache.
  const cache = options.pageCache;
  if (cache) newsroom.changed = (change) => cache.purge(change);
  return await buildServer({
    newsroom,
    assets: await loadAssets(),
    logLevel: 'silent',
    ...(cache ? { pageCache: cache } : {}),
  });
}

/** Creates an account with a password (as the system) and signs it in. */
export async function signIn(
  app: FastifyInstance,
  newsroom: TestNewsroom,
  role: string,
  name: string,
): Promise<Client> {
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}@news.example`;
  const { user } = await addUser(newsroom, SYSTEM_ACTOR, { email, name, role, password: PASSWORD });
  return await signInAs(app, email, user.personId, user.id);
}

export async function signInAs(
  app: FastifyInstance,
  email: string,
  personId: number,
  userId: number,
  totp?: string,
): Promise<Client> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email, password: PASSWORD, ...(totp ? { totp } : {}) },
  });
  if (response.statusCode !== 200)
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'masthead_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = (response.json() as { csrfToken: string }).csrfToken;
  const client: Client = {
    personId,
    userId,
    cookie: `${cookie.name}=${cookie.value}`,
    csrf,
    send: (method, url, body, options = {}) => {
      const token = options.csrf === undefined ? csrf : options.csrf;
      return app.inject({
        method,
        url,
        headers: { cookie: client.cookie, ...(token === null ? {} : { 'x-csrf-token': token }) },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
    },
  };
  return client;
}

export const simpleBody = {
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: 'The council met on Tuesday.' }] },
  ],
};

/** A draft in News › Politics by `writer`, through the API; answers the created article. */
export async function createDraft(
  writer: Client,
  title: string,
): Promise<{ id: number; version: number; slug: string; status: string }> {
  const created = await writer.send('POST', '/api/articles', {
    title,
    section: 'news/politics',
    language: 'en',
    body: simpleBody,
  });
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`);
  return created.json();
}

/** Writes an article through the API and publishes it, as `client`; answers the published article. */
export async function publishThroughApi(
  client: Client,
  fields: {
    title: string;
    section: string;
    tags?: string[];
    standfirst?: string;
    language?: string;
  },
): Promise<{ id: number; url: string; version: number }> {
  const created = await client.send('POST', '/api/articles', {
    standfirst: 'A standfirst.',
    language: 'en',
    body: simpleBody,
    ...fields,
  });
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`);
  const { id } = created.json() as { id: number };
  const done = await client.send('POST', `/api/articles/${id}/transitions/publish`);
  if (done.statusCode !== 200) throw new Error(`publish: ${done.statusCode} ${done.body}`);
  return done.json() as { id: number; url: string; version: number };
}
