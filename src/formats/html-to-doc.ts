import render from 'dom-serializer';
import {
  type ChildNode,
  type Document,
  type Element,
  isComment,
  isTag,
  isText,
  type ParentNode,
  Text,
} from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { sanitizeArchivedHtml } from '../core/archived-html.js';
import {
  type Doc,
  type DocMark,
  type DocNode,
  GALLERY_MAX_PHOTOS,
  galleryMediaIds,
} from '../core/document.js';
import { embedProvider } from '../core/embeds.js';
import { DomainError } from '../core/errors.js';
import { safeHref } from '../core/links.js';
import { decodeOrKeep } from '../core/text-codes.js';
import { expandShortcodes, SHORTCODE_TAG } from './shortcodes.js';

// HTML from other systems (WordPress posts, wire bodies) turned into Masthead's
// document model. Whatever has a Masthead block becomes one — paragraphs,
// headings, lists, quotes, pictures, embeds, rules; markup with none (tables,
// preformatted text, custom HTML) is kept as a sanitized `html` block; what
// cannot be kept at all (frames, forms, scripts, WordPress's dynamic blocks) is
// left out. Nothing goes silently: every construct not converted one to one is
// counted in `notes`, for the import report.

/** A picture the body shows; the importer turns it into a media record. */
export type ImageRef = {
  /** The image's address in the source, when it has one. */
  src: string | null;
  /** The WordPress attachment it shows (wp-image-N class, block id, [caption id], [gallery ids]). */
  attachmentId: number | null;
  alt: string;
  caption: string;
};

export type ConvertOptions = {
  /**
   * WordPress "classic" content: paragraphs are separated by blank lines and a
   * single line break is a <br> (what WordPress's wpautop does on display).
   * Block-editor content (it has `<!-- wp:` comments) is already marked up.
   */
  autoParagraphs: boolean;
  /**
   * Whether `[name …]` is a WordPress shortcode (true unless told otherwise).
   * Other systems' text (Ghost, wire copy) means its brackets literally.
   */
  shortcodes?: boolean;
  /** The pictures a bare [gallery] shows: the post's own attachments. */
  galleryImages?: () => ImageRef[];
  /**
   * The texts of the post's footnotes (WordPress keeps them beside the
   * content, in the `footnotes` custom field); the body only points at them.
   */
  footnotes?: Footnote[];
};

/** A WordPress footnote: its id (what `<sup data-fn>` points at) and its HTML. */
export type Footnote = { id: string; content: string };

export type ConvertResult = {
  /** Image nodes carry a placeholder `mediaId`: 1 + the index in `images` (see bindImages). */
  doc: Doc;
  images: ImageRef[];
  /** What was not converted one to one, with counts ("kept as HTML: table" → 2). */
  notes: Map<string, number>;
};

// The source's own levels; renumberHeadings fits them under the article's title.
const HEADING_LEVEL: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
const MARK_OF: Record<string, DocMark['type']> = {
  strong: 'bold',
  b: 'bold',
  em: 'italic',
  i: 'italic',
};
// Inline elements whose text is kept while their formatting is not.
const PLAIN_INLINE = new Set([
  'span',
  'font',
  'small',
  'big',
  'abbr',
  'acronym',
  'cite',
  'time',
  'bdi',
  'bdo',
  'dfn',
  'label',
  'nobr',
  'wbr',
]);
const LOSSY_INLINE = new Set([
  'code',
  'kbd',
  'samp',
  'var',
  'tt',
  'sub',
  'sup',
  'u',
  's',
  'strike',
  'del',
  'ins',
  'mark',
  'q',
]);
// Containers that only group blocks: their content is converted in place.
const TRANSPARENT = new Set([
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'center',
  'body',
  'html',
  'nav',
  'hgroup',
]);
// Markup with no Masthead block, kept sanitized.
const KEPT_AS_HTML: Record<string, string> = {
  table: 'table',
  pre: 'preformatted text',
  dl: 'definition list',
  address: 'address',
  details: 'details',
};
// Elements that cannot be kept: they load things from elsewhere or need scripts.
const REMOVED = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'canvas',
  'svg',
  'math',
  'noscript',
  'template',
  'link',
  'meta',
  'map',
  'area',
  'source',
  'track',
  'picture',
]);
// Gutenberg blocks whose HTML is a snapshot of something WordPress draws itself
// (menus, post lists, site parts): there is nothing of the article in them.
const DYNAMIC_BLOCKS =
  /^(navigation|navigation-link|navigation-submenu|template-part|query|query-.*|post-.*|latest-posts|latest-comments|categories|archives|search|site-title|site-logo|site-tagline|calendar|tag-cloud|rss|page-list|loginout|comments.*|avatar|read-more|social-links|social-link|home-link|spacer)$/;

// The shortcodes the converter turns into Masthead blocks (Converter.shortcode).
const CONVERTED_SHORTCODES = new Set([
  'caption',
  'wp_caption',
  'gallery',
  'embed',
  'audio',
  'video',
]);

const BLOCK_COMMENT = /^\s*(\/)?wp:(?:([a-z0-9-]+)\/)?([a-z0-9-]+)\s*(\{[\s\S]*?\})?\s*(\/)?\s*$/;

type BlockComment = {
  closing: boolean;
  /** "core-embed" for "wp:core-embed/youtube"; '' for core blocks. */
  namespace: string;
  name: string;
  attrs: Record<string, unknown>;
  selfClosing: boolean;
};

function blockComment(node: ChildNode): BlockComment | null {
  if (!isComment(node)) return null;
  const match = BLOCK_COMMENT.exec(node.data);
  if (!match) return null;
  let attrs: Record<string, unknown> = {};
  try {
    const parsed: unknown = match[4] ? JSON.parse(match[4]) : {};
    if (typeof parsed === 'object' && parsed !== null) attrs = parsed as Record<string, unknown>;
  } catch {
    // A block's settings are presentation; unreadable ones change nothing here.
  }
  return {
    closing: match[1] === '/',
    namespace: match[2] ?? '',
    name: match[3] ?? '',
    attrs,
    selfClosing: match[5] === '/',
  };
}

