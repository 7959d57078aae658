import type { ReactNode } from 'react';
import { pageCount } from '../core/article-list.js';
import { pageNumbers, pageSummary } from './paging.js';
import type { NounForms } from './plural.js';

/**
 * Below a paged table: how many items there are and which are shown
 * ("Articles 51–100 of 312"), then Previous, the page numbers and Next,
 * unavailable at the ends. The summary is a status message, so screen
 * readers hear it change.
 */
export function Pager({
  page,
  pageSize,
  total,
  noun,
  label,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  noun: NounForms;
  /** The navigation's name, e.g. "Pages of articles". */
  label: string;
  onPage: (page: number) => void;
}): ReactNode {
  const pages = pageCount(total, pageSize);
  // aria-disabled rather than disabled at the ends: a disabled button drops
  // the focus of whoever just pressed it to reach the last page.
  const isFirst = page <= 1;
  const isLast = page >= pages;
  return (
    <nav className="pager" aria-label={label}>
      <p className="pager-summary" role="status">
        {pageSummary(page, pageSize, total, noun)}
      </p>
      {pages > 1 ? (
        <ul className="pager-pages">
          <li>
            <button
              type="button"
              aria-disabled={isFirst || undefined}
              onClick={() => {
                // From past the end (an old link), back to the last page there is.
                if (!isFirst) onPage(Math.min(page - 1, pages));
              }}
            >
              Previous<span className="visually-hidden"> page</span>
            </button>
          </li>
          {pageNumbers(Math.min(page, pages), pages).map((n, index) =>
            n === 'gap' ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: a gap has no identity of its own
              <li key={`gap-${index}`} className="pager-gap" aria-hidden="true">
                …
              </li>
            ) : (
              <li key={n}>
                <button
                  type="button"
                  className="pager-number"
                  aria-current={n === page ? 'page' : undefined}
                  onClick={() => onPage(n)}
                >
                  <span className="visually-hidden">Page </span>
                  {n}
                </button>
              </li>
            ),
          )}
          <li>
            <button
              type="button"
              aria-disabled={isLast || undefined}
              onClick={() => {
                if (!isLast) onPage(page + 1);
              }}
            >
              Next<span className="visually-hidden"> page</span>
            </button>
          </li>
        </ul>
      ) : null}
    </nav>
  );
}
