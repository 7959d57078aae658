/**
 * Sign-in throttling slows guessing down instead of locking anyone out: after
 * a few free failures each further one makes the next attempt wait (1 s, 2 s,
 * 4 s … up to 30 s). A lock-out would let anyone who knows an address, or who
 * shares the newsroom's proxy, keep the newsroom from signing in.
 */

/** Failures older than this no longer count. */
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_DELAY_SECONDS = 30;

/**
 * Failures allowed before the waiting starts, per scope:
 * - pair: one account from one address (a person mistyping, or one guesser);
 * - account: one account from all addresses, where each address counts for at
 *   most its pair's free failures, so one guesser alone never slows the owner
 *   down elsewhere, while guesses spread over many addresses still are;
 * - address: all accounts from one address (guessing one password everywhere).
 */
export const FREE_FAILURES = { pair: 5, account: 20, address: 20 } as const;

export type ThrottleScope = keyof typeof FREE_FAILURES;

/** Failures counted in one scope: how many, and when the latest was (ISO), or null. */
export type FailureTally = { count: number; lastAt: string | null };

export type SignInFailures = Record<ThrottleScope, FailureTally>;

export type SignInThrottle =
  | { isAllowed: true }
  | { isAllowed: false; retryAfterSeconds: number; scope: ThrottleScope; message: string };

/** Seconds to wait after the latest failure, given how many there were (0: no wait). */
export function failureDelaySeconds(count: number, freeFailures: number): number {
  if (count < freeFailures) return 0;
  return Math.min(2 ** (count - freeFailures), MAX_DELAY_SECONDS);
}

/**
 * Whether a sign-in may be tried at `now`, given the failures counted in each
 * scope; if not, how many whole seconds to wait and a message saying so.
 */
export function signInThrottle(failures: SignInFailures, now: Date): SignInThrottle {
  let longest: { scope: ThrottleScope; waitMs: number } | null = null;
  for (const scope of ['pair', 'account', 'address'] as const) {
    const { count, lastAt } = failures[scope];
    const delay = failureDelaySeconds(count, FREE_FAILURES[scope]);
    if (delay === 0 || lastAt === null) continue;
    const waitMs = Date.parse(lastAt) + delay * 1000 - now.getTime();
    if (waitMs > 0 && (!longest || waitMs > longest.waitMs)) longest = { scope, waitMs };
  }
  if (!longest) return { isAllowed: true };
  const seconds = Math.ceil(longest.waitMs / 1000);
  const where = longest.scope === 'address' ? 'from this address' : 'for this account';
  return {
    isAllowed: false,
    retryAfterSeconds: seconds,
    scope: longest.scope,
    message: `Too many failed sign-ins ${where}. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
  };
}
