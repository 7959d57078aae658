import { parseMediaAttrs } from './document.js';

// A picture's or a gallery's attributes travel in the editor's HTML as data-*
// attributes of its <figure>: ProseMirror copies, cuts and drags between
// windows through HTML, and the media id, the caption written for the
// article and the rest must come back from it. Reader pages never show these
// (the site renders pictures itself, site/render-document.ts).

type MediaType = 'image' | 'gallery';

/** Each attribute's data-* name and how it is written: as text, a whole number, or JSON. */
const FIELDS: Record<MediaType, [attr: string, data: string, kind: 'text' | 'number' | 'json'][]> =
  {
    image: [
      ['mediaId', 'data-media-id', 'number'],
      ['src', 'data-src', 'text'],
      ['alt', 'data-alt', 'text'],
      ['caption', 'data-caption', 'text'],
      ['storyCaption', 'data-story-caption', 'text'],
      ['credit', 'data-credit', 'text'],
      ['width', 'data-width', 'number'],
      ['height', 'data-height', 'number'],
      ['href', 'data-href', 'text'],
    ],
    gallery: [
      ['photos', 'data-photos', 'json'],
      ['caption', 'data-caption', 'text'],
    ],
  };

/** A picture's or gallery's attributes as data-* attributes; empty and null ones are left out. */
export function mediaDataAttributes(
  type: MediaType,
  attrs: Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [attr, data, kind] of FIELDS[type]) {
    const value = attrs[attr];
    if (value === null || value === undefined || value === '') continue;
    out[data] = kind === 'json' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/**
 * The attributes written by `mediaDataAttributes`, read back with `read`
 * (an element's getAttribute) and checked as a stored document's are; null
 * when they are missing or not valid (a figure from some other page).
 */
export function mediaAttrsFromData(
  type: MediaType,
  read: (name: string) => string | null | undefined,
): Record<string, unknown> | null {
  const attrs: Record<string, unknown> = {};
  for (const [attr, data, kind] of FIELDS[type]) {
    const value = read(data);
    if (value === null || value === undefined) continue;
    if (kind === 'text') attrs[attr] = value;
    // Anything but digits stays text, which the check then refuses.
    else if (kind === 'number') attrs[attr] = /^\d{1,15}$/.test(value) ? Number(value) : value;
    else {
      try {
        attrs[attr] = JSON.parse(value);
      } catch {
        return null;
      }
    }
  }
  return parseMediaAttrs(type, attrs);
}
