/**
 * The codes a full disk shows up as, wherever the write was: the file system
 * (ENOSPC, or EDQUOT when a quota is used up), SQLite (SQLITE_FULL, also when
 * the database reaches its max_page_count) and PostgreSQL (53100 disk_full).
 */
const STORAGE_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);

/** True when `error` (or the error it was caused by) says the disk is full. */
export function isStorageFull(error: unknown): boolean {
  for (let current = error, depth = 0; depth < 5; depth++) {
    if (typeof current !== 'object' || current === null) return false;
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && STORAGE_FULL_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
