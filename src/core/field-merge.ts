import { andList } from './and-list.js';
import { SNAPSHOT_FIELDS, type SnapshotField } from './article-detail.js';
import { canonicalDoc } from './document-extensions.js';

// Several people edit one article at once: its body through the shared
// document, its other fields through saves naming the version they were made
// on. A save made on an older version is merged field by field against what
// changed since (a three-way merge): a field only the sender changed is
// taken, a field only others changed is kept, and a field both changed to
// different values refuses the save, so nobody's edit is silently overwritten.

/** A field's value in the form the comparison reads (see `comparable`). */
export type FieldValues = Partial<Record<SnapshotField, unknown>>;

export type FieldMerge = {
  /** The sender's fields that change the article: apply these. */
  apply: SnapshotField[];
  /** Fields the sender and someone else both changed, differently. */
  conflicts: SnapshotField[];
};

/**
 * Compares the sender's fields (`mine`) with the content they started from
 * (`base`) and the content now (`theirs`). Fields `mine` does not name are
 * not the sender's business. `same` decides equality (documents compare
 * by structure, bylines by person and label).
 */
export function mergeFields(
  base: FieldValues,
  theirs: FieldValues,
  mine: FieldValues,
  same: (field: SnapshotField, a: unknown, b: unknown) => boolean = sameValue,
): FieldMerge {
  const apply: SnapshotField[] = [];
  const conflicts: SnapshotField[] = [];
  for (const field of SNAPSHOT_FIELDS) {
    if (!(field in mine) || mine[field] === undefined) continue;
    if (same(field, mine[field], base[field])) continue; // the sender did not change it
    if (same(field, theirs[field], base[field]) || same(field, mine[field], theirs[field]))
      apply.push(field);
    else conflicts.push(field);
  }
  return { apply, conflicts };
}

/** The fields whose values differ between two snapshots. */
export function changedBetween(
  before: FieldValues,
  after: FieldValues,
  same: (field: SnapshotField, a: unknown, b: unknown) => boolean = sameValue,
): SnapshotField[] {
  return SNAPSHOT_FIELDS.filter((field) => !same(field, before[field], after[field]));
}

/** Equal as JSON with object keys in order, bylines by person and label only. */
export function sameValue(field: SnapshotField, a: unknown, b: unknown): boolean {
  return sortedJson(comparable(field, a)) === sortedJson(comparable(field, b));
}

/**
 * A byline compares by who and how they are credited (a save names people
 * by id, a snapshot also carries their names), a text by its structure; a
 * missing optional value compares as null.
 */
function comparable(field: SnapshotField, value: unknown): unknown {
  if (value === undefined) return null;
  if (field === 'body') return canonicalDoc(value);
  if (field === 'authors' && Array.isArray(value)) {
    return value.map((author: { personId?: unknown; label?: unknown }) => ({
      personId: author.personId,
      label: author.label ?? null,
    }));
  }
  return value;
}

/** JSON with every object's keys in order, so equal values built in another order compare equal. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** How a refused merge is put to the person: the fields by the names the editor shows. */
export const FIELD_NAMES: Readonly<Record<SnapshotField, string>> = {
  title: 'the headline',
  standfirst: 'the standfirst',
  section: 'the section',
  language: 'the language',
  slug: 'the address',
  body: 'the text',
  authors: 'the byline',
  sources: 'the sources',
  tags: 'the topics',
  leadMediaId: 'the lead photo',
  metaTitle: 'the search title',
  metaDescription: 'the search description',
  socialImageId: 'the link preview photo',
  label: 'the label',
};

/** “the headline and the standfirst” */
export function listFields(fields: readonly SnapshotField[]): string {
  return andList(fields.map((field) => FIELD_NAMES[field]));
}