class Converter {
  readonly images: ImageRef[] = [];
  readonly notes = new Map<string, number>();
  /** Each footnote's number: its place among the references in the text (see numberFootnotes). */
  private readonly footnoteNumbers = new Map<string, number>();
  private isFootnoteListPlaced = false;

  constructor(private readonly options: ConvertOptions) {}

  note(what: string): void {
    this.notes.set(what, (this.notes.get(what) ?? 0) + 1);
  }

  /**
   * Numbers the footnotes as WordPress shows them, in the order their
   * references come in the text, before any block is converted: the list may
   * come before a reference in the markup.
   */
  numberFootnotes(nodes: ChildNode[]): void {
    for (const node of nodes) {
      if (!isTag(node)) continue;
      const id = node.name === 'sup' ? node.attribs['data-fn'] : undefined;
      if (id !== undefined && !this.footnoteNumbers.has(id))
        this.footnoteNumbers.set(id, this.footnoteNumbers.size + 1);
      this.numberFootnotes(node.children);
    }
  }

  /**
   * The footnotes' texts as a numbered list, in their numbers' order (then
   * any the text never points at). The in-text references link to anchors
   * Masthead does not write, so they become plain "[n]" and this list is
   * what they point to.
   */
  footnoteList(): DocNode[] {
    if (this.isFootnoteListPlaced) return [];
    this.isFootnoteListPlaced = true;
    const texts = new Map((this.options.footnotes ?? []).map((note) => [note.id, note.content]));
    const ids = [
      ...this.footnoteNumbers.keys(),
      ...[...texts.keys()].filter((id) => !this.footnoteNumbers.has(id)),
    ];
    if (ids.length === 0) return [];
    const items = ids.map((id) => {
      const content = texts.get(id);
      if (content === undefined) {
        // An empty item keeps the numbers after it right.
        this.note('footnote reference whose text is not in the file (an empty list item)');
        return listItem([]);
      }
      this.note('footnote (its text in a numbered list, its reference in the text as “[n]”)');
      const lifted: DocNode[] = [];
      const dom = parseDocument(content, { decodeEntities: true });
      const inline = trimInline(this.inline(dom.children, false, [], lifted));
      return listItem([
        ...(inline.length > 0 ? [{ type: 'paragraph' as const, content: inline }] : []),
        ...lifted,
      ]);
    });
    return [{ type: 'orderedList', attrs: { start: 1 }, content: items }];
  }

  /** Block content from a list of sibling nodes. */
  blocks(nodes: ChildNode[], autop: boolean): DocNode[] {
    const out: DocNode[] = [];
    let run: ChildNode[] = [];
    const flush = () => {
      if (run.length > 0) out.push(...this.paragraphs(run, autop));
      run = [];
    };
    for (let index = 0; index < nodes.length; index++) {
      const node = nodes[index] as ChildNode;
      const comment = blockComment(node);
      if (comment) {
        if (comment.closing) continue;
        const end = comment.selfClosing ? index : this.closingIndex(nodes, index, comment.name);
        if (end === nodes.length) {
          // An opening without its end: the markup after it is converted as it
          // is, rather than all swallowed into this one block.
          this.note(
            `block wp:${comment.name} without its closing comment (its content converted as it is)`,
          );
          continue;
        }
        const inner = nodes.slice(index + 1, end);
        const special = this.blockFromComment(comment, inner);
        if (special !== undefined) {
          flush();
          out.push(...special);
          index = end;
        }
        continue;
      }
      if (isComment(node)) {
        const data = node.data.trim();
        if (data === 'more') this.note('“more” teaser marker (not needed: the standfirst leads)');
        else if (data === 'nextpage')
          this.note('page break (<!--nextpage-->): the article is one page');
        continue;
      }
      if (this.isDroppedShortcode(node)) continue;
      if (isTag(node) && this.isBlockElement(node)) {
        flush();
        out.push(...this.block(node, autop));
        continue;
      }
      run.push(node);
    }
    flush();
    return out;
  }

  private closingIndex(nodes: ChildNode[], start: number, name: string): number {
    let depth = 0;
    for (let index = start + 1; index < nodes.length; index++) {
      const comment = blockComment(nodes[index] as ChildNode);
      if (!comment || comment.name !== name || comment.selfClosing) continue;
      if (!comment.closing) depth++;
      else if (depth === 0) return index;
      else depth--;
    }
    return nodes.length;
  }

  /**
   * What a Gutenberg block comment means on its own, or undefined when its
   * HTML (between the comments) carries the content and is converted as usual.
   */
  private blockFromComment(comment: BlockComment, inner: ChildNode[]): DocNode[] | undefined {
    const name = comment.name;
    // Before WordPress 5.6 embeds were "wp:core-embed/youtube" and the like.
    if (name === 'embed' || comment.namespace === 'core-embed') {
      return this.embedFigure(
        inner,
        typeof comment.attrs.url === 'string' ? comment.attrs.url : null,
        // Masthead's export keeps the title readers saw in the block's attributes.
        typeof comment.attrs.title === 'string' ? comment.attrs.title : '',
      );
    }
    // WordPress draws the list from the post's `footnotes` field.
    if (name === 'footnotes') return this.footnoteList();
    if (name === 'html') {
      // Custom HTML that is only a player from an allow-listed provider is an embed.
      const elements = inner.filter((node) => isTag(node) || textOf([node]).trim() !== '');
      const frame =
        elements.length === 1 && isTag(elements[0] as ChildNode)
          ? [elements[0] as Element, ...findElements(elements[0] as Element, () => true)].find(
              (element) => element.name === 'iframe',
            )
          : undefined;
      const src = frame?.attribs.src ?? '';
      if (src && embedProvider(httpsOf(src))) return this.embed(src);
      return this.keptHtml(inner, 'custom HTML block');
    }
    if (name === 'more') {
      this.note('“more” teaser marker (not needed: the standfirst leads)');
      return [];
    }
    if (name === 'nextpage') {
      this.note('page break (<!--nextpage-->): the article is one page');
      return [];
    }
    if (DYNAMIC_BLOCKS.test(name)) {
      this.note(`block wp:${name} (drawn by WordPress itself; not content)`);
      return [];
    }
    if (comment.selfClosing) {
      this.note(`block wp:${name} (no content in the file)`);
      return [];
    }
    return undefined;
  }

