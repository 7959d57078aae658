import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isDomainError } from '../core/errors.js';
import {
  confirmSubscription,
  preferencesToken,
  readNewsletterLists,
  readPreferences,
  savePreferences,
  signUp,
  unsubscribe,
} from '../newsroom/newsletters.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { readSiteChrome } from '../newsroom/read-site.js';
import { uiText } from '../site/i18n.js';
import { NewslettersPage, type NewslettersView } from '../site/pages/newsletters-page.js';
import { renderHtml } from '../site/render-page.js';
import type { LoadedAssets } from './assets.js';

// The reader's newsletter pages: plain forms that work without JavaScript and
// set no cookie. Nothing here is cached: each answer is one reader's.
// Sign-ups are throttled per address of the request, counted in memory and
// keyed by a hash, so no reader's IP address is ever stored.

/** Sign-ups one address of a request may make in a window. */
const SIGN_UPS_PER_WINDOW = 5;
const WINDOW_MS = 10 * 60_000;

/** Bodies of the forms: small, urlencoded. */
const FORM_LIMIT = 4096;

function throttle() {
  const seen = new Map<string, number[]>();
  return (ip: string): boolean => {
    const key = createHash('sha256').update(ip).digest('base64url').slice(0, 16);
    const now = Date.now();
    const recent = (seen.get(key) ?? []).filter((at) => now - at < WINDOW_MS);
    // Forget quiet addresses: the map never holds more than the last window.
    if (seen.size > 10_000) {
      for (const [other, times] of seen) {
        if (times.every((at) => now - at >= WINDOW_MS)) seen.delete(other);
      }
    }
    if (recent.length >= SIGN_UPS_PER_WINDOW) {
      seen.set(key, recent);
      return false;
    }
    seen.set(key, [...recent, now]);
    return true;
  };
}

export function registerNewsletterRoutes(
  app: FastifyInstance,
  newsroom: Newsroom,
  assets: LoadedAssets,
): void {
  const mayTry = throttle();
  // The site's own forms post urlencoded bodies; the admin API speaks JSON.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_LIMIT },
    (_request, body, done) => done(null, new URLSearchParams(String(body))),
  );

  const page = async (reply: FastifyReply, view: NewslettersView, status = 200) => {
    const chrome = await readSiteChrome(newsroom);
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(renderHtml(NewslettersPage({ view, chrome, assets: assets.urls })));
  };
  const signUpPage = async (
    extra: Partial<Extract<NewslettersView, { step: 'sign-up' }>> = {},
  ) => ({
    step: 'sign-up' as const,
    lists: await readNewsletterLists(newsroom),
    isOpen: newsroom.mailer !== undefined,
    ...extra,
  });
  const form = (body: unknown) => (body instanceof URLSearchParams ? body : new URLSearchParams());

  app.get('/newsletters', async (_request, reply) => page(reply, await signUpPage()));

  app.post('/newsletters', async (request, reply) => {
    const fields = form(request.body);
    const email = fields.get('email') ?? '';
    const listIds = fields.getAll('list').map(Number).filter(Number.isInteger);
    const mailer = newsroom.mailer;
    if (!mailer) return page(reply, await signUpPage(), 503);
    const text = uiText((await readSiteChrome(newsroom)).settings.language);
    if (!mayTry(request.ip)) {
      return page(
        reply,
        await signUpPage({ email, picked: listIds, problem: text.newsletterSlowDown }),
        429,
      );
    }
    try {
      await signUp(newsroom, mailer, { email, listIds });
    } catch (error) {
      if (!isDomainError(error, 'invalid_input')) throw error;
      const problem = error.field === 'email' ? text.newsletterBadEmail : text.newsletterPickOne;
      return page(reply, await signUpPage({ email, picked: listIds, problem }), 400);
    }
    return page(reply, { step: 'sent' });
  });

  app.get<{ Querystring: { t?: string } }>('/newsletters/confirm', async (request, reply) =>
    page(reply, { step: 'confirm', token: request.query.t ?? '' }),
  );
  app.post('/newsletters/confirm', async (request, reply) => {
    try {
      const lists = await confirmSubscription(newsroom, form(request.body).get('t') ?? '');
      return page(reply, { step: 'confirmed', lists });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return page(reply, { step: 'problem', problem: error.message }, 400);
    }
  });

  /** The preferences link for an unsubscribe link, or null when that link is not valid. */
  const preferencesFor = (token: string) =>
    preferencesToken(newsroom, token).catch((error: unknown) => {
      if (isDomainError(error)) return null;
      throw error;
    });
  app.get<{ Querystring: { t?: string } }>('/newsletters/unsubscribe', async (request, reply) => {
    const token = request.query.t ?? '';
    return page(reply, {
      step: 'unsubscribe',
      token,
      preferencesToken: await preferencesFor(token),
    });
  });
  // Both the page's button and a mail program's one-click unsubscribe
  // (RFC 8058: POST with "List-Unsubscribe=One-Click") come here.
  app.post<{ Querystring: { t?: string } }>('/newsletters/unsubscribe', async (request, reply) => {
    const token = request.query.t ?? form(request.body).get('t') ?? '';
    try {
      await unsubscribe(newsroom, token);
      return page(reply, { step: 'unsubscribed', preferencesToken: await preferencesFor(token) });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return page(reply, { step: 'problem', problem: error.message }, 400);
    }
  });
  // Which lists a reader gets, all at once, from the link their unsubscribe page gives.
  app.get<{ Querystring: { t?: string } }>('/newsletters/preferences', async (request, reply) => {
    const token = request.query.t ?? '';
    try {
      const preferences = await readPreferences(newsroom, token);
      return page(reply, { step: 'preferences', token, ...preferences, isSaved: false });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return page(reply, { step: 'problem', problem: error.message }, 400);
    }
  });
  app.post('/newsletters/preferences', async (request, reply) => {
    const fields = form(request.body);
    const token = fields.get('t') ?? '';
    const listIds = fields.getAll('list').map(Number).filter(Number.isInteger);
    try {
      const preferences = await savePreferences(newsroom, token, listIds);
      return page(reply, { step: 'preferences', token, ...preferences, isSaved: true });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return page(reply, { step: 'problem', problem: error.message }, 400);
    }
  });
}
