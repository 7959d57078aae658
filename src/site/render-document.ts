import {
  getAttributesFromExtensions,
  getSchemaByResolvedExtensions,
  resolveExtensions,
  splitExtensions,
} from '@tiptap/core';
import {
  type Mark as ProseMirrorMark,
  Node as ProseMirrorNode,
  type Schema,
} from '@tiptap/pm/model';
import {
  escapeHTML,
  renderJSONContentToString,
  serializeChildrenToHTMLString,
} from '@tiptap/static-renderer/json/html-string';
import {
  domOutputSpecToHTMLString,
  mapMarkExtensionToReactNode,
  mapNodeExtensionToReactNode,
} from '@tiptap/static-renderer/pm/html-string';
import { sanitizeArchivedHtml } from '../core/archived-html.js';
import { type Doc, type DocNode, galleryMediaIds } from '../core/document.js';
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
  /**
   * Renders a library picture (by media id) as HTML, with this use's caption
   * when the article gives one ('' for the library's) and the address the
   * picture links to (null for none); '' when the record is gone.
   */
  renderImage?: (mediaId: number, storyCaption: string, href: string | null) => string;
  /**
   * Renders an embed (the reader page's facade, site/embed-facade.ts); without
   * it an embed is a plain link, as feeds, newsletters and posts show it.
   */
  renderEmbed?: (embed: { url: string; title: string; thumbnailMediaId: number | null }) => string;
  /**
   * What a gallery's scrolling row is called for a screen reader ("Gallery: 3
   * photos"); with it the row is a named region reachable from the keyboard.
   */
  galleryLabel?: (photoCount: number) => string;
  /** Rewrites every link's target (a feed makes site-relative links absolute). */
  rewriteHref?: (href: string) => string;
};

type NodeRenderer = ReturnType<typeof mapNodeExtensionToReactNode<string>>[1];
type MarkRenderer = ReturnType<typeof mapMarkExtensionToReactNode<string>>[1];

/**
 * What `renderToHTMLString` works out from the extensions on every call (the
 * schema, each node's and mark's renderer), worked out once: that was most of
 * the cost of a feed, which renders twenty bodies. The steps are the
 * library's own, so the HTML is the same.
 */
type RendererKit = {
  schema: Schema;
  nodes: Record<string, NodeRenderer>;
  marks: Record<string, MarkRenderer>;
};

let kit: RendererKit | null = null;

function rendererKit(): RendererKit {
  if (kit) return kit;
  const extensions = resolveExtensions(documentExtensions);
  const attributes = getAttributesFromExtensions(extensions);
  const { nodeExtensions, markExtensions } = splitExtensions(extensions);
  const nodes: Record<string, NodeRenderer> = Object.fromEntries(
    nodeExtensions.map((extension) =>
      mapNodeExtensionToReactNode(domOutputSpecToHTMLString, extension, attributes),
    ),
  );
  nodes.doc = ({ children }) => serializeChildrenToHTMLString(children);
  nodes.text = ({ node }) => escapeHTML(node.text ?? '');
  kit = {
    schema: getSchemaByResolvedExtensions(extensions),
    nodes,
    marks: Object.fromEntries(
      markExtensions.map((extension) =>
        mapMarkExtensionToReactNode(domOutputSpecToHTMLString, extension, attributes),
      ),
    ),
  };
  return kit;
}

/** What a screen reader announces for a table's scrolling box. */
function tableLabel(language: string): string {
  return language.startsWith('ru') ? 'Таблица' : 'Table';
}

/**
 * A stored document as HTML, rendered with the same Tiptap schema the editor
 * uses. Text is escaped by the renderer; documents are validated on the way in,
 * so only known nodes and safe link targets reach this point. `renderImage`
 * replaces the schema's plain <img> (the site's responsive <picture>, a feed's
 * absolute <img>); `rewriteHref` changes every link's target.
 */
export function renderDocument(doc: Doc, options: RenderOptions): string {
  const { language, renderImage, renderEmbed, galleryLabel, rewriteHref } = options;
  const { schema, nodes, marks } = rendererKit();
  const render = renderJSONContentToString<ProseMirrorMark, ProseMirrorNode>({
    nodeMapping: {
      ...nodes,
      embed: ({ node }) => {
        const url = String(node.attrs.url ?? '');
        if (renderEmbed && embedProvider(url)) {
          const thumbnailMediaId = node.attrs.thumbnailMediaId;
          return renderEmbed({
            url,
            title: String(node.attrs.title ?? ''),
            thumbnailMediaId: typeof thumbnailMediaId === 'number' ? thumbnailMediaId : null,
          });
        }
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
      // A table scrolls inside itself on a narrow screen, so the page never
      // does; the scrolling box is a named region reachable from the keyboard.
      // Header cells say which way they head: across the first row, else along theirs.
      table: ({ children }) => {
        const rows = Array.isArray(children) ? children : [children ?? ''];
        const body = rows
          .map((row, index) => row.replaceAll('<th', `<th scope="${index === 0 ? 'col' : 'row'}"`))
          .join('');
        return `<div class="table-scroll" role="region" tabindex="0" aria-label="${escapeHtml(
          tableLabel(language),
        )}"><table><tbody>${body}</tbody></table></div>`;
      },
      ...(renderImage
        ? {
            image: ({ node }) => {
              const href = typeof node.attrs.href === 'string' ? node.attrs.href : '';
              return renderImage(
                Number(node.attrs.mediaId),
                String(node.attrs.storyCaption ?? ''),
                href === '' ? null : rewriteHref ? rewriteHref(href) : href,
              );
            },
            // Each photo as its own credited figure; a gallery whose photos are
            // all gone leaves nothing behind, not an empty frame.
            gallery: ({ node }) => {
              const photos = galleryMediaIds(node.toJSON() as DocNode)
                .map((id) => renderImage(id, '', null))
                .filter((html) => html !== '');
              if (photos.length === 0) return '';
              const caption = String(node.attrs.caption ?? '');
              // On a reader page the row scrolls sideways on a phone: a named
              // region, focusable so the keyboard scrolls it too.
              const region = galleryLabel
                ? ` role="region" tabindex="0" aria-label="${escapeHtml(galleryLabel(photos.length))}"`
                : '';
              return `<figure class="gallery"><div class="gallery-photos"${region}>${photos.join('')}</div>${
                caption
                  ? `<figcaption class="gallery-caption">${escapeHtml(caption)}</figcaption>`
                  : ''
              }</figure>`;
            },
          }
        : {}),
    },
    markMapping: {
      ...marks,
      ...(rewriteHref
        ? {
            link: ({ mark, children }) =>
              `<a href="${escapeHtml(rewriteHref(String(mark.attrs.href)))}">${
                Array.isArray(children) ? children.join('') : (children ?? '')
              }</a>`,
          }
        : {}),
    },
  });
  return render({ content: ProseMirrorNode.fromJSON(schema, doc) });
}
