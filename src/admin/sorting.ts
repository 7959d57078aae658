import type { SortDirection } from '../core/article-list.js';

// Sorting tables: which column sorts which way, what the header says about it
// (aria-sort), and sorting short lists in the browser.

export type { SortDirection };

/** The column a table is sorted by, and which way. */
export type SortOrder<K extends string> = { key: K; direction: SortDirection };

/** A table's sort, or null while it shows the order the server sent. */
export type SortState<K extends string> = SortOrder<K> | null;

/**
 * The sort after the header of `key` is pressed: the other way round if the
 * table is already sorted by it, else `firstDirection` (A to Z, or newest first for dates).
 */
export function nextSort<K extends string>(
  current: SortState<K>,
  key: K,
  firstDirection: SortDirection = 'asc',
): SortOrder<K> {
  if (current?.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: firstDirection };
}

/** The `aria-sort` of a column header: set only on the column the table is sorted by. */
export function ariaSortOf<K extends string>(
  current: SortState<K>,
  key: K,
): 'ascending' | 'descending' | undefined {
  if (current?.key !== key) return undefined;
  return current.direction === 'asc' ? 'ascending' : 'descending';
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Compares two texts as people read them: case and accents aside, "Page 2" before "Page 10". */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

/** `rows` sorted by `compare`, reversed for 'desc'; rows that compare equal keep their order. */
export function sortRows<T>(
  rows: readonly T[],
  compare: (a: T, b: T) => number,
  direction: SortDirection,
): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  // Array.prototype.sort is stable, so ties stay in the server's order either way.
  return [...rows].sort((a, b) => sign * compare(a, b));
}
