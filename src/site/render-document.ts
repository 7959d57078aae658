import { renderToHTMLString } from '@tiptap/static-renderer/pm/html-string';
import type { Doc } from '../core/document.js';
import { documentExtensions } from '../core/document-extensions.js';

/**
 * A stored document as HTML, rendered with the same Tiptap schema the editor
 * uses. Text is escaped by the renderer; documents are validated on the way in,
 * so only known nodes and safe link targets reach this point.
 */
export function renderDocument(doc: Doc): string {
  return renderToHTMLString({ extensions: documentExtensions, content: doc });
}
