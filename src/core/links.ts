// Where a link leads is decided the way a browser decides it (the WHATWG URL
// standard), never by looking at its first characters: browsers drop ASCII
// tabs and newlines anywhere in an address, trim spaces and control characters
// around it, and read `\` as `/` in http(s) addresses, so `/\evil.example/`,
// `/<TAB>/evil.example/` and `//evil.example` all open another site although
// they start with a single `/`. Every place that keeps or rewrites a link from
// outside (document schema, importers, pasted HTML, kept HTML, mirrors) asks
// `readLink`, so they cannot disagree.

/** What a link is, as a reader's browser follows it from one of the newsroom's pages. */
export type LinkKind =
  /** Stays on the page's own site: a path, a query or a fragment. */
  | 'site'
  /** An absolute http(s) address on a named host. */
  | 'web'
  /** A mailto: address. */
  | 'mail';

export type ReadLink = { kind: LinkKind; href: string };

// Two pages the link could sit on: a newsroom served over https, and a mirror
// served over plain http (or a browser's http fallback). A link counts only if
// both read it the same way: `https:evil.example` stays on an https site but
// leaves an http one, `//evil.example` takes the page's scheme.
const SECURE_BASE = 'https://base.invalid/page/';
const PLAIN_BASE = 'http://base.invalid/page/';
const BASE_HOST = 'base.invalid';

/**
 * `href` as a browser takes it from an attribute: ASCII tabs and newlines
 * removed wherever they are, controls and spaces trimmed from both ends.
 */
export function browserHref(href: string): string {
  const kept = href.replace(/[\t\n\r]/g, '');
  let start = 0;
  let end = kept.length;
  while (start < end && kept.charCodeAt(start) <= 0x20) start++;
  while (end > start && kept.charCodeAt(end - 1) <= 0x20) end--;
  return kept.slice(start, end);
}

function parse(href: string, base: string): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

/**
 * How a browser follows `href` (its kind, and the href as the browser reads
 * it); null for any other scheme (javascript:, data:, file:…), for an empty
 * link, and for one whose target depends on the page's scheme.
 */
export function readLink(href: string): ReadLink | null {
  const text = browserHref(href);
  if (text === '') return null;
  const secure = parse(text, SECURE_BASE);
  const plain = parse(text, PLAIN_BASE);
  if (!secure || !plain) {
    // An http(s) address with a broken host (`http://exa mple.com`, from an old
    // import) is no link at all to a browser, but plainly names another site to
    // anyone reading it: kept as it is, so documents stored with one still load.
    return /^https?:\/\/[^/\\]/i.test(text) ? { kind: 'web', href: text } : null;
  }
  if (
    secure.protocol === 'https:' &&
    secure.host === BASE_HOST &&
    plain.protocol === 'http:' &&
    plain.host === BASE_HOST &&
    secure.pathname === plain.pathname
  ) {
    return { kind: 'site', href: text };
  }
  if (secure.href !== plain.href) return null;
  if ((secure.protocol === 'https:' || secure.protocol === 'http:') && secure.hostname !== '') {
    return { kind: 'web', href: text };
  }
  if (secure.protocol === 'mailto:') return { kind: 'mail', href: text };
  return null;
}

/**
 * The href Masthead stores and renders for `href` (as the browser reads it),
 * or null when it is not a link Masthead keeps: http(s) to a named host,
 * mailto, a root-relative path (`/news`) or a fragment (`#notes`).
 */
export function safeHref(href: string): string | null {
  const link = readLink(href);
  if (!link) return null;
  // Paths relative to the page (`../x`, `?page=2`) mean something else on every
  // page a document is shown on (article, feed, tag listing): not kept.
  if (link.kind === 'site' && !/^[/#]/.test(link.href)) return null;
  return link.href;
}

/**
 * A link editors put in the site's furniture (menus, banners): what
 * `isSafeHref` keeps, but never protocol-relative ("//elsewhere"), which
 * reads like a site address and leads off the site.
 */
export function isNavigationHref(href: string): boolean {
  return isSafeHref(href) && !href.startsWith('//');
}

/** True when `href` is a link Masthead renders: http(s), mailto, site-relative or a fragment. */
export function isSafeHref(href: string): boolean {
  return safeHref(href) !== null;
}
