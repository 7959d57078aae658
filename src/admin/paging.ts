import { countOf, formatCount, type NounForms } from './plural.js';

// The words and page numbers of a pager (pager.tsx), kept apart so they can be tested.

/** "Articles 51–100 of 312", or "12 articles" when everything fits on one page. */
export function pageSummary(
  page: number,
  pageSize: number,
  total: number,
  noun: NounForms,
): string {
  if (total === 0) return `No ${noun.other}`;
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  if (page === 1 && total <= pageSize) return countOf(total, noun);
  if (first > total) return `No ${noun.other} on page ${page} (${countOf(total, noun)} in all)`;
  if (first === last)
    return `${capitalize(noun.one)} ${formatCount(first)} of ${formatCount(total)}`;
  return `${capitalize(noun.other)} ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`;
}

/**
 * The page numbers a pager offers: the first and last, and those next to the
 * current one, with 'gap' where numbers are left out: 1 … 4 5 6 … 20.
 */
export function pageNumbers(page: number, pages: number): (number | 'gap')[] {
  // Seven numbers fit where the ends, neighbours and two gaps would go.
  if (pages <= 7) return Array.from({ length: pages }, (_, index) => index + 1);
  const shown = new Set([1, pages, page - 1, page, page + 1]);
  // Near either end, show enough neighbours that a gap never hides just one number.
  if (page <= 3) for (let n = 2; n <= 4; n++) shown.add(n);
  if (page >= pages - 2) for (let n = pages - 3; n < pages; n++) shown.add(n);
  const numbers = [...shown].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const result: (number | 'gap')[] = [];
  for (const n of numbers) {
    const previous = result.at(-1);
    if (typeof previous === 'number' && n - previous === 2) result.push(previous + 1);
    else if (typeof previous === 'number' && n - previous > 2) result.push('gap');
    result.push(n);
  }
  return result;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
