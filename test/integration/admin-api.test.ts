import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { generate } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, type Client, PASSWORD, signIn, signInAs, simpleBody } from '../admin.js';
import { FIXED_NOW, openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

async function draft(
  client: Client,
  title = 'Council opens its books',
): Promise<{ id: number; version: number; url: string }> {
  const response = await client.send('POST', '/api/articles', {
    title,
    section: 'news/politics',
    language: 'en',
    body: simpleBody,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('sessions', () => {
  it('signs in with a cookie that is HttpOnly, SameSite=Strict, Secure and scoped to /api', async () => {
    await signIn(app, newsroom, 'editor', 'Ada Editor');
    const response = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'ada.editor@news.example', password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/^masthead_session=[\w-]{40,};/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Path=/api');
    // The test newsroom's public address is https://news.example.
    expect(header).toContain('Secure');
    expect(response.json()).toMatchObject({
      user: { name: 'Ada Editor', role: 'editor' },
      csrfToken: expect.any(String),
    });
  });

  it('leaves out the Secure flag on a plain-HTTP site (a laptop, an onion service)', async () => {
    await signIn(app, newsroom, 'editor', 'Ada Editor');
    newsroom.publicUrl = 'http://localhost:3000';
    const response = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'ada.editor@news.example', password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    expect(String(response.headers['set-cookie'])).not.toContain('Secure');
  });

  it('refuses a wrong password without saying whether the account exists', async () => {
    await signIn(app, newsroom, 'editor', 'Ada Editor');
    for (const email of ['ada.editor@news.example', 'nobody@news.example']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email, password: 'wrong password!!' },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        error: { code: 'invalid_credentials', message: 'wrong e-mail or password' },
      });
    }
  });

  // Sign-in throttling (slowing guesses down) is tested in sign-in-throttle.test.ts.

  it('answers every API request without a session with 401', async () => {
    const response = await app.inject('/api/articles');
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });

  it('refuses a state change without the CSRF token, or with another session’s', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const other = await signIn(app, newsroom, 'author', 'Bo Author');
    const payload = { title: 'X', section: 'news', language: 'en', body: simpleBody };
    for (const csrf of [null, 'forged', other.csrf]) {
      const response = await editor.send('POST', '/api/articles', payload, { csrf });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('csrf_invalid');
    }
    expect((await editor.send('GET', '/api/articles', undefined, { csrf: null })).statusCode).toBe(
      200,
    );
  });

  it('logs out, and logs out everywhere', async () => {
    const first = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const second = await signInAs(app, 'ada.editor@news.example', first.personId, first.userId);
    expect((await first.send('DELETE', '/api/session')).statusCode).toBe(204);
    expect((await first.send('GET', '/api/session')).statusCode).toBe(401);
    expect((await second.send('GET', '/api/session')).statusCode).toBe(200);
    const third = await signInAs(app, 'ada.editor@news.example', first.personId, first.userId);
    expect((await second.send('POST', '/api/session/logout-everywhere')).json()).toEqual({
      ended: 2,
    });
    expect((await second.send('GET', '/api/session')).statusCode).toBe(401);
    expect((await third.send('GET', '/api/session')).statusCode).toBe(401);
  });
});

