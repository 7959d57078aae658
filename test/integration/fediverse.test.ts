import { isActor } from '@fedify/fedify';
import { Create, Like, Note, PUBLIC_COLLECTION } from '@fedify/fedify/vocab';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendDueDeliveries } from '../../src/newsroom/distribution.js';
import { fediverseOf } from '../../src/newsroom/fediverse.js';
import { fediverseArticleHtml } from '../../src/site/fediverse-article.js';
import { telegramPostHtml } from '../../src/site/telegram-post.js';
import { buildTestServer, type Client, createDraft, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Two Masthead instances on 127.0.0.1, each a fediverse actor, over real
// HTTP: one follows the other and receives its articles, corrections and
// deletions, every activity signed and checked by Fedify; likes and replies
// reach the article's editors; unsigned and malformed activities are
// refused with nothing stored.

type Instance = {
  newsroom: TestNewsroom;
  app: FastifyInstance;
  chief: Client;
  editor: Client;
  url: string;
};

async function startInstance(handle: string): Promise<Instance> {
  const newsroom = await openTestNewsroom(new Date());
  // Real time: signatures carry the date, and a fixed clock would be stale.
  newsroom.now = () => new Date();
  const app = await buildTestServer(newsroom);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  newsroom.publicUrl = url;
  newsroom.fediverse = { renderArticle: fediverseArticleHtml, allowPrivateAddress: true };
  const chief = await signIn(app, newsroom, 'editor-in-chief', `Chief ${handle}`);
  const editor = await signIn(app, newsroom, 'editor', `Editor ${handle}`);
  const added = await chief.send('POST', '/api/channels', {
    kind: 'fediverse',
    name: `The ${handle} desk`,
    handle,
  });
  expect(added.statusCode, added.body).toBe(201);
  return { newsroom, app, chief, editor, url };
}

let a: Instance;
let b: Instance;

beforeEach(async () => {
  a = await startInstance('news');
  b = await startInstance('desk');
});
afterEach(async () => {
  for (const instance of [a, b]) {
    await instance.app.close();
    await instance.newsroom.dispose();
  }
});

const transport = {
  telegramApiUrl: 'http://127.0.0.1:9',
  renderTelegramPost: telegramPostHtml,
  channelIntervalMs: 0,
};

async function transition(
  instance: Instance,
  id: number,
  name: string,
  body: Record<string, unknown> = {},
) {
  const current = (await instance.editor.send('GET', `/api/articles/${id}`)).json() as {
    version: number;
  };
  const done = await instance.editor.send('POST', `/api/articles/${id}/transitions/${name}`, {
    version: current.version,
    ...body,
  });
  expect(done.statusCode, done.body).toBe(200);
}

async function received(instance: Instance) {
  const status = (await instance.chief.send('GET', '/api/fediverse')).json() as {
    received: { objectIri: string; name: string; content: string; deletedAt: string | null }[];
    followers: { iri: string }[];
    following: { iri: string; state: string }[];
    handle: string;
  };
  return status;
}

describe('the fediverse', () => {
  it('is found by WebFinger, with a signed actor profile', async () => {
    const host = new URL(a.url).host;
    const finger = await fetch(`${a.url}/.well-known/webfinger?resource=acct:news@${host}`);
    expect(finger.status).toBe(200);
    const links = ((await finger.json()) as { links: { rel: string; href: string }[] }).links;
    expect(links.find((link) => link.rel === 'self')?.href).toBe(`${a.url}/ap/actors/news`);
    const actor = await fetch(`${a.url}/ap/actors/news`, {
      headers: { accept: 'application/activity+json' },
    });
    expect(actor.status).toBe(200);
    const profile = (await actor.json()) as Record<string, unknown>;
    expect(profile).toMatchObject({
      type: 'Organization',
      preferredUsername: 'news',
      name: 'The news desk',
      inbox: `${a.url}/ap/actors/news/inbox`,
      followers: `${a.url}/ap/actors/news/followers`,
    });
    expect(JSON.stringify(profile.publicKey)).toContain('BEGIN PUBLIC KEY');
    // Mastodon credits links from this domain to the account.
    expect(profile.attributionDomains).toEqual([host]);
    const icon = await fetch(`${a.url}/ap/icon.png`);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(JSON.stringify(profile.icon)).toContain(`${a.url}/ap/icon.png`);
    expect(
      (await fetch(`${a.url}/.well-known/webfinger?resource=acct:nobody@${host}`)).status,
    ).toBe(404);
    expect((await a.chief.send('GET', '/api/fediverse')).json()).toMatchObject({
      handle: `@news@${host}`,
    });
    // Article pages name the account, so Mastodon credits links to it.
    const draft = await createDraft(a.editor, 'Ferry service resumes on the river');
    await transition(a, draft.id, 'publish');
    const page = await fetch(`${a.url}/news/politics/ferry-service-resumes-on-the-river`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<meta name="fediverse:creator" content="@news@${host}"/>`);
  });

  it('delivers articles, corrections and deletions to a following newsroom, signed', async () => {
    const follow = await b.chief.send('POST', '/api/fediverse/follow', {
      handle: `${a.url}/ap/actors/news`,
    });
    expect(follow.statusCode, follow.body).toBe(200);
    // A accepted at once: B follows, A counts B among its followers.
    expect((await received(b)).following).toEqual([
      expect.objectContaining({ iri: `${a.url}/ap/actors/news`, state: 'accepted' }),
    ]);
    expect((await received(a)).followers.map((item) => item.iri)).toEqual([
      `${b.url}/ap/actors/desk`,
    ]);
    // A's audience numbers count the follow, not who followed.
    expect((await a.chief.send('GET', '/api/audience?period=today')).json().fediverse).toEqual({
      followed: 1,
      unfollowed: 0,
      followers: 1,
    });

    const draft = await createDraft(a.editor, 'Ferry service resumes on the river');
    await transition(a, draft.id, 'publish');
    expect(await sendDueDeliveries(a.newsroom, transport)).toBe(1);
    let inbox = (await received(b)).received;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({
      objectIri: `${a.url}/ap/articles/${draft.id}`,
      name: 'Ferry service resumes on the river',
      deletedAt: null,
    });
    expect(inbox[0]?.content).toContain('The council met on Tuesday.');
    expect(inbox[0]?.content).toContain(`${a.url}/mirrors`);

    await transition(a, draft.id, 'correct', {
      type: 'correction',
      text: 'An earlier version gave the wrong day.',
    });
    expect(await sendDueDeliveries(a.newsroom, transport)).toBe(1);
    inbox = (await received(b)).received;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.content).toContain('An earlier version gave the wrong day.');

    await transition(a, draft.id, 'unpublish');
    expect(await sendDueDeliveries(a.newsroom, transport)).toBe(1);
    inbox = (await received(b)).received;
    expect(inbox[0]?.deletedAt).not.toBeNull();
    expect(inbox[0]?.content).toBe('');
    const deliveries = (
      await a.editor.send('GET', `/api/articles/${draft.id}/distribution`)
    ).json() as { deliveries: { action: string; state: string }[] };
    expect(deliveries.deliveries.map((item) => `${item.action}:${item.state}`)).toEqual([
      'post:sent',
      'edit:sent',
      'delete:sent',
    ]);
  });

  it('counts likes and keeps replies for editors, and refuses unsigned and malformed activities', async () => {
    const draft = await createDraft(a.editor, 'Council approves the budget');
    await transition(a, draft.id, 'publish');
    const article = `${a.url}/ap/articles/${draft.id}`;
    const federation = fediverseOf(b.newsroom);
    if (!federation) throw new Error('no federation');
    const ctx = federation.createContext(new URL(b.url), undefined);
    const target = await ctx.lookupObject(`${a.url}/ap/actors/news`);
    if (!isActor(target)) throw new Error('actor not found');
    const me = ctx.getActorUri('desk');
    await ctx.sendActivity(
      { identifier: 'desk' },
      target,
      new Like({ id: new URL(`${me.href}#likes/1`), actor: me, object: new URL(article) }),
    );
    const note = new Note({
      id: new URL(`${b.url}/notes/1`),
      attribution: me,
      content: '<p>Thank you for this. <script>alert(1)</script></p>',
      replyTarget: new URL(article),
      tos: [PUBLIC_COLLECTION],
    });
    await ctx.sendActivity(
      { identifier: 'desk' },
      target,
      new Create({ id: new URL(`${b.url}/notes/1#create`), actor: me, object: note }),
    );
    const reactions = async () =>
      (await a.editor.send('GET', `/api/articles/${draft.id}/reactions`)).json() as {
        likes: number;
        boosts: number;
        replies: { id: number; content: string; state: string; actorName: string }[];
      };
    const seen = await reactions();
    expect(seen.likes).toBe(1);
    expect(seen.replies).toHaveLength(1);
    expect(seen.replies[0]?.state).toBe('pending');
    expect(seen.replies[0]?.content).toContain('Thank you for this.');
    expect(seen.replies[0]?.content).not.toContain('script');
    // Replies are never on the reader's page by themselves.
    const page = await fetch(`${a.url}/news/politics/council-approves-the-budget`);
    expect(await page.text()).not.toContain('Thank you for this.');
    const approved = await a.editor.send('POST', `/api/fediverse/replies/${seen.replies[0]?.id}`, {
      state: 'approved',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((approved.json() as { replies: { state: string }[] }).replies[0]?.state).toBe(
      'approved',
    );

    // Unsigned: refused, nothing stored.
    const count = async () =>
      Number(
        (
          await a.newsroom.store.db
            .selectFrom('fedi_interaction')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const unsigned = await fetch(`${a.url}/ap/actors/news/inbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/activity+json' },
      body: JSON.stringify({
        '@context': 'https://www.w3.org/ns/activitystreams',
        id: `${b.url}/likes/forged`,
        type: 'Like',
        actor: `${b.url}/ap/actors/desk`,
        object: article,
      }),
    });
    expect(unsigned.status).toBe(401);
    const malformed = await fetch(`${a.url}/ap/actors/news/inbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/activity+json' },
      body: '{"type": "Like", ',
    });
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    // Signed by one server for an account on another: refused before any key is fetched.
    const forged = await fetch(`${a.url}/ap/actors/news/inbox`, {
      method: 'POST',
      headers: {
        'content-type': 'application/activity+json',
        signature: `keyId="${b.url}/ap/actors/desk#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="AAAA"`,
      },
      body: JSON.stringify({
        '@context': 'https://www.w3.org/ns/activitystreams',
        id: 'https://mastodon.example/likes/1',
        type: 'Like',
        actor: 'https://mastodon.example/users/alice',
        object: article,
      }),
    });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toContain('for an account on https://mastodon.example');
    expect(await count()).toBe(before);
    // A second like from the same account counts once.
    await ctx.sendActivity(
      { identifier: 'desk' },
      target,
      new Like({ id: new URL(`${me.href}#likes/2`), actor: me, object: new URL(article) }),
    );
    expect((await reactions()).likes).toBe(1);
  });

  it('gives an author an account of their own, which followers of the author get the article from', async () => {
    const chosen = await a.editor.send('PUT', '/api/account/fediverse', { handle: 'ada' });
    expect(chosen.statusCode, chosen.body).toBe(200);
    const host = new URL(a.url).host;
    expect(chosen.json()).toMatchObject({ handle: 'ada', address: `@ada@${host}` });
    // The publication's handle, or another author's, is not to be had.
    expect(
      (await a.chief.send('PUT', '/api/account/fediverse', { handle: 'news' })).statusCode,
    ).toBe(409);
    expect(
      (await a.chief.send('PUT', '/api/account/fediverse', { handle: 'ada' })).statusCode,
    ).toBe(409);
    const profile = (await (
      await fetch(`${a.url}/ap/actors/ada`, { headers: { accept: 'application/activity+json' } })
    ).json()) as Record<string, unknown>;
    expect(profile).toMatchObject({
      type: 'Person',
      preferredUsername: 'ada',
      name: 'Editor news',
    });

    // B follows the author alone, and gets the article the author writes.
    const follow = await b.chief.send('POST', '/api/fediverse/follow', {
      handle: `${a.url}/ap/actors/ada`,
    });
    expect(follow.statusCode, follow.body).toBe(200);
    const draft = await createDraft(a.editor, 'Bridge reopens after repairs');
    await transition(a, draft.id, 'publish');
    expect(await sendDueDeliveries(a.newsroom, transport)).toBe(1);
    const inbox = (await received(b)).received;
    expect(inbox.map((item) => item.name)).toEqual(['Bridge reopens after repairs']);
    // The article names both: the publication and its author.
    const object = (await (
      await fetch(`${a.url}/ap/articles/${draft.id}`, {
        headers: { accept: 'application/activity+json' },
      })
    ).json()) as { attributedTo: string[] };
    expect(object.attributedTo).toEqual([`${a.url}/ap/actors/news`, `${a.url}/ap/actors/ada`]);
  });
});
