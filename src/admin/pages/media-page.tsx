import { type FormEvent, type MouseEvent, type ReactNode, useState } from 'react';
import type { CreditChain } from '../../core/credit.js';
import { api, type MediaItem, messageOf, thumbnailOf } from '../api.js';
import { CreditChainEditor } from '../credit-chain-editor.js';
import { PhotoUploadForm, photoFiles } from '../photo-upload.js';
import { useLoad } from '../use-load.js';

type LibraryItem = MediaItem & {
  credit: CreditChain;
  creator: string;
  source: string;
  copyright: string;
};
type UsedIn = { id: number; title: string; status: string }[];
type Focus = { x: number; y: number };

/** The photo library (editors): search, filter by photographer or agency, correct credits, see where a photo is used. */
export function MediaPage(): ReactNode {
  const [filters, setFilters] = useState({ q: '', photographer: '', agency: '' });
  const query = new URLSearchParams(
    Object.entries(filters).filter(([, value]) => value !== ''),
  ).toString();
  const media = useLoad(
    () => api<{ media: LibraryItem[] }>('GET', `/media${query ? `?${query}` : ''}`),
    query,
  );
  const names = useLoad(
    () => api<{ photographers: string[]; agencies: string[] }>('GET', '/media/credit-names'),
    '',
  );
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) =>
    setFilters((current) => ({ ...current, [name]: event.target.value }));
  const [files, setFiles] = useState<File[]>([]);
  const [uploaded, setUploaded] = useState('');

  return (
    <>
      <h1 tabIndex={-1}>Photos</h1>
      {files.length > 0 ? (
        <section aria-label="New photos">
          <PhotoUploadForm
            files={files}
            submitLabel="Upload"
            onUploaded={(items) => {
              setFiles([]);
              setUploaded(
                items.length === 1 ? 'Uploaded 1 photo.' : `Uploaded ${items.length} photos.`,
              );
              media.reload();
              names.reload();
            }}
            onCancel={() => setFiles([])}
          />
        </section>
      ) : (
        <p className="button-row">
          <label className="file-button">
            Upload photos
            <input
              type="file"
              className="file-input"
              accept="image/*"
              multiple
              onChange={(e) => {
                setUploaded('');
                setFiles(photoFiles(e.target.files));
              }}
            />
          </label>
        </p>
      )}
      <p role="status">{uploaded}</p>
      <form
        className="filters"
        aria-label="Search photos"
        onSubmit={(event) => event.preventDefault()}
      >
        <label>
          Search captions, credits and photographers
          <input type="search" value={filters.q} onChange={set('q')} />
        </label>
        <label>
          Photographer
          <input
            value={filters.photographer}
            onChange={set('photographer')}
            list="known-photographers"
          />
        </label>
        <label>
          Agency
          <input value={filters.agency} onChange={set('agency')} list="known-agencies" />
        </label>
        <datalist id="known-photographers">
          {names.data?.photographers.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <datalist id="known-agencies">
          {names.data?.agencies.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </form>
      {media.error ? <p role="alert">{media.error}</p> : null}
      {media.data?.media.length === 0 ? <p>No photos match.</p> : null}
      <ul className="media-list">
        {media.data?.media.map((item) => (
          <MediaRow key={item.id} item={item} onChanged={media.reload} />
        ))}
      </ul>
    </>
  );
}

function MediaRow({ item, onChanged }: { item: LibraryItem; onChanged: () => void }): ReactNode {
  const [alt, setAlt] = useState(item.alt);
  const [caption, setCaption] = useState(item.caption);
  const [credit, setCredit] = useState<CreditChain>(item.credit);
  const [isOwnPhoto, setOwnPhoto] = useState(item.isOwnPhoto);
  const [focus, setFocus] = useState<Focus | null>(item.focus);
  const [usedIn, setUsedIn] = useState<UsedIn | null>(null);
  const [message, setMessage] = useState('');
  const src = thumbnailOf(item);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('PATCH', `/media/${item.id}`, {
        alt,
        caption,
        credit,
        isOwnPhoto,
        focus,
      });
      setMessage('Saved: every article showing this photo shows the change.');
      onChanged();
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  const showUse = async () =>
    setUsedIn((await api<{ usedIn: UsedIn }>('GET', `/media/${item.id}`)).usedIn);
  const remove = async () => {
    try {
      await api('DELETE', `/media/${item.id}`);
      onChanged();
    } catch (failure) {
      setMessage(messageOf(failure));
      await showUse();
    }
  };

  return (
    <li className="media-item">
      {src ? (
        <FocalPointEditor id={item.id} src={src} alt={item.alt} value={focus} onChange={setFocus} />
      ) : (
        <p className="hint">(no image file)</p>
      )}
      <form onSubmit={(event) => void save(event)} aria-label={`Photo ${item.id}`}>
        <label>
          Alt text
          <input value={alt} onChange={(e) => setAlt(e.target.value)} />
        </label>
        <label>
          Caption
          <input value={caption} onChange={(e) => setCaption(e.target.value)} />
        </label>
        <CreditChainEditor
          value={credit}
          onChange={setCredit}
          label={`Credit of photo ${item.id}`}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={isOwnPhoto}
            onChange={(e) => setOwnPhoto(e.target.checked)}
          />
          Our own photo
        </label>
        {item.creator || item.copyright ? (
          <p className="hint">
            From the file: {[item.creator, item.source, item.copyright].filter(Boolean).join(' · ')}
          </p>
        ) : null}
        {item.url ? (
          <p className="hint">
            <a href={`/api/media/${item.id}/original`} download>
              Download the original upload of photo {item.id}
            </a>{' '}
            (with its location and camera data: keep it inside the newsroom)
          </p>
        ) : null}
        <button type="submit">Save photo {item.id}</button>{' '}
        <button type="button" onClick={() => void showUse()}>
          Where is photo {item.id} used?
        </button>{' '}
        <button type="button" onClick={() => void remove()}>
          Delete photo {item.id}
        </button>
        <p role="status">{message}</p>
        {usedIn ? (
          usedIn.length === 0 ? (
            <p>Not used by any article.</p>
          ) : (
            <ul>
              {usedIn.map((article) => (
                <li key={article.id}>
                  <a href={`#/articles/${article.id}`}>{article.title}</a> ({article.status})
                </li>
              ))}
            </ul>
          )
        ) : null}
      </form>
    </li>
  );
}

/**
 * Where a crop of the photo keeps its subject: a click on the picture sets the
 * point, two fields set it from the keyboard, and two previews show the wide
 * and square crops that teasers use.
 */
function FocalPointEditor({
  id,
  src,
  alt,
  value,
  onChange,
}: {
  id: number;
  src: string;
  alt: string;
  value: Focus | null;
  onChange: (focus: Focus | null) => void;
}): ReactNode {
  const point = value ?? { x: 50, y: 50 };
  const position = { objectPosition: `${point.x}% ${point.y}%` };
  const clicked = (event: MouseEvent<HTMLButtonElement>) => {
    // A keyboard press has no pointer position: the fields below serve it.
    if (event.detail === 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    const percent = (offset: number, size: number) =>
      Math.round(Math.min(100, Math.max(0, (offset / size) * 100)));
    onChange({
      x: percent(event.clientX - box.left, box.width),
      y: percent(event.clientY - box.top, box.height),
    });
  };
  const axis = (name: 'x' | 'y', label: string) => (
    <label className="focal-axis">
      {label}
      <input
        type="number"
        min={0}
        max={100}
        step={1}
        value={point[name]}
        onChange={(e) => {
          const number = Math.round(Number(e.target.value));
          if (Number.isFinite(number))
            onChange({ ...point, [name]: Math.min(100, Math.max(0, number)) });
        }}
      />
    </label>
  );
  return (
    <div className="focal-point">
      <button
        type="button"
        className="focal-picture"
        onClick={clicked}
        aria-label={`Set the focal point of photo ${id} where you click`}
      >
        <img className="focal-image" src={src} alt={alt} loading="lazy" />
        <span
          className="focal-marker"
          aria-hidden="true"
          style={{ left: `${point.x}%`, top: `${point.y}%` }}
        />
      </button>
      <fieldset className="focal-fields">
        <legend>Focal point of photo {id} (kept in crops)</legend>
        {axis('x', 'From the left, %')}
        {axis('y', 'From the top, %')}
        <button type="button" disabled={value === null} onClick={() => onChange(null)}>
          Centre
        </button>
      </fieldset>
      <div className="crop-previews" aria-hidden="true">
        <img className="crop crop-wide" src={src} alt="" style={position} />
        <img className="crop crop-square" src={src} alt="" style={position} />
      </div>
    </div>
  );
}
