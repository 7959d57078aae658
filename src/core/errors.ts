/**
 * The one error type the domain raises. `code` is a stable string that callers
 * branch on (never on `message`); `field` names the input at fault when there is one.
 */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'unknown_format',
  'invalid_encoding',
  'malformed_file',
  'file_too_large',
  'conflict',
  'version_conflict',
  'unauthenticated',
  'csrf_invalid',
  'invalid_credentials',
  'rate_limited',
  'totp_required',
  'not_allowed_for_role',
  'invalid_transition',
  'no_headline',
  'no_byline',
  'lead_photo_needs_credit',
  'schedule_in_past',
  'agency_withdrawn',
  'embargoed',
  'media_in_use',
  'translation_language_taken',
  'storage_full',
  'database_busy',
  'import_under_way',
  'text_not_saved',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  /** Data the caller needs to recover (for `version_conflict`, the current article). */
  readonly detail: unknown;

  constructor(code: ErrorCode, message: string, field?: string, detail?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = field;
    this.detail = detail;
  }
}

/** True when `error` is a DomainError, optionally with the given code. */
export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
