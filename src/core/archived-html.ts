import sanitizeHtml from 'sanitize-html';
import { safeHref } from './links.js';

// Markup an import could not turn into Masthead's own blocks (a table, a
// definition list, preformatted text, a custom-HTML block) is kept as an
// `html` block rather than lost. It came from outside, so it is cut down to
// structure and text every time it is stored or rendered: no scripts, styles,
// classes, event handlers, frames or images (an <img> would be a request to
// another site from a reader's browser), and links only to the web or mail.

const ALLOWED_TAGS = [
  'table',
  'caption',
  'colgroup',
  'col',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'pre',
  'code',
  'kbd',
  'samp',
  'var',
  'dl',
  'dt',
  'dd',
  'p',
  'br',
  'hr',
  'div',
  'span',
  'blockquote',
  'figure',
  'figcaption',
  'address',
  'details',
  'summary',
  'h2',
  'h3',
  'h4',
  'ul',
  'ol',
  'li',
  'a',
  'b',
  'i',
  'strong',
  'em',
  'u',
  's',
  'del',
  'ins',
  'mark',
  'small',
  'sub',
  'sup',
  'abbr',
  'dfn',
  'cite',
  'q',
  'time',
  'bdi',
  'bdo',
  'wbr',
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title'],
    td: ['colspan', 'rowspan', 'headers'],
    th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
    col: ['span'],
    colgroup: ['span'],
    ol: ['start', 'reversed'],
    abbr: ['title'],
    dfn: ['title'],
    time: ['datetime'],
    del: ['datetime'],
    ins: ['datetime'],
    bdo: ['dir'],
    '*': ['lang', 'dir'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Headings follow the article's outline: its title is the only h1.
  transformTags: { h1: 'h2', h5: 'h4', h6: 'h4' },
  disallowedTagsMode: 'discard',
  // Kept HTML never reaches a reader's browser as anything but markup.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'template',
    'iframe',
    'object',
  ],
};

// Each kept link is decided by `safeHref` (links.ts), as a browser reads it, so
// kept HTML cannot hold what a document may not (`https:evil.example` leaves
// a mirror served over http); sanitize-html's own scheme check stays behind it.
function linkOnly(rewriteHref: (href: string) => string): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const { href: raw, ...rest } = attribs;
    const href = raw === undefined ? null : safeHref(raw);
    return { tagName, attribs: href === null ? rest : { ...rest, href: rewriteHref(href) } };
  };
}

/**
 * `html` cut down to the structure and text Masthead keeps from imported
 * markup; `rewriteHref` changes each kept link's target (a feed makes
 * site-relative links absolute).
 */
export function sanitizeArchivedHtml(html: string, rewriteHref?: (href: string) => string): string {
  return sanitizeHtml(html, {
    ...OPTIONS,
    transformTags: { ...OPTIONS.transformTags, a: linkOnly(rewriteHref ?? ((href) => href)) },
  }).trim();
}