describe('two-factor sign-in', () => {
  const epoch = Math.floor(FIXED_NOW.getTime() / 1000);
  // The next TOTP time step: a code accepted at FIXED_NOW is spent, this one is fresh.
  const later = new Date(FIXED_NOW.getTime() + 30_000);
  const laterEpoch = epoch + 30;

  const login = (email: string, totp?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email, password: PASSWORD, ...(totp ? { totp } : {}) },
    });

  /** Sets two-factor up for a signed-in user at FIXED_NOW; returns the secret. */
  async function setUp(user: Client): Promise<string> {
    const { secret } = (await user.send('POST', '/api/session/totp')).json();
    const confirmed = await user.send('POST', '/api/session/totp/confirm', {
      code: await generate({ secret, epoch }),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    return secret;
  }

  it('asks for the code once set up, and refuses a wrong one', async () => {
    const user = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const { secret, uri } = (await user.send('POST', '/api/session/totp')).json();
    expect(uri).toMatch(/^otpauth:\/\/totp\/.*ada\.editor%40news\.example/);
    const wrong = await user.send('POST', '/api/session/totp/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(401);
    const code = await generate({ secret, epoch });
    const confirmed = await user.send('POST', '/api/session/totp/confirm', { code });
    expect(confirmed.json().user.hasTotp).toBe(true);

    const email = 'ada.editor@news.example';
    expect((await login(email)).json().error.code).toBe('totp_required');
    expect((await login(email, '123456')).statusCode).toBe(401);
    newsroom.now = () => later;
    expect((await login(email, await generate({ secret, epoch: laterEpoch }))).statusCode).toBe(
      200,
    );
  });

  it('refuses a code that was already used, for confirming or signing in', async () => {
    const user = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const secret = await setUp(user);
    const email = 'ada.editor@news.example';
    // The code that turned two-factor on is spent, though still inside its window.
    const spent = await login(email, await generate({ secret, epoch }));
    expect(spent.statusCode).toBe(401);
    expect(spent.json().error).toMatchObject({
      code: 'invalid_credentials',
      message: 'this code was already used: wait for the next one',
      field: 'totp',
    });

    newsroom.now = () => later;
    const code = await generate({ secret, epoch: laterEpoch });
    expect((await login(email, code)).statusCode).toBe(200);
    const replayed = await login(email, code);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.field).toBe('totp');
    // An older code still inside the drift window is no better than the same one.
    expect((await login(email, await generate({ secret, epoch }))).statusCode).toBe(401);
  });

  it('confirms only the secret the server handed out, never one the client sends', async () => {
    const user = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const noSetup = await user.send('POST', '/api/session/totp/confirm', { code: '123456' });
    expect(noSetup.statusCode).toBe(400);
    expect(noSetup.json().error).toMatchObject({
      code: 'invalid_input',
      message: 'start two-factor setup first',
    });

    const { secret } = (await user.send('POST', '/api/session/totp')).json();
    const chosen = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const forged = await user.send('POST', '/api/session/totp/confirm', {
      secret: chosen,
      code: await generate({ secret: chosen, epoch }),
    });
    expect(forged.statusCode).toBe(401);
    // A malformed secret used to be a 500; now it is simply not looked at.
    const malformed = await user.send('POST', '/api/session/totp/confirm', {
      secret: '!!not base32!!!!!',
      code: await generate({ secret, epoch }),
    });
    expect(malformed.statusCode, malformed.body).toBe(200);
    expect(malformed.json().user.hasTotp).toBe(true);
  });

  it('will not replace a second factor that is on: that takes `masthead user reset-2fa`', async () => {
    const user = await signIn(app, newsroom, 'editor', 'Ada Editor');
    await setUp(user);
    const again = await user.send('POST', '/api/session/totp');
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'conflict',
      message: 'two-factor sign-in is already on for this account',
      field: 'totp',
    });

    const { code, lines: out } = await runCliOn(newsroom, [
      'user',
      'reset-2fa',
      'Ada.Editor@news.example',
    ]);
    expect(code, out.join('\n')).toBe(0);
    expect(out).toEqual([
      'two-factor sign-in is off for ada.editor@news.example: they sign in with the password and set it up again',
    ]);

    // A reset is for a lost phone: it also ends every session of the account.
    expect((await user.send('GET', '/api/session')).statusCode).toBe(401);
    const signedIn = await login('ada.editor@news.example');
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const fresh = await signInAs(app, 'ada.editor@news.example', user.personId, user.userId);
    newsroom.now = () => later;
    const { secret } = (await fresh.send('POST', '/api/session/totp')).json();
    const confirmed = await fresh.send('POST', '/api/session/totp/confirm', {
      code: await generate({ secret, epoch: laterEpoch }),
    });
    expect(confirmed.json().user.hasTotp).toBe(true);
    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'user.totp-reset')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('lets the editor-in-chief make it mandatory: others must set it up before working', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    // The settings screen reads the current value before it saves anything.
    expect((await chief.send('GET', '/api/settings/security')).json()).toEqual({
      totpRequired: false,
    });
    expect((await editor.send('GET', '/api/settings/security')).statusCode).toBe(403);
    expect(
      (await editor.send('PUT', '/api/settings/security', { totpRequired: true })).statusCode,
    ).toBe(403);
    expect(
      (await chief.send('PUT', '/api/settings/security', { totpRequired: true })).statusCode,
    ).toBe(200);
    const refused = await editor.send('GET', '/api/articles');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('totp_required');
    expect((await editor.send('GET', '/api/session')).json().mustSetUpTotp).toBe(true);
    await setUp(editor);
    expect((await editor.send('GET', '/api/articles')).statusCode).toBe(200);
    await setUp(chief);
    expect((await chief.send('GET', '/api/settings/security')).json()).toEqual({
      totpRequired: true,
    });
  });
});

