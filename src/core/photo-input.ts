import { type CreditChain, creditChainSchema, parseCreditLine } from './credit.js';
import { DomainError } from './errors.js';
import type { FocalPoint } from './types.js';

// The rules for what staff type about a photo, shared by upload and by the
// library's corrections, so the two cannot drift apart.

const MAX_ALT = 1000;
const MAX_CAPTION = 2000;
// Real credit lines are a few names long; the caps keep a pasted paragraph out.
const MAX_CREDIT_LINE = 500;
const MAX_CREDIT_PARTS = 10;

/** A photo's alt text (required) and caption, trimmed and within their limits. */
export function checkPhotoText(input: { alt: string; caption?: string }): {
  alt: string;
  caption: string;
} {
  const alt = input.alt.trim();
  const caption = (input.caption ?? '').trim();
  if (alt === '') {
    throw new DomainError(
      'invalid_input',
      'alt: describe the picture for readers who cannot see it',
      'alt',
    );
  }
  if (alt.length > MAX_ALT) {
    throw new DomainError('invalid_input', `alt: keep it to ${MAX_ALT} characters`, 'alt');
  }
  if (caption.length > MAX_CAPTION) {
    throw new DomainError(
      'invalid_input',
      `caption: keep it to ${MAX_CAPTION} characters`,
      'caption',
    );
  }
  return { alt, caption };
}

/** A typed credit line (roles guessed) or an explicit chain, checked: at most 10 parts. */
export function checkCredit(credit: string | readonly unknown[] | undefined): CreditChain {
  if (credit === undefined) return [];
  if (typeof credit === 'string') {
    if (credit.length > MAX_CREDIT_LINE) {
      throw new DomainError(
        'invalid_input',
        `credit: keep the credit line to ${MAX_CREDIT_LINE} characters`,
        'credit',
      );
    }
    return parseCreditLine(credit);
  }
  const result = creditChainSchema.max(MAX_CREDIT_PARTS).safeParse(credit);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = ['credit', ...(issue?.path.map(String) ?? [])].join('.');
  throw new DomainError('invalid_input', `${field}: ${issue?.message ?? 'invalid credit'}`, field);
}

/** A focal point in whole percent from the left and the top (0–100 each); null is the centre. */
export function checkFocus(focus: unknown): FocalPoint | null {
  if (focus === null) return null;
  const { x, y } = (focus ?? {}) as { x?: unknown; y?: unknown };
  const isPercent = (value: unknown): value is number =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100;
  if (!isPercent(x) || !isPercent(y)) {
    throw new DomainError(
      'invalid_input',
      'focus: give x and y as whole percent from the left and the top, 0 to 100',
      'focus',
    );
  }
  return { x, y };
}
