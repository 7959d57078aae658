import { type ReactNode, useId, useState } from 'react';
import {
  articleDescription,
  cutAtWord,
  DESCRIPTION_LENGTH,
  searchTitle,
  socialTitle,
  TITLE_LENGTH,
} from '../../core/description.js';
import type { Doc as StoredDoc } from '../../core/document.js';
import { type Doc, type MediaItem, thumbnailOf } from '../api.js';
import { PhotoPicker } from '../photo-picker.js';
import { countOf } from '../plural.js';
import { usePhoto } from '../use-photo.js';

/** What the panel reads of the article on screen. */
export type Presentation = {
  title: string;
  standfirst: string;
  body: Doc;
  metaTitle: string;
  metaDescription: string;
  socialImageId: number | null;
  leadMediaId: number | null;
};

/** "https://example.org/news/politics/vote" as a search result writes it: "example.org › news › politics › vote". */
export function displayAddress(publicUrl: string, path: string): string {
  const host = URL.canParse(publicUrl) ? new URL(publicUrl).host : publicUrl;
  return [host, ...path.split('/').filter(Boolean)].join(' › ');
}

/**
 * How the article shows in search results and link previews: a title and a
 * description for both (empty: the headline and the standfirst, or the first
 * paragraph), a photo for link previews (none: the lead photo), and a preview
 * of each as the reader will meet it before clicking. The previews follow
 * core's rules, the same the reader page's <head> is written by.
 */
export function SearchSocialPanel({
  draft,
  path,
  site,
  media,
  onChange,
  onUploaded,
}: {
  draft: Presentation;
  /** The article's public path. */
  path: string;
  site: { name: string; publicUrl: string };
  media: MediaItem[];
  onChange: (<K extends 'metaTitle' | 'metaDescription'>(key: K, value: string) => void) &
    ((key: 'socialImageId', value: number | null) => void);
  onUploaded: () => void;
}): ReactNode {
  const id = useId();
  const [isPicking, setPicking] = useState(false);
  const [justChosen, setJustChosen] = useState<MediaItem | null>(null);
  // Photos older than the library's newest 200 are fetched on their own.
  const chosenImage = usePhoto(draft.socialImageId, [...media, justChosen]);
  const leadImage = usePhoto(draft.leadMediaId, [...media, justChosen]);
  const cardImage = chosenImage ?? leadImage;
  const cardSrc = cardImage ? thumbnailOf(cardImage) : null;
  // The editor's body is the stored document, typed loosely by Tiptap.
  const text = { ...draft, body: draft.body as StoredDoc };
  const defaultDescription = articleDescription({ ...text, metaDescription: '' });
  const description = articleDescription(text);
  const resultTitle = searchTitle(draft, site.name);
  const host = URL.canParse(site.publicUrl) ? new URL(site.publicUrl).host : site.publicUrl;

  return (
    <section aria-labelledby={`${id}-heading`} className="search-social">
      <h2 id={`${id}-heading`}>Search and social</h2>
      <p className="hint">
        How the article looks in search results and when its link is shared. Leave a field empty to
        use the headline, the standfirst and the lead photo.
      </p>
      <label className="search-social-label" htmlFor={`${id}-title`}>
        Title for search and sharing
      </label>
      <input
        id={`${id}-title`}
        value={draft.metaTitle}
        placeholder={resultTitle}
        aria-describedby={`${id}-title-count`}
        onChange={(e) => onChange('metaTitle', e.target.value)}
      />
      <CharacterCount
        id={`${id}-title-count`}
        length={draft.metaTitle.trim().length}
        shown={TITLE_LENGTH}
      />
      <label className="search-social-label" htmlFor={`${id}-description`}>
        Description for search and sharing
      </label>
      <textarea
        id={`${id}-description`}
        rows={3}
        value={draft.metaDescription}
        placeholder={defaultDescription || 'The first paragraph, once there is one'}
        aria-describedby={`${id}-description-count`}
        onChange={(e) => onChange('metaDescription', e.target.value)}
      />
      <CharacterCount
        id={`${id}-description-count`}
        length={draft.metaDescription.trim().length}
        shown={DESCRIPTION_LENGTH}
      />
      <fieldset className="social-image">
        <legend>Photo for shared links</legend>
        <p className="hint">
          {chosenImage
            ? `Chosen for shared links: ${chosenImage.alt}`
            : cardImage
              ? 'The lead photo (choose another one if it crops badly in a wide card).'
              : 'None: shared links show no picture until there is a lead photo or one is chosen here.'}
        </p>
        <p className="button-row">
          <button type="button" onClick={() => setPicking(true)}>
            {chosenImage ? 'Change the photo' : 'Choose a photo'}
          </button>
          {chosenImage ? (
            <button type="button" onClick={() => onChange('socialImageId', null)}>
              Use the lead photo
            </button>
          ) : null}
        </p>
      </fieldset>
      {isPicking ? (
        <PhotoPicker
          mode="one"
          title="Photo for shared links"
          chooseLabel="Use for shared links"
          initialFiles={[]}
          onChoose={([item]) => {
            setPicking(false);
            if (!item) return;
            setJustChosen(item);
            onChange('socialImageId', item.id);
            onUploaded();
          }}
          onClose={() => setPicking(false)}
        />
      ) : null}
      <h3 id={`${id}-search-preview`}>In search results</h3>
      <figure className="search-preview" aria-labelledby={`${id}-search-preview`}>
        <p className="search-preview-address">{displayAddress(site.publicUrl, path)}</p>
        <p className="search-preview-title">{cutAtWord(resultTitle, TITLE_LENGTH)}</p>
        <p className="search-preview-description">
          {description ? cutAtWord(description, DESCRIPTION_LENGTH) : 'No description yet.'}
        </p>
      </figure>
      <h3 id={`${id}-card-preview`}>As a shared link</h3>
      <figure className="card-preview" aria-labelledby={`${id}-card-preview`}>
        {cardSrc ? (
          <img className="card-preview-image" src={cardSrc} alt={cardImage?.alt ?? ''} />
        ) : (
          <p className="card-preview-no-image">No picture</p>
        )}
        <p className="card-preview-host">{host}</p>
        <p className="card-preview-title">{socialTitle(draft) || 'Untitled article'}</p>
        {description ? (
          <p className="card-preview-description">{cutAtWord(description, 120)}</p>
        ) : null}
      </figure>
    </section>
  );
}

/** "48 characters; search engines show about 60", warning past that. */
function CharacterCount({
  id,
  length,
  shown,
}: {
  id: string;
  length: number;
  shown: number;
}): ReactNode {
  const isLong = length > shown;
  return (
    <p id={id} className={isLong ? 'char-count warning' : 'char-count hint'}>
      {length === 0
        ? `Empty: the default is used. Search engines show about ${shown} characters.`
        : `${countOf(length, { one: 'character', other: 'characters' })}; search engines show about ${shown}${isLong ? ', so the end will be cut' : ''}.`}
    </p>
  );
}
