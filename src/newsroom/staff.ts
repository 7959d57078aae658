import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import { DomainError } from '../core/errors.js';
import { can, isRole, type Role } from '../core/policy.js';
import { slugify } from '../core/slug.js';
import {
  LOGIN_WINDOW_MINUTES,
  loginThrottle,
  normaliseEmail,
  passwordProblem,
  type User,
} from '../core/staff.js';
import { recordAudit } from '../store/audit.js';
import { findPersonBySlug, insertPerson } from '../store/people.js';
import {
  countLoginFailures,
  deleteSession,
  deleteUserSessions,
  findLiveSession,
  forgetLoginAttempt,
  insertSession,
  markLoginSucceeded,
  recordLoginAttempt,
} from '../store/sessions.js';
import { readSettings, writeSetting } from '../store/settings.js';
import {
  consumePasswordToken,
  findUserByPerson,
  findUserSecrets,
  findUserSecretsByEmail,
  insertPasswordToken,
  insertUser,
  listUsers as listUserRows,
  updateUser,
} from '../store/users.js';
import type { Newsroom, StaffActor } from './newsroom.js';

const SESSION_DAYS = 14;
const PASSWORD_LINK_DAYS = 7;
const DAY = 86_400_000;
const TOTP_REQUIRED_KEY = 'security.totp_required';

/** Stored form of a token: a hash, so the database alone never logs anyone in. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function requireStaffManager(actor: StaffActor): void {
  if (!can(actor, 'staff.manage')) {
    throw new DomainError(
      'not_allowed_for_role',
      'only the editor-in-chief manages staff accounts',
    );
  }
}

function parseRole(role: string): Role {
  if (!isRole(role)) {
    throw new DomainError(
      'invalid_input',
      `unknown role "${role}": use contributor, author, editor or editor-in-chief`,
      'role',
    );
  }
  return role;
}

/**
 * Creates a staff account (and its person, for bylines) and a one-time link to
 * set its password, valid for a week. Editor-in-chief or the system only.
 */
export async function addUser(
  newsroom: Newsroom,
  actor: StaffActor,
  input: { email: string; name: string; role: string; password?: string },
): Promise<{ user: User; passwordLink: string | null }> {
  requireStaffManager(actor);
  const email = normaliseEmail(input.email);
  if (!email)
    throw new DomainError('invalid_input', `"${input.email}" is not an e-mail address`, 'email');
  const name = input.name.trim();
  if (name === '' || slugify(name) === '')
    throw new DomainError('invalid_input', 'a staff member needs a name', 'name');
  const role = parseRole(input.role);
  const problem = input.password === undefined ? null : passwordProblem(input.password);
  if (problem) throw new DomainError('invalid_input', problem, 'password');
  const passwordHash = input.password === undefined ? undefined : await hash(input.password);
  const now = newsroom.now();
  const token = input.password === undefined ? newsroom.newToken() : null;

  const userId = await newsroom.store.db.transaction().execute(async (trx) => {
    if (await findUserSecretsByEmail(trx, email)) {
      throw new DomainError('conflict', `there is already an account for ${email}`, 'email');
    }
    const person =
      (await findPersonBySlug(trx, slugify(name))) ??
      (await insertPerson(trx, {
        name,
        slug: slugify(name),
        bio: '',
        mastheadRole: null,
        mastheadTitle: null,
        mastheadPosition: 0,
      }));
    if (await findUserByPerson(trx, person.id)) {
      throw new DomainError('conflict', `${name} already has an account`, 'name');
    }
    const id = await insertUser(trx, {
      personId: person.id,
      email,
      role,
      createdAt: now.toISOString(),
    });
    if (passwordHash) await updateUser(trx, id, { passwordHash });
    if (token) {
      await insertPasswordToken(trx, {
        tokenHash: tokenHash(token),
        userId: id,
        expiresAt: new Date(now.getTime() + PASSWORD_LINK_DAYS * DAY).toISOString(),
      });
    }
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'user.add',
      subject: `user:${id}`,
      detail: { email, role },
      at: now.toISOString(),
    });
    return id;
  });
  const secrets = await findUserSecrets(newsroom.store.db, userId);
  if (!secrets) throw new Error('the new account vanished');
  // The token travels in the fragment: browsers never send it to a server or a Referer.
  const passwordLink = token ? `${newsroom.publicUrl}/admin/#/set-password/${token}` : null;
  return { user: secrets.user, passwordLink };
}

/** Sets the password through a one-time link's token; the token then stops working. */
export async function setPasswordWithToken(
  newsroom: Newsroom,
  token: string,
  password: string,
): Promise<User> {
  const problem = passwordProblem(password);
  if (problem) throw new DomainError('invalid_input', problem, 'password');
  const passwordHash = await hash(password);
  const now = newsroom.now().toISOString();
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const userId = await consumePasswordToken(trx, tokenHash(token), now);
    if (userId === null) {
      throw new DomainError(
        'invalid_credentials',
        'this link has expired or was already used: ask for a new one',
      );
    }
    await updateUser(trx, userId, { passwordHash });
    await deleteUserSessions(trx, userId);
    await recordAudit(trx, {
      userId,
      action: 'user.set-password',
      subject: `user:${userId}`,
      at: now,
    });
    const secrets = await findUserSecrets(trx, userId);
    if (!secrets) throw new Error('the account vanished');
    return secrets.user;
  });
}

