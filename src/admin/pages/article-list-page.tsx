import { type ReactNode, useState } from 'react';
import {
  type Article,
  api,
  type Person,
  type Section,
  type Session,
  STATUS_LABELS,
  sectionLabel,
} from '../api.js';
import { SectionOptions } from '../section-options.js';
import { TableScroll } from '../table-scroll.js';
import { useLoad } from '../use-load.js';

/** Every article the user may see, with filters by status, section, author, language and source (the agency queue), and a headline search. */
export function ArticleListPage({ session }: { session: Session }): ReactNode {
  const [filters, setFilters] = useState({
    status: '',
    section: '',
    author: '',
    language: '',
    origin: '',
    q: '',
  });
  const query = new URLSearchParams(
    Object.entries(filters).filter(([, value]) => value !== ''),
  ).toString();
  const articles = useLoad(
    () => api<{ articles: Article[] }>('GET', `/articles${query ? `?${query}` : ''}`),
    query,
  );
  const sections = useLoad(() => api<{ sections: Section[] }>('GET', '/sections'), 'sections');
  const people = useLoad(() => api<{ people: Person[] }>('GET', '/people'), 'people');
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) =>
    setFilters((current) => ({ ...current, [name]: event.target.value }));
  const canSeeAll = session.user.role === 'editor' || session.user.role === 'editor-in-chief';

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
          <input type="search" value={filters.q} onChange={set('q')} />
        </label>
        <label>
          Status
          <select value={filters.status} onChange={set('status')}>
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
          <select value={filters.section} onChange={set('section')}>
            <option value="">Any</option>
            <SectionOptions sections={sections.data?.sections ?? []} />
          </select>
        </label>
        <label>
          Author
          <select value={filters.author} onChange={set('author')}>
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
          <select value={filters.language} onChange={set('language')}>
            <option value="">Any</option>
            <option value="en">English</option>
            <option value="ru">Russian</option>
          </select>
        </label>
        <label>
          Source
          <select value={filters.origin} onChange={set('origin')}>
            <option value="">Any</option>
            <option value="newsroom">Our own</option>
            <option value="agency">Agency copy</option>
          </select>
        </label>
      </form>
      {articles.error ? <p role="alert">{articles.error}</p> : null}
      <TableScroll label="Table of articles">
        <table className="article-table">
          <caption className="visually-hidden">Articles, most recently changed first</caption>
          <thead>
            <tr>
              <th scope="col">Headline</th>
              <th scope="col">Status</th>
              <th scope="col">Section</th>
              <th scope="col">By</th>
              <th scope="col">Changed</th>
            </tr>
          </thead>
          <tbody>
            {articles.data?.articles.map((article) => (
              <tr key={article.id}>
                <td>
                  <a href={`#/articles/${article.id}`}>{article.title || '(no headline)'}</a>
                </td>
                <td>
                  <span className={`status status-${article.status}`}>
                    {STATUS_LABELS[article.status]}
                  </span>
                </td>
                <td>{sectionLabel(article.section, sections.data?.sections ?? [])}</td>
                <td>{article.authors.map((author) => author.name).join(', ')}</td>
                <td>
                  <time dateTime={article.updatedAt}>
                    {new Date(article.updatedAt).toLocaleString()}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {articles.data?.articles.length === 0 ? <p>No articles match.</p> : null}
    </>
  );
}
