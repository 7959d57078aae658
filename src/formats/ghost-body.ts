import MarkdownIt from 'markdown-it';

// A Ghost post's body as HTML for html-to-doc, from the richest form the export
// holds: Lexical (Ghost 5 and later), else Mobiledoc (Ghost 1–4), else the
// HTML Ghost rendered. Cards — Ghost's own blocks — are written as the plain
// HTML html-to-doc turns into Masthead blocks (a picture, a gallery, an embed,
// a link); a card with no Masthead counterpart is kept as what it says, and
// every card not converted one to one is counted in `notes` for the report.

export type GhostBody = { html: string; source: 'lexical' | 'mobiledoc' | 'html' | 'none' };

type Notes = Map<string, number>;
type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function count(notes: Notes, what: string): void {
  notes.set(what, (notes.get(what) ?? 0) + 1);
}

// Ghost renders Markdown cards with markdown-it too; raw HTML inside them is
// allowed there, and html-to-doc sanitizes whatever comes through.
const markdown = new MarkdownIt({ html: true, linkify: true });

/**
 * A picture's address as the old site served it: Ghost exports write its own
 * address as `__GHOST_URL__`, which `siteUrl` (the old site) replaces when known.
 */
export function ghostUrl(value: string, siteUrl: string | null): string {
  if (!value.startsWith('__GHOST_URL__')) return value;
  const rest = value.slice('__GHOST_URL__'.length);
  return siteUrl ? `${siteUrl.replace(/\/+$/, '')}${rest}` : rest;
}

