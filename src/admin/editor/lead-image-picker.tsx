import { type FormEvent, type ReactNode, useState } from 'react';
import { parseTypedCreditLine } from '../../core/credit.js';
import { api, type MediaItem, messageOf } from '../api.js';

/**
 * The lead photo: choose one already uploaded, or upload one with its alt
 * text, caption and credit ("Agency / Photographer / Distributor").
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
  const [isUploading, setUploading] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [alt, setAlt] = useState('');
  const [caption, setCaption] = useState('');
  const [credit, setCredit] = useState('');
  const [isOwnPhoto, setOwnPhoto] = useState(false);
  const [message, setMessage] = useState('');
  const chosen = media.find((item) => item.id === value);

  const upload = async (event: FormEvent | React.MouseEvent) => {
    event.preventDefault();
    if (!file) {
      setMessage('Choose an image file first.');
      return;
    }
    const form = new FormData();
    form.set('alt', alt);
    form.set('caption', caption);
    // Sent as a chain: each part takes the role its place in the label names.
    form.set('credit', credit.trim() ? JSON.stringify(parseTypedCreditLine(credit)) : '');
    form.set('isOwnPhoto', String(isOwnPhoto));
    form.set('file', file);
    try {
      const uploaded = await api<MediaItem>('POST', '/media', form);
      onChange(uploaded.id);
      onUploaded();
      setUploading(false);
      setMessage(`Uploaded: ${uploaded.creditLine || 'no credit'}`);
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };

  return (
    <fieldset>
      <legend>Lead photo</legend>
      <label>
        Photo
        <select
          value={value === null ? '' : String(value)}
          onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}
        >
          <option value="">No lead photo</option>
          {media.map((item) => (
            <option key={item.id} value={String(item.id)}>
              {item.caption || item.alt} {item.creditLine ? `(${item.creditLine})` : '(no credit)'}
            </option>
          ))}
        </select>
      </label>
      {chosen?.url ? <img className="lead-preview" src={chosen.url} alt={chosen.alt} /> : null}
      {chosen && !chosen.creditLine && !chosen.isOwnPhoto ? (
        <p className="warning">
          This photo has no credit: the article cannot be published with it.
        </p>
      ) : null}
      {isUploading ? (
        <div className="tool-panel">
          <label>
            Image file (JPEG, PNG, WebP, AVIF or GIF)
            <input
              type="file"
              accept="image/*"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
          <label>
            Alt text: what the photo shows, for readers who cannot see it (left empty: taken from
            the photo’s own metadata)
            <input value={alt} onChange={(e) => setAlt(e.target.value)} />
          </label>
          <label>
            Caption
            <input value={caption} onChange={(e) => setCaption(e.target.value)} />
          </label>
          <label>
            Credit, as printed: Agency / Photographer / Distributor / Pool (left empty: from the
            photo’s metadata)
            <input value={credit} onChange={(e) => setCredit(e.target.value)} />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={isOwnPhoto}
              onChange={(e) => setOwnPhoto(e.target.checked)}
            />
            Our own photo (may be published without a credit)
          </label>
          <button type="button" onClick={(event) => void upload(event)}>
            Upload and use
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setUploading(true)}>
          Upload a new photo
        </button>
      )}
      <p role="status">{message}</p>
    </fieldset>
  );
}