export async function listUsers(newsroom: Newsroom, actor: StaffActor): Promise<User[]> {
  requireStaffManager(actor);
  return await listUserRows(newsroom.store.db);
}

/** Changes a user's role (editor-in-chief or the system only). */
export async function changeRole(
  newsroom: Newsroom,
  actor: StaffActor,
  email: string,
  role: string,
): Promise<User> {
  requireStaffManager(actor);
  const newRole = parseRole(role);
  return await updateAccount(
    newsroom,
    actor,
    email,
    'user.role',
    { role: newRole },
    { role: newRole },
  );
}

/** Disables an account and ends its sessions; its articles and bylines stay. */
export async function disableUser(
  newsroom: Newsroom,
  actor: StaffActor,
  email: string,
): Promise<User> {
  requireStaffManager(actor);
  const now = newsroom.now().toISOString();
  return await updateAccount(newsroom, actor, email, 'user.disable', { disabledAt: now }, {});
}

async function updateAccount(
  newsroom: Newsroom,
  actor: StaffActor,
  email: string,
  action: string,
  changes: Parameters<typeof updateUser>[2],
  detail: Record<string, unknown>,
): Promise<User> {
  const normalised = normaliseEmail(email) ?? email;
  const now = newsroom.now().toISOString();
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const found = await findUserSecretsByEmail(trx, normalised);
    if (!found) throw new DomainError('not_found', `no account for ${email}`, 'email');
    await updateUser(trx, found.user.id, changes);
    if (changes.disabledAt) await deleteUserSessions(trx, found.user.id);
    await recordAudit(trx, {
      userId: actor.userId,
      action,
      subject: `user:${found.user.id}`,
      detail,
      at: now,
    });
    const updated = await findUserSecrets(trx, found.user.id);
    if (!updated) throw new Error('the account vanished');
    return updated.user;
  });
}

export type SignedIn = { user: User; sessionToken: string; csrfToken: string; expiresAt: string };

/**
 * Signs in with e-mail, password and (when the account has it) a TOTP code.
 * Failed attempts are counted per account and per address; past the limit the
 * answer is `rate_limited` with a message saying how long to wait.
 */
export async function login(
  newsroom: Newsroom,
  input: { email: string; password: string; totp?: string; ip: string },
): Promise<SignedIn> {
  const db = newsroom.store.db;
  const now = newsroom.now();
  const email = normaliseEmail(input.email) ?? input.email.trim().toLowerCase();
  const since = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000).toISOString();
  // Count and record the attempt (as failed until proven otherwise) in one
  // write-locked transaction, before the slow password check: parallel guesses
  // then each see the ones before them and cannot slip past the limit.
  const attemptId = await db.transaction().execute(async (trx) => {
    const throttle = loginThrottle(await countLoginFailures(trx, { email, ip: input.ip, since }));
    if (!throttle.isAllowed) throw new DomainError('rate_limited', throttle.reason);
    return await recordLoginAttempt(trx, {
      email,
      ip: input.ip,
      at: now.toISOString(),
      succeeded: false,
    });
  });

  const fail = (code: 'invalid_credentials', message: string): never => {
    throw new DomainError(code, message);
  };
  const found = await findUserSecretsByEmail(db, email);
  // Verify a hash even for unknown accounts, so timing does not reveal which exist.
  const storedHash = found?.passwordHash ?? (await dummyPasswordHash(newsroom));
  const isPasswordRight = await verify(storedHash, input.password).catch(() => false);
  if (!found?.passwordHash || !isPasswordRight || found.user.disabledAt) {
    return fail('invalid_credentials', 'wrong e-mail or password');
  }
  if (found.totpSecret) {
    if (!input.totp) {
      // Not a failure: the password was right, the second step is still to come.
      await forgetLoginAttempt(db, attemptId);
      throw new DomainError(
        'totp_required',
        'enter the six-digit code from your authenticator app',
        'totp',
      );
    }
    if (!(await isTotpValid(found.totpSecret, input.totp, now))) {
      return fail('invalid_credentials', 'wrong or expired authenticator code');
    }
  }
  const sessionToken = newsroom.newToken();
  const csrfToken = newsroom.newToken();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * DAY).toISOString();
  await db.transaction().execute(async (trx) => {
    await markLoginSucceeded(trx, attemptId);
    await insertSession(trx, {
      tokenHash: tokenHash(sessionToken),
      userId: found.user.id,
      csrfToken,
      createdAt: now.toISOString(),
      expiresAt,
    });
    await recordAudit(trx, {
      userId: found.user.id,
      action: 'session.login',
      subject: `user:${found.user.id}`,
      at: now.toISOString(),
    });
  });
  return { user: found.user, sessionToken, csrfToken, expiresAt };
}

