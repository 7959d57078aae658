import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadAssets } from '../../src/http/assets.js';
import { buildServer } from '../../src/http/server.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { addUser, forgetOldSignInAttempts } from '../../src/newsroom/staff.js';
import { buildTestServer, PASSWORD } from '../admin.js';
import { FIXED_NOW, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let now: Date;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  now = FIXED_NOW;
  newsroom.now = () => now;
  app = await buildTestServer(newsroom, { sample: false });
  for (const name of ['Ada Editor', 'Bo Author']) {
    const email = `${name.toLowerCase().replace(' ', '.')}@news.example`;
    await addUser(newsroom, SYSTEM_ACTOR, { email, name, role: 'editor', password: PASSWORD });
  }
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const ADA = 'ada.editor@news.example';
const BO = 'bo.author@news.example';
const WRONG = 'not the password';
const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
const attempt = (email: string, password: string, ip = '10.0.0.1') =>
  app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email, password },
    remoteAddress: ip,
  });

/** Fails `count` times for `email` from `ip`, waiting out each delay first, as a patient guesser would. */
async function failPatiently(email: string, ip: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    let response = await attempt(email, WRONG, ip);
    if (response.statusCode === 429) {
      later(Number(response.headers['retry-after']));
      response = await attempt(email, WRONG, ip);
    }
    expect(response.statusCode, response.body).toBe(401);
  }
}

describe('sign-in throttling', () => {
  it('slows one account guessed from one address down, with a growing Retry-After up to 30 s', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt(ADA, WRONG)).statusCode).toBe(401);
    const waits: string[] = [];
    for (let round = 0; round < 7; round++) {
      const refused = await attempt(ADA, WRONG);
      expect(refused.statusCode).toBe(429);
      const wait = String(refused.headers['retry-after']);
      waits.push(wait);
      expect(refused.json().error).toEqual({
        code: 'rate_limited',
        message: `Too many failed sign-ins for this account. Try again in ${wait} ${wait === '1' ? 'second' : 'seconds'}.`,
      });
      // Asking again early is refused too, and does not make the wait longer.
      later(Number(wait) - 1);
      expect((await attempt(ADA, WRONG)).headers['retry-after']).toBe('1');
      later(1);
      expect((await attempt(ADA, WRONG)).statusCode).toBe(401);
    }
    expect(waits).toEqual(['1', '2', '4', '8', '16', '30', '30']);
  });

  it('refuses even the right password while the wait lasts, and lets it in once it is over', async () => {
    for (let i = 0; i < 5; i++) await attempt(ADA, WRONG);
    const refused = await attempt(ADA, PASSWORD);
    expect([refused.statusCode, refused.headers['retry-after']]).toEqual([429, '1']);
    later(1);
    expect((await attempt(ADA, WRONG)).statusCode).toBe(401);
    const stillWaiting = await attempt(ADA, PASSWORD);
    expect([stillWaiting.statusCode, stillWaiting.headers['retry-after']]).toEqual([429, '2']);
    later(2);
    expect((await attempt(ADA, PASSWORD)).statusCode).toBe(200);
    // Signing in there shows the owner is at that address: earlier typos stop
    // counting, so five more are free again before the next wait.
    for (let i = 0; i < 5; i++) expect((await attempt(ADA, WRONG)).statusCode).toBe(401);
    expect((await attempt(ADA, WRONG)).headers['retry-after']).toBe('1');
  });

  it('forgets failures after 15 minutes', async () => {
    await failPatiently(ADA, '10.0.0.1', 10);
    expect((await attempt(ADA, WRONG)).statusCode).toBe(429);
    later(15 * 60);
    for (let i = 0; i < 5; i++) expect((await attempt(ADA, WRONG)).statusCode).toBe(401);
  });

  it('does not slow another account at the same address, nor the same account at another address', async () => {
    for (let i = 0; i < 8; i++) await attempt(ADA, WRONG, '10.0.0.1');
    expect((await attempt(ADA, PASSWORD, '10.0.0.1')).statusCode).toBe(429);
    expect((await attempt(BO, WRONG, '10.0.0.1')).statusCode).toBe(401);
    expect((await attempt(BO, PASSWORD, '10.0.0.1')).statusCode).toBe(200);
    expect((await attempt(ADA, PASSWORD, '10.0.0.2')).statusCode).toBe(200);
  });

  it('never slows the right password from a new address, however long one guesser goes on', async () => {
    // 25 failures from one address: more than the account's own limit, had
    // that address counted for all of them.
    await failPatiently(ADA, '10.6.6.6', 25);
    expect((await attempt(ADA, WRONG, '10.6.6.6')).statusCode).toBe(429);
    expect((await attempt(ADA, PASSWORD, '192.0.2.10')).statusCode).toBe(200);
  });

  it('slows one account guessed from many addresses down, at every address', async () => {
    // Each address uses its five free guesses; four addresses reach the account's limit.
    for (let address = 1; address <= 4; address++) {
      for (let i = 0; i < 5; i++) {
        expect((await attempt(ADA, WRONG, `10.2.0.${address}`)).statusCode).toBe(401);
      }
    }
    const refused = await attempt(ADA, PASSWORD, '10.2.0.99');
    expect([refused.statusCode, refused.headers['retry-after']]).toEqual([429, '1']);
    expect(refused.json().error.message).toBe(
      'Too many failed sign-ins for this account. Try again in 1 second.',
    );
    // Another account is not concerned.
    expect((await attempt(BO, PASSWORD, '10.2.0.99')).statusCode).toBe(200);
    later(1);
    expect((await attempt(ADA, PASSWORD, '10.2.0.99')).statusCode).toBe(200);
  });

  it('slows an address guessing across many accounts down, known or not', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await attempt(`guess${i}@news.example`, WRONG, '10.9.9.9')).statusCode).toBe(401);
    }
    const refused = await attempt(ADA, PASSWORD, '10.9.9.9');
    expect([refused.statusCode, refused.headers['retry-after']]).toEqual([429, '1']);
    expect(refused.json().error.message).toBe(
      'Too many failed sign-ins from this address. Try again in 1 second.',
    );
    expect((await attempt(ADA, PASSWORD, '10.9.9.10')).statusCode).toBe(200);
    later(1);
    expect((await attempt(ADA, PASSWORD, '10.9.9.9')).statusCode).toBe(200);
  });

  it('answers an unknown account exactly as a known one, waits included', async () => {
    const answers = [];
    for (const email of [ADA, 'nobody@news.example']) {
      for (let i = 0; i < 5; i++) await attempt(email, WRONG, '10.3.0.1');
      const refused = await attempt(email, WRONG, '10.3.0.1');
      answers.push([refused.statusCode, refused.headers['retry-after'], refused.json()]);
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it('holds the limits against guesses sent in parallel', async () => {
    const fromOneAddress = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(ADA, `guess number ${i}`, '10.4.0.1')),
    );
    const count = (responses: { statusCode: number }[], status: number) =>
      responses.filter((response) => response.statusCode === status).length;
    expect([count(fromOneAddress, 401), count(fromOneAddress, 429)]).toEqual([5, 25]);
    const fromManyAddresses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(BO, `guess number ${i}`, `10.5.0.${i}`)),
    );
    expect([count(fromManyAddresses, 401), count(fromManyAddresses, 429)]).toEqual([20, 10]);
  });
});