  /**
   * A shortcode Masthead does not convert with nothing inside (a plugin's
   * form, a feed, a button): it shows nothing a Masthead page can, so it goes
   * from the text, counted by name. True when `node` is one (and counted).
   */
  private isDroppedShortcode(node: ChildNode): boolean {
    if (!isTag(node) || node.name !== SHORTCODE_TAG) return false;
    const name = node.attribs.name ?? '';
    if (CONVERTED_SHORTCODES.has(name)) return false;
    if (textOf(node.children).trim() !== '' || findElement(node, () => true)) return false;
    this.note(`shortcode [${name}] (not converted)`);
    return true;
  }

  private isBlockElement(element: Element): boolean {
    const name = element.name;
    return (
      name in HEADING_LEVEL ||
      name in KEPT_AS_HTML ||
      TRANSPARENT.has(name) ||
      REMOVED.has(name) ||
      name === 'head' ||
      [
        'p',
        'ul',
        'ol',
        'blockquote',
        'hr',
        'figure',
        'img',
        'audio',
        'video',
        SHORTCODE_TAG,
      ].includes(name)
    );
  }

  private block(element: Element, autop: boolean): DocNode[] {
    const name = element.name;
    const level = HEADING_LEVEL[name];
    if (level !== undefined) {
      // A picture inside a heading follows it.
      const lifted: DocNode[] = [];
      const content = trimInline(this.inline(element.children, false, [], lifted));
      return [
        ...(content.length > 0 ? [{ type: 'heading' as const, attrs: { level }, content }] : []),
        ...lifted,
      ];
    }
    if (name === 'table') return this.table(element);
    const kept = KEPT_AS_HTML[name];
    if (kept !== undefined) return this.keptHtml([element], kept);
    if (name === 'div' && hasClass(element, 'wp-block-file')) return this.fileBlock(element, autop);
    if (TRANSPARENT.has(name)) return this.blocks(element.children, autop);
    // A whole HTML document's <head> (some wire bodies carry one) is not content.
    if (name === 'head') return [];
    if (name === 'iframe') {
      const src = element.attribs.src ?? '';
      if (embedProvider(httpsOf(src))) return this.embed(src);
    }
    if (REMOVED.has(name)) {
      this.note(`<${name}> (cannot be shown without loading another site or a script)`);
      return [];
    }
    switch (name) {
      case 'p':
        return this.paragraphs(element.children, autop);
      case 'ul':
      case 'ol':
        return this.list(element);
      case 'blockquote':
        return this.blockquote(element, autop);
      case 'hr':
        return [{ type: 'horizontalRule' }];
      case 'img':
        return this.image(element, '');
      case 'figure':
        return this.figure(element, autop);
      case 'audio':
      case 'video':
        return this.mediaLink(name, element.attribs.src ?? firstSource(element));
      case SHORTCODE_TAG:
        return this.shortcode(element, autop);
      default:
        return this.paragraphs([element], autop);
    }
  }

  private list(element: Element): DocNode[] {
    const items: DocNode[] = [];
    for (const child of element.children) {
      if (!isTag(child)) {
        if (textOf([child]).trim() !== '') items.push(listItem(this.blocks([child], false)));
        continue;
      }
      if (child.name === 'li') items.push(listItem(this.blocks(child.children, false)));
      else if (child.name === 'ul' || child.name === 'ol') {
        // A list nested straight in a list (invalid HTML, common in old posts) joins the item before it.
        const nested = this.list(child);
        const last = items.at(-1);
        if (last?.content) last.content.push(...nested);
        else items.push(listItem(nested));
      } else items.push(listItem(this.blocks([child], false)));
    }
    if (items.length === 0) return [];
    const ordered = element.name === 'ol';
    const start = Number(element.attribs.start ?? '1');
    const isReversed = element.attribs.reversed !== undefined;
    return [
      ordered
        ? {
            type: 'orderedList',
            attrs: {
              start: Number.isInteger(start) && start >= 0 ? start : 1,
              ...(isReversed ? { reversed: true } : {}),
            },
            content: items,
          }
        : { type: 'bulletList', content: items },
    ];
  }

  /**
   * A quotation: with a <cite> naming who said it (WordPress's quote block),
   * Masthead's attributed quote; without, a plain block quotation.
   */
  private blockquote(element: Element, autop: boolean): DocNode[] {
    const cite = element.children.find(
      (child): child is Element => isTag(child) && child.name === 'cite',
    );
    const rest = element.children.filter((child) => child !== cite);
    const content = this.blocks(rest, autop);
    if (content.length === 0) return [];
    const attribution = cite ? citeAttribution(cite) : null;
    const speaker = attribution?.speaker ?? '';
    if (speaker && content.every((node) => node.type === 'paragraph')) {
      const { source = null, sourceUrl = null } = attribution ?? {};
      return [{ type: 'quote', attrs: { speaker, source, sourceUrl }, content }];
    }
    if (speaker)
      content.push({ type: 'paragraph', content: [{ type: 'text', text: `— ${speaker}` }] });
    return [{ type: 'blockquote', content }];
  }

