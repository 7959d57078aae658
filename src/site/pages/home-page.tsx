import type { ReactNode } from 'react';
import { sectionUrl } from '../../core/section-path.js';
import type { HomeView } from '../../core/views.js';
import { LanguageFilter, languagePrefix, languageVersionsOf, TeaserList } from '../components.js';
import { uiText } from '../i18n.js';
import { Layout, type PageProps } from '../layout.js';
import { homeStructuredData } from '../structured-data.js';

/** The home page: the latest articles, grouped by top-level section. */
export function HomePage({ view, chrome, assets }: PageProps<HomeView>): ReactNode {
  // A language-filtered home page ("/ru") speaks that language.
  const language = view.language ?? chrome.settings.language;
  const text = uiText(language);
  const prefix = languagePrefix(view.language);
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={chrome.settings.name}
      description={chrome.settings.tagline || undefined}
      path={prefix || '/'}
      feedPath={prefix}
      languageVersions={languageVersionsOf('')}
      structuredData={homeStructuredData(chrome, `${chrome.publicUrl}${assets.icon}`)}
    >
      <h1 className="visually-hidden">{chrome.settings.name}</h1>
      <LanguageFilter path="" current={view.language} interfaceLanguage={language} />
      {view.groups.length === 0 ? <p>{text.noArticles}</p> : null}
      {view.groups.map((group) => (
        <section
          key={group.section.id}
          className="home-section"
          aria-labelledby={`section-${group.section.id}`}
        >
          <h2 id={`section-${group.section.id}`} className="home-section-title">
            <a href={`${prefix}${sectionUrl(group.section)}`}>{group.section.name}</a>
          </h2>
          <TeaserList
            teasers={group.teasers}
            timeZone={chrome.settings.timeZone}
            headingLevel={3}
          />
        </section>
      ))}
    </Layout>
  );
}
