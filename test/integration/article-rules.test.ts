import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, type Client, signIn, simpleBody } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Rules that keep the desk in control of what goes out under the newsroom's name.

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

async function draft(client: Client, extra: object = {}) {
  const response = await client.send('POST', '/api/articles', {
    title: 'Port budget',
    section: 'news/politics',
    language: 'en',
    body: simpleBody,
    ...extra,
  });
  return response;
}

describe('review', () => {
  it('refuses to publish a version other than the one the editor read', async () => {
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const { id } = (await draft(contributor)).json();
    await editor.send('PATCH', `/api/articles/${id}`, { version: 1, title: 'Port budget doubles' });
    const stale = await editor.send('POST', `/api/articles/${id}/transitions/publish`, {
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', current: { version: 2 } });
    expect(
      (await editor.send('POST', `/api/articles/${id}/transitions/publish`, { version: 2 }))
        .statusCode,
    ).toBe(200);
  });

  it('freezes a submitted article for its contributor until the desk is done with it', async () => {
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    const { id } = (await draft(contributor)).json();
    await contributor.send('POST', `/api/articles/${id}/transitions/submit`);
    const swap = await contributor.send('PATCH', `/api/articles/${id}`, {
      version: 1,
      title: 'UNREVIEWED swap',
    });
    expect(swap.statusCode).toBe(403);
    expect(swap.json().error.code).toBe('not_allowed_for_role');
  });

  it('stores a scheduled time given with an offset in UTC, so it publishes on time', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const { id } = (await draft(editor)).json();
    const scheduled = await editor.send('POST', `/api/articles/${id}/transitions/schedule`, {
      at: '2026-03-01T08:00:00-10:00',
    });
    expect(scheduled.json().scheduledAt).toBe('2026-03-01T18:00:00.000Z');
  });
});

describe('bylines and references', () => {
  it('does not let an author publish under someone else’s name alone', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const author = await signIn(app, newsroom, 'author', 'Bo Author');
    const impersonation = await draft(author, { authors: [{ personId: chief.personId }] });
    expect(impersonation.statusCode).toBe(403);
    expect(impersonation.json().error).toMatchObject({
      code: 'not_allowed_for_role',
      field: 'authors',
    });
    const shared = await draft(author, {
      authors: [{ personId: author.personId }, { personId: chief.personId, label: 'Edited by' }],
    });
    expect(shared.statusCode).toBe(201);
  });

  it('answers a byline or photo that does not exist with a clear 400, not a server error', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const noPerson = await draft(editor, { authors: [{ personId: 99999 }] });
    expect(noPerson.statusCode).toBe(400);
    expect(noPerson.json().error).toEqual({
      code: 'invalid_input',
      message: 'there is no person 99999 to put in the byline',
      field: 'authors',
    });
    const noPhoto = await draft(editor, { leadMediaId: 99999 });
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().error.field).toBe('leadMediaId');
  });

  it('keeps an article’s history from staff who are not its authors or editors', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    const { id } = (await draft(editor)).json();
    await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    expect((await contributor.send('GET', `/api/articles/${id}`)).statusCode).toBe(200);
    expect((await contributor.send('GET', `/api/articles/${id}/revisions`)).statusCode).toBe(403);
  });
});