  private figure(element: Element, autop: boolean): DocNode[] {
    const className = element.attribs.class ?? '';
    if (className.includes('wp-block-embed')) return this.embedFigure(element.children, null);
    // The figure's own caption: in a gallery, each picture's figure has its own too.
    const captionElement =
      element.children.find(
        (child): child is Element => isTag(child) && child.name === 'figcaption',
      ) ?? findElement(element, (e) => e.name === 'figcaption');
    const images = findElements(element, (e) => e.name === 'img');
    const hasTable = findElement(element, (e) => e.name === 'table') !== undefined;
    if (images.length > 0 && !hasTable) {
      // Whatever else the figure holds (a paragraph, a player) follows the pictures.
      const others = element.children.filter(
        (child) =>
          child !== captionElement &&
          !(
            isTag(child) &&
            (images.includes(child) || findElement(child, (e) => e.name === 'img'))
          ),
      );
      const isGallery = images.length > 1 || /(?:^|\s)wp-block-gallery(?:\s|$)/.test(className);
      const caption = isGallery
        ? element.children.find(
            (child): child is Element => isTag(child) && child.name === 'figcaption',
          )
        : captionElement;
      // A caption is text under a picture: its links have no place there.
      if (caption && findElement(caption, (e) => e.name === 'a'))
        this.note('link in a picture caption (its text kept, not the link)');
      const pictures = isGallery
        ? this.gallery(images, captionText(caption))
        : this.image(images[0] as Element, captionText(caption));
      return [...pictures, ...this.blocks(others, autop)];
    }
    const rest = element.children.filter((child) => child !== captionElement);
    const content = this.blocks(rest, autop);
    content.push(...this.captionParagraph(captionElement, hasTable ? 'table' : 'figure'));
    return content;
  }

  /**
   * A caption whose block has no place for one (a table's, an embed's), kept
   * as the paragraph right after it, in italics as captions are shown, with its links.
   */
  private captionParagraph(caption: Element | undefined, what: string): DocNode[] {
    if (!caption) return [];
    const lifted: DocNode[] = [];
    const content = trimInline(this.inline(caption.children, false, [{ type: 'italic' }], lifted));
    if (content.length === 0 && lifted.length === 0) return [];
    this.note(`${what} caption (kept as an italic paragraph after it)`);
    return [...(content.length > 0 ? [{ type: 'paragraph' as const, content }] : []), ...lifted];
  }

  /**
   * An embed block: the address is the block's setting, else the text of its
   * wrapper without the caption (old embeds ran the two together), then the caption.
   */
  private embedFigure(nodes: ChildNode[], url: string | null, title = ''): DocNode[] {
    const caption = nodes
      .flatMap((node) =>
        isTag(node)
          ? [node, ...findElements(node, () => true)].filter((e) => e.name === 'figcaption')
          : [],
      )
      .at(0);
    const address = url ?? textOf(nodes, caption).trim();
    return [...this.embed(address, title), ...this.captionParagraph(caption, 'embed')];
  }

  /**
   * A gallery block as one gallery under its caption. A picture's own caption
   * has no place in a gallery (each photo shows its library caption), nor has
   * a link on one: both are counted.
   */
  private gallery(images: Element[], caption: string): DocNode[] {
    const photos: { mediaId: number; src: null }[] = [];
    for (const img of images) {
      const src = img.attribs.src ?? null;
      const attachmentId = attachmentIdOf(img);
      if (!src && attachmentId === null) {
        this.note('<img> without an address');
        continue;
      }
      const own = ownCaption(img);
      if (own)
        this.note('caption of one picture in a gallery (not kept: each shows its library caption)');
      if (this.linkOf(img, true) !== null) this.note('link on one picture in a gallery (not kept)');
      const mediaId = this.register({
        src,
        attachmentId,
        alt: (img.attribs.alt ?? '').trim(),
        caption: own,
      });
      photos.push({ mediaId, src: null });
    }
    if (photos.length === 0 && caption) {
      this.note('gallery with no picture that has an address (its caption kept as a paragraph)');
      return [{ type: 'paragraph', content: [{ type: 'text', text: caption }] }];
    }
    const galleries: DocNode[] = [];
    for (let start = 0; start < photos.length; start += GALLERY_MAX_PHOTOS) {
      galleries.push({
        type: 'gallery',
        attrs: { photos: photos.slice(start, start + GALLERY_MAX_PHOTOS), caption: '' },
      });
    }
    // One caption for all: under the last of the galleries a long one is cut into.
    const last = galleries.at(-1);
    if (last?.attrs) last.attrs.caption = this.clamp(caption, 2000, 'caption');
    if (galleries.length > 1)
      this.note(`gallery of more than ${GALLERY_MAX_PHOTOS} pictures (as several galleries)`);
    return galleries;
  }

  /**
   * A file block: WordPress writes the file's link twice, as its name and as
   * a "Download" button (and may show a preview of a PDF); one link, named
   * after the file, is kept.
   */
  private fileBlock(element: Element, autop: boolean): DocNode[] {
    const named = element.children.find(
      (child): child is Element =>
        isTag(child) &&
        child.name === 'a' &&
        !hasClass(child, 'wp-block-file__button') &&
        textOf(child.children).trim() !== '',
    );
    const href = named?.attribs.href;
    const rest = element.children.filter((child) => {
      if (!isTag(child) || href === undefined) return true;
      if (child.name === 'a' && hasClass(child, 'wp-block-file__button'))
        return child.attribs.href !== href;
      if (child.name === 'object' && hasClass(child, 'wp-block-file__embed')) {
        if (child.attribs.data !== href) return true;
        this.note('preview of a file (left out: the link to the file is kept)');
        return false;
      }
      return true;
    });
    return this.paragraphs(rest, autop);
  }

  /** A picture; `isInline` when met in running text, where its link has been counted already. */
  private image(img: Element, caption: string, isInline = false): DocNode[] {
    const src = img.attribs.src ?? null;
    const attachmentId = attachmentIdOf(img);
    if (!src && attachmentId === null) {
      this.note('<img> without an address');
      return [];
    }
    return [
      this.imageNode(
        { src, attachmentId, alt: (img.attribs.alt ?? '').trim(), caption },
        this.linkOf(img, !isInline),
      ),
    ];
  }

  /**
   * A picture's node. The caption written where the picture is shown is this
   * use's (`storyCaption`): the library keeps the attachment's own.
   */
  private imageNode(given: ImageRef, href: string | null = null): DocNode {
    const mediaId = this.register(given);
    const ref = this.images[mediaId - 1] as ImageRef;
    return {
      type: 'image',
      attrs: {
        mediaId,
        alt: ref.alt,
        ...(ref.caption ? { storyCaption: ref.caption } : {}),
        ...(href ? { href } : {}),
      },
    };
  }

