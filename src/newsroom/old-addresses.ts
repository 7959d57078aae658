import { articleUrl, authorUrl, pageUrl, sectionUrl, tagUrl } from '../core/section-path.js';
import { getArticle } from '../store/articles.js';
import { getPageById } from '../store/pages.js';
import { getPerson } from '../store/people.js';
import { findRedirect } from '../store/redirects.js';
import { listSections } from '../store/sections.js';
import { findTagById } from '../store/tags.js';
import type { Newsroom } from './newsroom.js';

// Addresses a newsroom's old system used (WordPress's "/?p=42", its
// permalinks, its tag and category archives), recorded by imports so links
// from years of archive, search engines and other sites still arrive at the
// story, the tag page or the section.

/** The query parameters WordPress addresses posts and pages by. */
const OLD_QUERY_KEYS = ['p', 'page_id'];

/**
 * The current address of the page an old address named, or null. `path` is
 * the decoded path without a trailing slash; `query` the request's query.
 * With `byPath: false` only the query forms are looked up (the path is one of
 * the site's own pages, which an old address must never shadow).
 * Only public pages are answered: an unpublished article's old address is a 404.
 */
export async function findOldAddress(
  newsroom: Newsroom,
  path: string,
  query: URLSearchParams,
  options: { byPath: boolean } = { byPath: true },
): Promise<string | null> {
  const candidates: string[] = [];
  for (const key of OLD_QUERY_KEYS) {
    const value = query.get(key);
    if (value && /^\d+$/.test(value)) {
      const base = path === '/' ? '' : path;
      candidates.push(`${base}/?${key}=${value}`, `${base}?${key}=${value}`);
    }
  }
  if (options.byPath && path !== '/') candidates.push(path, `${path}/`);
  const target = await findRedirect(newsroom.store.db, candidates);
  if (!target) return null;
  if (target.entity === 'page') {
    const page = await getPageById(newsroom.store.db, target.entityId);
    return page ? pageUrl(page.slug) : null;
  }
  if (target.entity === 'tag') {
    const tag = await findTagById(newsroom.store.db, target.entityId);
    return tag ? tagUrl(tag.slug) : null;
  }
  if (target.entity === 'person') {
    const person = await getPerson(newsroom.store.db, target.entityId);
    return person ? authorUrl(person.slug) : null;
  }
  if (target.entity === 'section') {
    const section = (await listSections(newsroom.store.db)).find(
      (candidate) => candidate.id === target.entityId,
    );
    return section ? sectionUrl(section) : null;
  }
  const article = await getArticle(newsroom.store.db, target.entityId);
  if (article?.status !== 'published') return null;
  const section = (await listSections(newsroom.store.db)).find(
    (candidate) => candidate.id === article.sectionId,
  );
  return section ? articleUrl(section, article.slug) : null;
}

/** True when the query names an old address (so the home page must look it up first). */
export function hasOldQuery(query: URLSearchParams): boolean {
  return OLD_QUERY_KEYS.some((key) => query.has(key));
}
