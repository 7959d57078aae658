import type { ReactNode } from 'react';
import { type FilledBlock, type FrontStory, withoutRepeatedPhotos } from '../core/fronts.js';
import { sectionName } from '../core/localized.js';
import { sectionUrl } from '../core/section-path.js';
import type { Section } from '../core/types.js';
import { BylineText, DateTime, focusClasses, MediaImage, TeaserLabel } from './components.js';
import { type UiText, uiText } from './i18n.js';

// A front as readers see it: the blocks editors arranged, top to bottom. Each
// block has a heading (visible, or for screen readers only), so the page reads
// as an outline; stories are h3 under it. Blocks with a name of their own (an
// editor's heading, a module, a section) are regions, and unnamed story
// blocks are not: two regions with one name confuse screen readers.

type Size = 'lead' | 'secondary' | 'row';

/** How wide each kind of teaser's photo is shown, for the browser to pick a rendition. */
const IMAGE_SIZES: Record<Size, string> = {
  lead: '(min-width: 64rem) 42rem, calc(100vw - 2rem)',
  secondary: '(min-width: 64rem) 16rem, (min-width: 36rem) 45vw, calc(100vw - 2rem)',
  row: '(min-width: 64rem) 12rem, (min-width: 36rem) 30vw, 6rem',
};

/**
 * One story: photo (when it has one: a story without gets the text layout,
 * never an empty box), headline, standfirst for the larger ones, byline and date.
 */
function FrontTeaser({
  story,
  size,
  timeZone,
  isEager,
}: {
  story: FrontStory;
  size: Size;
  timeZone: string;
  isEager: boolean;
}): ReactNode {
  const photo = story.lead?.file ? story.lead : null;
  return (
    <article
      className={`front-teaser front-teaser-${size}${photo ? '' : ' front-teaser-text'}`}
      lang={story.language}
    >
      {photo ? (
        <MediaImage
          media={photo}
          isEager={isEager}
          className={`teaser-image ${focusClasses(photo.focus)}`}
          sizes={IMAGE_SIZES[size]}
        />
      ) : null}
      <div className="front-teaser-text-part">
        <TeaserLabel label={story.label} language={story.language} />
        <h3 className="teaser-title">
          <a href={story.url}>{story.title}</a>
        </h3>
        {story.standfirst && size !== 'row' ? (
          <p className="teaser-standfirst">{story.standfirst}</p>
        ) : null}
        <p className="teaser-meta">
          <BylineText bylines={story.bylines} language={story.language} />
          {story.bylines.length > 0 && story.publishedAt ? ' · ' : null}
          {story.publishedAt ? (
            <DateTime iso={story.publishedAt} language={story.language} timeZone={timeZone} />
          ) : null}
        </p>
      </div>
    </article>
  );
}

/** A block's heading: the editors' words, else the module's name; hidden for story blocks without one. */
function BlockHeading({
  id,
  text,
  isVisible,
  href,
}: {
  id: string;
  text: string;
  isVisible: boolean;
  href?: string | undefined;
}): ReactNode {
  return (
    <h2 id={id} className={isVisible ? 'front-heading' : 'visually-hidden'}>
      {href ? <a href={href}>{text}</a> : text}
    </h2>
  );
}

/** What rendering one block needs to know of the page around it. */
type PageState = {
  text: UiText;
  language: string;
  prefix: string;
  timeZone: string;
  sections: readonly Section[];
  /** Photos already on the page: the same one never shows twice. */
  seenPhotos: Set<number>;
  /** Whether the page's first photo (fetched at once: the largest paint) is still to come. */
  isFirstPhoto: boolean;
};

/** A block: a region named by its heading, or a plain container for a story block without one. */
function BlockFrame({
  id,
  className,
  isLandmark,
  children,
}: {
  id: string;
  className: string;
  isLandmark: boolean;
  children: ReactNode;
}): ReactNode {
  return isLandmark ? (
    <section className={className} aria-labelledby={id}>
      {children}
    </section>
  ) : (
    <div className={className}>{children}</div>
  );
}

function isEager(page: PageState, story: FrontStory): boolean {
  if (!page.isFirstPhoto || !story.lead?.file) return false;
  page.isFirstPhoto = false;
  return true;
}