describe('articles', () => {
  it('creates a draft with its creator as first author and the public path it will have', async () => {
    const author = await signIn(app, newsroom, 'author', 'Bo Author');
    const created = await draft(author);
    expect(created).toMatchObject({
      version: 1,
      status: 'draft',
      url: '/news/politics/council-opens-its-books',
      authors: [{ personId: author.personId, name: 'Bo Author', label: null }],
      transitions: ['submit', 'publish', 'schedule', 'trash'],
    });
    expect((await app.inject(created.url)).statusCode).toBe(404);
  });

  it('refuses a save against an older version with 409 and the current article', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const { id } = await draft(editor);
    const first = await editor.send('PATCH', `/api/articles/${id}`, {
      version: 1,
      title: 'First change',
    });
    expect(first.json().version).toBe(2);
    const stale = await editor.send('PATCH', `/api/articles/${id}`, {
      version: 1,
      title: 'Stale change',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'version_conflict',
      current: { version: 2, title: 'First change' },
    });
    expect((await editor.send('GET', `/api/articles/${id}`)).json().title).toBe('First change');
  });

  it('keeps every save as a revision and restores one as a new revision', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const { id } = await draft(editor, 'Original headline');
    await editor.send('PATCH', `/api/articles/${id}`, { version: 1, title: 'Changed headline' });
    const revisions = (await editor.send('GET', `/api/articles/${id}/revisions`)).json().revisions;
    expect(
      revisions.map((r: { version: number; snapshot: { title: string } }) => [
        r.version,
        r.snapshot.title,
      ]),
    ).toEqual([
      [2, 'Changed headline'],
      [1, 'Original headline'],
    ]);
    const oldest = revisions[1].id;
    const restored = await editor.send('POST', `/api/articles/${id}/revisions/${oldest}/restore`, {
      version: 2,
    });
    expect(restored.json()).toMatchObject({ version: 3, title: 'Original headline' });
  });

  it('refuses a published article’s new slug: its address is fixed', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const { id } = await draft(editor);
    await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    const response = await editor.send('PATCH', `/api/articles/${id}`, {
      version: 1,
      slug: 'new-address',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('slug');
  });

  it('gives a draft moved to another section a free address there', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const inNews = (
      await editor.send('POST', '/api/articles', {
        title: 'Council opens its books',
        section: 'news',
        language: 'en',
        body: simpleBody,
      })
    ).json();
    const moving = await draft(editor); // same slug, in news/politics
    const moved = await editor.send('PATCH', `/api/articles/${moving.id}`, {
      version: moving.version,
      section: 'news',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().url).toBe('/news/council-opens-its-books-2');
    expect(inNews.url).toBe('/news/council-opens-its-books');
  });

  it('lists with filters; contributors see only their own', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    await draft(editor, 'Editor draft');
    await draft(contributor, 'Contributor draft');
    const titles = async (client: Client, query = '') =>
      (await client.send('GET', `/api/articles${query}`))
        .json()
        .articles.map((a: { title: string }) => a.title);
    expect(await titles(contributor)).toEqual(['Contributor draft']);
    expect(await titles(editor, '?status=draft')).toEqual(['Contributor draft', 'Editor draft']);
    expect(await titles(editor, '?q=EDITOR')).toEqual(['Editor draft']);
    expect(await titles(editor, `?author=${contributor.personId}`)).toEqual(['Contributor draft']);
    expect((await titles(editor, '?section=opinion')).length).toBe(1);
    expect(
      (await contributor.send('GET', '/api/articles?status=published')).json().articles,
    ).toEqual([]);
  });

  it('never lets a reader page carry active content from a document', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const hostile = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          attrs: { onerror: 'alert(1)' },
          content: [
            { type: 'text', text: '<script>alert(1)</script><img src=x onerror=alert(2)>' },
          ],
        },
      ],
    };
    const refused = await editor.send('POST', '/api/articles', {
      title: 'Hostile',
      section: 'news',
      language: 'en',
      body: {
        type: 'doc',
        content: [
          {
            type: 'paragraph',
            content: [
              {
                type: 'text',
                text: 'x',
                marks: [{ type: 'link', attrs: { href: 'javascript:alert(3)' } }],
              },
            ],
          },
        ],
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/http\(s\), mailto or site-relative/);
    const created = await editor.send('POST', '/api/articles', {
      title: 'Hostile <b>',
      section: 'news',
      language: 'en',
      body: hostile,
    });
    const { id, url } = created.json();
    await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    const page = (await app.inject(url)).body;
    expect(page).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;',
    );
    const root = parse(page);
    // One executable script, the site's own; the JSON-LD data block holds the
    // hostile headline with every "<" escaped, so it cannot end the element.
    const scripts = root
      .querySelectorAll('script:not([type="application/ld+json"])')
      .map((script) => script.getAttribute('src'));
    expect(scripts).toEqual([expect.stringMatching(/^\/assets\/site\.[0-9a-f]{10}\.js$/)]);
    const data = root.querySelectorAll('script[type="application/ld+json"]');
    expect(data).toHaveLength(1);
    expect(data[0]?.textContent).not.toContain('<');
    expect(JSON.parse(data[0]?.textContent ?? '')['@graph'][0].headline).toBe('Hostile <b>');
    const handlers = root
      .querySelectorAll('*')
      .flatMap((element) =>
        Object.keys(element.attributes).filter((name) => name.toLowerCase().startsWith('on')),
      );
    expect(handlers).toEqual([]);
    expect(root.querySelectorAll('img')).toHaveLength(0);
    expect(root.querySelectorAll('[href^="javascript:"]')).toHaveLength(0);
  });
});

