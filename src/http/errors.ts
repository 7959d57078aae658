import type { ErrorCode } from '../core/errors.js';

/** HTTP status for each domain error code: the one place this mapping lives. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  unknown_format: 415,
  invalid_encoding: 400,
  malformed_file: 422,
  file_too_large: 413,
  conflict: 409,
  version_conflict: 409,
  unauthenticated: 401,
  csrf_invalid: 403,
  invalid_credentials: 401,
  rate_limited: 429,
  totp_required: 401,
  not_allowed_for_role: 403,
  invalid_transition: 422,
  no_headline: 422,
  no_byline: 422,
  lead_photo_needs_credit: 422,
  agency_withdrawn: 422,
  embargoed: 422,
  schedule_in_past: 422,
  media_in_use: 409,
  translation_language_taken: 409,
  // 507 Insufficient Storage (RFC 4918): the server could not store what it was sent.
  storage_full: 507,
  // Another process (a CLI import, say) held the database's write lock for
  // longer than a request waits: try again later, as Retry-After says.
  database_busy: 503,
  import_under_way: 409,
  // The person's newest words are still on their way to the shared document: try again.
  text_not_saved: 409,
};
