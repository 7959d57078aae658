import type { ReactNode } from 'react';
import { authorUrl, tagUrl } from '../../core/section-path.js';
import type { AuthorView, TagView } from '../../core/views.js';
import { FeedLinks, focusClasses, MediaImage, TeaserList } from '../components.js';
import { PersonContactList } from '../contacts.js';
import { articleCountText, uiText } from '../i18n.js';
import { Layout, type PageProps } from '../layout.js';
import { personJsonLd, webPage } from '../structured-data.js';

/** The portrait is shown square, 8 rem (128 px) wide: renditions from twice that serve sharp screens. */
const AUTHOR_PHOTO_SIZES = '8rem';

/** A topic: every published article with the tag, newest first, and its feeds. */
export function TagPage({ view, chrome, assets }: PageProps<TagView>): ReactNode {
  const language = chrome.settings.language;
  const text = uiText(language);
  const path = tagUrl(view.tag.slug);
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={view.tag.name}
      description={text.topicDescription.replace('{topic}', view.tag.name)}
      path={path}
      feedPath={path}
      structuredData={webPage('CollectionPage', view.tag.name, path, chrome)}
    >
      <p className="page-kind">{text.topic}</p>
      <h1>{view.tag.name}</h1>
      <p className="listing-count">{articleCountText(view.total, language)}</p>
      <FeedLinks path={path} language={language} />
      {view.teasers.length === 0 ? (
        <p>{text.noArticles}</p>
      ) : (
        <TeaserList teasers={view.teasers} timeZone={chrome.settings.timeZone} headingLevel={2} />
      )}
    </Layout>
  );
}

/**
 * A writer: portrait, name, role, biography, how to reach them, and their
 * published articles, newest first, with their feeds.
 */
export function AuthorPage({ view, chrome, assets }: PageProps<AuthorView>): ReactNode {
  const language = chrome.settings.language;
  const text = uiText(language);
  const { person, photo } = view;
  const path = authorUrl(person.slug);
  const profile = personJsonLd(person, photo, chrome);
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={person.name}
      // Search results show a description: the biography, else what the page holds.
      description={person.bio || text.authorDescription.replace('{name}', person.name)}
      path={path}
      feedPath={path}
      structuredData={{ ...webPage('ProfilePage', person.name, path, chrome), mainEntity: profile }}
    >
      <div className="author-header">
        {photo ? (
          <MediaImage
            media={photo}
            isEager={true}
            className={`author-photo ${focusClasses(photo.focus)}`}
            sizes={AUTHOR_PHOTO_SIZES}
          />
        ) : null}
        <div>
          <p className="page-kind">{person.mastheadTitle ?? text.author}</p>
          <h1>{person.name}</h1>
        </div>
      </div>
      {person.bio ? <p className="author-bio">{person.bio}</p> : null}
      <PersonContactList contacts={person.contacts} language={language} />
      {view.total > 0 ? (
        <p className="listing-count">{articleCountText(view.total, language)}</p>
      ) : null}
      <FeedLinks path={path} language={language} />
      {view.teasers.length === 0 ? (
        <p>{text.noArticles}</p>
      ) : (
        <TeaserList teasers={view.teasers} timeZone={chrome.settings.timeZone} headingLevel={2} />
      )}
    </Layout>
  );
}
