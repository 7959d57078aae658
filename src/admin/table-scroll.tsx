import type { ReactNode } from 'react';

/**
 * A table that is wider than a phone scrolls inside this box, not the whole
 * screen sideways. It can take the focus so the keyboard can scroll it too.
 */
export function TableScroll({
  label,
  children,
}: {
  label: string;
  children: ReactNode;
}): ReactNode {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
