import { type ChildNode, type Element, isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { readLink } from '../../core/links.js';
import { mediaAttrsFromData, mediaDataAttributes } from '../../core/media-data-attributes.js';
import { CLIPBOARD_MARK_ATTRIBUTE } from './clipboard-mark.js';

// What people paste comes from word processors and web pages that say "bold"
// and "italic" in `style` attributes (Google Docs, Word on the web), in tags
// that mean the opposite (Google Docs wraps every copy in
// <b style="font-weight:normal">), or in paragraphs that only look like lists
// (Word's mso-list). The admin's CSP forbids inline styles, so the browser
// would drop every `style` before ProseMirror could read it (and report a
// violation). This turns the clipboard's HTML, as text and without a browser
// DOM, into plain markup the editor's schema reads as it is: paragraphs,
// headings, lists, quotes, tables, links, bold and italic — nothing else.
// The one exception is the editor's own pictures and galleries, cut or copied
// within it: they are library photos, recognised by the attributes they carry
// (core/media-data-attributes.ts), and kept. Any other picture is left out:
// it is not in the library.

type Marks = { bold: boolean; italic: boolean; href: string | null; inHeading: boolean };

const NO_MARKS: Marks = { bold: false, italic: false, href: null, inHeading: false };

/** Left out with everything inside: not content, or content that loads from elsewhere. */
const DROPPED = new Set([
  'head',
  'title',
  'meta',
  'link',
  'style',
  'script',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'img',
  'picture',
  'video',
  'audio',
  'canvas',
  'button',
  'input',
  'select',
  'textarea',
  'colgroup',
  'col',
]);
const HEADINGS: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
/** Blocks that hold blocks or inline text, kept as nothing of their own. */
const CONTAINERS = new Set([
  'html',
  'body',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'nav',
  'figure',
  'center',
  'form',
  'fieldset',
  'details',
  'summary',
  'dl',
  'dd',
  'dt',
  'address',
  'hgroup',
  'caption',
  'figcaption',
  'pre',
]);
const BLOCKS = new Set([
  ...CONTAINERS,
  ...Object.keys(HEADINGS),
  'p',
  'ul',
  'ol',
  'li',
  'blockquote',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'hr',
]);

function styleOf(element: Element): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (element.attribs.style ?? '').split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    out.set(
      part.slice(0, colon).trim().toLowerCase(),
      part
        .slice(colon + 1)
        .trim()
        .toLowerCase(),
    );
  }
  return out;
}

function isBoldWeight(value: string): boolean | null {
  if (value === 'bold' || value === 'bolder') return true;
  if (value === 'normal' || value === 'lighter') return false;
  const number = Number(value);
  return Number.isFinite(number) ? number >= 600 : null;
}

/** The marks inside `element`, from its tag and its style (the style wins: Docs' <b style="font-weight:normal">). */
function marksInside(element: Element, outer: Marks): Marks {
  const style = styleOf(element);
  const name = element.name;
  let { bold, italic, href } = outer;
  if (name === 'b' || name === 'strong') bold = true;
  if (name === 'i' || name === 'em') italic = true;
  const weight = style.get('font-weight');
  const isBold = weight === undefined ? null : isBoldWeight(weight);
  if (isBold !== null) bold = isBold;
  const fontStyle = style.get('font-style');
  if (fontStyle === 'italic' || fontStyle === 'oblique') italic = true;
  else if (fontStyle === 'normal') italic = false;
  if (name === 'a') {
    // Only addresses that lead somewhere from here: a site-relative link copied
    // from another site would point into this one. Read as the browser reads
    // them, so `/<TAB>/x` (which is `//x`) is no web link either.
    const link = readLink(element.attribs.href ?? '');
    href = link && (link.kind === 'web' || link.kind === 'mail') ? link.href : null;
  }
  return { bold, italic, href, inHeading: outer.inHeading };
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** A heading's level: its tag's, or the ARIA heading Word for the web writes as <p role="heading" aria-level="1">. */
function headingLevelOf(element: Element): number | undefined {
  const level = HEADINGS[element.name];
  if (level !== undefined) return level;
  const aria = Number(element.attribs['aria-level']);
  return element.attribs.role === 'heading' && aria >= 1 && aria <= 6 ? aria : undefined;
}

/** A web page's footnote number (<sup><a href="#fn1">1</a></sup>): it points nowhere once pasted. */
function isFootnoteMark(element: Element): boolean {
  return (
    (element.name === 'sup' || element.name === 'sub') &&
    findFirst(
      element,
      (inner) => inner.name === 'a' && (inner.attribs.href ?? '').startsWith('#'),
    ) !== null
  );
}

function isWordListIgnore(element: Element): boolean {
  return /mso-list\s*:\s*ignore/i.test(element.attribs.style ?? '');
}

/** Word's list paragraph: `mso-list:l0 level2 lfo1` → level 2; null for any other paragraph. */
function wordListLevel(element: Element): number | null {
  if (element.name !== 'p') return null;
  const match = /mso-list\s*:\s*l\d+\s+level(\d+)/i.exec(element.attribs.style ?? '');
  return match ? Number(match[1]) : null;
}

/** Whether Word's fake bullet ("1.", "a)", "·") says the list is numbered. */
function isWordListNumbered(element: Element): boolean {
  const marker = findFirst(element, isWordListIgnore);
  const text = marker ? textOf(marker).trim() : '';
  return /^(\d+|[a-z]|[ivxlc]+)[.)]/i.test(text);
}