  /** Keeps a picture for the importer; its placeholder id (1 + its index) is returned. */
  private register(given: ImageRef): number {
    // The document's limits for a picture's texts (core/document.ts).
    this.images.push({
      ...given,
      alt: this.clamp(given.alt, 1000, 'alt text'),
      caption: this.clamp(given.caption, 2000, 'caption'),
    });
    return this.images.length;
  }

  /**
   * Where the link a picture is wrapped in leads, or null: none, or one to the
   * picture itself (WordPress's "link to media file" or "attachment page"),
   * which Masthead's page makes needless.
   */
  private linkOf(img: Element, shouldNoteUnsafe: boolean): string | null {
    const parent = img.parent;
    if (!parent || !isTag(parent) || parent.name !== 'a') return null;
    const raw = parent.attribs.href ?? '';
    if (raw.trim() === '') return null;
    const href = safeHref(raw);
    if (href === null) {
      if (shouldNoteUnsafe) this.note('link with an unsafe or unknown address (left out)');
      return null;
    }
    const isAttachmentPage =
      /(?:^|\s)attachment(?:\s|$)/.test(parent.attribs.rel ?? '') ||
      /[?&]attachment_id=/.test(href);
    const src = img.attribs.src ?? '';
    if (isAttachmentPage || (src !== '' && imageFileName(href) === imageFileName(src))) return null;
    return href;
  }

  private clamp(text: string, max: number, what: string): string {
    if (text.length <= max) return text;
    this.note(`picture ${what} longer than ${max} characters (cut)`);
    return `${text.slice(0, max - 1)}…`;
  }

  private embed(rawUrl: string, title = ''): DocNode[] {
    const url = httpsOf(rawUrl.trim());
    // The document's limit for an embed's title (core/document.ts).
    if (embedProvider(url)) return [{ type: 'embed', attrs: { url, title: title.slice(0, 300) } }];
    if (!rawUrl.trim()) return [];
    this.note('embed from a provider Masthead does not embed (kept as a link)');
    return [linkParagraph(rawUrl.trim())];
  }

  private mediaLink(kind: string, src: string | null): DocNode[] {
    this.note(`<${kind}> player (kept as a link to the file)`);
    return src && safeHref(src) ? [linkParagraph(src)] : [];
  }

  private shortcode(element: Element, autop: boolean): DocNode[] {
    const name = element.attribs.name ?? '';
    const attrs = parseAttrs(element.attribs.attrs);
    switch (name) {
      case 'caption':
      case 'wp_caption': {
        const img = findElement(element, (e) => e.name === 'img');
        const caption = (attrs.caption ?? textOf(element.children)).replace(/\s+/g, ' ').trim();
        if (!img) return this.paragraphs(element.children, autop);
        const id = /attachment_(\d+)/.exec(attrs.id ?? '');
        const [node] = this.image(img, caption);
        if (node && id?.[1] && this.images.at(-1)?.attachmentId === null) {
          (this.images.at(-1) as ImageRef).attachmentId = Number(id[1]);
        }
        return node ? [node] : [];
      }
      case 'gallery': {
        const ids = (attrs.ids ?? attrs.include ?? '')
          .split(',')
          .map((id) => Number(id.trim()))
          .filter((id) => Number.isInteger(id) && id > 0);
        const refs =
          ids.length > 0
            ? ids.map((id) => ({ src: null, attachmentId: id, alt: '', caption: '' }))
            : (this.options.galleryImages?.() ?? []);
        if (refs.length === 0) this.note('[gallery] with no pictures attached to the post');
        else this.note('[gallery] (as its pictures, one after another)');
        return refs.map((ref) => this.imageNode(ref));
      }
      case 'embed':
        return this.embed(attrs.src ?? textOf(element.children));
      case 'audio':
      case 'video':
        return this.mediaLink(
          name,
          attrs.src ?? attrs.mp3 ?? attrs.mp4 ?? attrs.m4a ?? attrs.ogg ?? null,
        );
      default: {
        if (this.isDroppedShortcode(element)) return [];
        this.note(`[${name}] shortcode (not a WordPress core shortcode; its content is kept)`);
        return this.blocks(element.children, autop);
      }
    }
  }

