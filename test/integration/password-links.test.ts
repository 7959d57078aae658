import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/newsroom/staff.js';
import { findUserSecretsByEmail, insertPasswordToken, updateUser } from '../../src/store/users.js';
import { buildTestServer, PASSWORD, signIn } from '../admin.js';
import { FIXED_NOW, openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const EMAIL = 'new.reporter@news.example';
const DISABLED =
  'this account is disabled, so its password link no longer works: ask the editor-in-chief';
const EXPIRED = 'this link has expired or was already used: ask for a new one';

const setPassword = (token: string) =>
  app.inject({ method: 'POST', url: '/api/password', payload: { token, password: PASSWORD } });

async function hasPassword(): Promise<boolean> {
  const found = await findUserSecretsByEmail(newsroom.store.db, EMAIL);
  return found?.user.hasPassword ?? false;
}

describe('password links of a disabled account', () => {
  it('refuses the link `masthead user add` printed once the account is disabled', async () => {
    // The CLI keeps real time: so does the server here, or the link would be out of date.
    newsroom.now = () => new Date();
    const added = await runCliOn(newsroom, [
      'user',
      'add',
      '--email',
      EMAIL,
      '--name',
      'New Reporter',
      '--role',
      'author',
    ]);
    expect(added.code, added.lines.join('\n')).toBe(0);
    const token = String(added.lines.at(-1)?.split('/').at(-1));
    expect((await runCliOn(newsroom, ['user', 'disable', EMAIL])).code).toBe(0);

    const refused = await setPassword(token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toEqual({ code: 'invalid_credentials', message: DISABLED });
    expect(await hasPassword()).toBe(false);
  });

  it('refuses the link of an account disabled in the app, and still after it is enabled again', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const created = await chief.send('POST', '/api/users', {
      email: EMAIL,
      name: 'New Reporter',
      role: 'contributor',
    });
    const token = String(created.json().passwordLink).split('/').at(-1) ?? '';
    const userId: number = created.json().user.id;
    expect((await chief.send('PATCH', `/api/users/${userId}`, { disabled: true })).statusCode).toBe(
      200,
    );
    expect((await setPassword(token)).json().error.message).toBe(DISABLED);

    // Masthead has no way to enable an account again yet; should one come, the
    // links disabling ended stay ended: the owner asks for a new one.
    await updateUser(newsroom.store.db, userId, { disabledAt: null });
    const afterEnabling = await setPassword(token);
    expect(afterEnabling.statusCode).toBe(401);
    expect(afterEnabling.json().error.message).toBe(EXPIRED);
    expect(await hasPassword()).toBe(false);
  });

  it('refuses any link of a disabled account, even one its disabling did not end', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const created = await chief.send('POST', '/api/users', {
      email: EMAIL,
      name: 'New Reporter',
      role: 'contributor',
    });
    const userId: number = created.json().user.id;
    await chief.send('PATCH', `/api/users/${userId}`, { disabled: true });
    // A link written straight into the database after the account was disabled.
    const token = 'a-link-made-after-the-account-was-disabled';
    await insertPasswordToken(newsroom.store.db, {
      tokenHash: tokenHash(token),
      userId,
      expiresAt: new Date(FIXED_NOW.getTime() + 86_400_000).toISOString(),
    });
    expect((await setPassword(token)).json().error.message).toBe(DISABLED);
    expect(await hasPassword()).toBe(false);
  });
});