describe('every role × transition', () => {
  type Expectation = Record<
    'submit' | 'publish' | 'schedule' | 'unpublish' | 'correct',
    [number, number]
  >;
  // [status on one's own article, on someone else's]. Each transition starts from a state it applies to.
  const EXPECTED: Record<string, Expectation> = {
    contributor: {
      submit: [200, 404],
      publish: [403, 404],
      schedule: [403, 404],
      unpublish: [403, 403],
      correct: [403, 403],
    },
    author: {
      submit: [200, 404],
      publish: [200, 404],
      schedule: [200, 404],
      unpublish: [200, 403],
      correct: [200, 403],
    },
    editor: {
      submit: [200, 200],
      publish: [200, 200],
      schedule: [200, 200],
      unpublish: [200, 200],
      correct: [200, 200],
    },
    'editor-in-chief': {
      submit: [200, 200],
      publish: [200, 200],
      schedule: [200, 200],
      unpublish: [200, 200],
      correct: [200, 200],
    },
  };
  const bodies = {
    submit: {},
    publish: {},
    schedule: { at: '2026-03-02T09:00:00Z' },
    unpublish: {},
    correct: { type: 'correction', text: 'An earlier version misspelled the mayor’s name.' },
  };

  for (const [role, expectations] of Object.entries(EXPECTED)) {
    for (const [name, [own, others]] of Object.entries(expectations)) {
      it(`${role}: ${name} answers ${own} on their own article and ${others} on another's`, async () => {
        const actor = await signIn(app, newsroom, role, `Test ${role}`);
        const owner = await signIn(app, newsroom, 'editor', 'Owner Editor');
        const needsPublished = name === 'unpublish' || name === 'correct';
        const prepare = async (client: Client) => {
          const { id } = await draft(
            client,
            `${role} ${name} ${client === actor ? 'own' : 'other'}`,
          );
          if (needsPublished) {
            const published = await owner.send('POST', `/api/articles/${id}/transitions/publish`);
            expect(published.statusCode, published.body).toBe(200);
          }
          return id;
        };
        const ownId = await prepare(actor);
        const otherId = await prepare(owner);
        const ownResponse = await actor.send(
          'POST',
          `/api/articles/${ownId}/transitions/${name}`,
          bodies[name as keyof typeof bodies],
        );
        const otherResponse = await actor.send(
          'POST',
          `/api/articles/${otherId}/transitions/${name}`,
          bodies[name as keyof typeof bodies],
        );
        expect(ownResponse.statusCode, ownResponse.body).toBe(own);
        expect(otherResponse.statusCode, otherResponse.body).toBe(others);
        if (own === 403) expect(ownResponse.json().error.code).toBe('not_allowed_for_role');
      });
    }
  }

  it('refuses to publish without a byline, and a lead photo without credit, with stable codes', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const { id } = (
      await editor.send('POST', '/api/articles', {
        title: 'No byline',
        section: 'news',
        language: 'en',
        body: simpleBody,
        authors: [],
      })
    ).json();
    const refused = await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('no_byline');
    const uncredited = await newsroom.store.db
      .insertInto('media')
      .values({
        kind: 'image',
        file: null,
        width: null,
        height: null,
        alt: 'x',
        caption: 'y',
        credit_json: '[]',
        created_at: FIXED_NOW.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const withPhoto = (
      await editor.send('POST', '/api/articles', {
        title: 'Photo',
        section: 'news',
        language: 'en',
        body: simpleBody,
        leadMediaId: uncredited.id,
      })
    ).json();
    const noCredit = await editor.send('POST', `/api/articles/${withPhoto.id}/transitions/publish`);
    expect(noCredit.json().error.code).toBe('lead_photo_needs_credit');
  });

  it('answers an unknown transition and a transition from the wrong state clearly', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const { id } = await draft(editor);
    expect((await editor.send('POST', `/api/articles/${id}/transitions/explode`)).statusCode).toBe(
      400,
    );
    const wrongState = await editor.send('POST', `/api/articles/${id}/transitions/unpublish`);
    expect(wrongState.statusCode).toBe(422);
    expect(wrongState.json().error.code).toBe('invalid_transition');
  });
});