  /**
   * A table as a Masthead table: rows of header and data cells with their
   * spans, each cell's content converted like the body's. One the editor
   * cannot hold as it is (a table in a cell, a picture in a cell) is kept as
   * HTML instead, so nothing in it is lost.
   */
  private table(element: Element): DocNode[] {
    const rows = element.children.flatMap((child) => {
      if (!isTag(child)) return [];
      if (child.name === 'tr') return [child];
      if (['thead', 'tbody', 'tfoot'].includes(child.name))
        return child.children.filter((row): row is Element => isTag(row) && row.name === 'tr');
      return [];
    });
    const isComplex =
      findElement(element, (e) => e.name === 'table' || e.name === 'img') !== undefined;
    if (rows.length === 0 || isComplex) return this.keptHtml([element], 'table');
    const tableRows: DocNode[] = [];
    for (const row of rows) {
      const cells = row.children.filter(
        (cell): cell is Element => isTag(cell) && (cell.name === 'th' || cell.name === 'td'),
      );
      if (cells.length === 0) continue;
      tableRows.push({
        type: 'tableRow',
        content: cells.map((cell) => {
          const content = this.blocks(cell.children, false);
          const span = (name: string) => {
            const value = Number(cell.attribs[name] ?? '1');
            return Number.isInteger(value) && value >= 1 && value <= 100 ? value : 1;
          };
          // A header cell with no text heads nothing (screen readers would announce it).
          const isHeader = cell.name === 'th' && textOf(cell.children).trim() !== '';
          return {
            type: isHeader ? 'tableHeader' : 'tableCell',
            attrs: { colspan: span('colspan'), rowspan: span('rowspan') },
            content: content.length > 0 ? content : [{ type: 'paragraph' }],
          };
        }),
      });
    }
    if (tableRows.length === 0) return [];
    const captionElement = element.children.find(
      (child): child is Element => isTag(child) && child.name === 'caption',
    );
    const caption = captionElement
      ? textOf(captionElement.children).replace(/\s+/g, ' ').trim()
      : '';
    return [
      ...(caption
        ? [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text: caption }] }]
        : []),
      { type: 'table', content: tableRows },
    ];
  }

  private keptHtml(nodes: ChildNode[], label: string): DocNode[] {
    // A header cell with no text heads nothing: readers' screen readers would
    // announce an empty header, so it becomes a plain cell.
    for (const node of nodes) {
      if (!isTag(node)) continue;
      for (const cell of findElements(node, (e) => e.name === 'th')) {
        if (textOf(cell.children).replace(/[\s\u00a0]+/g, '') === '') cell.name = 'td';
      }
    }
    const raw = render(nodes, { encodeEntities: 'utf8' });
    const inside = nodes.flatMap((node) =>
      isTag(node) ? [node, ...findElements(node, () => true)] : [],
    );
    for (const element of inside) {
      if (REMOVED.has(element.name)) this.note(`<${element.name}> inside kept HTML (left out)`);
    }
    const images = inside.filter((element) => element.name === 'img');
    if (images.length > 0)
      this.note('picture inside kept HTML (left out: it would load from the old site)');
    const html = sanitizeArchivedHtml(raw);
    if (html === '') {
      this.note(`${label} with nothing that can be kept`);
      return [];
    }
    this.note(`kept as HTML: ${label}`);
    return [{ type: 'html', attrs: { html, label } }];
  }

  /** Paragraphs from inline content; with autop, blank lines in text split paragraphs. */
  private paragraphs(nodes: ChildNode[], autop: boolean): DocNode[] {
    const out: DocNode[] = [];
    let current: DocNode[] = [];
    const lifted: DocNode[] = [];
    const flush = () => {
      const content = trimInline(current);
      if (content.length > 0) out.push(this.bareLinkToEmbed({ type: 'paragraph', content }));
      out.push(...lifted.splice(0));
      current = [];
    };
    for (const node of nodes) {
      if (autop && isText(node) && /\n[ \t]*\n/.test(node.data)) {
        node.data.split(/\n[ \t]*\n\s*/).forEach((part, index) => {
          if (index > 0) flush();
          addText(part, [], true, (inline) => current.push(inline));
        });
      } else if (this.isDroppedShortcode(node)) {
        // Gone from the sentence it stood in, which stays one paragraph.
      } else if (isTag(node) && this.isBlockElement(node)) {
        flush();
        out.push(...this.block(node, autop));
      } else current.push(...this.inline([node], autop, [], lifted));
    }
    flush();
    return out;
  }

  /** A paragraph that is nothing but an embeddable link (WordPress auto-embeds these). */
  private bareLinkToEmbed(paragraph: DocNode): DocNode {
    const only = paragraph.content?.length === 1 ? paragraph.content[0] : undefined;
    const url = only?.type === 'text' ? (only.text ?? '').trim() : '';
    if (/^https?:\/\/\S+$/.test(url) && embedProvider(httpsOf(url))) {
      return { type: 'embed', attrs: { url: httpsOf(url), title: '' } };
    }
    return paragraph;
  }

  /** Inline nodes; pictures and blocks met inside a paragraph go to `lifted`, to follow it. */
  private inline(
    nodes: ChildNode[],
    autop: boolean,
    marks: DocMark[],
    lifted: DocNode[],
  ): DocNode[] {
    const out: DocNode[] = [];
    const push = (node: DocNode) => out.push(node);
    for (const node of nodes) {
      if (isText(node)) {
        addText(node.data, marks, autop, push);
        continue;
      }
      if (!isTag(node) || this.isDroppedShortcode(node)) continue;
      const name = node.name;
      if (name === 'br') {
        push({ type: 'hardBreak' });
        continue;
      }
      if (name === 'img') {
        lifted.push(...this.image(node, '', true));
        continue;
      }
      // A footnote reference: its anchor is not on Masthead's page, its number stays.
      const footnoteId = name === 'sup' ? node.attribs['data-fn'] : undefined;
      if (footnoteId !== undefined) {
        const number = this.footnoteNumbers.get(footnoteId) ?? this.footnoteNumbers.size + 1;
        addText(
          `[${number}]`,
          marks.filter((mark) => mark.type !== 'link'),
          false,
          push,
        );
        continue;
      }
      const mark = MARK_OF[name];
      if (mark) {
        out.push(...this.inline(node.children, autop, withMark(marks, { type: mark }), lifted));
        continue;
      }
      if (name === 'a') {
        const raw = node.attribs.href ?? '';
        // Kept as the browser reads it: `/<TAB>/x` is `//x`, another site.
        const href = safeHref(raw);
        if (href === null && raw.trim() !== '')
          this.note('link with an unsafe or unknown address (kept as text)');
        const linkMarks = href ? withMark(marks, { type: 'link', attrs: { href } }) : marks;
        out.push(...this.inline(node.children, autop, linkMarks, lifted));
        continue;
      }
      if (this.isBlockElement(node)) {
        lifted.push(...this.block(node, autop));
        continue;
      }
      if (LOSSY_INLINE.has(name)) this.note(`inline <${name}> (its text kept, its formatting not)`);
      else if (!PLAIN_INLINE.has(name)) this.note(`unknown element <${name}> (its text kept)`);
      if (name === 'q') addText('“', marks, false, push);
      out.push(...this.inline(node.children, autop, marks, lifted));
      if (name === 'q') addText('”', marks, false, push);
    }
    return out;
  }
}

function addText(
  value: string,
  marks: DocMark[],
  autop: boolean,
  push: (node: DocNode) => void,
): void {
  // With autop a single line break is a <br>; otherwise whitespace is collapsed, as browsers do.
  const lines = autop ? value.split('\n') : [value];
  lines.forEach((line, index) => {
    if (index > 0) push({ type: 'hardBreak' });
    const text = line.replace(/\s+/g, ' ');
    if (text !== '')
      push(marks.length > 0 ? { type: 'text', text, marks } : { type: 'text', text });
  });
}

function withMark(marks: DocMark[], mark: DocMark): DocMark[] {
  return marks.some((existing) => existing.type === mark.type) ? marks : [...marks, mark];
}

