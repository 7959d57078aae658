import type { ReactNode } from 'react';
import type { SearchView } from '../../core/views.js';
import { BylineText, DateTime, Marked, TeaserLabel } from '../components.js';
import { searchCountForms, searchCountText, type UiText, uiText } from '../i18n.js';
import { Layout, type PageProps } from '../layout.js';

function noticeText(notice: string | null, text: UiText): string | null {
  if (notice === 'too_long') return text.searchTooLong;
  if (notice === 'too_many_words') return text.searchTooManyWords;
  if (notice === 'unbalanced_quotes') return text.searchUnbalanced;
  return null;
}

function pageLink(query: string, page: number): string {
  const params = new URLSearchParams({ q: query });
  if (page > 1) params.set('page', String(page));
  return `/search?${params.toString()}`;
}

/**
 * Search results: a plain GET form and links, so it works with JavaScript off
 * and on a mirror's static search alike. Results pages are not for indexing.
 */
export function SearchPage({ view, chrome, assets }: PageProps<SearchView>): ReactNode {
  const language = chrome.settings.language;
  const text = uiText(language);
  const notice = noticeText(view.notice, text);
  const hasQuery = view.query.trim() !== '';
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={hasQuery ? `${text.searchResultsFor} “${view.query}”` : text.search}
      path="/search"
      isNoIndex
    >
      <h1>{text.searchResults}</h1>
      <search aria-label={text.searchResults}>
        <form className="search-form" action="/search" method="get">
          <label htmlFor="search-page-query">{text.searchLabel}</label>
          <input
            id="search-page-query"
            type="search"
            name="q"
            defaultValue={view.query}
            maxLength={1000}
          />
          <button type="submit">{text.search}</button>
        </form>
      </search>
      {chrome.isMirror ? (
        // A mirror has no server to ask: its search runs in the reader's
        // browser over an index built with the mirror (mirror-search.js).
        <div
          className="mirror-search"
          data-nothing={text.searchNothing}
          data-count={JSON.stringify(searchCountForms(language))}
          data-empty={text.searchEmpty}
        >
          <p className="search-notice">{text.mirrorSearchNote}</p>
          <noscript>
            <p>{text.mirrorSearchNeedsScript}</p>
          </noscript>
          <script src={assets.mirrorSearchScript} defer />
        </div>
      ) : null}
      {notice ? <p className="search-notice">{notice}</p> : null}
      {!hasQuery && !chrome.isMirror ? <p>{text.searchEmpty}</p> : null}
      {hasQuery && view.total === 0 ? <p>{text.searchNothing}</p> : null}
      {view.total > 0 ? (
        <p className="search-count" role="status">
          {searchCountText(view.total, language)}
        </p>
      ) : null}
      <ol className="search-results" start={(view.page - 1) * view.pageSize + 1}>
        {view.results.map((result) => (
          <li key={result.url} className="search-result" lang={result.language}>
            <TeaserLabel label={result.label} language={result.language} />
            <h2 className="teaser-title">
              <a href={result.url}>
                <Marked parts={result.titleParts} />
              </a>
            </h2>
            <p className="search-snippet">
              <Marked parts={result.snippet} />
            </p>
            <p className="teaser-meta">
              {result.section.name}
              {' · '}
              <BylineText bylines={result.bylines} language={result.language} />
              {result.bylines.length > 0 && result.publishedAt ? ' · ' : null}
              {result.publishedAt ? (
                <DateTime
                  iso={result.publishedAt}
                  language={result.language}
                  timeZone={chrome.settings.timeZone}
                />
              ) : null}
            </p>
          </li>
        ))}
      </ol>
      {view.pageCount > 1 ? (
        <nav className="pagination" aria-label={text.pagination}>
          {view.page > 1 ? (
            <a href={pageLink(view.query, view.page - 1)} rel="prev">
              {text.previousPage}
            </a>
          ) : null}{' '}
          <span>
            {text.pageOf} {view.page} / {view.pageCount}
          </span>{' '}
          {view.page < view.pageCount ? (
            <a href={pageLink(view.query, view.page + 1)} rel="next">
              {text.nextPage}
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}
