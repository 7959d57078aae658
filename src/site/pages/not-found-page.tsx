import type { ReactNode } from 'react';
import { sectionUrl } from '../../core/section-path.js';
import type { SiteChrome } from '../../core/views.js';
import type { AssetUrls } from '../assets.js';
import { uiText } from '../i18n.js';
import { Layout } from '../layout.js';

/** The 404 page: says what happened and offers the home page and the sections. */
export function NotFoundPage({
  chrome,
  assets,
}: {
  chrome: SiteChrome;
  assets: AssetUrls;
}): ReactNode {
  const language = chrome.settings.language;
  const text = uiText(language);
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={text.notFoundTitle}
      path={null}
    >
      <h1>{text.notFoundTitle}</h1>
      <p>{text.notFoundText}</p>
      <p>{text.notFoundSuggestions}</p>
      <ul className="not-found-links">
        <li>
          <a href="/">{text.home}</a>
        </li>
        {chrome.sections.map((section) => (
          <li key={section.id}>
            <a href={sectionUrl(section)}>{section.name}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