// A real argon2id hash of a random string, verified when the account is unknown
// so the answer takes as long as for a real one. Made once, on first use.
let dummyHash: Promise<string> | undefined;
function dummyPasswordHash(newsroom: Newsroom): Promise<string> {
  dummyHash ??= hash(newsroom.newToken());
  return dummyHash;
}

async function isTotpValid(secret: string, code: string, now: Date): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const result = await verifyTotp({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: 30,
  });
  return result.valid;
}

export type CurrentSession = { user: User; csrfToken: string; mustSetUpTotp: boolean };

/** The user behind a session token, or null when the session is unknown, expired or disabled. */
export async function authenticate(
  newsroom: Newsroom,
  sessionToken: string,
): Promise<CurrentSession | null> {
  const db = newsroom.store.db;
  const session = await findLiveSession(db, tokenHash(sessionToken), newsroom.now().toISOString());
  if (!session) return null;
  const secrets = await findUserSecrets(db, session.userId);
  if (!secrets || secrets.user.disabledAt) return null;
  const isTotpRequired = (await readSettings(db)).get(TOTP_REQUIRED_KEY) === 'true';
  return {
    user: secrets.user,
    csrfToken: session.csrfToken,
    mustSetUpTotp: isTotpRequired && !secrets.user.hasTotp,
  };
}

export async function logout(newsroom: Newsroom, sessionToken: string): Promise<void> {
  await newsroom.store.db.transaction().execute(async (trx) => {
    const session = await findLiveSession(
      trx,
      tokenHash(sessionToken),
      newsroom.now().toISOString(),
    );
    await deleteSession(trx, tokenHash(sessionToken));
    if (session) {
      await recordAudit(trx, {
        userId: session.userId,
        action: 'session.logout',
        subject: `user:${session.userId}`,
        at: newsroom.now().toISOString(),
      });
    }
  });
}

/** Ends every session of the user, this one included. */
export async function logoutEverywhere(newsroom: Newsroom, actor: StaffActor): Promise<number> {
  const userId = actor.userId;
  if (userId === null) return 0;
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const ended = await deleteUserSessions(trx, userId);
    await recordAudit(trx, {
      userId,
      action: 'session.logout-everywhere',
      subject: `user:${userId}`,
      detail: { ended },
      at: newsroom.now().toISOString(),
    });
    return ended;
  });
}

/** Starts two-factor setup: a new secret and its otpauth:// URI for an authenticator app. */
export async function beginTotpSetup(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<{ secret: string; uri: string }> {
  const secrets =
    actor.userId === null ? null : await findUserSecrets(newsroom.store.db, actor.userId);
  if (!secrets)
    throw new DomainError('unauthenticated', 'sign in to set up two-factor authentication');
  const settings = await readSettings(newsroom.store.db);
  const secret = generateSecret();
  const uri = generateURI({
    issuer: settings.get('site.name') ?? 'Masthead',
    label: secrets.user.email,
    secret,
  });
  return { secret, uri };
}

/** Turns two-factor on once the user proves their app produces the right code. */
export async function confirmTotpSetup(
  newsroom: Newsroom,
  actor: StaffActor,
  secret: string,
  code: string,
): Promise<User> {
  const userId = actor.userId;
  if (userId === null)
    throw new DomainError('unauthenticated', 'sign in to set up two-factor authentication');
  if (!(await isTotpValid(secret, code, newsroom.now()))) {
    throw new DomainError(
      'invalid_credentials',
      'that code does not match: check the time on your phone and try again',
      'totp',
    );
  }
  return await newsroom.store.db.transaction().execute(async (trx) => {
    await updateUser(trx, userId, { totpSecret: secret });
    await recordAudit(trx, {
      userId,
      action: 'user.totp-enable',
      subject: `user:${userId}`,
      at: newsroom.now().toISOString(),
    });
    const updated = await findUserSecrets(trx, userId);
    if (!updated) throw new Error('the account vanished');
    return updated.user;
  });
}

/** Makes two-factor mandatory (or optional) for every account. Editor-in-chief only. */
export async function requireTotpForAll(
  newsroom: Newsroom,
  actor: StaffActor,
  isRequired: boolean,
): Promise<void> {
  if (!can(actor, 'settings.manage')) {
    throw new DomainError(
      'not_allowed_for_role',
      'only the editor-in-chief changes security settings',
    );
  }
  await newsroom.store.db.transaction().execute(async (trx) => {
    await writeSetting(trx, TOTP_REQUIRED_KEY, String(isRequired));
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'settings.totp-required',
      subject: 'settings',
      detail: { isRequired },
      at: newsroom.now().toISOString(),
    });
  });
}
