import type { ReactNode } from 'react';
import type { CorrectionsView } from '../../core/views.js';
import { DateTime } from '../components.js';
import { correctionLabel, uiText } from '../i18n.js';
import { Layout, type PageProps } from '../layout.js';
import { webPage } from '../structured-data.js';

/** Every public correction, newest first, each linking to its article. */
export function CorrectionsPage({ view, chrome, assets }: PageProps<CorrectionsView>): ReactNode {
  const language = chrome.settings.language;
  const text = uiText(language);
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={text.corrections}
      path="/corrections"
      structuredData={webPage('WebPage', text.corrections, '/corrections', chrome)}
    >
      <article className="static-page">
        <h1>{text.corrections}</h1>
        <p>{text.correctionsIntro}</p>
        {view.entries.length === 0 ? <p>{text.noCorrections}</p> : null}
        <ol className="corrections-list">
          {view.entries.map((entry) => (
            <li key={`${entry.article.url}-${entry.createdAt}`} lang={entry.language}>
              <p className="correction-article">
                <a href={entry.article.url}>{entry.article.title}</a>
              </p>
              <p>
                <strong>{correctionLabel(entry.type, entry.language)}</strong>{' '}
                <DateTime
                  iso={entry.createdAt}
                  language={entry.language}
                  timeZone={chrome.settings.timeZone}
                />
                : {entry.text}
              </p>
            </li>
          ))}
        </ol>
      </article>
    </Layout>
  );
}