describe('behind a proxy that is not trusted', () => {
  const request = (server: FastifyInstance, headers: Record<string, string> = {}) =>
    server.inject({ method: 'GET', url: '/healthz', headers, remoteAddress: '127.0.0.1' });
  it('warns once, naming MASTHEAD_TRUST_PROXY, when a request carries X-Forwarded-For', async () => {
    const warn = vi.spyOn(app.log, 'warn');
    await request(app);
    expect(warn).not.toHaveBeenCalled();
    await request(app, { 'x-forwarded-for': '198.51.100.7' });
    await request(app, { 'x-forwarded-for': '203.0.113.9' });
    const warnings = warn.mock.calls.map((call) => String(call[0]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Set MASTHEAD_TRUST_PROXY to the proxy’s address');
    expect(warnings[0]).not.toContain('198.51.100.7');
  });

  it('says nothing when the proxy is trusted', async () => {
    const trusting = await buildServer({
      newsroom,
      assets: await loadAssets(),
      logLevel: 'silent',
      trustProxy: ['127.0.0.1'],
    });
    const warn = vi.spyOn(trusting.log, 'warn');
    await request(trusting, { 'x-forwarded-for': '198.51.100.7' });
    expect(warn).not.toHaveBeenCalled();
    await trusting.close();
  });
});

describe('old sign-in attempts', () => {
  it('are forgotten after a day, while the recent ones that throttling reads stay', async () => {
    const db = newsroom.store.db;
    const at = (hoursAgo: number) =>
      new Date(FIXED_NOW.getTime() - hoursAgo * 3_600_000).toISOString();
    await db
      .insertInto('login_attempt')
      .values([
        { email: 'old@news.example', ip: '10.0.0.9', at: at(30), succeeded: 0 },
        { email: 'old@news.example', ip: '10.0.0.9', at: at(25), succeeded: 1 },
        { email: 'new@news.example', ip: '10.0.0.9', at: at(2), succeeded: 0 },
      ])
      .execute();
    expect(await forgetOldSignInAttempts(newsroom)).toBe(2);
    const left = await db.selectFrom('login_attempt').select('email').execute();
    expect(left.map((row) => row.email)).toEqual(['new@news.example']);
  });
});
