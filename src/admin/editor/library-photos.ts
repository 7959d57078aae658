import type { AnyExtension } from '@tiptap/core';
import { DOMSerializer, type Node as PmNode } from '@tiptap/pm/model';
import type { NodeView } from '@tiptap/pm/view';
import { Gallery, Image } from '../../core/document-extensions.js';
import { api, type MediaItem, thumbnailOf } from '../api.js';

// A picture in the text names its photo by id; the address the editor shows
// it from is a copy, written when the photo was put in. Pictures an import
// wrote have none (a migrated archive's text does not know Masthead's file
// addresses, and their files are fetched later), so the editor showed only
// their caption. Reader pages look every photo up by id; the editor does the
// same for a picture without an address, without changing the text.

/** Each photo looked up once per page load (its file, once fetched, shows after a reload). */
const lookedUp = new Map<number, Promise<MediaItem | null>>();

function libraryPhoto(id: number): Promise<MediaItem | null> {
  let found = lookedUp.get(id);
  if (!found) {
    found = api<MediaItem>('GET', `/media/${id}`).catch(() => {
      // Offline or gone: tried again the next time a picture of it is drawn.
      lookedUp.delete(id);
      return null;
    });
    lookedUp.set(id, found);
  }
  return found;
}

/** The node's figure as the schema draws it (its data-* attributes are what a copy carries). */
function drawn(node: PmNode): HTMLElement {
  const toDOM = node.type.spec.toDOM;
  if (!toDOM) throw new Error(`no way to draw ${node.type.name}`);
  return DOMSerializer.renderSpec(document, toDOM(node)).dom as HTMLElement;
}

/**
 * A node view that draws the node as the schema does, then, where `patch`
 * finds something to look up, draws the figure's contents again with what
 * the library says (the node, and the figure's own attributes, stay as they are).
 */
function libraryNodeView(
  node: PmNode,
  patch: (node: PmNode) => Promise<Record<string, unknown> | null> | null,
): NodeView {
  const dom = drawn(node);
  let isGone = false;
  void patch(node)?.then((attrs) => {
    if (!attrs || isGone) return;
    dom.replaceChildren(
      ...Array.from(drawn(node.type.create({ ...node.attrs, ...attrs })).childNodes),
    );
  });
  return {
    dom,
    // A changed node (a caption edited, a photo swapped) gets a view of its own.
    update: (next) => next.type === node.type && next.sameMarkup(node),
    destroy: () => {
      isGone = true;
    },
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export const LibraryImage = Image.extend({
  addNodeView() {
    return ({ node }) =>
      libraryNodeView(node, (shown) => {
        const id = shown.attrs.mediaId;
        if (text(shown.attrs.src) || typeof id !== 'number') return null;
        return libraryPhoto(id).then((item) => {
          const src = item ? thumbnailOf(item) : null;
          if (!item || !src) return null;
          return {
            src,
            alt: text(shown.attrs.alt) || item.alt,
            caption: text(shown.attrs.caption) || item.caption,
            credit: text(shown.attrs.credit) || item.creditLine,
          };
        });
      });
  },
});

type GalleryPhoto = { mediaId?: unknown; src?: unknown };

export const LibraryGallery = Gallery.extend({
  addNodeView() {
    return ({ node }) =>
      libraryNodeView(node, (shown) => {
        const photos = (
          Array.isArray(shown.attrs.photos) ? shown.attrs.photos : []
        ) as GalleryPhoto[];
        if (photos.every((photo) => text(photo.src) || typeof photo.mediaId !== 'number'))
          return null;
        return Promise.all(
          photos.map(async (photo) => {
            if (text(photo.src) || typeof photo.mediaId !== 'number') return photo;
            const item = await libraryPhoto(photo.mediaId);
            return { ...photo, src: item ? thumbnailOf(item) : null };
          }),
        ).then((found) => ({ photos: found }));
      });
  },
});

/** The document's extensions with pictures drawn from the library where their node has no address. */
export function withLibraryPhotos(extensions: readonly AnyExtension[]): AnyExtension[] {
  return extensions.map((extension) =>
    extension.name === 'image'
      ? LibraryImage
      : extension.name === 'gallery'
        ? LibraryGallery
        : extension,
  );
}
