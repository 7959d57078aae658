import { z } from 'zod';
import { embedProvider, embedProviderNames } from './embeds.js';
import { isSafeHref, safeHref } from './links.js';

/**
 * The stored body of articles and pages: ProseMirror JSON as Tiptap writes it,
 * restricted to the node and mark types Masthead renders. Validated whenever it
 * crosses a boundary (import, admin save, read from the database).
 */
export const BLOCK_TYPES = [
  'paragraph',
  'heading',
  'blockquote',
  'quote',
  'bulletList',
  'orderedList',
  'listItem',
  'horizontalRule',
  'image',
  'gallery',
  'embed',
  'html',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
] as const;
export const INLINE_TYPES = ['text', 'hardBreak'] as const;
export const MARK_TYPES = ['bold', 'italic', 'link'] as const;

export type MarkType = (typeof MARK_TYPES)[number];
export type DocMark = { type: MarkType; attrs?: Record<string, unknown> | undefined };

export type DocNode = {
  type: 'doc' | (typeof BLOCK_TYPES)[number] | (typeof INLINE_TYPES)[number];
  attrs?: Record<string, unknown> | undefined;
  content?: DocNode[] | undefined;
  text?: string | undefined;
  marks?: DocMark[] | undefined;
};

export type Doc = { type: 'doc'; content: DocNode[] };

// Only web, mail and site-relative links, decided as a browser reads them
// (links.ts): a `javascript:` URL in an imported document must never reach a
// reader's page (nor a feed or mirror, which have no CSP), nor a link that looks
// site-relative but opens another site. Stored as the browser reads it.

const safeHrefSchema = z
  .string()
  .refine(isSafeHref, 'a link needs an http(s), mailto or site-relative href')
  .transform((href) => safeHref(href) ?? href);

function cellSpans(): z.ZodType<Record<string, unknown>> {
  const span = z.number().int().min(1).max(100).default(1);
  return z.object({ colspan: span, rowspan: span });
}

/** The most photos one gallery shows. */
export const GALLERY_MAX_PHOTOS = 30;

// An editor-side copy of a library photo's address, never trusted for rendering.
const mediaSrc = z
  .string()
  .regex(/^\/media\/[a-f0-9]{32}\.jpg$/)
  .nullable()
  .default(null);

// Each type's attributes, and only those: anything else (class, target, style,
// event handlers) is dropped on the way in.
const ATTRS: Partial<Record<DocNode['type'], z.ZodType<Record<string, unknown>>>> = {
  heading: z.object({ level: z.union([z.literal(2), z.literal(3), z.literal(4)]) }),
  quote: z.object({
    speaker: z.string().trim().min(1, 'a quote needs a speaker'),
    source: z.string().nullable().default(null),
    sourceUrl: safeHrefSchema.nullable().default(null),
  }),
  // `reversed` counts down, as a "top ten" imported from WordPress does.
  orderedList: z.object({
    start: z.number().int().min(0).default(1),
    reversed: z.boolean().default(false),
  }),
  // A picture from the media library. Only `mediaId` is authoritative: alt,
  // caption, credit and size are refreshed from the media record when a page is
  // rendered (the site looks each one up by id), so a corrected credit reaches every article.
  image: z.object({
    mediaId: z.number().int().positive(),
    src: mediaSrc,
    alt: z.string().max(1000).default(''),
    caption: z.string().max(2000).default(''),
    // The caption for this use only ("The mayor, left, on Monday"), written in
    // the article; when empty, readers get the library's caption.
    storyCaption: z.string().max(2000).default(''),
    credit: z.string().max(500).default(''),
    width: z.number().int().positive().nullable().default(null),
    height: z.number().int().positive().nullable().default(null),
    // Where the picture leads when pressed (a page the article points to),
    // written in the article; null for a picture that is only a picture.
    href: safeHrefSchema.nullable().default(null),
  }),
  // Several library photos shown together, each with its own credit, under
  // one caption. As for an image, only the ids count; `src` is the editor's thumbnail.
  gallery: z.object({
    photos: z
      .array(
        z.object({
          mediaId: z.number().int().positive(),
          src: mediaSrc,
        }),
      )
      .min(1, 'a gallery needs at least one photo')
      .max(GALLERY_MAX_PHOTOS, `a gallery holds at most ${GALLERY_MAX_PHOTOS} photos`),
    caption: z.string().max(2000).default(''),
  }),
  embed: z.object({
    url: z
      .string()
      .max(2000)
      .refine(
        (url) => embedProvider(url) !== null,
        `embeds come only from ${embedProviderNames().join(', ')}, over https`,
      ),
    title: z.string().max(300).default(''),
    // The picture the facade shows before the reader presses Play: a media
    // record stored on Masthead when the embed was added (never fetched by
    // readers). As for an image, only the id counts; `thumbnailSrc` is the
    // editor's copy of its address.
    thumbnailMediaId: z.number().int().positive().nullable().default(null),
    thumbnailSrc: mediaSrc,
  }),
  // Table cells: only their spans. Widths and alignment from a paste or an
  // import are dropped: reader pages lay tables out themselves, phones first.
  tableCell: cellSpans(),
  tableHeader: cellSpans(),
  // Markup an import could not convert (core/archived-html.ts), kept so nothing
  // is lost; sanitized again whenever it is rendered. `label` says what it was.
  html: z.object({
    html: z.string().trim().min(1, 'an HTML block needs markup').max(1_000_000),
    label: z.string().max(200).default(''),
  }),
};

