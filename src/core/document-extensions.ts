import { Extension, getSchema, Node } from '@tiptap/core';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import type { DOMOutputSpec, Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { type Doc, parseDoc, withoutTrailingEmptyLine } from './document.js';
import { embedLinkText, embedProvider } from './embeds.js';
import { DomainError } from './errors.js';
import { mediaAttrsFromData, mediaDataAttributes } from './media-data-attributes.js';

/**
 * A media node's attribute, read only from the figure's data-* attributes,
 * checked together by its parse rule: Tiptap would otherwise also take a
 * same-named attribute of the element (a stray `src` or `alt`) over them.
 */
const fromDataOnly = (value: unknown) => ({ default: value, parseHTML: () => null });

/**
 * A quotation with its speaker and source, rendered as a <figure> so the
 * attribution is tied to the words (the seed's "… Aliyev said", "TASS reported").
 */
export const Quote = Node.create({
  name: 'quote',
  group: 'block',
  content: 'paragraph+',
  defining: true,
  addAttributes() {
    return {
      speaker: { default: null },
      source: { default: null },
      sourceUrl: { default: null },
    };
  },
  parseHTML() {
    return [{ tag: 'figure.quote' }];
  },
  renderHTML({ node }) {
    const speaker = typeof node.attrs.speaker === 'string' ? node.attrs.speaker : '';
    const source = typeof node.attrs.source === 'string' ? node.attrs.source : '';
    const sourceUrl = typeof node.attrs.sourceUrl === 'string' ? node.attrs.sourceUrl : '';
    // Every element spec carries an attributes object: the static renderer
    // accepts text children only after one.
    const cite = sourceUrl
      ? ['cite', {}, ['a', { href: sourceUrl }, source || sourceUrl]]
      : ['cite', {}, source];
    const caption = source
      ? ['figcaption', {}, `— ${speaker}, `, cite]
      : ['figcaption', {}, `— ${speaker}`];
    return ['figure', { class: 'quote' }, ['blockquote', 0], caption];
  },
});

/**
 * A picture from the media library with its caption and credit. The
 * attributes other than `mediaId` are refreshed from the library before a page
 * is rendered, so they always show the record's current alt text and credit.
 */
export const Image = Node.create({
  name: 'image',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes() {
    return {
      mediaId: fromDataOnly(null),
      src: fromDataOnly(null),
      alt: fromDataOnly(''),
      caption: fromDataOnly(''),
      storyCaption: fromDataOnly(''),
      credit: fromDataOnly(''),
      width: fromDataOnly(null),
      height: fromDataOnly(null),
      // Kept through the editor so a save keeps it; the text shows no link
      // (pressing one there would leave the page), the photo's panel names it
      // (to keep or remove), reader pages draw it.
      href: fromDataOnly(null),
    };
  },
  parseHTML() {
    // Its own HTML, copied or cut within the editor: every attribute comes
    // back from the data-* ones, or the figure is not taken as a picture.
    return [
      {
        tag: 'figure.image',
        getAttrs: (element) =>
          mediaAttrsFromData('image', (name) => element.getAttribute(name)) ?? false,
      },
    ];
  },
  renderHTML({ node }) {
    const attrs = node.attrs as Record<string, unknown>;
    const text = (key: string) => (typeof attrs[key] === 'string' ? (attrs[key] as string) : '');
    const size = (key: string) =>
      typeof attrs[key] === 'number' ? { [key]: String(attrs[key]) } : {};
    const parts: unknown[] = [];
    if (text('src')) {
      parts.push([
        'img',
        {
          src: text('src'),
          alt: text('alt'),
          ...size('width'),
          ...size('height'),
          loading: 'lazy',
          decoding: 'async',
        },
      ]);
    }
    // This article's own caption wins over the library's.
    const captionText = text('storyCaption') || text('caption');
    const caption: unknown[] = [];
    if (captionText) caption.push(['span', { class: 'caption' }, captionText]);
    if (captionText && text('credit')) caption.push(' ');
    if (text('credit')) caption.push(['span', { class: 'credit' }, text('credit')]);
    if (caption.length > 0) parts.push(['figcaption', {}, ...caption]);
    // Never an empty <figure/>: HTML ignores the self-closing slash, and the
    // figure would swallow the rest of the article.
    if (parts.length === 0) parts.push(['figcaption', {}, text('alt')]);
    return [
      'figure',
      { class: 'image', ...mediaDataAttributes('image', attrs) },
      ...parts,
    ] as unknown as DOMOutputSpec;
  },
});

/**
 * Several library photos shown together under one caption. In the editor the
 * photos are thumbnails; reader pages render each as the library's figure,
 * with its own credit (site/render-document.ts).
 */
export const Gallery = Node.create({
  name: 'gallery',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes() {
    return { photos: fromDataOnly([]), caption: fromDataOnly('') };
  },
  parseHTML() {
    return [
      {
        tag: 'figure.gallery',
        getAttrs: (element) =>
          mediaAttrsFromData('gallery', (name) => element.getAttribute(name)) ?? false,
      },
    ];
  },
  renderHTML({ node }) {
    const photos = Array.isArray(node.attrs.photos)
      ? (node.attrs.photos as { mediaId?: unknown; src?: unknown }[])
      : [];
    const caption = typeof node.attrs.caption === 'string' ? node.attrs.caption : '';
    const items = photos.map((photo) =>
      typeof photo.src === 'string'
        ? ['li', {}, ['img', { src: photo.src, alt: '', loading: 'lazy' }]]
        : ['li', {}, `Photo ${String(photo.mediaId)}`],
    );
    return [
      'figure',
      { class: 'gallery', ...mediaDataAttributes('gallery', node.attrs) },
      ['ul', { class: 'gallery-photos' }, ...items],
      ['figcaption', {}, caption || `Gallery of ${photos.length} photos`],
    ] as unknown as DOMOutputSpec;
  },
});

/**
 * A post or video from an allow-listed provider, shown to readers as a facade
 * (site/render-document.ts): nothing is loaded from the provider until the
 * reader asks. The editor shows the stored thumbnail and the link.
 */
export const Embed = Node.create({
  name: 'embed',
  group: 'block',
  atom: true,
  addAttributes() {
    return {
      url: { default: '' },
      title: { default: '' },
      thumbnailMediaId: { default: null },
      thumbnailSrc: { default: null },
    };
  },
  parseHTML() {
    return [{ tag: 'figure.embed' }];
  },
  renderHTML({ node }) {
    const url = typeof node.attrs.url === 'string' ? node.attrs.url : '';
    const title = typeof node.attrs.title === 'string' ? node.attrs.title : '';
    const src = typeof node.attrs.thumbnailSrc === 'string' ? node.attrs.thumbnailSrc : null;
    // The editor's label is English; reader pages render embeds in the page's
    // language (site/render-document.ts), with the same embedLinkText.
    const link = [
      'a',
      { href: embedProvider(url) ? url : '#', class: 'embed-link' },
      embedLinkText(url, title, 'en'),
    ] as const;
    // Only a library address (/media/…) is shown: the editor never loads from the provider either.
    return src && /^\/media\/[a-f0-9]{32}\.jpg$/.test(src)
      ? ['figure', { class: 'embed' }, ['img', { src, alt: '', class: 'embed-thumbnail' }], link]
      : ['figure', { class: 'embed' }, link];
  },
});

/**
 * Markup kept from an import (a table, preformatted text, a custom-HTML block)
 * that has no Masthead block. The editor shows its source as text and lets it
 * be moved or deleted, not edited; reader pages render it sanitized
 * (site/render-document.ts).
 */
export const HtmlBlock = Node.create({
  name: 'html',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes() {
    return { html: { default: '' }, label: { default: '' } };
  },
  parseHTML() {
    return [{ tag: 'figure.imported-html' }];
  },
  renderHTML({ node }) {
    const html = typeof node.attrs.html === 'string' ? node.attrs.html : '';
    const label = typeof node.attrs.label === 'string' ? node.attrs.label : '';
    return [
      'figure',
      { class: 'imported-html' },
      ['figcaption', {}, `Imported markup${label ? `: ${label}` : ''}`],
      ['pre', {}, html],
    ];
  },
});

/**
 * A numbered list that counts down (`<ol reversed>`): StarterKit's ordered
 * list has no such attribute, and a "top ten" counting up would say the opposite.
 */
export const ReversedOrderedList = Extension.create({
  name: 'reversedOrderedList',
  addGlobalAttributes() {
    return [
      {
        types: ['orderedList'],
        attributes: {
          reversed: {
            default: false,
            parseHTML: (element) => element.hasAttribute('reversed'),
            renderHTML: (attributes) => (attributes.reversed === true ? { reversed: '' } : {}),
          },
        },
      },
    ];
  },
});

// Table cells keep their spans and nothing else (see core/document.ts): no
// widths, no alignment, so a pasted spreadsheet cannot fix a layout phones
// cannot show.
const cellAttributes = () => ({ colspan: { default: 1 }, rowspan: { default: 1 } });
const Cell = TableCell.extend({ addAttributes: cellAttributes });
const HeaderCell = TableHeader.extend({ addAttributes: cellAttributes });

/**
 * The editor schema shared by the admin editor and the server renderer, so what
 * an editor sees is what readers get. Links carry no target or rel="nofollow"
 * by default: the newsroom links to its sources deliberately.
 */
/** StarterKit as Masthead configures it; `undoRedo: false` when the text is shared (Yjs keeps each person's undo). */
function starterKit(hasOwnHistory: boolean) {
  return StarterKit.configure({
    heading: { levels: [2, 3, 4] },
    code: false,
    codeBlock: false,
    strike: false,
    underline: false,
    link: { openOnClick: false, HTMLAttributes: { target: null, rel: null } },
    ...(hasOwnHistory ? {} : { undoRedo: false as const }),
  });
}

const ownNodes = [
  ReversedOrderedList,
  Quote,
  Image,
  Gallery,
  Embed,
  HtmlBlock,
  // Not resizable: column widths are the reader page's business.
  Table.configure({ resizable: false }),
  TableRow,
  HeaderCell,
  Cell,
];

export const documentExtensions = [starterKit(true), ...ownNodes];

/** The same schema for an editor on a shared text, whose undo history is the collaboration's. */
export const sharedDocumentExtensions = [starterKit(false), ...ownNodes];

let schema: Schema | undefined;

/** The editor schema, built once. */
export function documentSchema(): Schema {
  schema ??= getSchema(documentExtensions);
  return schema;
}

/**
 * A document as the schema writes it (every attribute present, defaults
 * filled, without the editor's empty last line): two copies of one text, one
 * from the editor and one stored, compare equal in this form. A document the
 * schema refuses is returned as is.
 */
export function canonicalDoc(doc: unknown): unknown {
  try {
    return withoutTrailingEmptyLine(documentSchema().nodeFromJSON(doc).toJSON() as Doc);
  } catch {
    return doc;
  }
}

/**
 * Validates a document that comes from outside (an import, an editor's save):
 * types and attributes (`parseDoc`), then structure against the editor schema
 * (no list item outside a list, no text at the top level). Fails with a
 * DomainError that says where, prefixed by `where` ("article “Title”: body").
 */
export function validateDoc(value: unknown, where: string): Doc {
  let doc: Doc;
  try {
    doc = parseDoc(value);
  } catch (error) {
    const issue = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
    const path = issue ? issue.path.map(String).join('.') : '';
    throw new DomainError(
      'invalid_input',
      `${where}: ${path ? `${path}: ` : ''}${issue?.message ?? String(error)}`,
    );
  }
  try {
    documentSchema().nodeFromJSON(doc).check();
  } catch (error) {
    throw new DomainError('invalid_input', `${where}: ${(error as Error).message}`);
  }
  return doc;
}
