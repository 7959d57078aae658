import { renderToHTMLString } from '@tiptap/static-renderer/pm/html-string';
import type { Doc } from '../core/document.js';
import { documentExtensions } from '../core/document-extensions.js';

/** Renders a library picture (by media id) as HTML; '' when the record is gone. */
export type ImageRenderer = (mediaId: number) => string;

/**
 * A stored document as HTML, rendered with the same Tiptap schema the editor
 * uses. Text is escaped by the renderer; documents are validated on the way in,
 * so only known nodes and safe link targets reach this point. `renderImage`
 * replaces the schema's plain <img> with the site's responsive <picture>.
 */
export function renderDocument(doc: Doc, renderImage?: ImageRenderer): string {
  return renderToHTMLString({
    extensions: documentExtensions,
    content: doc,
    ...(renderImage
      ? {
          options: {
            nodeMapping: {
              image: ({ node }) => renderImage(Number(node.attrs.mediaId)),
            },
          },
        }
      : {}),
  });
}
