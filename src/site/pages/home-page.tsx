import type { ReactNode } from 'react';
import { frontArticleIds } from '../../core/fronts.js';
import { siteName, siteTagline } from '../../core/localized.js';
import type { HomeView } from '../../core/views.js';
import { LanguageFilter, languagePrefix, languageVersionsOf } from '../components.js';
import { Front } from '../front.js';
import { uiText } from '../i18n.js';
import { Layout, type PageProps } from '../layout.js';
import { homeStructuredData } from '../structured-data.js';

/** The home page: the front editors arranged for its language (core/fronts.ts). */
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
      title={siteName(chrome.settings, language)}
      description={siteTagline(chrome.settings, language) || undefined}
      path={prefix || '/'}
      feedPath={prefix}
      languageVersions={languageVersionsOf('')}
      structuredData={homeStructuredData(chrome, `${chrome.publicUrl}${assets.icon}`)}
    >
      <h1 className="visually-hidden">{siteName(chrome.settings, language)}</h1>
      <LanguageFilter path="" current={view.language} interfaceLanguage={language} />
      {frontArticleIds(view.blocks).length === 0 ? <p>{text.noArticles}</p> : null}
      <Front
        blocks={view.blocks}
        sections={view.sections}
        language={language}
        prefix={prefix}
        timeZone={chrome.settings.timeZone}
      />
    </Layout>
  );
}
