import { plainText } from '../core/document.js';
import { parseSearchQuery, snippet } from '../core/search-text.js';
import type { Article } from '../core/types.js';
import type { SearchView } from '../core/views.js';
import { getArticle } from '../store/articles.js';
import { searchArticleIds } from '../store/search-index.js';
import { listSections } from '../store/sections.js';
import type { Newsroom } from './newsroom.js';
import { toTeasers } from './teasers.js';

export const SEARCH_PAGE_SIZE = 10;
// Deep pages cost the database a full ranking each; nobody reads page 50.
const MAX_PAGE = 50;

/**
 * Full-text search over published articles (headline, standfirst, body,
 * authors, tags, photo captions and credits), ranked by relevance and recency.
 * Any text is accepted: what cannot be used is left out and said so.
 */
export async function searchSite(
  newsroom: Newsroom,
  rawQuery: string,
  requestedPage: number,
): Promise<SearchView> {
  const query = parseSearchQuery(rawQuery);
  const page = Number.isSafeInteger(requestedPage)
    ? Math.min(Math.max(requestedPage, 1), MAX_PAGE)
    : 1;
  const db = newsroom.store.db;
  const { ids, total } = await searchArticleIds(db, query, {
    limit: SEARCH_PAGE_SIZE,
    offset: (page - 1) * SEARCH_PAGE_SIZE,
    now: newsroom.now().toISOString(),
  });
  const sections = new Map((await listSections(db)).map((section) => [section.id, section]));
  // (toTeasers keeps one teaser per article whose section exists: filter first so indexes line up.)
  const articles = (await Promise.all(ids.map((id) => getArticle(db, id)))).filter(
    (article) => article !== null && sections.has(article.sectionId),
  ) as Article[];
  const teasers = await toTeasers(db, articles, sections);
  const results = teasers.map((teaser, index) => {
    const article = articles[index];
    const body = article ? plainText(article.body) : '';
    // The first of standfirst and body that holds a match gives the snippet.
    const candidates = [teaser.standfirst, body].map((text) => snippet(text, query));
    const chosen =
      candidates.find((parts) => parts.some((part) => part.isMatch)) ??
      (body ? candidates[1] : candidates[0]) ??
      [];
    return {
      ...teaser,
      titleParts: snippet(teaser.title, query, Number.POSITIVE_INFINITY),
      snippet: chosen,
    };
  });
  return {
    query: rawQuery.slice(0, 1000),
    notice: query.notice,
    results,
    total,
    page,
    pageCount: Math.min(Math.ceil(total / SEARCH_PAGE_SIZE), MAX_PAGE),
    pageSize: SEARCH_PAGE_SIZE,
  };
}
