import { DomainError } from '../core/errors.js';

/**
 * How long, in all, a statement waits for another process (a CLI import, a
 * second server) to let go of SQLite's write lock before giving up: long
 * enough for a save or a short CLI command, short enough for a person waiting
 * on an answer.
 */
export const LOCK_WAIT_MS = 3000;

/** When to try again, in seconds, as the `Retry-After` of a `database_busy` answer. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/** What a person is told when the write lock stayed taken for the whole wait. */
export const DATABASE_BUSY =
  "the newsroom's database is busy with another task (an import, say): try again in a few seconds";

/**
 * True when SQLite refused because another connection holds a lock:
 * SQLITE_BUSY, SQLITE_LOCKED and their extended codes (SQLITE_BUSY_SNAPSHOT…).
 */
export function isDatabaseBusy(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && /^SQLITE_(?:BUSY|LOCKED)(?:_|$)/.test(code);
}

/**
 * The pause before retry number `retry` (1 for the first): 20 ms doubling up
 * to 100 ms, give or take a quarter, so that writers waiting on the same lock
 * do not all try again at the same moment. Short enough that a writer tries
 * some thirty times in its wait, and finds one of the pauses a large import
 * leaves between its batches (write-batches.ts); a refused try costs
 * microseconds.
 */
export function busyBackoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(100, 20 * 2 ** Math.max(0, retry - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * Runs `statement`, and runs it again after `pause` for as long as SQLite
 * answers that the lock is taken, up to `budgetMs` in all; then fails with
 * `database_busy` (which the HTTP layer answers as 503 with Retry-After).
 * Any other error is thrown at once. `statement` must be safe to run again
 * after a busy refusal, which a single SQLite statement is: refused, it did
 * nothing.
 */
export async function retryWhileBusy<T>(
  statement: () => Promise<T>,
  pause: (ms: number) => Promise<void>,
  budgetMs: number = LOCK_WAIT_MS,
  clock: () => number = Date.now,
): Promise<T> {
  const started = clock();
  for (let retry = 1; ; retry++) {
    try {
      return await statement();
    } catch (error) {
      if (!isDatabaseBusy(error)) throw error;
      const left = budgetMs - (clock() - started);
      if (left <= 0) {
        throw new DomainError('database_busy', DATABASE_BUSY, undefined, {
          retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
        });
      }
      await pause(Math.min(left, busyBackoffMs(retry)));
    }
  }
}
