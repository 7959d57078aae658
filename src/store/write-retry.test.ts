import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors.js';
import {
  BUSY_RETRY_AFTER_SECONDS,
  busyBackoffMs,
  DATABASE_BUSY,
  isDatabaseBusy,
  retryWhileBusy,
} from './write-retry.js';

/** An error as better-sqlite3 throws it, with SQLite's (extended) code. */
const sqliteError = (code: string) => Object.assign(new Error('database is locked'), { code });

/** A clock that moves only when the retry loop pauses; records each pause. */
function fakeTime() {
  let now = 0;
  const pauses: number[] = [];
  return {
    pauses,
    clock: () => now,
    pause: async (ms: number) => {
      pauses.push(ms);
      now += ms;
    },
  };
}

describe('waiting for a write lock another process holds', () => {
  it('recognises SQLITE_BUSY, SQLITE_LOCKED and their extended codes, and nothing else', () => {
    for (const code of [
      'SQLITE_BUSY',
      'SQLITE_BUSY_SNAPSHOT',
      'SQLITE_BUSY_RECOVERY',
      'SQLITE_LOCKED',
    ]) {
      expect(isDatabaseBusy(sqliteError(code)), code).toBe(true);
    }
    for (const error of [
      sqliteError('SQLITE_FULL'),
      sqliteError('SQLITE_BUSYNESS'),
      new Error('x'),
      null,
      'SQLITE_BUSY',
    ]) {
      expect(isDatabaseBusy(error), String(error)).toBe(false);
    }
  });

  it('pauses 20 ms, doubling up to 100 ms, give or take a quarter', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 9].map((retry) => busyBackoffMs(retry, middle))).toEqual([
      20, 40, 80, 100, 100, 100, 100,
    ]);
    expect(busyBackoffMs(1, () => 0)).toBe(15);
    expect(busyBackoffMs(9, () => 1)).toBe(125);
  });

  it('runs the statement again after each busy refusal until it goes through', async () => {
    const time = fakeTime();
    let tries = 0;
    const result = await retryWhileBusy(
      async () => {
        tries += 1;
        if (tries < 4) throw sqliteError('SQLITE_BUSY');
        return 'saved';
      },
      time.pause,
      3000,
      time.clock,
    );
    expect(result).toBe('saved');
    expect(tries).toBe(4);
    expect(time.pauses).toHaveLength(3);
    for (const [index, ms] of time.pauses.entries()) {
      const base = Math.min(100, 20 * 2 ** index);
      expect(ms).toBeGreaterThanOrEqual(base * 0.75);
      expect(ms).toBeLessThanOrEqual(base * 1.25);
    }
  });

  it('gives up after the budget with database_busy, saying when to try again', async () => {
    const time = fakeTime();
    let tries = 0;
    const outcome = await retryWhileBusy(
      async () => {
        tries += 1;
        throw sqliteError('SQLITE_BUSY');
      },
      time.pause,
      3000,
      time.clock,
    ).catch((error: unknown) => error);
    expect(isDomainError(outcome, 'database_busy')).toBe(true);
    expect(outcome).toMatchObject({
      message: DATABASE_BUSY,
      detail: { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
    });
    // Waited the whole budget, no longer, and tried once more at its end.
    expect(time.clock()).toBe(3000);
    expect(tries).toBe(time.pauses.length + 1);
  });

  it('throws any other error at once, without trying again', async () => {
    const time = fakeTime();
    let tries = 0;
    const outcome = await retryWhileBusy(
      async () => {
        tries += 1;
        throw sqliteError('SQLITE_CONSTRAINT_UNIQUE');
      },
      time.pause,
      3000,
      time.clock,
    ).catch((error: unknown) => error);
    expect(outcome).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(tries).toBe(1);
    expect(time.pauses).toEqual([]);
  });
});
