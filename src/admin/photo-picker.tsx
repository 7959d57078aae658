import { type ReactNode, useId, useState } from 'react';
import { createPortal } from 'react-dom';
import { GALLERY_MAX_PHOTOS } from '../core/document.js';
import { api, type MediaItem, thumbnailOf } from './api.js';
import { DialogButtons, withPhotoCount } from './dialog-buttons.js';
import { PhotoUploadForm, photoFiles } from './photo-upload.js';
import { useLoad } from './use-load.js';
import { useModal } from './use-modal.js';

/**
 * Chooses photos from the library, as a grid of pictures rather than a list of
 * captions, or uploads new ones in the same place (several at once). "one"
 * takes a single photo (lead photo, a photo in the body); "many" collects them
 * in the order clicked (a gallery). Opened with files (dropped or pasted), it
 * starts at describing them.
 */
export function PhotoPicker({
  mode,
  title,
  chooseLabel,
  initialFiles = [],
  onChoose,
  onClose,
}: {
  mode: 'one' | 'many';
  title: string;
  /** The button that takes the chosen photos ("Use as lead photo", "Insert gallery"). */
  chooseLabel: string;
  initialFiles?: File[];
  onChoose: (items: MediaItem[]) => void;
  onClose: () => void;
}): ReactNode {
  const dialog = useModal();
  const titleId = useId();
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<MediaItem[]>([]);
  const [files, setFiles] = useState<File[]>(initialFiles);
  const [isBusy, setBusy] = useState(false);
  const isFull = mode === 'many' && chosen.length >= GALLERY_MAX_PHOTOS;
  const library = useLoad(
    () =>
      api<{ media: MediaItem[] }>('GET', `/media${query ? `?q=${encodeURIComponent(query)}` : ''}`),
    query,
  );
  const isChosen = (item: MediaItem) => chosen.some((candidate) => candidate.id === item.id);
  const toggle = (item: MediaItem) => {
    if (mode === 'one') setChosen(isChosen(item) ? [] : [item]);
    else if (isChosen(item))
      setChosen((current) => current.filter((candidate) => candidate.id !== item.id));
    else if (!isFull) setChosen((current) => [...current, item]);
  };
  const uploaded = (items: MediaItem[]) => {
    setFiles([]);
    library.reload();
    // A photo uploaded here is what the reporter wanted: it is used at once
    // when one was asked for or when files were dropped in, else added to
    // the photos being chosen.
    if (mode === 'one' && items[0]) onChoose([items[0]]);
    else if (initialFiles.length > 0 && items.length > 0) onChoose(items);
    else
      setChosen((current) =>
        [...current, ...items.filter((item) => !isChosen(item))].slice(0, GALLERY_MAX_PHOTOS),
      );
  };

  // On the page's body, not inside the article form: Enter in a field here
  // must not submit the article.
  return createPortal(
    <dialog
      ref={dialog}
      className="modal photo-picker"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        // Escape does not abandon photos on their way: the upload finishes first.
        if (!isBusy) onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {files.length > 0 ? (
        <PhotoUploadForm
          files={files}
          submitLabel={
            mode === 'one'
              ? 'Upload and use'
              : initialFiles.length > 0
                ? 'Upload and insert'
                : 'Upload'
          }
          onUploaded={uploaded}
          onBusyChange={setBusy}
          onCancel={() =>
            initialFiles.length > 0 && chosen.length === 0 ? onClose() : setFiles([])
          }
        />
      ) : (
        <>
          <div className="picker-bar">
            <label>
              Search captions, credits and photographers
              <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
            </label>
            <label className="file-button">
              Upload new photos
              <input
                type="file"
                className="file-input"
                accept="image/*"
                multiple={mode === 'many'}
                onChange={(e) => setFiles(photoFiles(e.target.files))}
              />
            </label>
          </div>
          {library.error ? <p role="alert">{library.error}</p> : null}
          {isFull ? (
            <p className="hint" role="status">
              A gallery holds at most {GALLERY_MAX_PHOTOS} photos: take one out to add another.
            </p>
          ) : null}
          {library.data?.media.length === 0 ? (
            <p>{query ? 'No photos match.' : 'The library has no photos yet: upload one.'}</p>
          ) : null}
          <ul className="photo-grid">
            {library.data?.media.map((item) => {
              const src = thumbnailOf(item);
              const order = chosen.findIndex((candidate) => candidate.id === item.id);
              return (
                <li key={item.id}>
                  <button
                    type="button"
                    className="photo-choice"
                    aria-pressed={order >= 0}
                    onClick={() => toggle(item)}
                  >
                    {src ? (
                      <img className="photo-thumb" src={src} alt="" loading="lazy" />
                    ) : (
                      <span className="no-file" />
                    )}
                    <span className="photo-grid-text">
                      {mode === 'many' && order >= 0 ? (
                        <span className="photo-order">{order + 1}</span>
                      ) : null}
                      {item.caption || item.alt}
                      <span className={item.creditLine ? 'credit' : 'credit missing'}>
                        {item.creditLine || (item.isOwnPhoto ? 'our own photo' : 'no credit')}
                      </span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
          <DialogButtons
            action={mode === 'many' ? withPhotoCount(chooseLabel, chosen.length) : chooseLabel}
            onAction={() => onChoose(chosen)}
            isActionDisabled={chosen.length === 0}
            onCancel={onClose}
          />
        </>
      )}
    </dialog>,
    document.body,
  );
}
