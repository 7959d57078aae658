import type { Kysely, Selectable } from 'kysely';
import { isRole } from '../core/policy.js';
import type { User } from '../core/staff.js';
import type { Database } from './schema.js';

/** A user row with the secrets use cases need to check (never returned to clients). */
export type UserSecrets = {
  user: User;
  passwordHash: string | null;
  totpSecret: string | null;
  /** Time step of the last accepted TOTP code, or null when none was accepted yet. */
  totpLastStep: number | null;
  /** Secret of a two-factor setup in progress, or null. */
  totpPendingSecret: string | null;
};

type Row = Selectable<Database['user']> & { name: string };

function toUser(row: Row): User {
  if (!isRole(row.role)) throw new Error(`user ${row.id} has an unknown role "${row.role}"`);
  return {
    id: row.id,
    personId: row.person_id,
    name: row.name,
    email: row.email,
    role: row.role,
    hasPassword: row.password_hash !== null,
    hasTotp: row.totp_secret !== null,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

function toSecrets(row: Row): UserSecrets {
  return {
    user: toUser(row),
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpLastStep: row.totp_last_step,
    totpPendingSecret: row.totp_pending_secret,
  };
}

function selectUsers(db: Kysely<Database>) {
  return db
    .selectFrom('user')
    .innerJoin('person', 'person.id', 'user.person_id')
    .selectAll('user')
    .select('person.name');
}

export async function findUserSecretsByEmail(
  db: Kysely<Database>,
  email: string,
): Promise<UserSecrets | null> {
  const row = await selectUsers(db).where('user.email', '=', email).executeTakeFirst();
  return row ? toSecrets(row) : null;
}

export async function findUserSecrets(
  db: Kysely<Database>,
  id: number,
): Promise<UserSecrets | null> {
  const row = await selectUsers(db).where('user.id', '=', id).executeTakeFirst();
  return row ? toSecrets(row) : null;
}

/** The account with this e-mail address (as stored: lower case), or null. */
export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | null> {
  const row = await selectUsers(db).where('user.email', '=', email).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findUserByPerson(
  db: Kysely<Database>,
  personId: number,
): Promise<User | null> {
  const row = await selectUsers(db).where('user.person_id', '=', personId).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  return (await selectUsers(db).orderBy('user.created_at').orderBy('user.id').execute()).map(
    toUser,
  );
}

export async function insertUser(
  db: Kysely<Database>,
  user: { personId: number; email: string; role: string; createdAt: string },
): Promise<number> {
  const row = await db
    .insertInto('user')
    .values({
      person_id: user.personId,
      email: user.email,
      role: user.role,
      created_at: user.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUser(
  db: Kysely<Database>,
  id: number,
  changes: Partial<{
    role: string;
    passwordHash: string;
    totpSecret: string | null;
    totpLastStep: number | null;
    totpPendingSecret: string | null;
    disabledAt: string | null;
  }>,
): Promise<void> {
  if (Object.values(changes).every((value) => value === undefined)) return;
  await db
    .updateTable('user')
    .set({
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      ...(changes.totpSecret !== undefined ? { totp_secret: changes.totpSecret } : {}),
      ...(changes.totpLastStep !== undefined ? { totp_last_step: changes.totpLastStep } : {}),
      ...(changes.totpPendingSecret !== undefined
        ? { totp_pending_secret: changes.totpPendingSecret }
        : {}),
      ...(changes.disabledAt !== undefined ? { disabled_at: changes.disabledAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Records `step` as the user's last accepted TOTP step, unless that step (or a
 * later one) was already accepted. A single conditional UPDATE, so two requests
 * racing with the same code cannot both win. Returns whether it was recorded.
 */
export async function claimTotpStep(
  db: Kysely<Database>,
  id: number,
  step: number,
): Promise<boolean> {
  const result = await db
    .updateTable('user')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Turns two-factor on with the pending secret, provided it is still the one
 * that was checked and two-factor is still off (another setup may have begun
 * meanwhile). Returns whether it was turned on.
 */
export async function enableTotp(
  db: Kysely<Database>,
  id: number,
  pendingSecret: string,
  step: number,
): Promise<boolean> {
  const result = await db
    .updateTable('user')
    .set({ totp_secret: pendingSecret, totp_pending_secret: null, totp_last_step: step })
    .where('id', '=', id)
    .where('totp_pending_secret', '=', pendingSecret)
    .where('totp_secret', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertPasswordToken(
  db: Kysely<Database>,
  token: { tokenHash: string; userId: number; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('password_token')
    .values({
      token_hash: token.tokenHash,
      user_id: token.userId,
      expires_at: token.expiresAt,
      used_at: null,
    })
    .execute();
}

/**
 * Marks an unused, unexpired token of an account that is not disabled used,
 * and returns its user, or null. One conditional UPDATE, so a link cannot be
 * used twice, nor once its account is disabled.
 */
export async function consumePasswordToken(
  db: Kysely<Database>,
  tokenHash: string,
  now: string,
): Promise<number | null> {
  const row = await db
    .updateTable('password_token')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('user_id', 'in', (eb) =>
      eb.selectFrom('user').select('user.id').where('user.disabled_at', 'is', null),
    )
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** Whether the token, used or not, belongs to a disabled account (to say why it was refused). */
export async function isPasswordTokenOfDisabledUser(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('password_token')
    .innerJoin('user', 'user.id', 'password_token.user_id')
    .select('user.disabled_at')
    .where('password_token.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return Boolean(row?.disabled_at);
}

/**
 * Ends every password link of a user that is still unused, by letting it
 * expire now: kept, so a refused link can still be told apart from a wrong one.
 */
export async function expirePasswordTokens(
  db: Kysely<Database>,
  userId: number,
  now: string,
): Promise<void> {
  await db
    .updateTable('password_token')
    .set({ expires_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}
