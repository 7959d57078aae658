import type { ReactNode } from 'react';
import { sectionUrl } from '../../core/section-path.js';
import type { SectionView } from '../../core/views.js';
import {
  FeedLinks,
  LanguageFilter,
  languagePrefix,
  languageVersionsOf,
  TeaserList,
} from '../components.js';
import { uiText } from '../i18n.js';
import { Breadcrumbs, Layout, type PageProps } from '../layout.js';
import { webPage } from '../structured-data.js';

/** A section: breadcrumbs, its child sections, and its latest articles (children's included). */
export function SectionPage({ view, chrome, assets }: PageProps<SectionView>): ReactNode {
  const language = view.language ?? chrome.settings.language;
  const text = uiText(language);
  const prefix = languagePrefix(view.language);
  const path = sectionUrl(view.section);
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={view.section.name}
      path={`${prefix}${path}`}
      feedPath={`${prefix}${path}`}
      languageVersions={languageVersionsOf(path)}
      structuredData={{
        ...webPage('CollectionPage', view.section.name, `${prefix}${path}`, chrome),
        ...(view.language ? { inLanguage: view.language } : {}),
      }}
    >
      <Breadcrumbs trail={view.trail} language={language} currentIsLast />
      <h1>{view.section.name}</h1>
      <LanguageFilter path={path} current={view.language} interfaceLanguage={language} />
      <FeedLinks path={`${prefix}${path}`} language={language} />
      {view.children.length > 0 ? (
        <nav className="subsections" aria-label={text.subsections}>
          <ul>
            {view.children.map((child) => (
              <li key={child.id}>
                <a href={`${prefix}${sectionUrl(child)}`}>{child.name}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {view.teasers.length === 0 ? (
        <p>{text.noArticles}</p>
      ) : (
        <TeaserList teasers={view.teasers} timeZone={chrome.settings.timeZone} headingLevel={2} />
      )}
    </Layout>
  );
}
