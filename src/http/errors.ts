import type { ErrorCode } from '../core/errors.js';

/** HTTP status for each domain error code: the one place this mapping lives. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  unknown_format: 415,
  invalid_encoding: 400,
  malformed_file: 422,
  conflict: 409,
};
