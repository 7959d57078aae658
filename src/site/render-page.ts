import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/** A complete HTML document from a page element (React escapes every value). */
export function renderHtml(element: ReactNode): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(element)}`;
}
