import render from 'dom-serializer';
import { type ChildNode, Element } from 'domhandler';
import { XMLParser } from 'fast-xml-parser';
import { parseDocument } from 'htmlparser2';
import { readLink } from '../core/links.js';
import { internalPath, mirrorFileOf, relativeLink } from '../core/mirror-paths.js';

// Turns a page the server rendered into the same page as a mirror file: every
// root-relative link, image, stylesheet, script and form target becomes a
// relative link to the mirror file it stands for. Absolute links (canonical,
// share links, language versions) keep pointing at the newsroom's own domain.
// A link that only looks root-relative (`/\evil.example/`, `/<TAB>/evil.example/`:
// a browser opens another site) or has any other scheme is dropped: a page
// rendered from data stored before links were checked as browsers read them
// must not carry one into a mirror, which is served without the site's CSP.

const URL_ATTRIBUTES = ['href', 'src', 'action', 'poster'] as const;
const SRCSET_ATTRIBUTES = ['srcset', 'imagesrcset'] as const;

/** The page with its links made relative to `file`, and the public paths it links to. */
export function rewritePage(html: string, file: string): { html: string; links: string[] } {
  const document = parseDocument(html);
  const links = new Set<string>();
  // null: a link the mirror must not keep (see `readLink`).
  const rewrite = (href: string): string | null => {
    const link = readLink(href);
    if (!link) return null;
    const target = link.kind === 'site' ? internalPath(link.href) : null;
    if (!target) return href;
    links.add(target.path);
    return `${encodeURI(relativeLink(file, mirrorFileOf(target.path)))}${target.rest}`;
  };
  const visit = (nodes: ChildNode[]): void => {
    for (const node of nodes) {
      if (!(node instanceof Element)) continue;
      const attributes = node.attribs;
      for (const name of URL_ATTRIBUTES) {
        const value = attributes[name];
        if (value === undefined) continue;
        const rewritten = rewrite(value);
        if (rewritten === null) delete attributes[name];
        else attributes[name] = rewritten;
      }
      for (const name of SRCSET_ATTRIBUTES) {
        const value = attributes[name];
        if (value !== undefined)
          attributes[name] = value
            .split(',')
            .flatMap((candidate) => {
              const [url = '', ...descriptor] = candidate.trim().split(/\s+/);
              const rewritten = rewrite(url);
              return rewritten === null ? [] : [[rewritten, ...descriptor].join(' ')];
            })
            .join(', ');
      }
      visit(node.children);
    }
  };
  visit(document.children);
  return { html: render(document, { encodeEntities: 'utf8' }), links: [...links] };
}

/** The public paths a sitemap (or sitemap index) lists on the newsroom's own domain. */
export function sitemapPaths(xml: string, origin: string): string[] {
  const parsed = new XMLParser({ isArray: (name) => name === 'url' || name === 'sitemap' }).parse(
    xml,
  ) as {
    urlset?: { url?: { loc?: string }[] };
    sitemapindex?: { sitemap?: { loc?: string }[] };
  };
  const entries = [...(parsed.urlset?.url ?? []), ...(parsed.sitemapindex?.sitemap ?? [])];
  return entries.flatMap(({ loc }) => {
    if (typeof loc !== 'string') return [];
    if (loc === origin || loc === `${origin}/`) return ['/'];
    return loc.startsWith(`${origin}/`) ? [loc.slice(origin.length)] : [];
  });
}
