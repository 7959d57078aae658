import type { ReactNode } from 'react';
import { sectionUrl } from '../../core/section-path.js';
import type { SiteChrome } from '../../core/views.js';
import type { AssetUrls } from '../assets.js';
import { uiText } from '../i18n.js';
import { Layout } from '../layout.js';

/**
 * A page that only says something, in the site's language, with nowhere
 * canonical (so search engines keep nothing): a title, its paragraphs, the
 * home page and the sections to go on from.
 */
export function MessagePage({
  chrome,
  assets,
  title,
  paragraphs,
}: {
  chrome: SiteChrome;
  assets: AssetUrls;
  title: string;
  paragraphs: string[];
}): ReactNode {
  const language = chrome.settings.language;
  const text = uiText(language);
  return (
    <Layout chrome={chrome} assets={assets} language={language} title={title} path={null}>
      <h1>{title}</h1>
      {paragraphs.map((paragraph) => (
        <p key={paragraph}>{paragraph}</p>
      ))}
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

/** The 404 page: says what happened and offers the home page and the sections. */
export function NotFoundPage({
  chrome,
  assets,
}: {
  chrome: SiteChrome;
  assets: AssetUrls;
}): ReactNode {
  const text = uiText(chrome.settings.language);
  return MessagePage({
    chrome,
    assets,
    title: text.notFoundTitle,
    paragraphs: [text.notFoundText, text.notFoundSuggestions],
  });
}

/**
 * What a preview link shows once it has expired or was revoked (or never
 * existed: the page does not tell them apart, so a guessed token learns nothing).
 */
export function PreviewClosedPage({
  chrome,
  assets,
}: {
  chrome: SiteChrome;
  assets: AssetUrls;
}): ReactNode {
  const text = uiText(chrome.settings.language);
  return MessagePage({
    chrome,
    assets,
    title: text.previewClosedTitle,
    paragraphs: [text.previewClosedText],
  });
}