/**
 * A picture's or a gallery's attributes checked as they are in a stored
 * document (defaults filled in, unknown keys dropped); null when not valid.
 */
export function parseMediaAttrs(
  type: 'image' | 'gallery',
  value: unknown,
): Record<string, unknown> | null {
  const parsed = ATTRS[type]?.safeParse(value);
  return parsed?.success ? parsed.data : null;
}

const markSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bold') }),
  z.object({ type: z.literal('italic') }),
  z.object({ type: z.literal('link'), attrs: z.object({ href: safeHrefSchema }) }),
]);

const nodeSchema: z.ZodType<DocNode> = z.lazy(() =>
  z
    .object({
      type: z.enum([...BLOCK_TYPES, ...INLINE_TYPES]),
      attrs: z.record(z.string(), z.unknown()).optional(),
      content: z.array(nodeSchema).optional(),
      text: z.string().optional(),
      marks: z.array(markSchema).optional(),
    })
    .refine((node) => node.type !== 'text' || (node.text ?? '').length > 0, {
      message: 'a text node needs non-empty text',
    })
    .transform((node, ctx): DocNode => {
      const { attrs, ...rest } = node;
      const schema = ATTRS[node.type];
      if (!schema) return rest;
      const parsed = schema.safeParse(attrs ?? {});
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({ code: 'custom', message: issue.message, path: ['attrs', ...issue.path] });
        }
        return z.NEVER;
      }
      return { ...rest, attrs: parsed.data };
    }),
);

export const docSchema = z.object({
  type: z.literal('doc'),
  content: z.array(nodeSchema),
});

/**
 * Parses unknown JSON into a Doc: known node and mark types only, each with its
 * own attributes (others dropped), safe link targets. Throws a ZodError naming
 * the bad path. Structure (what may contain what) is checked by `validateDoc` (document-extensions.ts) against the Tiptap schema.
 */
export function parseDoc(value: unknown): Doc {
  return docSchema.parse(value);
}

/** A text node, optionally marked. */
export function text(value: string, marks?: DocMark[]): DocNode {
  return marks ? { type: 'text', text: value, marks } : { type: 'text', text: value };
}

/** A paragraph of inline nodes (strings become plain text nodes). */
export function paragraph(...inline: (string | DocNode)[]): DocNode {
  const content = inline
    .map((part) => (typeof part === 'string' ? text(part) : part))
    .filter((node) => node.type !== 'text' || (node.text ?? '') !== '');
  return content.length > 0 ? { type: 'paragraph', content } : { type: 'paragraph' };
}

/** A level-2 or level-3 sub-heading. */
export function heading(level: 2 | 3, value: string): DocNode {
  return { type: 'heading', attrs: { level }, content: [text(value)] };
}

/** A quotation attributed to a speaker, optionally with the source it was taken from. */
export function quote(
  paragraphs: string[],
  attribution: { speaker: string; source?: string; sourceUrl?: string },
): DocNode {
  return {
    type: 'quote',
    attrs: {
      speaker: attribution.speaker,
      source: attribution.source ?? null,
      sourceUrl: attribution.sourceUrl ?? null,
    },
    content: paragraphs.map((p) => paragraph(p)),
  };
}