/** Inline content with outer spaces and line breaks removed and equal neighbours merged. */
function trimInline(nodes: DocNode[]): DocNode[] {
  const merged: DocNode[] = [];
  for (const node of nodes) {
    const last = merged.at(-1);
    if (
      last?.type === 'text' &&
      node.type === 'text' &&
      JSON.stringify(last.marks) === JSON.stringify(node.marks)
    ) {
      merged[merged.length - 1] = {
        ...last,
        text: `${last.text ?? ''}${node.text ?? ''}`.replace(/ {2,}/g, ' '),
      };
    } else merged.push(node);
  }
  while (merged[0]?.type === 'hardBreak') merged.shift();
  while (merged.at(-1)?.type === 'hardBreak') merged.pop();
  const first = merged[0];
  if (first?.type === 'text') merged[0] = { ...first, text: (first.text ?? '').trimStart() };
  const lastNode = merged.at(-1);
  if (lastNode?.type === 'text')
    merged[merged.length - 1] = { ...lastNode, text: (lastNode.text ?? '').trimEnd() };
  return merged
    .filter((node) => node.type !== 'text' || (node.text ?? '') !== '')
    .map((node, index, all) => {
      // No spaces hanging around a line break.
      if (node.type !== 'text') return node;
      let text = node.text ?? '';
      if (all[index - 1]?.type === 'hardBreak') text = text.trimStart();
      if (all[index + 1]?.type === 'hardBreak') text = text.trimEnd();
      return { ...node, text };
    })
    .filter((node) => node.type !== 'text' || (node.text ?? '') !== '');
}

function listItem(content: DocNode[]): DocNode {
  // A list item starts with a paragraph (the editor schema's rule).
  const blocks =
    content.length > 0 && content[0]?.type === 'paragraph'
      ? content
      : [{ type: 'paragraph' } as DocNode, ...content];
  return { type: 'listItem', content: blocks };
}

function linkParagraph(url: string): DocNode {
  const href = safeHref(url);
  const text: DocNode = href
    ? { type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }
    : { type: 'text', text: url.trim() };
  return { type: 'paragraph', content: [text] };
}