function findFirst(root: Element, test: (element: Element) => boolean): Element | null {
  for (const child of root.children) {
    if (!isTag(child)) continue;
    if (test(child)) return child;
    const inner = findFirst(child, test);
    if (inner) return inner;
  }
  return null;
}

function textOf(node: ChildNode): string {
  if (isText(node)) return node.data;
  return isTag(node) ? node.children.map(textOf).join('') : '';
}

/**
 * A picture or gallery copied from the editor of this browser (it carries
 * `mark`, see clipboard-mark.ts), as the bare figure its parse rule reads;
 * null for any other element, and for a figure another page dressed up as one.
 */
function editorMedia(element: Element, mark: string | undefined): string | null {
  if (element.name !== 'figure') return null;
  if (!mark || element.attribs[CLIPBOARD_MARK_ATTRIBUTE] !== mark) return null;
  const classes = (element.attribs.class ?? '').split(/\s+/);
  const type = classes.includes('image') ? 'image' : classes.includes('gallery') ? 'gallery' : null;
  if (!type) return null;
  const attrs = mediaAttrsFromData(type, (name) => element.attribs[name]);
  if (!attrs) return null;
  // Only the checked attributes go on: nothing else of the copied markup.
  const data = Object.entries(mediaDataAttributes(type, attrs))
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
  return `<figure class="${type}"${data}></figure>`;
}

function hasBlock(nodes: ChildNode[]): boolean {
  return nodes.some(
    (node) =>
      isTag(node) && !DROPPED.has(node.name) && (BLOCKS.has(node.name) || hasBlock(node.children)),
  );
}

class Cleaner {
  constructor(
    private readonly headingLevels: Map<number, number>,
    /** This browser's clipboard mark: only figures that carry it are the editor's own. */
    private readonly mark: string | undefined,
  ) {}

  /** Inline content: text runs, each wrapped in the marks it has, and line breaks. */
  inline(nodes: ChildNode[], marks: Marks): string {
    let out = '';
    for (const node of nodes) {
      if (isText(node)) {
        out += this.run(node.data, marks);
      } else if (isTag(node)) {
        if (DROPPED.has(node.name) || isWordListIgnore(node) || isFootnoteMark(node)) continue;
        if (node.name === 'br') out += '<br>';
        else out += this.inline(node.children, marksInside(node, marks));
      }
    }
    return out;
  }

  private run(text: string, marks: Marks): string {
    if (text === '') return '';
    // Line breaks and runs of spaces in the source's markup are not the writer's.
    let html = escapeText(text.replace(/[ \t\r\n]+/g, ' '));
    if (text.trim() === '') return html;
    if (marks.bold && !marks.inHeading) html = `<strong>${html}</strong>`;
    if (marks.italic) html = `<em>${html}</em>`;
    if (marks.href) html = `<a href="${escapeAttribute(marks.href)}">${html}</a>`;
    return html;
  }

  /** A paragraph of inline content, or nothing when it holds no text (Word's empty <o:p>&nbsp;</o:p> lines). */
  private paragraph(tag: string, nodes: ChildNode[], marks: Marks): string {
    const html = this.inline(nodes, marks);
    if (html.replace(/<br>/g, '').replace(/&nbsp;|\u00a0|\s/g, '') === '') return '';
    return `<${tag}>${html.trim()}</${tag}>`;
  }

  /** Block content: loose inline runs become paragraphs. */
  blocks(nodes: ChildNode[], marks: Marks): string {
    let out = '';
    let loose: ChildNode[] = [];
    const flush = () => {
      out += this.paragraph('p', loose, marks);
      loose = [];
    };
    for (let index = 0; index < nodes.length; index += 1) {
      const node = nodes[index] as ChildNode;
      if (!isTag(node)) {
        if (isText(node)) loose.push(node);
        continue;
      }
      if (DROPPED.has(node.name)) continue;
      const level = wordListLevel(node);
      if (level !== null) {
        flush();
        // Word's list: a run of paragraphs, each with its level and a fake bullet.
        const items: { level: number; ordered: boolean; html: string }[] = [];
        let at = index;
        while (at < nodes.length) {
          const candidate = nodes[at] as ChildNode;
          if (isText(candidate) && candidate.data.trim() === '') {
            at += 1;
            continue;
          }
          const itemLevel = isTag(candidate) ? wordListLevel(candidate) : null;
          if (!isTag(candidate) || itemLevel === null) break;
          items.push({
            level: itemLevel,
            ordered: isWordListNumbered(candidate),
            html: this.paragraph('p', candidate.children, marksInside(candidate, marks)),
          });
          index = at;
          at += 1;
        }
        out += nestedList(items);
        continue;
      }
      if (BLOCKS.has(node.name) || hasBlock(node.children)) {
        flush();
        out += this.block(node, marks);
      } else loose.push(node);
    }
    flush();
    return out;
  }