/** The front's blocks, in the editors' order, with the same photo never shown twice on the page. */
export function Front({
  blocks,
  sections,
  language,
  prefix,
  timeZone,
}: {
  blocks: readonly FilledBlock[];
  sections: readonly Section[];
  /** The page's language, for the modules' own headings. */
  language: string;
  /** The language prefix of section links ("/ru", or ""). */
  prefix: string;
  timeZone: string;
}): ReactNode {
  const page: PageState = {
    text: uiText(language),
    language,
    prefix,
    timeZone,
    sections,
    seenPhotos: new Set(),
    isFirstPhoto: true,
  };
  // Blocks never move on a rendered page: their place is their identity.
  const placed = blocks.map((block, position) => ({ block, id: `front-${position}` }));
  return (
    <div className="front">
      {placed.map(({ block, id }) => (
        <FrontBlockView key={id} block={block} id={id} page={page} />
      ))}
    </div>
  );
}

function FrontBlockView({
  block,
  id,
  page,
}: {
  block: FilledBlock;
  id: string;
  page: PageState;
}): ReactNode {
  const { text, language, prefix, timeZone, sections, seenPhotos } = page;
  switch (block.kind) {
    case 'banner':
      return (
        <aside
          className={`front-banner front-banner-${block.tone}`}
          aria-label={block.tone === 'breaking' ? text.breaking : text.notice}
        >
          {block.tone === 'breaking' ? (
            <strong className="front-banner-label">{text.breaking}</strong>
          ) : null}{' '}
          {block.url ? <a href={block.url}>{block.text}</a> : block.text}
        </aside>
      );
    case 'lead':
    case 'secondary':
    case 'row': {
      const stories = withoutRepeatedPhotos(
        block.slots.filter((story): story is FrontStory => story !== null),
        seenPhotos,
      );
      if (stories.length === 0) return null;
      return (
        <BlockFrame
          id={id}
          className={`front-block front-${block.kind}`}
          isLandmark={block.heading !== ''}
        >
          <BlockHeading
            id={id}
            text={block.heading || text.frontStories}
            isVisible={block.heading !== ''}
          />
          <div className="front-stories">
            {stories.map((story) => (
              <FrontTeaser
                key={story.articleId}
                story={story}
                size={block.kind}
                timeZone={timeZone}
                isEager={isEager(page, story)}
              />
            ))}
          </div>
        </BlockFrame>
      );
    }
    case 'section': {
      const section = sections.find((candidate) => candidate.id === block.sectionId);
      const stories = withoutRepeatedPhotos(block.stories, seenPhotos);
      if (!section || stories.length === 0) return null;
      return (
        <section className="front-block front-section" aria-labelledby={id}>
          <BlockHeading
            id={id}
            text={block.heading || sectionName(section, language)}
            isVisible
            href={`${prefix}${sectionUrl(section)}`}
          />
          <div className="front-stories">
            {stories.map((story) => (
              <FrontTeaser
                key={story.articleId}
                story={story}
                size="row"
                timeZone={timeZone}
                isEager={false}
              />
            ))}
          </div>
        </section>
      );
    }
    case 'latest':
    case 'most-read': {
      if (block.stories.length === 0) return null;
      const isLatest = block.kind === 'latest';
      return (
        <section className={`front-block front-list front-${block.kind}`} aria-labelledby={id}>
          <BlockHeading
            id={id}
            text={block.heading || (isLatest ? text.latest : text.mostRead)}
            isVisible
          />
          {/* Most read is a ranking: its numbers mean something. */}
          {isLatest ? (
            <ul>
              {block.stories.map((story) => (
                <ListItem key={story.articleId} story={story} timeZone={timeZone} />
              ))}
            </ul>
          ) : (
            <ol>
              {block.stories.map((story) => (
                <ListItem key={story.articleId} story={story} timeZone={null} />
              ))}
            </ol>
          )}
        </section>
      );
    }
  }
}

function ListItem({ story, timeZone }: { story: FrontStory; timeZone: string | null }): ReactNode {
  return (
    <li lang={story.language}>
      {timeZone && story.publishedAt ? (
        <>
          <DateTime iso={story.publishedAt} language={story.language} timeZone={timeZone} />{' '}
        </>
      ) : null}
      <a href={story.url}>{story.title}</a>
    </li>
  );
}
