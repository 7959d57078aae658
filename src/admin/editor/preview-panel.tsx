import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { PreviewLink } from '../../core/article-detail.js';
import { type Article, api, messageOf } from '../api.js';
import { formatDateTime } from '../dates.js';
import { PREVIEW_WIDTHS, type PreviewWidth, PreviewWidths } from '../preview-widths.js';
import { useModal } from '../use-modal.js';

/** How long a new link opens the article; 48 hours unless chosen. */
const DURATIONS = [
  { hours: 24, label: '1 day' },
  { hours: 48, label: '2 days' },
  { hours: 24 * 7, label: '1 week' },
  { hours: 24 * 30, label: '30 days' },
] as const;

/**
 * See the article as readers will, before they do: the real reader page
 * (same renderer, same stylesheet) of what is on screen, at phone or desktop
 * width, and links that show it to someone outside the newsroom for a while.
 * `saveFirst` saves the edits on screen and says whether all of them are saved.
 */
export function PreviewPanel({
  article,
  saveFirst,
}: {
  article: Article;
  saveFirst: () => Promise<boolean>;
}): ReactNode {
  const [open, setOpen] = useState<{ stamp: number; isPartial: boolean } | null>(null);
  const [isPreparing, setIsPreparing] = useState(false);

  const showPreview = async () => {
    setIsPreparing(true);
    const isSaved = await saveFirst();
    setIsPreparing(false);
    setOpen({ stamp: Date.now(), isPartial: !isSaved });
  };

  return (
    <section className="panel" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      <p>
        <button type="button" onClick={() => void showPreview()} disabled={isPreparing}>
          {isPreparing ? 'Saving first…' : 'Preview as readers will see it'}
        </button>
      </p>
      {open ? (
        <PreviewDialog
          articleId={article.id}
          stamp={open.stamp}
          isPartial={open.isPartial}
          onClose={() => setOpen(null)}
        />
      ) : null}
      <PreviewLinks article={article} />
    </section>
  );
}

function PreviewDialog({
  articleId,
  stamp,
  isPartial,
  onClose,
}: {
  articleId: number;
  stamp: number;
  isPartial: boolean;
  onClose: () => void;
}): ReactNode {
  const dialog = useModal();
  const [width, setWidth] = useState<PreviewWidth>('phone');
  return (
    <dialog
      ref={dialog}
      className="modal preview-dialog"
      aria-labelledby="preview-dialog-heading"
      onClose={onClose}
    >
      <div className="preview-toolbar">
        <h2 id="preview-dialog-heading">Preview</h2>
        <PreviewWidths width={width} onChange={setWidth} />
        <button type="button" className="primary" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      {isPartial ? (
        <p className="save-failed">
          Your latest changes are not saved yet, so the preview shows the last saved version.
        </p>
      ) : null}
      <div className="preview-frame-box">
        <iframe
          title="The article as readers will see it"
          className={`preview-frame preview-${width}`}
          src={`/api/articles/${articleId}/preview?at=${stamp}`}
          width={PREVIEW_WIDTHS[width]}
        />
      </div>
    </dialog>
  );
}

function PreviewLinks({ article }: { article: Article }): ReactNode {
  const [links, setLinks] = useState<PreviewLink[] | null>(null);
  const [hours, setHours] = useState(48);
  const [made, setMade] = useState<{ url: string; id: number } | null>(null);
  const [message, setMessage] = useState('');
  const base = `/articles/${article.id}/preview-links`;

  const reload = useCallback(
    () =>
      api<{ links: PreviewLink[] }>('GET', base).then(
        (answer) => setLinks(answer.links),
        (failure: unknown) => setMessage(messageOf(failure)),
      ),
    [base],
  );
  useEffect(() => void reload(), [reload]);

  if (article.status === 'trashed') return null;

  const share = async () => {
    setMessage('');
    try {
      const answer = await api<{ url: string; link: PreviewLink }>('POST', base, { hours });
      setMade({ url: answer.url, id: answer.link.id });
      await reload();
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  const revoke = async (link: PreviewLink) => {
    setMessage('');
    try {
      await api('DELETE', `${base}/${link.id}`);
      if (made?.id === link.id) setMade(null);
      setMessage('The link is closed: it no longer opens the article.');
      await reload();
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setMessage('Link copied.');
    } catch {
      setMessage('Select the link and copy it.');
    }
  };

  const open = links?.filter((link) => link.state === 'open') ?? [];
  const spent = links?.filter((link) => link.state !== 'open') ?? [];
  return (
    <div className="preview-links">
      <h3>Share a preview</h3>
      <p className="hint">
        For a lawyer or a fact-checker: anyone with the link sees the latest saved version, without
        signing in, until it expires or you close it.
      </p>
      <div className="field-row">
        <label>
          Open for
          <select value={hours} onChange={(event) => setHours(Number(event.target.value))}>
            {DURATIONS.map((duration) => (
              <option key={duration.hours} value={duration.hours}>
                {duration.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void share()}>
          Create a preview link
        </button>
      </div>
      {made ? (
        <div className="made-link">
          <label>
            New link (copy it now: it is shown only once)
            <input readOnly value={made.url} onFocus={(event) => event.target.select()} />
          </label>
          <button type="button" onClick={() => void copy(made.url)}>
            Copy link
          </button>
        </div>
      ) : null}
      <p role="status" aria-live="polite">
        {message}
      </p>
      {open.length > 0 ? (
        <ul className="link-list">
          {open.map((link) => (
            <li key={link.id}>
              <span>
                Link …{link.hint} by {link.createdBy ?? 'the system'}, open until{' '}
                {formatDateTime(link.expiresAt)}
              </span>{' '}
              <button type="button" className="destructive" onClick={() => void revoke(link)}>
                Close link …{link.hint}
              </button>
            </li>
          ))}
        </ul>
      ) : links ? (
        <p className="hint">No preview link is open.</p>
      ) : null}
      {spent.length > 0 ? (
        <details>
          <summary>Closed and expired links ({spent.length})</summary>
          <ul className="link-list">
            {spent.map((link) => (
              <li key={link.id}>
                Link …{link.hint} by {link.createdBy ?? 'the system'}:{' '}
                {link.state === 'revoked'
                  ? `closed ${formatDateTime(link.revokedAt ?? link.expiresAt)}`
                  : `expired ${formatDateTime(link.expiresAt)}`}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
