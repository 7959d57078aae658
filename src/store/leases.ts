import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';
import type { Database } from './schema.js';

/** What `withLease` gives back: the work's value, or word that another process holds the lease. */
export type LeaseOutcome<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `work` only while this process holds the named lease, so that work
 * several processes would otherwise all do (publishing due articles) is done
 * by one of them at a time. A process that finds the lease taken skips the
 * work rather than waiting: the holder is doing it.
 *
 * On PostgreSQL the lease is a session advisory lock held on one pooled
 * connection for the length of the work, released when the work ends and by
 * the server itself if the process dies. SQLite serves one process, so the
 * work simply runs.
 */
export async function withLease<T>(
  db: Kysely<Database>,
  name: string,
  work: () => Promise<T>,
): Promise<LeaseOutcome<T>> {
  if (dialectOf(db) !== 'postgres') return { ran: true, value: await work() };
  return await db.connection().execute(async (connection) => {
    const { rows } = await sql<{
      taken: boolean;
    }>`select pg_try_advisory_lock(hashtext(${`lease:${name}`})) as taken`.execute(connection);
    if (!rows[0]?.taken) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${`lease:${name}`}))`.execute(connection);
    }
  });
}
