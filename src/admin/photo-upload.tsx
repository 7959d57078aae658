import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { parseTypedCreditLine } from '../core/credit.js';
import { type MediaItem, messageOf, uploadPhoto } from './api.js';
import { DialogButtons, withPhotoCount } from './dialog-buttons.js';

type Pending = {
  key: string;
  file: File;
  alt: string;
  caption: string;
  credit: string;
  isOwnPhoto: boolean;
  /** 0–1 while sending, null before. */
  progress: number | null;
  error: string;
};

/** The file types the server reads; others are refused here, before a byte is sent. */
const PHOTO_TYPES = /^image\/(jpeg|png|webp|avif|gif|tiff)$/;

/**
 * Image files among what was dropped, pasted or chosen. Images the server
 * cannot read (HEIC from a phone, say) are kept, so the form can say so
 * rather than the drop doing nothing.
 */
export function photoFiles(files: FileList | File[] | null | undefined): File[] {
  return Array.from(files ?? []).filter((file) => file.type.startsWith('image/'));
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * Describes photos before they are sent, then sends them one after another
 * with progress. Alt text comes first because readers who cannot see the photo
 * need it (left empty, the server takes it from the photo's own metadata, as
 * agencies send it, and says so when there is none). A photo that fails stays
 * in the form with the reason in plain words; the others go on.
 */
export function PhotoUploadForm({
  files,
  submitLabel,
  onUploaded,
  onCancel,
  onBusyChange,
}: {
  files: File[];
  submitLabel: string;
  /** The photos now in the library, in the order they were given. */
  onUploaded: (items: MediaItem[]) => void;
  onCancel: () => void;
  /** Told when sending starts and ends (a dialog must not close under a running upload). */
  onBusyChange?: (isBusy: boolean) => void;
}): ReactNode {
  const baseId = useId();
  const [pending, setPending] = useState<Pending[]>(() =>
    files.map((file, index) => ({
      key: `${baseId}-${index}`,
      file,
      alt: '',
      caption: '',
      credit: '',
      isOwnPhoto: false,
      progress: null,
      error: PHOTO_TYPES.test(file.type)
        ? ''
        : `${file.name} is not a photo Masthead can read: save it as JPEG, PNG or WebP.`,
    })),
  );
  const [previews, setPreviews] = useState<Map<string, string>>(new Map());
  const [isSending, setSending] = useState(false);
  // What has arrived over every attempt: a photo that failed is fixed and sent
  // again in the same form, and the form hands on everything at the end.
  const arrived = useRef<MediaItem[]>([]);
  useEffect(() => {
    // Shown from memory, never sent anywhere: the reporter sees what they describe.
    const urls = new Map(
      files.map((file, index) => [`${baseId}-${index}`, URL.createObjectURL(file)]),
    );
    setPreviews(urls);
    return () => {
      for (const url of urls.values()) URL.revokeObjectURL(url);
    };
  }, [files, baseId]);

  const update = (key: string, changes: Partial<Pending>) =>
    setPending((current) =>
      current.map((item) => (item.key === key ? { ...item, ...changes } : item)),
    );

  const send = async () => {
    setSending(true);
    onBusyChange?.(true);
    const done: MediaItem[] = [];
    const failed: string[] = [];
    for (const item of pending) {
      if (!PHOTO_TYPES.test(item.file.type)) {
        failed.push(item.key);
        continue;
      }
      const form = new FormData();
      form.set('alt', item.alt);
      form.set('caption', item.caption);
      // Sent as a chain: each part takes the role its place in the line names.
      form.set(
        'credit',
        item.credit.trim() ? JSON.stringify(parseTypedCreditLine(item.credit)) : '',
      );
      form.set('isOwnPhoto', String(item.isOwnPhoto));
      form.set('file', item.file);
      update(item.key, { progress: 0, error: '' });
      try {
        done.push(await uploadPhoto(form, (progress) => update(item.key, { progress })));
      } catch (failure) {
        failed.push(item.key);
        update(item.key, { progress: null, error: `Not uploaded: ${messageOf(failure)}` });
      }
    }
    setSending(false);
    onBusyChange?.(false);
    arrived.current = [...arrived.current, ...done];
    // What failed stays to be fixed and sent again; what arrived is used now.
    setPending((current) => current.filter((item) => failed.includes(item.key)));
    // While one has failed the form stays, with its description and its reason.
    if (failed.length === 0) onUploaded(arrived.current);
  };

  const count = pending.length;
  return (
    <div className="photo-upload">
      <ul className="upload-list">
        {pending.map((item) => (
          <li key={item.key}>
            <fieldset>
              <legend>
                {item.file.name} ({sizeText(item.file.size)})
              </legend>
              {previews.get(item.key) && PHOTO_TYPES.test(item.file.type) ? (
                <img className="upload-preview" src={previews.get(item.key)} alt="" />
              ) : null}
              <label>
                Alt text: what the photo shows, for readers who cannot see it (left empty: from the
                photo’s own metadata)
                <input
                  value={item.alt}
                  disabled={isSending}
                  onChange={(e) => update(item.key, { alt: e.target.value })}
                />
              </label>
              <label>
                Caption
                <input
                  value={item.caption}
                  disabled={isSending}
                  onChange={(e) => update(item.key, { caption: e.target.value })}
                />
              </label>
              <label>
                Credit, as printed: Agency / Photographer / Distributor / Pool (left empty: from the
                photo’s metadata)
                <input
                  value={item.credit}
                  disabled={isSending}
                  onChange={(e) => update(item.key, { credit: e.target.value })}
                />
              </label>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={item.isOwnPhoto}
                  disabled={isSending}
                  onChange={(e) => update(item.key, { isOwnPhoto: e.target.checked })}
                />
                Our own photo (may be published without a credit)
              </label>
              {item.progress !== null ? (
                <label className="upload-progress">
                  Sending {item.file.name}
                  <progress max={1} value={item.progress} />
                  {Math.round(item.progress * 100)}%
                </label>
              ) : null}
              {item.error ? (
                <p className="form-error" role="alert">
                  {item.error}
                </p>
              ) : null}
            </fieldset>
          </li>
        ))}
      </ul>
      <DialogButtons
        action={isSending ? 'Uploading…' : withPhotoCount(submitLabel, count)}
        onAction={() => void send()}
        isActionDisabled={isSending || count === 0}
        // Giving up on the failed ones still uses those that arrived.
        onCancel={() => (arrived.current.length > 0 ? onUploaded(arrived.current) : onCancel())}
        isCancelDisabled={isSending}
      />
    </div>
  );
}