/** A link mark to `href`. */
export function link(href: string): DocMark {
  return { type: 'link', attrs: { href } };
}

/** A document from a list of plain-text paragraphs. */
export function docFromParagraphs(paragraphs: string[]): Doc {
  return { type: 'doc', content: paragraphs.map((p) => paragraph(p)) };
}

const isEmptyLine = (node: DocNode | undefined) =>
  node?.type === 'paragraph' && (node.content ?? []).length === 0;

/**
 * The text without the empty lines an editor keeps after a last block that
 * is not a paragraph (a picture, a table, a list: so there is a line to type
 * on below it). That line is the editor's, not the text's: opening an
 * article must not change it.
 */
export function withoutTrailingEmptyLine(doc: Doc): Doc {
  let end = doc.content.length;
  while (end > 1 && isEmptyLine(doc.content[end - 1])) end--;
  const last = doc.content[end - 1];
  return end < doc.content.length && last?.type !== 'paragraph'
    ? { ...doc, content: doc.content.slice(0, end) }
    : doc;
}

/**
 * The text as the editor holds it: with the empty line after a last block
 * that is not a paragraph. A shared text is kept in this form, so that no
 * editor adds that line itself (two adding it at once would make two).
 */
export function withTrailingEmptyLine(doc: Doc): Doc {
  const last = doc.content.at(-1);
  return last === undefined || last.type === 'paragraph'
    ? doc
    : { ...doc, content: [...doc.content, { type: 'paragraph' }] };
}

/** The text of a document, one block per line (for search, descriptions, hashes). */
export function plainText(node: Doc | DocNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const parts = (node.content ?? []).map((child) => plainText(child));
  const isBlockContainer = node.content?.some((child) => child.type !== 'text');
  return parts.join(isBlockContainer && node.type !== 'paragraph' ? '\n' : '');
}

/** The photos an article shows: its lead photo, then every picture and embed thumbnail in its text. */
export function articleMediaIds(article: { leadMediaId: number | null; body: Doc }): number[] {
  return [
    ...(article.leadMediaId === null ? [] : [article.leadMediaId]),
    ...bodyMediaIds(article.body),
  ];
}

/** The ids of a gallery node's photos, in order. */
export function galleryMediaIds(node: DocNode): number[] {
  const photos = node.attrs?.photos;
  if (!Array.isArray(photos)) return [];
  return photos.flatMap((photo: unknown) => {
    const id = (photo as { mediaId?: unknown } | null)?.mediaId;
    return typeof id === 'number' ? [id] : [];
  });
}

/** The media ids of the thumbnails of a document's embeds, in order. */
export function embedThumbnailIds(doc: Doc): number[] {
  const ids: number[] = [];
  const visit = (node: DocNode) => {
    if (node.type === 'embed' && typeof node.attrs?.thumbnailMediaId === 'number')
      ids.push(node.attrs.thumbnailMediaId);
    for (const child of node.content ?? []) visit(child);
  };
  for (const node of doc.content) visit(node);
  return ids;
}

/**
 * Every media record a reader page shows in a document's body: its pictures,
 * then its embeds' thumbnails (so their records, and their cache tags, come along).
 */
export function bodyMediaIds(doc: Doc): number[] {
  return [...imageMediaIds(doc), ...embedThumbnailIds(doc)];
}

/** The media ids of every picture in a document (images and galleries), in order. */
export function imageMediaIds(doc: Doc): number[] {
  const ids: number[] = [];
  const visit = (node: DocNode) => {
    if (node.type === 'image' && typeof node.attrs?.mediaId === 'number')
      ids.push(node.attrs.mediaId);
    if (node.type === 'gallery') ids.push(...galleryMediaIds(node));
    for (const child of node.content ?? []) visit(child);
  };
  for (const node of doc.content) visit(node);
  return ids;
}

/** The captions written in the article itself (a photo's caption for this use, a gallery's), for search. */
export function articleCaptions(doc: Doc): string[] {
  const captions: string[] = [];
  const visit = (node: DocNode) => {
    const caption =
      node.type === 'image'
        ? node.attrs?.storyCaption
        : node.type === 'gallery'
          ? node.attrs?.caption
          : '';
    if (typeof caption === 'string' && caption !== '') captions.push(caption);
    for (const child of node.content ?? []) visit(child);
  };
  for (const node of doc.content) visit(node);
  return captions;
}
