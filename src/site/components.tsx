import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Doc } from '../core/document.js';
import { MEDIA_PATH, renditionWidths, srcsetFor } from '../core/renditions.js';
import type { SnippetPart } from '../core/search-text.js';
import { authorUrl } from '../core/section-path.js';
import { type Byline, type FocalPoint, LANGUAGES, type Media } from '../core/types.js';
import type { Teaser } from '../core/views.js';
import { embedFacadeHtml } from './embed-facade.js';
import {
  creditLine,
  formatDate,
  formatDateTime,
  labelText,
  languageName,
  photoCountText,
  type TeaserLabelKind,
  uiText,
} from './i18n.js';
import { feedUrls } from './layout.js';
import { renderDocument } from './render-document.js';

/**
 * The image of a media record, with its dimensions so the page does not jump
 * as it loads; nothing at all for a record imported without its file.
 */
export function MediaImage({
  media,
  isEager,
  className,
  sizes,
}: {
  media: Media;
  isEager: boolean;
  className?: string;
  /** How wide the image is shown, for the browser to pick a rendition (the `sizes` attribute). */
  sizes: string;
}): ReactNode {
  if (!media.file) return null;
  const { file, width } = media;
  // AVIF, then WebP, then JPEG: each browser takes the first format it reads,
  // at the smallest width that fills its screen.
  const hasRenditions = width !== null && renditionWidths(width).length > 0;
  return (
    <picture className={className}>
      {hasRenditions ? (
        <source
          type="image/avif"
          srcSet={srcsetFor(file, width, 'avif', MEDIA_PATH)}
          sizes={sizes}
        />
      ) : null}
      {hasRenditions ? (
        <source
          type="image/webp"
          srcSet={srcsetFor(file, width, 'webp', MEDIA_PATH)}
          sizes={sizes}
        />
      ) : null}
      <img
        src={`${MEDIA_PATH}${file}`}
        srcSet={hasRenditions ? srcsetFor(file, width, 'jpg', MEDIA_PATH) : undefined}
        sizes={hasRenditions ? sizes : undefined}
        alt={media.alt}
        width={media.width ?? undefined}
        height={media.height ?? undefined}
        loading={isEager ? 'eager' : 'lazy'}
        fetchPriority={isEager ? 'high' : undefined}
        decoding="async"
      />
    </picture>
  );
}

/** The article column: the full screen on phones, at most 40rem (640 px) wide on larger ones. */
export const ARTICLE_IMAGE_SIZES = '(min-width: 42rem) 40rem, calc(100vw - 2rem)';
/** Teasers: one column on phones, two or three across on larger screens. */
export const TEASER_IMAGE_SIZES =
  '(min-width: 68rem) 21rem, (min-width: 36rem) 45vw, calc(100vw - 2rem)';

/**
 * A photo with its caption and credit. A photo imported without its file still
 * shows caption and credit, and no broken image.
 */
