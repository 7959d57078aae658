import { type ReactNode, useCallback, useEffect, useState } from 'react';
import {
  type ArticleSortKey,
  DEFAULT_PAGE_SIZE,
  defaultSortDirection,
  pageCount,
} from '../../core/article-list.js';
import {
  type Article,
  api,
  type Person,
  type Section,
  type Session,
  STATUS_LABELS,
  sectionLabel,
} from '../api.js';
import {
  type ArticleListView,
  articleListApiQuery,
  articleListRoute,
  DEFAULT_VIEW,
  type FilterName,
  hasFilters,
  hashQuery,
  readArticleListView,
} from '../article-list-route.js';
import { formatDateTime } from '../dates.js';
import { Pager } from '../pager.js';
import { SectionOptions } from '../section-options.js';
import { SortHeader } from '../sort-header.js';
import { nextSort } from '../sorting.js';
import { TableScroll } from '../table-scroll.js';
import { useLoad } from '../use-load.js';

/** One page of GET /api/articles. */
type ArticlePage = { articles: Article[]; total: number; page: number; pageSize: number };

const ARTICLES = { one: 'article', other: 'articles' };

/** Each sortable column's header, and how its two directions read in the table's caption. */
const SORT_WORDS: Record<ArticleSortKey, { label: string; asc: string; desc: string }> = {
  title: { label: 'Headline', asc: 'A to Z', desc: 'Z to A' },
  status: { label: 'Status', asc: 'drafts first', desc: 'the trash first' },
  section: { label: 'Section', asc: 'A to Z', desc: 'Z to A' },
  published: { label: 'Published', asc: 'oldest first', desc: 'newest first' },
  updated: { label: 'Changed', asc: 'oldest first', desc: 'newest first' },
};

/**
 * The list's view, read from the hash route and written back to it. Filters,
 * sort and page changes are new history entries (Back undoes them); typing
 * in the search box replaces the entry, so Back does not step through letters.
 */
