import { type Kysely, sql } from 'kysely';
import type { SignInFailures } from '../core/sign-in-throttle.js';
import { dialectOf } from './dialect.js';
import type { Database } from './schema.js';

export type SessionRow = { userId: number; csrfToken: string; expiresAt: string };

export async function insertSession(
  db: Kysely<Database>,
  session: {
    tokenHash: string;
    userId: number;
    csrfToken: string;
    createdAt: string;
    expiresAt: string;
  },
): Promise<void> {
  await db
    .insertInto('session')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** The live session with this token hash, or null when none or expired. */
export async function findLiveSession(
  db: Kysely<Database>,
  tokenHash: string,
  now: string,
): Promise<SessionRow | null> {
  const row = await db
    .selectFrom('session')
    .select(['user_id', 'csrf_token', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at } : null;
}

export async function deleteSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('session').where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of a user ("log out everywhere", disabling an account). */
export async function deleteUserSessions(db: Kysely<Database>, userId: number): Promise<number> {
  const result = await db.deleteFrom('session').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Records a sign-in attempt; returns its id, so it can be marked succeeded later. */
export async function recordLoginAttempt(
  db: Kysely<Database>,
  attempt: { email: string; ip: string; at: string; succeeded: boolean },
): Promise<number> {
  const row = await db
    .insertInto('login_attempt')
    .values({
      email: attempt.email,
      ip: attempt.ip,
      at: attempt.at,
      succeeded: attempt.succeeded ? 1 : 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function markLoginSucceeded(db: Kysely<Database>, id: number): Promise<void> {
  await db.updateTable('login_attempt').set({ succeeded: 1 }).where('id', '=', id).execute();
}

/** Deletes the sign-in attempts made before `before` (ISO); returns how many. */
export async function deleteLoginAttemptsBefore(
  db: Kysely<Database>,
  before: string,
): Promise<number> {
  const result = await db.deleteFrom('login_attempt').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes an attempt that was neither a failure nor a success (the password was right, a code is still due). */
export async function forgetLoginAttempt(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('login_attempt').where('id', '=', id).execute();
}

/**
 * Failed sign-ins since `since` in each throttling scope (core/sign-in-throttle.ts):
 * the account from this address (only those after its last success there), the
 * account from every address (each address counting for at most
 * `perAddressCap`), and this address for every account. Reads only.
 */
export async function readLoginFailures(
  db: Kysely<Database>,
  query: { email: string; ip: string; since: string; perAddressCap: number },
): Promise<SignInFailures> {
  const failures = db
    .selectFrom('login_attempt')
    .where('succeeded', '=', 0)
    .where('at', '>', query.since);
  const tally = (row: { n: number | string | bigint; last_at: string | null } | undefined) => ({
    count: Number(row?.n ?? 0),
    lastAt: row?.last_at ?? null,
  });
  const pair = await failures
    .where('email', '=', query.email)
    .where('ip', '=', query.ip)
    // A success from this address shows its owner is there: earlier typos no longer count.
    .where((eb) =>
      eb(
        'id',
        '>',
        eb.fn.coalesce(
          eb
            .selectFrom('login_attempt as success')
            .where('success.email', '=', query.email)
            .where('success.ip', '=', query.ip)
            .where('success.succeeded', '=', 1)
            .select((inner) => inner.fn.max('success.id').as('id')),
          sql.lit(0),
        ),
      ),
    )
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('at').as('last_at')])
    .executeTakeFirst();
  const perAddress = failures
    .where('email', '=', query.email)
    .groupBy('ip')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('at').as('last_at')])
    .as('per_address');
  const account = await db
    .selectFrom(perAddress)
    .select((eb) => [
      eb.fn
        .sum<number | string>(
          eb
            .case()
            .when('n', '>', eb.lit(query.perAddressCap))
            .then(eb.lit(query.perAddressCap))
            .else(eb.ref('n'))
            .end(),
        )
        .as('n'),
      eb.fn.max('last_at').as('last_at'),
    ])
    .executeTakeFirst();
  const address = await failures
    .where('ip', '=', query.ip)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('at').as('last_at')])
    .executeTakeFirst();
  return { pair: tally(pair), account: tally(account), address: tally(address) };
}

/**
 * Serialises sign-in attempts for one account and one address until the
 * transaction ends, so parallel guesses each see the ones before them. SQLite
 * needs nothing: its transactions take the write lock when they begin. On
 * PostgreSQL, transaction-scoped advisory locks, taken in a fixed order.
 */
export async function lockLoginThrottle(
  trx: Kysely<Database>,
  keys: { email: string; ip: string },
): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  for (const key of [`login:email:${keys.email}`, `login:ip:${keys.ip}`].sort()) {
    await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
  }
}
