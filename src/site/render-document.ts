import { renderToHTMLString } from '@tiptap/static-renderer/pm/html-string';
import { sanitizeArchivedHtml } from '../core/archived-html.js';
import type { Doc } from '../core/document.js';
import { documentExtensions } from '../core/document-extensions.js';
import { embedLinkText, embedProvider } from '../core/embeds.js';

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export type RenderOptions = {
  /** The page's language: embeds' link text is written in it. */
  language: string;
  /** Renders a library picture (by media id) as HTML; '' when the record is gone. */
  renderImage?: (mediaId: number) => string;
  /** Rewrites every link's target (a feed makes site-relative links absolute). */
  rewriteHref?: (href: string) => string;
};

/**
 * A stored document as HTML, rendered with the same Tiptap schema the editor
 * uses. Text is escaped by the renderer; documents are validated on the way in,
 * so only known nodes and safe link targets reach this point. `renderImage`
 * replaces the schema's plain <img> (the site's responsive <picture>, a feed's
 * absolute <img>); `rewriteHref` changes every link's target.
 */
export function renderDocument(doc: Doc, options: RenderOptions): string {
  const { language, renderImage, rewriteHref } = options;
  return renderToHTMLString({
    extensions: documentExtensions,
    content: doc,
    options: {
      nodeMapping: {
        embed: ({ node }) => {
          const url = String(node.attrs.url ?? '');
          const href = embedProvider(url) ? url : '#';
          return `<figure class="embed"><a href="${escapeHtml(rewriteHref ? rewriteHref(href) : href)}" class="embed-link">${escapeHtml(
            embedLinkText(url, String(node.attrs.title ?? ''), language),
          )}</a></figure>`;
        },
        // Kept markup is sanitized at every render, not only on import: whatever
        // reached the database, only structure and text reach readers.
        html: ({ node }) => {
          const html = sanitizeArchivedHtml(String(node.attrs.html ?? ''), rewriteHref);
          return html ? `<div class="imported-html">${html}</div>` : '';
        },
        ...(renderImage ? { image: ({ node }) => renderImage(Number(node.attrs.mediaId)) } : {}),
      },
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
