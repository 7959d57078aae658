import type { ReactNode } from 'react';
import { ariaSortOf, type SortState } from './sorting.js';

/**
 * A column header that sorts its table: a button with the column's name, and
 * `aria-sort` on the header of the column the table is sorted by. The arrow
 * is drawn for the eye only; `aria-sort` says the same to screen readers.
 */
export function SortHeader<K extends string>({
  label,
  column,
  sort,
  onSort,
}: {
  label: string;
  column: K;
  sort: SortState<K>;
  onSort: (column: K) => void;
}): ReactNode {
  const ariaSort = ariaSortOf(sort, column);
  let arrow = '↕';
  if (ariaSort === 'ascending') arrow = '↑';
  else if (ariaSort === 'descending') arrow = '↓';
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button
        type="button"
        className={ariaSort ? 'sort-button sorted' : 'sort-button'}
        onClick={() => onSort(column)}
      >
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {arrow}
        </span>
      </button>
    </th>
  );
}
