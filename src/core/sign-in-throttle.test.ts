import { describe, expect, it } from 'vitest';
import { failureDelaySeconds, type SignInFailures, signInThrottle } from './sign-in-throttle.js';

const NOW = new Date('2026-03-01T09:00:00.000Z');
const secondsAgo = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const none = { count: 0, lastAt: null };
const failures = (changes: Partial<SignInFailures>): SignInFailures => ({
  pair: none,
  account: none,
  address: none,
  ...changes,
});

describe('failureDelaySeconds', () => {
  it('lets the free failures through, then doubles the wait up to 30 seconds', () => {
    expect([0, 4, 5, 6, 7, 8, 9, 10, 40].map((count) => failureDelaySeconds(count, 5))).toEqual([
      0, 0, 1, 2, 4, 8, 16, 30, 30,
    ]);
  });
});

describe('signInThrottle', () => {
  it('allows a sign-in after fewer failures than the free ones', () => {
    expect(signInThrottle(failures({ pair: { count: 4, lastAt: secondsAgo(0) } }), NOW)).toEqual({
      isAllowed: true,
    });
  });

  it('asks to wait the rest of the delay since the latest failure', () => {
    expect(signInThrottle(failures({ pair: { count: 8, lastAt: secondsAgo(3) } }), NOW)).toEqual({
      isAllowed: false,
      retryAfterSeconds: 5,
      scope: 'pair',
      message: 'Too many failed sign-ins for this account. Try again in 5 seconds.',
    });
  });

  it('allows a sign-in again once the delay has passed', () => {
    expect(
      signInThrottle(failures({ pair: { count: 8, lastAt: secondsAgo(8) } }), NOW).isAllowed,
    ).toBe(true);
  });

  it('rounds a part of a second up and says "1 second"', () => {
    const lastAt = new Date(NOW.getTime() - 200).toISOString();
    const throttle = signInThrottle(failures({ pair: { count: 5, lastAt } }), NOW);
    expect(throttle).toMatchObject({
      retryAfterSeconds: 1,
      message: 'Too many failed sign-ins for this account. Try again in 1 second.',
    });
  });

  it('answers the longest wait of the three scopes, naming the address when it is that one', () => {
    const throttle = signInThrottle(
      failures({
        pair: { count: 5, lastAt: secondsAgo(0) },
        address: { count: 23, lastAt: secondsAgo(0) },
      }),
      NOW,
    );
    expect(throttle).toEqual({
      isAllowed: false,
      retryAfterSeconds: 8,
      scope: 'address',
      message: 'Too many failed sign-ins from this address. Try again in 8 seconds.',
    });
  });

  it('is looser per account and per address than per pair', () => {
    expect(
      signInThrottle(failures({ account: { count: 19, lastAt: secondsAgo(0) } }), NOW),
    ).toEqual({ isAllowed: true });
    expect(
      signInThrottle(failures({ address: { count: 19, lastAt: secondsAgo(0) } }), NOW),
    ).toEqual({ isAllowed: true });
    expect(
      signInThrottle(failures({ account: { count: 20, lastAt: secondsAgo(0) } }), NOW),
    ).toMatchObject({ isAllowed: false, scope: 'account', retryAfterSeconds: 1 });
  });
});
