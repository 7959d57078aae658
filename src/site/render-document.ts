import { renderToHTMLString } from '@tiptap/static-renderer/pm/html-string';
import type { Doc } from '../core/document.js';
import { documentExtensions } from '../core/document-extensions.js';

/** Renders a library picture (by media id) as HTML; '' when the record is gone. */
export type ImageRenderer = (mediaId: number) => string;

/** Rewrites a link target (a feed makes site-relative links absolute). */
export type HrefRewriter = (href: string) => string;

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * A stored document as HTML, rendered with the same Tiptap schema the editor
 * uses. Text is escaped by the renderer; documents are validated on the way in,
 * so only known nodes and safe link targets reach this point. `renderImage`
 * replaces the schema's plain <img> (the site's responsive <picture>, a feed's
 * absolute <img>); `rewriteHref` changes every link's target.
 */
export function renderDocument(
  doc: Doc,
  renderImage?: ImageRenderer,
  rewriteHref?: HrefRewriter,
): string {
  return renderToHTMLString({
    extensions: documentExtensions,
    content: doc,
    options: {
      ...(renderImage
        ? { nodeMapping: { image: ({ node }) => renderImage(Number(node.attrs.mediaId)) } }
        : {}),
      ...(rewriteHref
        ? {
            markMapping: {
              link: ({ mark, children }) =>
                `<a href="${escapeHtml(rewriteHref(String(mark.attrs.href)))}">${
                  Array.isArray(children) ? children.join('') : (children ?? '')
                }</a>`,
            },
          }
        : {}),
    },
  });
}