/** Converts the `__GHOST_URL__` addresses in an HTML string. */
function resolveUrls(html: string, siteUrl: string | null): string {
  return html.replace(/__GHOST_URL__[^"'\s)<>]*/g, (url) => ghostUrl(url, siteUrl));
}

function figure(inner: string, caption: string): string {
  return `<figure>${inner}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
}

function img(payload: Json, siteUrl: string | null): string {
  const src = ghostUrl(str(payload.src), siteUrl);
  return `<img src="${escapeHtml(src)}" alt="${escapeHtml(str(payload.alt))}">`;
}

/** A paragraph holding a caption under something that has no caption of its own. */
function captionParagraph(caption: string): string {
  return caption ? `<p><em>${caption}</em></p>` : '';
}

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}">${label || escapeHtml(url)}</a>`;
}

/**
 * One card as HTML. Lexical and Mobiledoc cards carry the same payloads under
 * the same names (Lexical's `codeblock` and `horizontalrule` are Mobiledoc's
 * `code` and `hr`).
 */
export function cardHtml(
  name: string,
  payload: Json,
  notes: Notes,
  siteUrl: string | null,
): string {
  const caption = str(payload.caption);
  switch (name) {
    case 'image': {
      const href = str(payload.href);
      const picture = img(payload, siteUrl);
      return figure(href ? `<a href="${escapeHtml(href)}">${picture}</a>` : picture, caption);
    }
    case 'gallery': {
      const images = Array.isArray(payload.images) ? payload.images.filter(isObject) : [];
      if (images.length === 0) return '';
      const items = images.map((image) => figure(img(image, siteUrl), str(image.caption))).join('');
      return `<figure class="wp-block-gallery">${items}${caption ? `<figcaption class="blocks-gallery-caption">${caption}</figcaption>` : ''}</figure>`;
    }
    case 'embed': {
      const url = str(payload.url);
      if (!url) {
        count(notes, 'Ghost embed card without an address (left out)');
        return '';
      }
      return `<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">${escapeHtml(url)}</div></figure>${captionParagraph(caption)}`;
    }
    case 'bookmark': {
      const url = str(payload.url);
      const metadata = isObject(payload.metadata) ? payload.metadata : {};
      const title = escapeHtml(str(metadata.title));
      const description = escapeHtml(str(metadata.description));
      count(notes, 'Ghost bookmark card (as a link with its title and description)');
      if (!url) return '';
      return `<p>${link(url, title)}${description ? ` — ${description}` : ''}</p>${captionParagraph(caption)}`;
    }
    case 'callout': {
      count(notes, 'Ghost callout card (as a block quotation; its colour is not kept)');
      const emoji = str(payload.calloutEmoji);
      return `<blockquote><p>${emoji ? `${escapeHtml(emoji)} ` : ''}${str(payload.calloutText)}</p></blockquote>`;
    }
    case 'toggle':
      count(notes, 'Ghost toggle card (as its heading and text, always open)');
      return `<p><strong>${str(payload.heading)}</strong></p>${str(payload.content)}`;
    case 'html':
      count(notes, 'Ghost HTML card (converted as HTML)');
      return resolveUrls(str(payload.html), siteUrl);
    case 'markdown':
      return resolveUrls(markdown.render(str(payload.markdown)), siteUrl);
    case 'header': {
      count(
        notes,
        'Ghost header card (as a heading and text; its background and style are not kept)',
      );
      const button =
        payload.buttonEnabled && str(payload.buttonUrl)
          ? `<p>${link(str(payload.buttonUrl), escapeHtml(str(payload.buttonText)))}</p>`
          : '';
      const header = str(payload.header);
      const subheader = str(payload.subheader);
      return `${header ? `<h2>${header}</h2>` : ''}${subheader ? `<p>${subheader}</p>` : ''}${button}`;
    }
    case 'button': {
      count(notes, 'Ghost button card (as a link)');
      const url = str(payload.buttonUrl);
      return url ? `<p>${link(url, escapeHtml(str(payload.buttonText)))}</p>` : '';
    }
    case 'code':
    case 'codeblock':
      return `<pre><code>${escapeHtml(str(payload.code))}</code></pre>${captionParagraph(caption)}`;
    case 'hr':
    case 'horizontalrule':
      return '<hr>';
    case 'video':
    case 'audio':
      return `<${name} src="${escapeHtml(ghostUrl(str(payload.src), siteUrl))}"></${name}>${captionParagraph(caption)}`;
    case 'file': {
      count(notes, 'Ghost file card (as a link to the file)');
      const src = ghostUrl(str(payload.src), siteUrl);
      const title = str(payload.fileTitle) || str(payload.fileName);
      return src
        ? `<p>${link(src, escapeHtml(title))}</p>${captionParagraph(str(payload.fileCaption))}`
        : '';
    }
    case 'product': {
      count(notes, 'Ghost product card (as its title, text and link)');
      const title = str(payload.productTitle);
      const url = str(payload.productUrl);
      return `${title ? `<p><strong>${title}</strong></p>` : ''}${str(payload.productDescription)}${url ? `<p>${link(url, escapeHtml(str(payload.productButton)))}</p>` : ''}`;
    }
    case 'paywall':
      count(notes, 'Ghost members-only divider (left out: Masthead articles are public)');
      return '';
    case 'email':
    case 'email-cta':
      count(notes, `Ghost ${name} card (newsletter-only text, left out of the web page)`);
      return '';
    default:
      count(notes, `Ghost ${name} card (left out: Masthead has no such block)`);
      return '';
  }
}

// Lexical text formats, as bits (lexical's TextNode format).
const TEXT_FORMATS: [number, string][] = [
  [1, 'strong'],
  [2, 'em'],
  [4, 's'],
  [8, 'u'],
  [16, 'code'],
  [32, 'sub'],
  [64, 'sup'],
  [128, 'mark'],
];

/** The block and inline nodes Lexical writes itself; every other type is a Ghost card. */
const LEXICAL_INLINE = new Set([
  'text',
  'extended-text',
  'link',
  'autolink',
  'at-link',
  'linebreak',
  'tab',
  'hashtag',
]);

function lexicalChildren(node: Json, notes: Notes, siteUrl: string | null): string {
  const children = Array.isArray(node.children) ? node.children.filter(isObject) : [];
  return children.map((child) => lexicalNode(child, notes, siteUrl)).join('');
}

function lexicalNode(node: Json, notes: Notes, siteUrl: string | null): string {
  const type = str(node.type);
  switch (type) {
    case 'text':
    case 'extended-text':
    case 'hashtag': {
      let html = escapeHtml(str(node.text));
      const format = typeof node.format === 'number' ? node.format : 0;
      for (const [bit, tag] of TEXT_FORMATS) if (format & bit) html = `<${tag}>${html}</${tag}>`;
      return html;
    }
    case 'linebreak':
      return '<br>';
    case 'tab':
      return ' ';
    case 'link':
    case 'autolink':
    case 'at-link':
      return `<a href="${escapeHtml(ghostUrl(str(node.url), siteUrl))}">${lexicalChildren(node, notes, siteUrl)}</a>`;
    case 'paragraph':
    case 'extended-paragraph':
      return `<p>${lexicalChildren(node, notes, siteUrl)}</p>`;
    case 'heading':
    case 'extended-heading': {
      const tag = /^h[1-6]$/.test(str(node.tag)) ? str(node.tag) : 'h2';
      return `<${tag}>${lexicalChildren(node, notes, siteUrl)}</${tag}>`;
    }
    case 'quote':
    case 'extended-quote':
    case 'aside': // Ghost's second quote style, a pull quote
      return `<blockquote><p>${lexicalChildren(node, notes, siteUrl)}</p></blockquote>`;
    case 'list': {
      const ordered = str(node.listType) === 'number' || str(node.tag) === 'ol';
      const start =
        typeof node.start === 'number' && node.start !== 1 ? ` start="${node.start}"` : '';
      return ordered
        ? `<ol${start}>${lexicalChildren(node, notes, siteUrl)}</ol>`
        : `<ul>${lexicalChildren(node, notes, siteUrl)}</ul>`;
    }
    case 'listitem':
      return `<li>${lexicalChildren(node, notes, siteUrl)}</li>`;
    default:
      if (LEXICAL_INLINE.has(type)) return lexicalChildren(node, notes, siteUrl);
      return cardHtml(type, node, notes, siteUrl);
  }
}

/** Lexical JSON (`{"root": {"children": [...]}}`) as HTML. */
export function lexicalToHtml(json: string, notes: Notes, siteUrl: string | null): string {
  const parsed: unknown = JSON.parse(json);
  if (!isObject(parsed) || !isObject(parsed.root)) throw new Error('no "root" node');
  return lexicalChildren(parsed.root, notes, siteUrl);
}

/** Mobiledoc 0.3 (`{"version": "0.3.1", "sections": [...], "cards": [...], ...}`) as HTML. */
export function mobiledocToHtml(json: string, notes: Notes, siteUrl: string | null): string {
  const parsed: unknown = JSON.parse(json);
  if (!isObject(parsed) || !Array.isArray(parsed.sections)) throw new Error('no "sections" list');
  const markups = Array.isArray(parsed.markups) ? parsed.markups : [];
  const atoms = Array.isArray(parsed.atoms) ? parsed.atoms : [];
  const cards = Array.isArray(parsed.cards) ? parsed.cards : [];

  const openTag = (index: number): { open: string; close: string } => {
    const markup = markups[index];
    if (!Array.isArray(markup)) return { open: '', close: '' };
    const tag = str(markup[0]).toLowerCase();
    if (!/^[a-z][a-z0-9]*$/.test(tag)) return { open: '', close: '' };
    const attributes = Array.isArray(markup[1]) ? markup[1] : [];
    let attrs = '';
    for (let at = 0; at + 1 < attributes.length; at += 2) {
      const name = str(attributes[at]).toLowerCase();
      if (!/^[a-z-]+$/.test(name)) continue;
      const value =
        name === 'href' ? ghostUrl(str(attributes[at + 1]), siteUrl) : str(attributes[at + 1]);
      attrs += ` ${name}="${escapeHtml(value)}"`;
    }
    return { open: `<${tag}${attrs}>`, close: `</${tag}>` };
  };

  // Markers open markups (by index) and close the innermost `closed` of them.
  const markersHtml = (markers: unknown): string => {
    if (!Array.isArray(markers)) return '';
    const open: string[] = [];
    let html = '';
    for (const marker of markers) {
      if (!Array.isArray(marker)) continue;
      const [kind, opens, closed, value] = marker as [unknown, unknown, unknown, unknown];
      for (const index of Array.isArray(opens) ? opens : []) {
        const tag = openTag(Number(index));
        html += tag.open;
        open.push(tag.close);
      }
      if (kind === 1) {
        const atom = atoms[Number(value)];
        const atomName = Array.isArray(atom) ? str(atom[0]) : '';
        if (atomName === 'soft-return') html += '<br>';
        else html += escapeHtml(Array.isArray(atom) ? str(atom[1]) : '');
      } else html += escapeHtml(str(value));
      for (let n = 0; n < Number(closed ?? 0) && open.length > 0; n++) html += open.pop();
    }
    while (open.length > 0) html += open.pop();
    return html;
  };

  return parsed.sections
    .map((section) => {
      if (!Array.isArray(section)) return '';
      const [kind] = section;
      if (kind === 1) {
        const tag = str(section[1]).toLowerCase();
        const inner = markersHtml(section[2]);
        if (tag === 'blockquote' || tag === 'aside')
          return `<blockquote><p>${inner}</p></blockquote>`;
        return /^(p|h[1-6])$/.test(tag) ? `<${tag}>${inner}</${tag}>` : `<p>${inner}</p>`;
      }
      if (kind === 3) {
        const tag = str(section[1]).toLowerCase() === 'ol' ? 'ol' : 'ul';
        const items = Array.isArray(section[2]) ? section[2] : [];
        return `<${tag}>${items.map((item) => `<li>${markersHtml(item)}</li>`).join('')}</${tag}>`;
      }
      if (kind === 10) {
        const card = cards[Number(section[1])];
        if (!Array.isArray(card)) return '';
        return cardHtml(
          str(card[0]).replace(/-card$/, ''),
          isObject(card[1]) ? card[1] : {},
          notes,
          siteUrl,
        );
      }
      if (kind === 2)
        return figure(`<img src="${escapeHtml(ghostUrl(str(section[1]), siteUrl))}" alt="">`, '');
      return '';
    })
    .join('');
}

/**
 * The post's body as HTML from its richest form: Lexical, then Mobiledoc,
 * then Ghost's rendered HTML. A form that cannot be read falls back to the
 * next, and the fallback is counted.
 */
export function ghostBodyHtml(
  post: {
    lexical?: string | null | undefined;
    mobiledoc?: string | null | undefined;
    html?: string | null | undefined;
  },
  notes: Notes,
  siteUrl: string | null,
): GhostBody {
  const tried: [GhostBody['source'], string | null | undefined, (json: string) => string][] = [
    ['lexical', post.lexical, (json) => lexicalToHtml(json, notes, siteUrl)],
    ['mobiledoc', post.mobiledoc, (json) => mobiledocToHtml(json, notes, siteUrl)],
  ];
  for (const [source, json, render] of tried) {
    if (!json) continue;
    try {
      return { html: render(json), source };
    } catch {
      count(notes, `post whose ${source} body could not be read (its HTML was imported instead)`);
    }
  }
  if (post.html) return { html: resolveUrls(post.html, siteUrl), source: 'html' };
  return { html: '', source: 'none' };
}
