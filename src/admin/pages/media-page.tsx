import { type FormEvent, type ReactNode, useState } from 'react';
import type { CreditChain } from '../../core/credit.js';
import { api, type MediaItem, messageOf } from '../api.js';
import { CreditChainEditor } from '../credit-chain-editor.js';
import { useLoad } from '../use-load.js';

type LibraryItem = MediaItem & {
  credit: CreditChain;
  renditions: { url: string; width: number; format: string }[];
  creator: string;
  source: string;
  copyright: string;
  width: number | null;
};
type UsedIn = { id: number; title: string; status: string }[];

/** The smallest JPEG the server lists for the photo (its renditions come with the record). */
function thumbnail(item: LibraryItem): string | null {
  return item.renditions.find((rendition) => rendition.format === 'jpg')?.url ?? item.url;
}

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

  return (
    <>
      <h1 tabIndex={-1}>Photos</h1>
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
  const [usedIn, setUsedIn] = useState<UsedIn | null>(null);
  const [message, setMessage] = useState('');
  const src = thumbnail(item);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('PATCH', `/media/${item.id}`, {
        alt,
        caption,
        credit,
        isOwnPhoto,
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
        <img className="media-thumb" src={src} alt={item.alt} width={160} loading="lazy" />
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
