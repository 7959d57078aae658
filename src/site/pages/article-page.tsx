import type { ReactNode } from 'react';
import { articleDescription, searchTitle } from '../../core/description.js';
import { type Doc, plainText } from '../../core/document.js';
import { MEDIA_PATH, renditionWidths, srcsetFor } from '../../core/renditions.js';
import { tagUrl } from '../../core/section-path.js';
import type { Media } from '../../core/types.js';
import type { ArticleView } from '../../core/views.js';
import {
  ARTICLE_IMAGE_SIZES,
  BylineText,
  DateTime,
  DocumentBody,
  Figure,
  TeaserLabel,
} from '../components.js';
import { correctionLabel, formatDateTime, languageName, uiText } from '../i18n.js';
import { Breadcrumbs, Layout, type PageProps, readerPrefix } from '../layout.js';
import { LiveBadge, LiveBlog, liveUrls } from '../live-blog.js';
import { shareLinks } from '../share-links.js';
import { articleSocialTags, articleStructuredData } from '../structured-data.js';
import { ListChoices } from './newsletters-page.js';

/** An article: breadcrumbs, headline, standfirst, byline, lead photo, body, topics, sources, sharing. */
export function ArticlePage({
  view,
  chrome,
  assets,
  isPrintView,
  preview,
}: PageProps<ArticleView> & {
  isPrintView: boolean;
  /** Set for a preview (not public yet): kept from search engines, says so, names the link's end. */
  preview?: { expiresAt: string | null } | undefined;
}): ReactNode {
  const { article } = view;
  const text = uiText(article.language);
  const url = `${chrome.publicUrl}${view.url}`;
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={article.language}
      title={article.title}
      fullTitle={searchTitle(article, chrome.settings.name)}
      description={articleDescription(article) || undefined}
      path={preview ? null : view.url}
      isNoIndex={preview !== undefined}
      notice={
        preview ? (
          <PreviewNotice {...preview} language={article.language} chrome={chrome} />
        ) : undefined
      }
      isPrintView={isPrintView}
      preloadImage={view.lead ? leadPreload(view.lead) : undefined}
      structuredData={
        preview
          ? undefined
          : articleStructuredData(view, chrome, `${chrome.publicUrl}${assets.icon}`)
      }
      socialMeta={preview ? undefined : articleSocialTags(view, chrome)}
      alternates={
        view.live?.state === 'live' && !preview && !chrome.isMirror
          ? [
              {
                href: liveUrls(view.url).atom,
                type: 'application/atom+xml',
                title: text.liveFeedTitle.replace('{title}', article.title),
              },
            ]
          : undefined
      }
      languageVersions={
        view.translations.length > 0
          ? [{ language: article.language, url: view.url }, ...view.translations]
          : undefined
      }
    >
      <article className="article">
        <Breadcrumbs
          trail={view.trail}
          language={article.language}
          prefix={readerPrefix(chrome, article.language)}
          currentIsLast={false}
        />
        <TeaserLabel label={article.label} language={article.language} />
        <LiveBadge live={view.live} language={article.language} />
        <h1 className="headline">{article.title}</h1>
        {view.translations.length > 0 ? (
          <nav className="translations" aria-label={text.otherLanguages}>
            {text.readIn}{' '}
            {view.translations.map((translation, index) => (
              <span key={translation.url}>
                {index > 0 ? ' · ' : null}
                <a
                  href={translation.url}
                  hrefLang={translation.language}
                  lang={translation.language}
                >
                  {languageName(translation.language)}
                </a>
              </span>
            ))}
          </nav>
        ) : null}
        {article.standfirst ? <p className="standfirst">{article.standfirst}</p> : null}
        <p className="article-meta">
          <BylineText bylines={view.bylines} language={article.language} />
          {view.bylines.length > 0 && article.publishedAt ? ' · ' : null}
          {article.publishedAt ? (
            <DateTime
              iso={article.publishedAt}
              language={article.language}
              timeZone={chrome.settings.timeZone}
              withTime
            />
          ) : null}
          {article.publishedAt && isUpdatedAfter(view.modifiedAt, article.publishedAt) ? (
            <>
              {' · '}
              <span className="updated">
                {text.updated}{' '}
                <DateTime
                  iso={view.modifiedAt}
                  language={article.language}
                  timeZone={chrome.settings.timeZone}
                  withTime
                />
              </span>
            </>
          ) : null}
          {' · '}
          <span className="reading-time">{readingTime(article.body, article.language)}</span>
        </p>
        {view.corrections.length > 0 ? (
          <section className="corrections" aria-label={text.corrections}>
            {view.corrections.map((correction) => (
              <p key={correction.createdAt} className={`correction correction-${correction.type}`}>
                <strong>{correctionLabel(correction.type, article.language)}</strong>{' '}
                <DateTime
                  iso={correction.createdAt}
                  language={article.language}
                  timeZone={chrome.settings.timeZone}
                />
                : {correction.text}
              </p>
            ))}
          </section>
        ) : null}
        {view.lead ? (
          <Figure media={view.lead} language={article.language} className="lead" isLead />
        ) : null}
        <DocumentBody doc={article.body} media={view.bodyMedia} language={article.language} />
        {view.live ? (
          <LiveBlog
            live={view.live}
            articleUrl={view.url}
            language={article.language}
            timeZone={chrome.settings.timeZone}
            isMirror={chrome.isMirror === true || preview !== undefined}
          />
        ) : null}
        {view.tags.length > 0 ? (
          <section className="article-tags" aria-labelledby="tags-heading">
            <h2 id="tags-heading">{text.topics}</h2>
            <ul className="tags">
              {view.tags.map((tag) => (
                <li key={tag.slug}>
                  <a href={tagUrl(tag.slug)}>{tag.name}</a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {view.sources.length > 0 ? (
          <section className="sources" aria-labelledby="sources-heading">
            <h2 id="sources-heading">{text.sources}</h2>
            <ul>
              {view.sources.map((source) => (
                <li key={source.name}>
                  {source.url ? <a href={source.url}>{source.name}</a> : source.name}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {view.related.length > 0 ? (
          <section className="related" aria-labelledby="related-heading">
            <h2 id="related-heading">{text.related}</h2>
            <ul>
              {view.related.map((teaser) => (
                <li key={teaser.url} lang={teaser.language}>
                  <TeaserLabel label={teaser.label} language={teaser.language} />
                  <a href={teaser.url}>{teaser.title}</a>
                  {teaser.publishedAt ? (
                    <>
                      {' '}
                      <DateTime
                        iso={teaser.publishedAt}
                        language={teaser.language}
                        timeZone={chrome.settings.timeZone}
                      />
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <p className="print-url">
          {text.articleUrl}: {url}
        </p>
        <section className="share" aria-label={text.share}>
          <ul>
            {shareLinks(url, article.title, text.email).map((link) => (
              <li key={link.network}>
                <a href={link.href} className={`share-${link.network}`} rel="noopener noreferrer">
                  {link.label}
                </a>
              </li>
            ))}
            <li>
              <a
                href={url}
                className="share-copy"
                data-copy-link
                data-copied-text={text.linkCopied}
              >
                {text.copyLink}
              </a>
            </li>
            <li className="web-share" hidden>
              <button type="button" data-web-share>
                {text.shareVia}
              </button>
            </li>
            <li>
              <a href={`${view.url}?print`} className="share-print" data-print rel="nofollow">
                {text.print}
              </a>
            </li>
          </ul>
          <p className="share-status" aria-live="polite" />
        </section>
        {preview || chrome.isMirror ? null : (
          <NewsletterSignUp lists={chrome.signUpLists ?? []} language={article.language} />
        )}
      </article>
    </Layout>
  );
}

/**
 * A sign-up form at the end of the article (a plain form: no JavaScript, no
 * cookie; /newsletters answers it): the lists in the article's language, or
 * every list when none is in it. A mirror has none: it cannot take a post.
 */
function NewsletterSignUp({
  lists,
  language,
}: {
  lists: { id: number; name: string; language: string }[];
  language: string;
}): ReactNode {
  const text = uiText(language);
  const inLanguage = lists.filter((list) => list.language === language);
  const offered = inLanguage.length > 0 ? inLanguage : lists;
  if (offered.length === 0) return null;
  const [only] = offered;
  return (
    <section className="newsletter-signup" aria-labelledby="newsletter-signup-title">
      <h2 id="newsletter-signup-title">{text.newsletterSignUpTitle}</h2>
      <p>{text.newsletterSignUpText}</p>
      <form method="post" action="/newsletters" className="newsletter-form">
        <label htmlFor="newsletter-signup-email">{text.newsletterEmail}</label>
        <input
          id="newsletter-signup-email"
          type="email"
          name="email"
          required
          autoComplete="email"
        />
        {offered.length === 1 && only ? (
          <input type="hidden" name="list" value={String(only.id)} />
        ) : (
          <ListChoices
            lists={offered}
            isChecked={() => false}
            language={language}
            idPrefix="newsletter-signup"
          />
        )}
        <button type="submit">
          {offered.length === 1 && only
            ? `${text.newsletterSubscribe}: ${only.name}`
            : text.newsletterSubscribe}
        </button>
      </form>
    </section>
  );
}

/** Whether an article changed for readers after it was published (a minute's grace for the publishing itself). */
function isUpdatedAfter(modifiedAt: string, publishedAt: string): boolean {
  return Date.parse(modifiedAt) - Date.parse(publishedAt) > 60_000;
}

/** "4 min read": the words of the text at 200 a minute, one minute at least. */
function readingTime(body: Doc, language: string): string {
  const words = plainText(body)
    .split(/\s+/)
    .filter((word) => word !== '').length;
  return uiText(language).readingTime.replace(
    '{minutes}',
    String(Math.max(1, Math.round(words / 200))),
  );
}

/** What a preview says above the page: not public, and until when its link works. */
function PreviewNotice({
  expiresAt,
  language,
  chrome,
}: {
  expiresAt: string | null;
  language: string;
  chrome: ArticlePageChrome;
}): ReactNode {
  const text = uiText(language);
  return (
    <>
      <strong>{text.previewNotice}</strong>
      {expiresAt ? (
        <>
          {' '}
          {text.previewExpires}{' '}
          <time dateTime={expiresAt}>
            {formatDateTime(expiresAt, language, chrome.settings.timeZone)}
          </time>
          .
        </>
      ) : null}
    </>
  );
}

type ArticlePageChrome = PageProps<ArticleView>['chrome'];

/** The preload for a lead photo: the AVIF srcset the <picture> will choose from, or the file itself. */
function leadPreload(
  media: Media,
): { href: string; srcSet?: string; sizes?: string; type?: string } | undefined {
  if (!media.file) return undefined;
  const href = `${MEDIA_PATH}${media.file}`;
  if (media.width === null || renditionWidths(media.width).length === 0) return { href };
  return {
    href,
    srcSet: srcsetFor(media.file, media.width, 'avif', MEDIA_PATH),
    sizes: ARTICLE_IMAGE_SIZES,
    type: 'image/avif',
  };
}
