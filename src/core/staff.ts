import type { Role } from './policy.js';

/** A staff account, as use cases and the admin API see it (never its secrets). */
export type User = {
  id: number;
  personId: number;
  name: string;
  email: string;
  role: Role;
  hasPassword: boolean;
  hasTotp: boolean;
  disabledAt: string | null;
  createdAt: string;
};

/** Failed sign-ins allowed in one window, per account and per address, before a pause. */
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

/**
 * Whether another sign-in may be tried, given the failures in the last window.
 * Both limits count: an attacker spreading guesses over accounts meets the
 * address limit, one using many addresses meets the account limit.
 */
export function loginThrottle(failures: { account: number; ip: number }): {
  isAllowed: boolean;
  reason: string;
} {
  if (failures.account >= MAX_FAILURES_PER_ACCOUNT) {
    return {
      isAllowed: false,
      reason: `Too many failed sign-ins for this account. Wait ${LOGIN_WINDOW_MINUTES} minutes and try again.`,
    };
  }
  if (failures.ip >= MAX_FAILURES_PER_IP) {
    return {
      isAllowed: false,
      reason: `Too many failed sign-ins from this address. Wait ${LOGIN_WINDOW_MINUTES} minutes and try again.`,
    };
  }
  return { isAllowed: true, reason: '' };
}

/** Passwords are long enough to resist guessing, and not absurdly long (argon2 input). */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return 'a password needs at least 12 characters';
  if (password.length > 1024) return 'a password may have at most 1024 characters';
  return null;
}

/** A normalised e-mail address (trimmed, lower-case), or null when it is not one. */
export function normaliseEmail(email: string): string | null {
  const value = email.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : null;
}