function useListView(): [ArticleListView, (view: ArticleListView, replace?: boolean) => void] {
  const [view, setView] = useState(() => readArticleListView(hashQuery(window.location.hash)));
  useEffect(() => {
    const onChange = () => setView(readArticleListView(hashQuery(window.location.hash)));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const show = useCallback((next: ArticleListView, replace = false) => {
    const route = articleListRoute(next);
    if (replace) {
      window.history.replaceState(window.history.state, '', route);
      setView(next);
    } else if (window.location.hash !== route) {
      window.location.hash = route;
    }
  }, []);
  return [view, show];
}

/** Every article the user may see, a page at a time, sortable, with filters by status, section, author, language and source (the agency queue), and a headline search. */
export function ArticleListPage({ session }: { session: Session }): ReactNode {
  const [view, show] = useListView();
  const apiQuery = articleListApiQuery(view, DEFAULT_PAGE_SIZE);
  const list = useLoad(() => api<ArticlePage>('GET', `/articles?${apiQuery}`), apiQuery);
  const sections = useLoad(() => api<{ sections: Section[] }>('GET', '/sections'), 'sections');
  const people = useLoad(() => api<{ people: Person[] }>('GET', '/people'), 'people');
  const sectionList = sections.data?.sections ?? [];
  const canSeeAll = session.user.role === 'editor' || session.user.role === 'editor-in-chief';

  // A new filter narrows a different list: start again from its first page.
  const setFilter =
    (name: FilterName, replace = false) =>
    (event: { target: { value: string } }) =>
      show({ ...view, filters: { ...view.filters, [name]: event.target.value }, page: 1 }, replace);
  const sortBy = (key: ArticleSortKey) => {
    const next = nextSort(
      { key: view.sort, direction: view.order },
      key,
      defaultSortDirection(key),
    );
    show({ ...view, sort: next.key, order: next.direction, page: 1 });
  };
  const goToPage = (page: number) => show({ ...view, page });
  const sortState = { key: view.sort, direction: view.order };
  const header = (key: ArticleSortKey) => (
    <SortHeader label={SORT_WORDS[key].label} column={key} sort={sortState} onSort={sortBy} />
  );

  const data = list.data;
  const pages = data ? pageCount(data.total, data.pageSize) : 1;
  const isPastTheEnd = data !== undefined && data.total > 0 && data.articles.length === 0;
  const words = SORT_WORDS[view.sort];

  return (
    <>
      <h1 tabIndex={-1}>{canSeeAll ? 'Articles' : 'My articles'}</h1>
      <p>
        <a className="button" href="#/articles/new">
          New article
        </a>
      </p>
      <form
        className="filters"
        aria-label="Filter articles"
        onSubmit={(event) => event.preventDefault()}
      >
        <label>
          Search headlines
          <input type="search" value={view.filters.q} onChange={setFilter('q', true)} />
        </label>
        <label>
          Status
          <select value={view.filters.status} onChange={setFilter('status')}>
            <option value="">Any</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Section
          <select value={view.filters.section} onChange={setFilter('section')}>
            <option value="">Any</option>
            <SectionOptions sections={sectionList} />
          </select>
        </label>
        <label>
          Author
          <select value={view.filters.author} onChange={setFilter('author')}>
            <option value="">Anyone</option>
            {people.data?.people.map((person) => (
              <option key={person.id} value={String(person.id)}>
                {person.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Language
          <select value={view.filters.language} onChange={setFilter('language')}>
            <option value="">Any</option>
            <option value="en">English</option>
            <option value="ru">Russian</option>
          </select>
        </label>
        <label>
          Source
          <select value={view.filters.origin} onChange={setFilter('origin')}>
            <option value="">Any</option>
            <option value="newsroom">Our own</option>
            <option value="agency">Agency copy</option>
          </select>
        </label>
      </form>
      {list.error ? <p role="alert">{list.error}</p> : null}
      {data && data.articles.length > 0 ? (
        <TableScroll label="Table of articles">
          <table className="article-table">
            <caption className="visually-hidden">
              Articles, sorted by {words.label.toLowerCase()}, {words[view.order]}. The column
              headers are buttons that sort the table.
            </caption>
            <thead>
              <tr>
                {header('title')}
                {header('status')}
                {header('section')}
                <th scope="col">By</th>
                {header('published')}
                {header('updated')}
              </tr>
            </thead>
            <tbody>
              {data.articles.map((article) => (
                <tr key={article.id}>
                  <td>
                    <a href={`#/articles/${article.id}`}>{article.title || '(no headline)'}</a>
                  </td>
                  <td>
                    <span className={`status status-${article.status}`}>
                      {STATUS_LABELS[article.status]}
                    </span>
                  </td>
                  <td>{sectionLabel(article.section, sectionList)}</td>
                  <td>{article.authors.map((author) => author.name).join(', ')}</td>
                  <td>
                    {article.publishedAt ? (
                      <time dateTime={article.publishedAt}>
                        {formatDateTime(article.publishedAt)}
                      </time>
                    ) : (
                      <>
                        <span aria-hidden="true">—</span>
                        <span className="visually-hidden">Not published</span>
                      </>
                    )}
                  </td>
                  <td>
                    <time dateTime={article.updatedAt}>{formatDateTime(article.updatedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {data ? (
        <Pager
          page={view.page}
          pageSize={data.pageSize}
          total={data.total}
          noun={ARTICLES}
          label="Pages of articles"
          onPage={goToPage}
        />
      ) : null}
      {data?.total === 0 && hasFilters(view) ? (
        <p className="list-empty">
          None match these filters.{' '}
          <button
            type="button"
            onClick={() => show({ ...view, filters: DEFAULT_VIEW.filters, page: 1 })}
          >
            Show all articles
          </button>
        </p>
      ) : null}
      {data?.total === 0 && !hasFilters(view) ? (
        <p className="list-empty">
          Nothing has been written yet. <a href="#/articles/new">Write the first article</a>
        </p>
      ) : null}
      {isPastTheEnd ? (
        <p className="list-empty">
          The list ends on page {pages}.{' '}
          <button type="button" onClick={() => goToPage(pages)}>
            Go to page {pages}
          </button>
        </p>
      ) : null}
    </>
  );
}