/** Allow-listed providers only embed over https; an old http:// link to them is upgraded. */
function httpsOf(url: string): string {
  return url.replace(/^http:\/\//i, 'https://').replace(/^\/\//, 'https://');
}

/** The text of `nodes`, without that of `skip` (a caption) when given. */
function textOf(nodes: ChildNode[], skip?: Element): string {
  return nodes
    .map((node) =>
      isText(node) ? node.data : isTag(node) && node !== skip ? textOf(node.children, skip) : '',
    )
    .join('');
}

function captionText(caption: Element | undefined): string {
  return caption ? textOf(caption.children).replace(/\s+/g, ' ').trim() : '';
}

/**
 * Who a quote's <cite> names. Masthead's own export marks the speaker and the
 * source apart (`quote-speaker`, `quote-source`: either may hold a comma); any
 * other cite is all speaker, a leading dash dropped.
 */
function citeAttribution(cite: Element): {
  speaker: string;
  source?: string;
  sourceUrl?: string;
} {
  const oneLine = (element: Element) => textOf(element.children).replace(/\s+/g, ' ').trim();
  const speaker = findElement(cite, (e) => hasClass(e, 'quote-speaker'));
  if (!speaker) return { speaker: oneLine(cite).replace(/^[—–-]\s*/, '') };
  const source = findElement(cite, (e) => hasClass(e, 'quote-source'));
  const sourceUrl = source?.name === 'a' ? safeHref(source.attribs.href ?? '') : null;
  return {
    speaker: oneLine(speaker),
    ...(source && oneLine(source) ? { source: oneLine(source) } : {}),
    ...(sourceUrl ? { sourceUrl } : {}),
  };
}

function hasClass(element: Element, name: string): boolean {
  return (element.attribs.class ?? '').split(/\s+/).includes(name);
}

/** A picture file's name, as WordPress's resized copies share it ("a-300x200.jpg", "a-scaled.jpg" → "a.jpg"). */
function imageFileName(url: string): string {
  const name = url.split(/[?#]/)[0]?.split('/').at(-1) ?? '';
  return withoutSizeSuffix(decodeOrKeep(name).toLowerCase());
}

/**
 * A picture's address without the suffix WordPress gives its resized copies
 * ("photo-300x200.jpg", and "photo-scaled.jpg" for a large upload) → "photo.jpg".
 */
export function withoutSizeSuffix(address: string): string {
  return address.replace(/-(?:\d+x\d+|scaled)(\.[a-z0-9]+)$/i, '$1');
}

function findElements(root: Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  for (const child of root.children) {
    if (!isTag(child)) continue;
    if (test(child)) found.push(child);
    found.push(...findElements(child, test));
  }
  return found;
}

function findElement(root: Element, test: (element: Element) => boolean): Element | undefined {
  return findElements(root, test)[0];
}

function firstSource(element: Element): string | null {
  return findElement(element, (e) => e.name === 'source')?.attribs.src ?? null;
}

/** A gallery picture's own <figcaption> (a sibling of the <img> in its figure). */
function ownCaption(img: Element): string {
  const parent = img.parent;
  const figure = parent && 'name' in parent && parent.name === 'a' ? parent.parent : parent;
  if (!figure || !('children' in figure)) return '';
  const caption = (figure.children as ChildNode[]).find(
    (child): child is Element => isTag(child) && child.name === 'figcaption',
  );
  return caption ? textOf(caption.children).replace(/\s+/g, ' ').trim() : '';
}

function attachmentIdOf(img: Element): number | null {
  const match = /(?:^|\s)wp-image-(\d+)(?:\s|$)/.exec(img.attribs.class ?? '');
  return match?.[1] ? Number(match[1]) : null;
}

function parseAttrs(json: string | undefined): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(json ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/**
 * `<![CDATA[` read as a browser reads it in HTML: a bogus comment that ends at
 * the first ">", the text after it the page's. htmlparser2 would run it on to
 * "]]>", or to the end of the post when there is none. One with a "<" before
 * any ">" (markup, a script's end) loses only the marker itself.
 */
function browserCdata(html: string, note: (what: string) => void): string {
  return html.replace(/<!\[CDATA\[([^<>]*>)?/g, (_whole, hidden: string | undefined) => {
    note(
      hidden === undefined
        ? '“<![CDATA[” marker in the HTML (left out, the text after it kept)'
        : '“<![CDATA[” in the HTML (read as a browser does: hidden up to the first “>”)',
    );
    return '';
  });
}

/** The text of an HTML fragment (a title, an excerpt): tags dropped, entities decoded, spaces collapsed. */
export function htmlToText(html: string): string {
  return textOf(parseDocument(html, { decodeEntities: true }).children)
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * How deep elements may nest before their tags are dropped (their text kept).
 * Converting is recursive, and a thread's stack would otherwise decide what
 * is imported: the worker thread's is several times the main thread's, whose
 * own ends past about 280 nested lists. Only broken markup nests this deep
 * (an old post's thousand unclosed <font> tags).
 */
export const MAX_NESTING = 100;
const NOTE_FLATTENED = `HTML nested more than ${MAX_NESTING} elements deep (the deeper tags dropped, their text kept)`;

/** The text of a node and everything in it, in order, read without recursion. */
function textWithin(node: ChildNode): string {
  let text = '';
  const stack: ChildNode[] = [node];
  while (stack.length > 0) {
    const next = stack.pop() as ChildNode;
    if (isText(next)) text += next.data;
    else if (isTag(next))
      for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i] as ChildNode);
  }
  return text;
}

/** Replaces each element at MAX_NESTING that holds further elements by its text (see MAX_NESTING). */
function flattenDeepNesting(dom: Document, note: (what: string) => void): void {
  let isFlattened = false;
  const stack: [ParentNode, number][] = [[dom, 0]];
  while (stack.length > 0) {
    const [parent, depth] = stack.pop() as [ParentNode, number];
    parent.children.forEach((child, index) => {
      if (!isTag(child)) return;
      if (depth + 1 < MAX_NESTING) {
        stack.push([child, depth + 1]);
        return;
      }
      if (!child.children.some(isTag)) return;
      const text = new Text(textWithin(child));
      text.parent = parent;
      text.prev = child.prev;
      text.next = child.next;
      if (child.prev) child.prev.next = text;
      if (child.next) child.next.prev = text;
      parent.children[index] = text;
      isFlattened = true;
    });
  }
  if (isFlattened) note(NOTE_FLATTENED);
}

/**
 * Converts `html` into a document. Image nodes point at `images` by a
 * placeholder id until the importer binds them to media records (bindImages).
 */
export function htmlToDoc(html: string, options: ConvertOptions): ConvertResult {
  const converter = new Converter(options);
  const autop = options.autoParagraphs && !html.includes('<!-- wp:');
  const visible = browserCdata(html, (what) => converter.note(what));
  const dom = parseDocument(options.shortcodes === false ? visible : expandShortcodes(visible), {
    decodeEntities: true,
  });
  flattenDeepNesting(dom, (what) => converter.note(what));
  let content: DocNode[];
  try {
    converter.numberFootnotes(dom.children);
    const blocks = converter.blocks(dom.children, autop);
    // Footnotes without a footnotes block (or with one lost in the markup) go at the end.
    blocks.push(...converter.footnoteList());
    content = renumberHeadings(blocks, converter.notes);
  } catch (error) {
    // Left as a last guard: flattenDeepNesting keeps conversions far from the stack's end.
    if (error instanceof RangeError) {
      throw new DomainError('invalid_input', 'the HTML is nested too deeply to convert');
    }
    throw error;
  }
  // A document holds at least one block: an empty post is one empty paragraph.
  if (content.length === 0) content.push({ type: 'paragraph' });
  return { doc: { type: 'doc', content }, images: converter.images, notes: converter.notes };
}

/**
 * Headings fitted under the page's title (its only h1): the highest level the
 * source uses becomes 2 and each level below it the next, none below 4, and in
 * reading order none more than one level below the heading before it — an
 * outline a screen reader can follow.
 */
function renumberHeadings(content: DocNode[], notes: Map<string, number>): DocNode[] {
  const used = new Set<number>();
  const collect = (nodes: DocNode[]) => {
    for (const node of nodes) {
      if (node.type === 'heading') used.add(Number(node.attrs?.level));
      if (node.content) collect(node.content);
    }
  };
  collect(content);
  const levels = [...used].sort((a, b) => a - b);
  // In reading order, a heading goes at most one level below the one before it.
  let previous = 1;
  const renumber = (nodes: DocNode[]): DocNode[] =>
    nodes.map((node) => {
      if (node.type === 'heading') {
        const from = Number(node.attrs?.level);
        const to = Math.max(2, Math.min(2 + levels.indexOf(from), 4, previous + 1));
        previous = to;
        if (to !== from) {
          notes.set(
            `heading <h${from}> as level ${to}`,
            (notes.get(`heading <h${from}> as level ${to}`) ?? 0) + 1,
          );
        }
        return { ...node, attrs: { ...node.attrs, level: to } };
      }
      return node.content ? { ...node, content: renumber(node.content) } : node;
    });
  return renumber(content);
}

/**
 * Gives each image node its media record: `ids[i]` for the placeholder i + 1;
 * a null id removes the node (the picture could not be stored).
 */
export function bindImages(doc: Doc, ids: readonly (number | null)[]): Doc {
  const bind = (nodes: DocNode[]): DocNode[] =>
    nodes.flatMap((node) => {
      if (node.type === 'gallery') {
        const photos = galleryMediaIds(node).flatMap((placeholder) => {
          const id = ids[placeholder - 1];
          return id === null || id === undefined ? [] : [{ mediaId: id, src: null }];
        });
        return photos.length === 0 ? [] : [{ ...node, attrs: { ...node.attrs, photos } }];
      }
      if (node.type === 'image') {
        const id = ids[Number(node.attrs?.mediaId) - 1];
        return id === null || id === undefined
          ? []
          : [{ ...node, attrs: { ...node.attrs, mediaId: id } }];
      }
      return node.content ? [{ ...node, content: bind(node.content) }] : [node];
    });
  return { type: 'doc', content: bind(doc.content) };
}