describe('corrections', () => {
  it('shows a correction on the article and on /corrections', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const { id, url } = await draft(editor, 'Mayor names new treasurer');
    await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    const corrected = await editor.send('POST', `/api/articles/${id}/transitions/correct`, {
      type: 'correction',
      text: 'An earlier version gave the wrong date for the vote.',
    });
    expect(corrected.json().corrections).toEqual([
      {
        type: 'correction',
        text: 'An earlier version gave the wrong date for the vote.',
        createdAt: FIXED_NOW.toISOString(),
      },
    ]);
    const article = (await app.inject(url)).body;
    expect(article).toMatch(
      /<section class="corrections"[^>]*><p class="correction correction-correction"><strong>Correction<\/strong>/,
    );
    expect(article).toContain('An earlier version gave the wrong date for the vote.');
    const list = await app.inject('/corrections');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`<a href="${url}">Mayor names new treasurer</a>`);
  });
});

describe('staff and the audit log', () => {
  it('lets only the editor-in-chief add staff, change roles and read the audit log', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const added = await chief.send('POST', '/api/users', {
      email: 'new@news.example',
      name: 'New Reporter',
      role: 'contributor',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json().passwordLink).toMatch(
      /^https:\/\/news\.example\/admin\/#\/set-password\/[\w-]{40,}$/,
    );
    expect(
      (
        await editor.send('POST', '/api/users', {
          email: 'x@news.example',
          name: 'X',
          role: 'editor',
        })
      ).statusCode,
    ).toBe(403);
    const promoted = await chief.send('PATCH', `/api/users/${added.json().user.id}`, {
      role: 'author',
    });
    expect(promoted.json().user.role).toBe('author');
    // Nothing to change, or nobody to change it on: a clear refusal, never a 500.
    const empty = await chief.send('PATCH', `/api/users/${added.json().user.id}`, {});
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'invalid_input']);
    const unknown = await chief.send('PATCH', '/api/users/9999', { role: 'author' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'not_found']);
    expect((await editor.send('GET', '/api/audit')).statusCode).toBe(403);
    const actions = (await chief.send('GET', '/api/audit'))
      .json()
      .entries.map((e: { action: string; userName: string | null }) => [e.action, e.userName]);
    expect(actions.slice(0, 3)).toEqual([
      ['user.role', 'Mira Chief'],
      ['user.add', 'Mira Chief'],
      ['session.login', 'Ada Editor'],
    ]);
  });

  it('sets a password through the one-time link, once', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const { passwordLink } = (
      await chief.send('POST', '/api/users', {
        email: 'new@news.example',
        name: 'New Reporter',
        role: 'contributor',
      })
    ).json();
    const token = String(passwordLink).split('/').at(-1);
    const short = await app.inject({
      method: 'POST',
      url: '/api/password',
      payload: { token, password: 'short' },
    });
    expect(short.json().error).toMatchObject({ code: 'invalid_input', field: 'password' });
    const set = await app.inject({
      method: 'POST',
      url: '/api/password',
      payload: { token, password: PASSWORD },
    });
    expect(set.statusCode).toBe(200);
    const again = await app.inject({
      method: 'POST',
      url: '/api/password',
      payload: { token, password: PASSWORD },
    });
    expect(again.statusCode).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'new@news.example', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
  });

  it('signs a disabled account out everywhere', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    await chief.send('PATCH', `/api/users/${editor.userId}`, { disabled: true });
    expect((await editor.send('GET', '/api/session')).statusCode).toBe(401);
  });
});
