import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { AuditAction } from '../core/audit-actions.js';
import { DomainError } from '../core/errors.js';
import { can, isRole, type Role } from '../core/policy.js';
import {
  FREE_FAILURES,
  LOGIN_WINDOW_MINUTES,
  type SignInThrottle,
  signInThrottle,
} from '../core/sign-in-throttle.js';
import { slugify } from '../core/slug.js';
import { normaliseEmail, passwordProblem, type User } from '../core/staff.js';
import { recordAudit } from '../store/audit.js';
import { findPersonBySlug, insertPerson } from '../store/people.js';
import type { Database } from '../store/schema.js';
import {
  deleteLoginAttemptsBefore,
  deleteSession,
  deleteUserSessions,
  findLiveSession,
  forgetLoginAttempt,
  insertSession,
  lockLoginThrottle,
  markLoginSucceeded,
  readLoginFailures,
  recordLoginAttempt,
} from '../store/sessions.js';
import { readSettings, writeSetting } from '../store/settings.js';
import {
  claimTotpStep,
  consumePasswordToken,
  enableTotp,
  expirePasswordTokens,
  findUserByPerson,
  findUserSecrets,
  findUserSecretsByEmail,
  insertPasswordToken,
  insertUser,
  isPasswordTokenOfDisabledUser,
  listUsers as listUserRows,
  updateUser,
} from '../store/users.js';
import type { Newsroom, StaffActor } from './newsroom.js';

const SESSION_DAYS = 14;
const PASSWORD_LINK_DAYS = 7;
const DAY = 86_400_000;
const TOTP_REQUIRED_KEY = 'security.totp_required';
/** Seconds per TOTP time step (otplib's default, which generate and verify use). */
const TOTP_PERIOD = 30;

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
  input: { email: string; name: string; role: string; password?: string; linkPerson?: boolean },
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
    const existing = await findPersonBySlug(trx, slugify(name));
    // An account owns every article under its person's byline: joining an
    // existing byline (an imported masthead name) must be asked for, not guessed.
    if (existing && !input.linkPerson) {
      throw new DomainError(
        'conflict',
        `a byline “${existing.name}” already exists: pass --link-person (API: "linkPerson": true) to give that person this account, or use another name`,
        'name',
      );
    }
    const person =
      existing ??
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

/**
 * Sets the password through a one-time link's token; the token then stops
 * working. Refused for a disabled account (disabling also expires its links).
 */
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
      if (await isPasswordTokenOfDisabledUser(trx, tokenHash(token))) {
        throw new DomainError(
          'invalid_credentials',
          'this account is disabled, so its password link no longer works: ask the editor-in-chief',
        );
      }
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

/** Disables an account, ends its sessions and its password links; its articles and bylines stay. */
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
  /** The account, by e-mail address (the CLI) or by id (the API). */
  who: string | number,
  action: AuditAction,
  changes: Parameters<typeof updateUser>[2],
  detail: Record<string, unknown>,
): Promise<User> {
  const now = newsroom.now().toISOString();
  const updated = await newsroom.store.db.transaction().execute(async (trx) => {
    const found =
      typeof who === 'number'
        ? await findUserSecrets(trx, who)
        : await findUserSecretsByEmail(trx, normaliseEmail(who) ?? who);
    if (!found)
      throw new DomainError(
        'not_found',
        typeof who === 'number' ? `there is no user ${who}` : `no account for ${who}`,
        typeof who === 'number' ? 'id' : 'email',
      );
    // The newsroom must always keep an editor-in-chief who can sign in: the
    // shell would otherwise be the only way back to staff management.
    const isLeavingChief =
      found.user.role === 'editor-in-chief' &&
      !found.user.disabledAt &&
      (changes.disabledAt || (changes.role !== undefined && changes.role !== 'editor-in-chief'));
    if (isLeavingChief) {
      const chiefs = (await listUserRows(trx)).filter(
        (u) => u.role === 'editor-in-chief' && !u.disabledAt,
      );
      if (chiefs.length <= 1) {
        throw new DomainError(
          'conflict',
          'this is the last active editor-in-chief: appoint another one first',
          'role',
        );
      }
    }
    await updateUser(trx, found.user.id, changes);
    // Disabling an account or resetting its second factor (a lost phone) ends its sessions.
    if (changes.disabledAt || changes.totpSecret === null)
      await deleteUserSessions(trx, found.user.id);
    // A disabled account's password links die with it, and stay dead if it is
    // ever enabled again: its owner then asks for a new one.
    if (changes.disabledAt) await expirePasswordTokens(trx, found.user.id, now);
    await recordAudit(trx, {
      userId: actor.userId,
      action,
      subject: `user:${found.user.id}`,
      detail,
      at: now,
    });
    const after = await findUserSecrets(trx, found.user.id);
    if (!after) throw new Error('the account vanished');
    return after.user;
  });
  // A disabled account or a lower role may no longer edit what it has open.
  newsroom.rightsChanged?.();
  return updated;
}

