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
