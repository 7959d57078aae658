import type { ReactNode } from 'react';
import { frontArticleIds } from '../../core/fronts.js';
import { sectionName } from '../../core/localized.js';
import { sectionUrl } from '../../core/section-path.js';
import type { SectionView } from '../../core/views.js';
import {
  FeedLinks,
  LanguageFilter,
  languagePrefix,
  languageVersionsOf,
  TeaserList,
} from '../components.js';
import { Front } from '../front.js';
import { uiText } from '../i18n.js';
import { Breadcrumbs, Layout, type PageProps } from '../layout.js';
import { webPage } from '../structured-data.js';

/** A section: breadcrumbs, its child sections, its front, and its other latest articles (children's included). */
export function SectionPage({ view, chrome, assets }: PageProps<SectionView>): ReactNode {
  const language = view.language ?? chrome.settings.language;
  const text = uiText(language);
  const prefix = languagePrefix(view.language);
  const path = sectionUrl(view.section);
  const name = sectionName(view.section, language);
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={name}
      description={text.sectionDescription.replace('{section}', name)}
      path={`${prefix}${path}`}
      feedPath={`${prefix}${path}`}
      languageVersions={languageVersionsOf(path)}
      structuredData={{
        ...webPage('CollectionPage', name, `${prefix}${path}`, chrome),
        ...(view.language ? { inLanguage: view.language } : {}),
      }}
    >
      <Breadcrumbs trail={view.trail} language={language} prefix={prefix} currentIsLast />
      <h1>{name}</h1>
      <LanguageFilter path={path} current={view.language} interfaceLanguage={language} />
      <FeedLinks path={`${prefix}${path}`} language={language} />
      {view.children.length > 0 ? (
        <nav className="subsections" aria-label={text.subsections}>
          <ul>
            {view.children.map((child) => (
              <li key={child.id}>
                <a href={`${prefix}${sectionUrl(child)}`}>{sectionName(child, language)}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {view.teasers.length === 0 && frontArticleIds(view.blocks).length === 0 ? (
        <p>{text.noArticles}</p>
      ) : null}
      <Front
        blocks={view.blocks}
        sections={view.sections}
        language={language}
        prefix={prefix}
        timeZone={chrome.settings.timeZone}
      />
      {view.teasers.length > 0 ? (
        <section className="more-stories" aria-labelledby="more-stories">
          <h2 id="more-stories" className="front-heading">
            {text.moreStories}
          </h2>
          <TeaserList teasers={view.teasers} timeZone={chrome.settings.timeZone} headingLevel={3} />
        </section>
      ) : null}
    </Layout>
  );
}