export function Figure({
  media,
  language,
  className,
  isLead,
  href,
}: {
  media: Media;
  language: string;
  className: string;
  isLead: boolean;
  /** Where pressing the picture leads (a link the article gives it). */
  href?: string | null | undefined;
}): ReactNode {
  const credit = creditLine(media, language);
  const image = (
    <MediaImage
      media={media}
      isEager={isLead}
      sizes={ARTICLE_IMAGE_SIZES}
      className={focusClasses(media.focus) || undefined}
    />
  );
  return (
    <figure className={className}>
      {href && media.file ? (
        // A picture without alt text names its link by its caption, else the
        // address: a link with no name is announced as nothing.
        <a href={href} aria-label={media.alt ? undefined : media.caption || href}>
          {image}
        </a>
      ) : (
        image
      )}
      {/* A photo whose file is lost still says what it showed. */}
      {!media.file && !media.caption && !credit && media.alt ? (
        <figcaption>{media.alt}</figcaption>
      ) : null}
      {media.caption || credit ? (
        <figcaption>
          {media.caption ? <span className="caption">{media.caption}</span> : null}
          {media.caption && credit ? ' ' : null}
          {credit ? <span className="credit">{credit}</span> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}

/** "By Anna Petrova, Ivan Sidorov · Translated by …", each name linking to the writer's page. */
export function BylineText({
  bylines,
  language,
}: {
  bylines: Byline[];
  language: string;
}): ReactNode {
  const text = uiText(language);
  const plain = bylines.filter((byline) => !byline.label);
  const labelled = bylines.filter((byline) => byline.label);
  const name = (byline: Byline) => (
    <a key={byline.person.id} href={authorUrl(byline.person.slug)}>
      {byline.person.name}
    </a>
  );
  const parts: ReactNode[] = [];
  if (plain.length > 0)
    parts.push(
      <span key="by">
        {text.by} {plain.map((byline, index) => [index > 0 ? ', ' : null, name(byline)])}
      </span>,
    );
  for (const byline of labelled)
    parts.push(
      <span key={`label-${byline.person.id}`}>
        {byline.label} {name(byline)}
      </span>,
    );
  return parts.length > 0 ? (
    <span className="byline">{parts.map((part, index) => [index > 0 ? ' · ' : null, part])}</span>
  ) : null;
}

/** A `<time>` with the machine-readable date and the reader's wording (with the time of day and zone when `withTime`). */
export function DateTime({
  iso,
  language,
  timeZone,
  withTime = false,
}: {
  iso: string;
  language: string;
  timeZone: string;
  withTime?: boolean;
}): ReactNode {
  return (
    <time dateTime={iso}>
      {withTime ? formatDateTime(iso, language, timeZone) : formatDate(iso, language, timeZone)}
    </time>
  );
}

/**
 * The classes that keep a photo's focal point in a teaser's crop, to the
 * nearest tenth: site.css turns them into `object-position`. Classes, not a
 * style attribute, because reader pages allow no inline styles (CSP).
 */
export function focusClasses(focus: FocalPoint | null): string {
  const tenth = (value: number) => Math.round(Math.min(100, Math.max(0, value)) / 10) * 10;
  return focus ? `focus-x-${tenth(focus.x)} focus-y-${tenth(focus.y)}` : '';
}

/**
 * The kicker above a headline that tells opinion, analysis and live coverage
 * from reporting; nothing for plain news. In `language`, the language of the
 * text it stands over (its `lang`), like the byline and date beside it.
 */
export function TeaserLabel({
  label,
  language,
}: {
  label: TeaserLabelKind | null;
  language: string;
}): ReactNode {
  return label ? <p className="teaser-label">{labelText(label, language)}</p> : null;
}

/** A list of article teasers (home and section pages). */
export function TeaserList({
  teasers,
  timeZone,
  headingLevel,
}: {
  teasers: Teaser[];
  timeZone: string;
  headingLevel: 2 | 3;
}): ReactNode {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul className="teasers">
      {teasers.map((teaser) => (
        <li key={teaser.url} className="teaser" lang={teaser.language}>
          {teaser.lead ? (
            <MediaImage
              media={teaser.lead}
              isEager={false}
              className={`teaser-image ${focusClasses(teaser.lead.focus)}`}
              sizes={TEASER_IMAGE_SIZES}
            />
          ) : null}
          <TeaserLabel label={teaser.label} language={teaser.language} />
          <Heading className="teaser-title">
            <a href={teaser.url}>{teaser.title}</a>
          </Heading>
          {teaser.standfirst ? <p className="teaser-standfirst">{teaser.standfirst}</p> : null}
          <p className="teaser-meta">
            <BylineText bylines={teaser.bylines} language={teaser.language} />
            {teaser.bylines.length > 0 && teaser.publishedAt ? ' · ' : null}
            {teaser.publishedAt ? (
              <DateTime iso={teaser.publishedAt} language={teaser.language} timeZone={timeZone} />
            ) : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

/**
 * The body of an article or page, rendered from its stored document, with each
 * image's alt text, caption and credit taken from its media record now.
 */
export function DocumentBody({
  doc,
  media,
  language,
}: {
  doc: Doc;
  media: Media[];
  language: string;
}): ReactNode {
  // Each picture is the same responsive figure as the lead photo, with the
  // record's current alt text, caption and credit.
  const byId = new Map(media.map((item) => [item.id, item]));
  const renderImage = (mediaId: number, storyCaption: string, href: string | null): string => {
    const item = byId.get(mediaId);
    return item
      ? renderToStaticMarkup(
          <Figure
            media={storyCaption ? { ...item, caption: storyCaption } : item}
            language={language}
            className="image"
            isLead={false}
            href={href}
          />,
        )
      : '';
  };
  // An embed is a facade whose picture is its thumbnail kept on Masthead,
  // decorative (the title beside it says what it is).
  const renderEmbed = (embed: {
    url: string;
    title: string;
    thumbnailMediaId: number | null;
  }): string => {
    const thumbnail =
      embed.thumbnailMediaId === null ? undefined : byId.get(embed.thumbnailMediaId);
    const thumbnailHtml = thumbnail?.file
      ? renderToStaticMarkup(
          <MediaImage
            media={{ ...thumbnail, alt: '' }}
            isEager={false}
            sizes={ARTICLE_IMAGE_SIZES}
          />,
        )
      : '';
    return embedFacadeHtml({ url: embed.url, title: embed.title, thumbnailHtml }, language);
  };
  const galleryLabel = (count: number) =>
    `${uiText(language).gallery}: ${photoCountText(count, language)}`;
  const html = {
    __html: renderDocument(doc, { language, renderImage, renderEmbed, galleryLabel }),
  };
  // biome-ignore lint/security/noDangerouslySetInnerHtml: the HTML comes from a validated document through Tiptap's escaping renderer, never from raw input
  return <div className="article-body" dangerouslySetInnerHTML={html} />;
}

/** Visible links to a listing's feeds, for readers who subscribe by hand. */
export function FeedLinks({ path, language }: { path: string; language: string }): ReactNode {
  return (
    <p className="feed-links">
      {uiText(language).feeds}:{' '}
      {feedUrls(path).map((feed, index) => (
        <span key={feed.href}>
          {index > 0 ? ' · ' : null}
          <a href={feed.href} type={feed.type}>
            {feed.label}
          </a>
        </span>
      ))}
    </p>
  );
}

/** Text with the parts that matched a search marked. */
export function Marked({ parts }: { parts: SnippetPart[] }): ReactNode {
  return parts.map((part, index) =>
    part.isMatch ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts never move
      <mark key={index}>{part.text}</mark>
    ) : (
      part.text
    ),
  );
}

/** The address prefix of a language-filtered listing: "/ru", or "" for all languages. */
export function languagePrefix(language: string | null): string {
  return language ? `/${language}` : '';
}

/**
 * Links to the same listing in each language and in all: the home page and
 * sections can be read in one language only ("/ru", "/ru/news").
 */
export function LanguageFilter({
  path,
  current,
  interfaceLanguage,
}: {
  /** The listing's own path without a language prefix: "" for home, "/news". */
  path: string;
  current: string | null;
  interfaceLanguage: string;
}): ReactNode {
  const text = uiText(interfaceLanguage);
  const options: { language: string | null; label: string }[] = [
    { language: null, label: text.allLanguages },
    ...LANGUAGES.map((language) => ({ language, label: languageName(language) })),
  ];
  return (
    <nav className="language-filter" aria-label={text.languageFilter}>
      <ul>
        {options.map((option) => (
          <li key={option.language ?? 'all'}>
            <a
              href={`${languagePrefix(option.language)}${path}` || '/'}
              hrefLang={option.language ?? undefined}
              lang={option.language ?? undefined}
              aria-current={option.language === current ? 'page' : undefined}
            >
              {option.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A listing in each language, for hreflang: "/news" → "/en/news", "/ru/news". */
export function languageVersionsOf(path: string): { language: string; url: string }[] {
  return [
    { language: 'x-default', url: path || '/' },
    ...LANGUAGES.map((language) => ({ language, url: `/${language}${path}` })),
  ];
}
