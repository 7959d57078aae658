import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { formatCreditChain } from '../core/credit.js';
import type { Doc } from '../core/document.js';
import { renditionWidths, srcsetFor } from '../core/renditions.js';
import type { Byline, Media } from '../core/types.js';
import type { Teaser } from '../core/views.js';
import { formatDate, uiText } from './i18n.js';
import { renderDocument } from './render-document.js';

/** "Photo: EPA / Grigory Sysoev / Sputnik / Kremlin", or null when the photo has no credit. */
export function creditLine(media: Media, language: string): string | null {
  return media.credit.length > 0
    ? `${uiText(language).photo}: ${formatCreditChain(media.credit)}`
    : null;
}

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
          srcSet={srcsetFor(file, width, 'avif', MEDIA_PREFIX)}
          sizes={sizes}
        />
      ) : null}
      {hasRenditions ? (
        <source
          type="image/webp"
          srcSet={srcsetFor(file, width, 'webp', MEDIA_PREFIX)}
          sizes={sizes}
        />
      ) : null}
      <img
        src={`${MEDIA_PREFIX}${file}`}
        srcSet={hasRenditions ? srcsetFor(file, width, 'jpg', MEDIA_PREFIX) : undefined}
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

const MEDIA_PREFIX = '/media/';

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
}: {
  media: Media;
  language: string;
  className: string;
  isLead: boolean;
}): ReactNode {
  const credit = creditLine(media, language);
  return (
    <figure className={className}>
      <MediaImage media={media} isEager={isLead} sizes={ARTICLE_IMAGE_SIZES} />
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

/** "By Anna Petrova and Ivan Sidorov" with each byline's label ("Translated by …"). */
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
  const parts: string[] = [];
  if (plain.length > 0) parts.push(`${text.by} ${plain.map((b) => b.person.name).join(', ')}`);
  for (const byline of labelled) parts.push(`${byline.label} ${byline.person.name}`);
  return parts.length > 0 ? <span className="byline">{parts.join(' · ')}</span> : null;
}

/** A `<time>` with the machine-readable date and the reader's wording. */
export function DateTime({
  iso,
  language,
  timeZone,
}: {
  iso: string;
  language: string;
  timeZone: string;
}): ReactNode {
  return <time dateTime={iso}>{formatDate(iso, language, timeZone)}</time>;
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
              className="teaser-image"
              sizes={TEASER_IMAGE_SIZES}
            />
          ) : null}
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
  const renderImage = (mediaId: number): string => {
    const item = byId.get(mediaId);
    return item
      ? renderToStaticMarkup(
          <Figure media={item} language={language} className="image" isLead={false} />,
        )
      : '';
  };
  const html = { __html: renderDocument(doc, renderImage) };
  // biome-ignore lint/security/noDangerouslySetInnerHtml: the HTML comes from a validated document through Tiptap's escaping renderer, never from raw input
  return <div className="article-body" dangerouslySetInnerHTML={html} />;
}
