import { type ReactNode, useState } from 'react';
import { MAX_PAGE_SIZE } from '../../core/article-list.js';
import { type Article, api, messageOf } from '../api.js';
import { languageName } from '../languages.js';
import { useLoad } from '../use-load.js';

/**
 * The same story in other languages: the linked articles, and (for editors)
 * linking one more or leaving the group. Readers then get a language switch
 * and search engines hreflang links between them.
 */
export function TranslationsPanel({
  article,
  onChanged,
}: {
  article: Article;
  onChanged: (article: Article) => void;
}): ReactNode {
  const [choice, setChoice] = useState('');
  const [message, setMessage] = useState('');
  const [query, setQuery] = useState('');
  // The newest articles, or those whose headline matches: the list is paged,
  // so an older version is found by its headline rather than by scrolling.
  const search = new URLSearchParams({ pageSize: String(MAX_PAGE_SIZE) });
  if (query.trim() !== '') search.set('q', query.trim());
  const candidates = useLoad(
    () => api<{ articles: Article[] }>('GET', `/articles?${search}`),
    `${article.id}:${search}`,
  );
  const taken = new Set([article.language, ...article.translations.map((t) => t.language)]);
  const options = (candidates.data?.articles ?? []).filter(
    (other) => other.id !== article.id && !taken.has(other.language),
  );

  const send = async (method: 'POST' | 'DELETE', body?: object) => {
    try {
      onChanged(await api<Article>(method, `/articles/${article.id}/translations`, body));
      setMessage(method === 'POST' ? 'Linked.' : 'Removed from its translations.');
      setChoice('');
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };

  return (
    <section className="tool-panel" aria-labelledby="translations-heading">
      <h2 id="translations-heading">Translations</h2>
      {article.translations.length === 0 ? (
        <p className="hint">Not linked to a version in another language.</p>
      ) : (
        <ul>
          {article.translations.map((translation) => (
            <li key={translation.id}>
              {languageName(translation.language)}:{' '}
              <a href={`#/articles/${translation.id}`}>{translation.title}</a> ({translation.status}
              )
            </li>
          ))}
        </ul>
      )}
      <label>
        Find the version in another language by its headline
        <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
      </label>
      <label>
        Link the version in another language
        <select value={choice} onChange={(event) => setChoice(event.target.value)}>
          <option value="">Choose an article</option>
          {options.map((other) => (
            <option key={other.id} value={String(other.id)}>
              {languageName(other.language)}: {other.title}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={choice === ''}
        onClick={() => void send('POST', { articleId: Number(choice) })}
      >
        Link as translation
      </button>{' '}
      {article.translations.length > 0 ? (
        <button type="button" onClick={() => void send('DELETE')}>
          Remove from its translations
        </button>
      ) : null}
      <p role="status">{message}</p>
    </section>
  );
}
