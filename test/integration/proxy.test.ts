import { afterEach, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/http/assets.js';
import { buildServer } from '../../src/http/server.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { addUser } from '../../src/newsroom/staff.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
afterEach(async () => {
  await newsroom.dispose();
});

describe('behind a trusted reverse proxy', () => {
  it('limits sign-ins per real client address, not per proxy', async () => {
    newsroom = await openTestNewsroom();
    const app = await buildServer({
      newsroom,
      assets: await loadAssets(),
      logLevel: 'silent',
      trustProxy: ['127.0.0.1'],
    });
    for (let i = 0; i < 3; i++) {
      await addUser(newsroom, SYSTEM_ACTOR, {
        email: `s${i}@news.example`,
        name: `Staff ${i}`,
        role: 'author',
        password: 'a long enough password',
      });
    }
    const attempt = (email: string, client: string, password = 'wrong password!!') =>
      app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email, password },
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': client },
      });
    // 20 failures from one client, spread over accounts, reach the address limit for that client only.
    for (let i = 0; i < 20; i++) await attempt(`nobody${i}@news.example`, '198.51.100.7');
    expect(
      (await attempt('s0@news.example', '198.51.100.7', 'a long enough password')).statusCode,
    ).toBe(429);
    expect(
      (await attempt('s1@news.example', '203.0.113.9', 'a long enough password')).statusCode,
    ).toBe(200);
    await app.close();
  });
});
