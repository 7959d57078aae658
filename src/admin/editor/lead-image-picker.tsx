import { type ReactNode, useState } from 'react';
import { type MediaItem, thumbnailOf } from '../api.js';
import { PhotoPicker } from '../photo-picker.js';
import { photoFiles } from '../photo-upload.js';
import { usePhoto } from '../use-photo.js';

/**
 * The lead photo: shown as it is, with its caption and credit; chosen from
 * the library's pictures or uploaded here with its alt text, caption and
 * credit ("Agency / Photographer / Distributor").
 */
export function LeadImagePicker({
  media,
  value,
  onChange,
  onUploaded,
}: {
  media: MediaItem[];
  value: number | null;
  onChange: (id: number | null) => void;
  onUploaded: () => void;
}): ReactNode {
  const [picker, setPicker] = useState<{ files: File[] } | null>(null);
  const [justChosen, setJustChosen] = useState<MediaItem | null>(null);
  // The editor's list may not have a photo uploaded a moment ago yet, nor one
  // older than the newest 200: usePhoto then fetches it.
  const chosen = usePhoto(value, [...media, justChosen]);
  const src = chosen ? thumbnailOf(chosen) : null;

  return (
    <fieldset className="lead-photo">
      <legend>Lead photo</legend>
      {chosen ? (
        <figure className="lead-chosen">
          {src ? <img className="lead-preview" src={src} alt={chosen.alt} /> : null}
          <figcaption className="lead-caption">
            {chosen.caption || chosen.alt}{' '}
            <span className="credit">
              {chosen.creditLine || (chosen.isOwnPhoto ? 'Our own photo' : 'No credit')}
            </span>
          </figcaption>
        </figure>
      ) : (
        <p className="hint">No lead photo.</p>
      )}
      {chosen && !chosen.creditLine && !chosen.isOwnPhoto ? (
        <p className="warning">
          This photo has no credit: the article cannot be published with it.
        </p>
      ) : null}
      <p className="button-row">
        <button type="button" onClick={() => setPicker({ files: [] })}>
          {chosen ? 'Change lead photo' : 'Choose lead photo'}
        </button>
        <label className="file-button">
          Upload a new lead photo
          <input
            type="file"
            className="file-input"
            accept="image/*"
            onChange={(e) => {
              const files = photoFiles(e.target.files).slice(0, 1);
              e.target.value = '';
              if (files.length > 0) setPicker({ files });
            }}
          />
        </label>
        {chosen ? (
          <button type="button" onClick={() => onChange(null)}>
            Remove lead photo
          </button>
        ) : null}
      </p>
      <p role="status">
        {justChosen && justChosen.id === value
          ? `Lead photo: ${justChosen.creditLine || 'no credit'}`
          : ''}
      </p>
      {picker ? (
        <PhotoPicker
          mode="one"
          title="Lead photo"
          chooseLabel="Use as lead photo"
          initialFiles={picker.files}
          onChoose={([item]) => {
            setPicker(null);
            if (!item) return;
            setJustChosen(item);
            onChange(item.id);
            onUploaded();
          }}
          onClose={() => setPicker(null)}
        />
      ) : null}
    </fieldset>
  );
}