/** Changes a role and/or disables an account in one transaction (the admin's staff screen). */
export async function updateStaffAccount(
  newsroom: Newsroom,
  actor: StaffActor,
  userId: number,
  change: { role?: string; isDisabled?: boolean },
): Promise<User> {
  requireStaffManager(actor);
  if (change.role === undefined && !change.isDisabled)
    throw new DomainError('invalid_input', 'nothing to change: send "role" or "disabled": true');
  const role = change.role === undefined ? undefined : parseRole(change.role);
  const changes = {
    ...(role ? { role } : {}),
    ...(change.isDisabled ? { disabledAt: newsroom.now().toISOString() } : {}),
  };
  const action = change.isDisabled ? 'user.disable' : 'user.role';
  return await updateAccount(newsroom, actor, userId, action, changes, role ? { role } : {});
}

export type SignedIn = { user: User; sessionToken: string; csrfToken: string; expiresAt: string };

/** What a failed sign-in with an address that has no account is recorded about. */
const UNKNOWN_ACCOUNT = 'account:unknown';

/**
 * Signs in with e-mail, password and (when the account has it) a TOTP code.
 * Failed attempts slow further ones down, per account and address pair, per
 * account and per address (core/sign-in-throttle.ts); while one must wait the
 * answer is `rate_limited` saying for how long, before the password is checked.
 */
