import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { addUser } from '../../src/newsroom/staff.js';
import { buildTestServer, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

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

describe('staff accounts', () => {
  it('joins an existing byline only when asked to', async () => {
    // The sample newsroom already has a byline "Jonas Feld".
    const guess = addUser(newsroom, SYSTEM_ACTOR, {
      email: 'jonas@news.example',
      name: 'Jonas Feld',
      role: 'author',
    });
    await expect(guess).rejects.toThrow(/a byline “Jonas Feld” already exists: pass --link-person/);
    const linked = await addUser(newsroom, SYSTEM_ACTOR, {
      email: 'jonas@news.example',
      name: 'Jonas Feld',
      role: 'author',
      linkPerson: true,
    });
    const person = await newsroom.store.db
      .selectFrom('person')
      .select('id')
      .where('slug', '=', 'jonas-feld')
      .executeTakeFirstOrThrow();
    expect(linked.user.personId).toBe(person.id);
  });

  it('keeps at least one active editor-in-chief', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const demote = await chief.send('PATCH', `/api/users/${chief.userId}`, { role: 'editor' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.message).toBe(
      'this is the last active editor-in-chief: appoint another one first',
    );
    expect(
      (await chief.send('PATCH', `/api/users/${chief.userId}`, { disabled: true })).statusCode,
    ).toBe(409);
    const second = await signIn(app, newsroom, 'editor-in-chief', 'Second Chief');
    expect(
      (await chief.send('PATCH', `/api/users/${second.userId}`, { role: 'editor' })).statusCode,
    ).toBe(200);
  });

  it('changes a role and disables in one step, or not at all', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const refused = await chief.send('PATCH', `/api/users/${editor.userId}`, {
      role: 'owner',
      disabled: true,
    });
    expect(refused.statusCode).toBe(400);
    expect((await editor.send('GET', '/api/session')).statusCode).toBe(200);
    const both = await chief.send('PATCH', `/api/users/${editor.userId}`, {
      role: 'author',
      disabled: true,
    });
    expect(both.json().user).toMatchObject({ role: 'author', disabledAt: expect.any(String) });
    expect((await editor.send('GET', '/api/session')).statusCode).toBe(401);
  });
});
