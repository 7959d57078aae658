import { SNAPSHOT_FIELDS, type SnapshotField } from '../../core/article-detail.js';
import { sameValue } from '../../core/field-merge.js';

// Several people edit one article's fields at once: when the server's copy
// moves on (someone else saved, or a save came back merged), the fields this
// person has not touched follow it, and those they are changing stay theirs.

/**
 * The draft on screen carried over to the server's new copy: each field the
 * person has not changed since `was` (or changed to what they just `sent`)
 * takes the new value; the others keep the person's edit. The body is left
 * alone when it is a shared text (it follows by itself).
 */
export function rebaseDraft<T extends Record<SnapshotField, unknown>>(
  draft: T,
  was: T,
  now: T,
  options: { sent?: T; keepBody?: boolean } = {},
): T {
  const next = { ...draft };
  for (const field of SNAPSHOT_FIELDS) {
    if (field === 'body' && options.keepBody) continue;
    const isUntouched =
      sameValue(field, draft[field], was[field]) ||
      (options.sent !== undefined && sameValue(field, draft[field], options.sent[field]));
    if (isUntouched) next[field] = now[field];
  }
  return next;
}