export async function login(
  newsroom: Newsroom,
  input: { email: string; password: string; totp?: string; ip: string },
): Promise<SignedIn> {
  const db = newsroom.store.db;
  const now = newsroom.now();
  const email = normaliseEmail(input.email) ?? input.email.trim().toLowerCase();
  const query = {
    email,
    ip: input.ip,
    since: new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000).toISOString(),
    perAddressCap: FREE_FAILURES.pair,
  };
  const refuseIfWaiting = (throttle: SignInThrottle): void => {
    if (!throttle.isAllowed)
      throw new DomainError('rate_limited', throttle.message, undefined, {
        retryAfterSeconds: throttle.retryAfterSeconds,
      });
  };
  // Most refused guesses end here, on a read: waiting never takes the write lock.
  refuseIfWaiting(signInThrottle(await readLoginFailures(db, query), now));
  // Check again and record the attempt (as failed until proven otherwise) in
  // one short write transaction, before the slow password check: parallel
  // guesses then each see the ones before them and cannot slip past the limit.
  const attemptId = await db.transaction().execute(async (trx) => {
    await lockLoginThrottle(trx, { email, ip: input.ip });
    refuseIfWaiting(signInThrottle(await readLoginFailures(trx, query), now));
    return await recordLoginAttempt(trx, {
      email,
      ip: input.ip,
      at: now.toISOString(),
      succeeded: false,
    });
  });

  const found = await findUserSecretsByEmail(db, email);
  // Failed sign-ins go in the audit log, so the editor-in-chief sees guessing; a
  // wrong code after the right password means someone else knows the password.
  const fail = async (message: string, reason: 'password' | 'code'): Promise<never> => {
    await recordAudit(db, {
      userId: null,
      action: 'session.login-failed',
      // Nothing typed is kept: an address with no account (or a password typed
      // into the address field) is personal data worth nothing a day later.
      subject: found ? `user:${found.user.id}` : UNKNOWN_ACCOUNT,
      detail: { reason },
      at: now.toISOString(),
    });
    throw new DomainError('invalid_credentials', message);
  };
  // Verify a hash even for unknown accounts, so timing does not reveal which exist.
  const storedHash = found?.passwordHash ?? (await dummyPasswordHash(newsroom));
  const isPasswordRight = await verify(storedHash, input.password).catch(() => false);
  if (!found?.passwordHash || !isPasswordRight || found.user.disabledAt) {
    return await fail('wrong e-mail or password', 'password');
  }
  let totpStep: number | null = null;
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
    totpStep = await acceptedTotpStep(found.totpSecret, input.totp, now);
    if (totpStep === null) {
      return await fail('wrong or expired authenticator code', 'code');
    }
    if (found.totpLastStep !== null && totpStep <= found.totpLastStep) throw totpReplayed();
  }
  const sessionToken = newsroom.newToken();
  const csrfToken = newsroom.newToken();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * DAY).toISOString();
  await db.transaction().execute(async (trx) => {
    // Claimed here, with the session, so a parallel sign-in with the same code
    // loses the race and creates no session (the check above is only a fast path).
    if (totpStep !== null && !(await claimTotpStep(trx, found.user.id, totpStep))) {
      throw totpReplayed();
    }
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

/**
 * The time step (unix seconds / 30) the code belongs to, or null when the code
 * is wrong. One step either side of now is accepted, for clock drift.
 */
async function acceptedTotpStep(secret: string, code: string, now: Date): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verifyTotp({
    secret,
    token: code,
    epoch,
    epochTolerance: TOTP_PERIOD,
    period: TOTP_PERIOD,
  });
  // otplib's delta counts steps, positive for a code from the future (checked
  // against otplib 13: a code generated at epoch + 30 verifies with delta 1).
  return result.valid ? Math.floor(epoch / TOTP_PERIOD) + result.delta : null;
}

// A code is good for about 90 s; once accepted it must not sign anyone in again.
function totpReplayed(): DomainError {
  return new DomainError(
    'invalid_credentials',
    'this code was already used: wait for the next one',
    'totp',
  );
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

/** How long sign-in attempts are kept: far longer than throttling looks back, and no longer. */
const SIGN_IN_ATTEMPT_DAYS = 1;

/**
 * Forgets sign-in attempts older than a day: throttling reads only the last
 * minutes, and the addresses typed are personal data worth nothing later.
 * Run by the scheduler; returns how many were forgotten.
 */
export async function forgetOldSignInAttempts(newsroom: Newsroom): Promise<number> {
  const before = new Date(newsroom.now().getTime() - SIGN_IN_ATTEMPT_DAYS * 86_400_000);
  return await deleteLoginAttemptsBefore(newsroom.store.db, before.toISOString());
}

export async function logout(newsroom: Newsroom, sessionToken: string): Promise<void> {
  await endSessions(newsroom, async (trx) => {
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
  return await endSessions(newsroom, async (trx) => {
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

/** Ends sessions in one transaction; their open co-editing connections close with them. */
async function endSessions<T>(
  newsroom: Newsroom,
  end: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const result = await newsroom.store.db.transaction().execute(end);
  newsroom.rightsChanged?.();
  return result;
}

/**
 * Starts two-factor setup: a new secret and its otpauth:// URI for an
 * authenticator app. The secret is kept on the server as pending, so the
 * confirmation can only turn on a secret Masthead made. Starting again replaces
 * it. Refused while two-factor is on: replacing a second factor must take more
 * than a session, so the way back for a lost phone is `masthead user reset-2fa`.
 */
export async function beginTotpSetup(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<{ secret: string; uri: string }> {
  const userId = actor.userId;
  const secrets = userId === null ? null : await findUserSecrets(newsroom.store.db, userId);
  if (userId === null || !secrets)
    throw new DomainError('unauthenticated', 'sign in to set up two-factor authentication');
  if (secrets.totpSecret) {
    throw new DomainError('conflict', 'two-factor sign-in is already on for this account', 'totp');
  }
  const settings = await readSettings(newsroom.store.db);
  const secret = generateSecret();
  const uri = generateURI({
    issuer: settings.get('site.name') ?? 'Masthead',
    label: secrets.user.email,
    secret,
  });
  await updateUser(newsroom.store.db, userId, { totpPendingSecret: secret });
  return { secret, uri };
}

/**
 * Turns two-factor on once the user proves their app produces the right code
 * for the pending secret from `beginTotpSetup`.
 */
export async function confirmTotpSetup(
  newsroom: Newsroom,
  actor: StaffActor,
  code: string,
): Promise<User> {
  const userId = actor.userId;
  const secrets = userId === null ? null : await findUserSecrets(newsroom.store.db, userId);
  if (userId === null || !secrets)
    throw new DomainError('unauthenticated', 'sign in to set up two-factor authentication');
  const pending = secrets.totpPendingSecret;
  if (!pending || secrets.totpSecret) {
    throw new DomainError('invalid_input', 'start two-factor setup first', 'totp');
  }
  const step = await acceptedTotpStep(pending, code, newsroom.now());
  if (step === null) {
    throw new DomainError(
      'invalid_credentials',
      'that code does not match: check the time on your phone and try again',
      'totp',
    );
  }
  return await newsroom.store.db.transaction().execute(async (trx) => {
    // The step is stored with the secret, so the code just shown cannot also sign in.
    if (!(await enableTotp(trx, userId, pending, step))) {
      throw new DomainError(
        'conflict',
        'two-factor setup changed meanwhile: start it again',
        'totp',
      );
    }
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

/**
 * Turns two-factor off for an account (and drops any setup in progress), so its
 * owner can sign in with the password alone and set it up again: the way back
 * for a lost phone. Editor-in-chief or the system (the CLI) only.
 */
export async function resetTotp(
  newsroom: Newsroom,
  actor: StaffActor,
  email: string,
): Promise<User> {
  requireStaffManager(actor);
  return await updateAccount(
    newsroom,
    actor,
    email,
    'user.totp-reset',
    { totpSecret: null, totpLastStep: null, totpPendingSecret: null },
    {},
  );
}

/** Makes two-factor mandatory (or optional) for every account. Editor-in-chief only. */
/** Whether every account must use an authenticator app (editor-in-chief). */
export async function isTotpRequiredForAll(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<boolean> {
  if (!can(actor, 'settings.manage')) {
    throw new DomainError(
      'not_allowed_for_role',
      'only the editor-in-chief reads security settings',
    );
  }
  return (await readSettings(newsroom.store.db)).get(TOTP_REQUIRED_KEY) === 'true';
}

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