  private block(element: Element, outer: Marks): string {
    const media = editorMedia(element, this.mark);
    if (media !== null) return media;
    const marks = marksInside(element, outer);
    const name = element.name;
    const level = headingLevelOf(element);
    if (level !== undefined) {
      const tag = `h${this.headingLevels.get(level) ?? 4}`;
      return this.paragraph(tag, element.children, { ...marks, inHeading: true });
    }
    switch (name) {
      case 'p':
        return hasBlock(element.children)
          ? this.blocks(element.children, marks)
          : this.paragraph('p', element.children, marks);
      case 'ul':
      case 'ol': {
        const items = element.children
          .filter((child): child is Element => isTag(child) && !DROPPED.has(child.name))
          .map((child) =>
            child.name === 'ul' || child.name === 'ol'
              ? this.block(child, marks)
              : `<li>${this.blocks(child.children, marksInside(child, marks)) || '<p></p>'}</li>`,
          )
          .join('');
        return items ? `<${name}>${items}</${name}>` : '';
      }
      case 'li':
        return `<ul><li>${this.blocks(element.children, marks) || '<p></p>'}</li></ul>`;
      case 'blockquote': {
        const inside = this.blocks(element.children, marks);
        return inside ? `<blockquote>${inside}</blockquote>` : '';
      }
      case 'hr':
        return '<hr>';
      case 'table':
      case 'thead':
      case 'tbody':
      case 'tfoot':
        return name === 'table' ? this.table(element, marks) : this.blocks(element.children, marks);
      default:
        // Containers, and inline elements wrapped around blocks (Docs' <b> around everything).
        return this.blocks(element.children, marks);
    }
  }

  private table(element: Element, marks: Marks): string {
    const rows: Element[] = [];
    const collect = (parent: Element) => {
      for (const child of parent.children) {
        if (!isTag(child)) continue;
        if (child.name === 'tr') rows.push(child);
        else if (['thead', 'tbody', 'tfoot'].includes(child.name)) collect(child);
      }
    };
    collect(element);
    const html = rows
      .map((row) => {
        const cells = row.children
          .filter(
            (cell): cell is Element => isTag(cell) && (cell.name === 'td' || cell.name === 'th'),
          )
          .map((cell) => {
            const spans = ['colspan', 'rowspan']
              .filter((span) => /^[2-9]\d?$/.test(cell.attribs[span] ?? ''))
              .map((span) => ` ${span}="${cell.attribs[span]}"`)
              .join('');
            const inside = this.blocks(cell.children, marksInside(cell, marks)) || '<p></p>';
            return `<${cell.name}${spans}>${inside}</${cell.name}>`;
          })
          .join('');
        return cells ? `<tr>${cells}</tr>` : '';
      })
      .join('');
    return html ? `<table><tbody>${html}</tbody></table>` : '';
  }
}

/** Word's flat list paragraphs as nested lists: a deeper level opens a list inside the item before it. */
function nestedList(items: { level: number; ordered: boolean; html: string }[]): string {
  let out = '';
  const open: { level: number; tag: string }[] = [];
  for (const item of items) {
    while (open.length > 0 && (open.at(-1)?.level ?? 0) > item.level) {
      out += `</li></${open.pop()?.tag}>`;
    }
    const top = open.at(-1);
    if (top && top.level === item.level) out += '</li>';
    else {
      const tag = item.ordered ? 'ol' : 'ul';
      out += `<${tag}>`;
      open.push({ level: item.level, tag });
    }
    out += `<li>${item.html || '<p></p>'}`;
  }
  while (open.length > 0) out += `</li></${open.pop()?.tag}>`;
  return out;
}

/**
 * Heading levels of the source, highest first, as the article's: its top
 * level under the headline (h2), the next h3, the rest h4.
 */
function headingLevels(nodes: ChildNode[]): Map<number, number> {
  const found = new Set<number>();
  const visit = (list: ChildNode[]) => {
    for (const node of list) {
      if (!isTag(node)) continue;
      const level = headingLevelOf(node);
      if (level !== undefined) found.add(level);
      visit(node.children);
    }
  };
  visit(nodes);
  const levels = [...found].sort((a, b) => a - b);
  return new Map(levels.map((level, index) => [level, Math.min(2 + index, 4)]));
}

/**
 * Clipboard HTML from any program, as plain markup the editor's schema reads
 * one to one. Photos and galleries are kept only when they carry `mark`, the
 * mark this browser's editor puts on what it copies.
 */
export function cleanPastedHtml(html: string, mark?: string): string {
  const document = parseDocument(html, { decodeEntities: true, lowerCaseTags: true });
  const cleaner = new Cleaner(headingLevels(document.children), mark);
  return cleaner
    .blocks(document.children, NO_MARKS)
    .replace(/<\/ul><ul>/g, '')
    .replace(/<\/ol><ol>/g, '');
}
