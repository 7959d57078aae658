// Where each public address lives in a static mirror, and how one mirror file
// links to another. Links are relative, so the same folder works at any host,
// under any path prefix and from a file:// URL; that is also why a page is
// linked as ".../index.html", not as its folder (a browser opening files does
// not look for index.html by itself).

/** The public address of the newsroom's signing key, on the site and in every mirror. */
export const MIRROR_KEY_PATH = '/.well-known/masthead-key';

/**
 * The mirror file of a public path: "/" → "index.html", "/news/world/story" →
 * "news/world/story/index.html"; a path whose last part has an extension
 * (feeds, sitemaps, media, assets, robots.txt) keeps its name.
 */
export function mirrorFileOf(path: string): string {
  if (path === MIRROR_KEY_PATH) return path.slice(1);
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return 'index.html';
  const last = trimmed.split('/').at(-1) ?? '';
  return last.includes('.') ? trimmed : `${trimmed}/index.html`;
}

/** The public path a mirror file stands for (the reverse of `mirrorFileOf`). */
export function publicPathOf(file: string): string {
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html')) return `/${file.slice(0, -'/index.html'.length)}`;
  return `/${file}`;
}

/** The link from one mirror file to another, relative ("../../assets/site.css"). */
export function relativeLink(fromFile: string, toFile: string): string {
  const from = fromFile.split('/').slice(0, -1);
  const to = toFile.split('/');
  let shared = 0;
  while (shared < from.length && shared < to.length - 1 && from[shared] === to[shared]) shared++;
  const up = from.length - shared;
  const link = [...Array<string>(up).fill('..'), ...to.slice(shared)].join('/');
  return link === '' ? './' : link;
}

/**
 * A link found in a page, as the mirror sees it: the public path it leads to
 * (null when it leads off the site, or nowhere a file can stand for), and
 * what stays after the path (a fragment, or the search page's query).
 */
export function internalPath(href: string): { path: string; rest: string } | null {
  // Root-relative only: absolute URLs point at the newsroom's own domain (canonical,
  // feeds) or elsewhere on purpose; "#top" and "?print" stay on the same page.
  if (!href.startsWith('/') || href.startsWith('//')) return null;
  const match = /^([^?#]*)(\?[^#]*)?(#.*)?$/.exec(href);
  const path = match?.[1] ?? href;
  let decoded: string;
  try {
    decoded = decodeURI(path);
  } catch {
    return null;
  }
  if (decoded.includes('..') || decoded.includes('\\')) return null;
  // Only the search page reads its query (in the reader's browser); elsewhere a
  // query chooses nothing a mirror can hold (?print is the same page).
  const query = path === '/search' ? (match?.[2] ?? '') : '';
  return { path: decoded, rest: `${query}${match?.[3] ?? ''}` };
}
