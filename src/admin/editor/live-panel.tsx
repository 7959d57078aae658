import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { type Doc as CoreDoc, plainText } from '../../core/document.js';
import {
  ApiFailure,
  type Article,
  api,
  type Doc,
  type LiveCoverage,
  type LiveEntry,
  messageOf,
} from '../api.js';
import { formatDateTime } from '../dates.js';
import { BodyEditor } from './body-editor.js';

/** Colleagues' entries appear within this long. */
const REFRESH_MS = 10_000;

const EMPTY: Doc = { type: 'doc', content: [{ type: 'paragraph' }] };

/** The words of an update (the server sent a checked document: core's type holds). */
function textOf(doc: Doc): string {
  return plainText(doc as unknown as CoreDoc);
}

/** Whether a document holds something to publish: words, or a photo, quote, embed… */
function isEmpty(doc: Doc): boolean {
  return (
    textOf(doc).trim() === '' &&
    doc.content.every((node) => node.type === 'paragraph' && !node.content?.length)
  );
}

type EntryFields = { title: string; body: Doc; isKeyEvent: boolean; isPinned: boolean };

/**
 * Live coverage of the article: start and end it, write updates, and see
 * everyone's updates newest first (read again every 10 seconds, so colleagues'
 * entries appear). Each update is saved on its own: two people only collide
 * when they edit the same update, and then the second is told and shown the
 * update as it now is.
 */
export function LivePanel({
  article,
  mayRunCoverage,
}: {
  article: Article;
  /** Starting and ending is publishing: editors, or authors on their own article. */
  mayRunCoverage: boolean;
}): ReactNode {
  const headingId = useId();
  const [coverage, setCoverage] = useState<LiveCoverage | null>(null);
  const [entries, setEntries] = useState<LiveEntry[] | null>(null);
  const [loadError, setLoadError] = useState('');
  const [message, setMessage] = useState('');
  const [isEnding, setEnding] = useState(false);
  const [isBusy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const answer = await api<{ coverage: LiveCoverage | null; entries: LiveEntry[] }>(
        'GET',
        `/articles/${article.id}/entries`,
      );
      setCoverage(answer.coverage);
      setEntries(answer.entries);
      setLoadError('');
    } catch (failure) {
      setLoadError(messageOf(failure));
    }
  }, [article.id]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => {
      if (!document.hidden) void load();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const run = async (method: 'POST' | 'DELETE') => {
    setBusy(true);
    try {
      const answer = await api<{ coverage: LiveCoverage }>(method, `/articles/${article.id}/live`);
      setCoverage(answer.coverage);
      setMessage(
        method === 'POST'
          ? 'Live coverage started.'
          : 'Live coverage ended: the updates stay on the page as the record.',
      );
      setEnding(false);
    } catch (failure) {
      setMessage(`Not changed: ${messageOf(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  if (entries === null && !loadError) return null;
  const isLive = coverage?.state === 'live';
  return (
    <section className="tool-panel live-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Live coverage</h2>
      {loadError ? <p role="alert">The live updates could not be read: {loadError}</p> : null}
      <p className="hint">
        {coverage === null
          ? 'Cover an event as it happens: short, timestamped updates at the top of the article.'
          : isLive
            ? `Live since ${coverage.startedAt ? formatDateTime(coverage.startedAt) : 'now'}. ${
                article.status === 'published'
                  ? 'Updates reach readers at once.'
                  : 'Updates wait until the article is published.'
              }`
            : `Ended ${coverage.endedAt ? formatDateTime(coverage.endedAt) : ''}: the updates stay on the page.`}
      </p>
      {mayRunCoverage ? (
        <div className="button-row">
          {isLive ? (
            isEnding ? (
              <fieldset className="live-confirm">
                <legend>End live coverage? Readers’ pages stop updating.</legend>
                <div className="button-row">
                  <button type="button" disabled={isBusy} onClick={() => void run('DELETE')}>
                    End coverage
                  </button>
                  <button type="button" onClick={() => setEnding(false)}>
                    Keep it live
                  </button>
                </div>
              </fieldset>
            ) : (
              <button type="button" onClick={() => setEnding(true)}>
                End live coverage
              </button>
            )
          ) : (
            <button type="button" disabled={isBusy} onClick={() => void run('POST')}>
              {coverage ? 'Resume live coverage' : 'Start live coverage'}
            </button>
          )}
        </div>
      ) : null}
      <p role="status" className="live-message">
        {message}
      </p>
      {isLive ? (
        <NewEntryForm
          articleId={article.id}
          onAdded={(entry) => {
            setEntries((current) => [entry, ...(current ?? []).filter((e) => e.id !== entry.id)]);
            setMessage('Update published.');
            void load();
          }}
        />
      ) : null}
      {entries && entries.length > 0 ? (
        <>
          <h3>Updates, newest first</h3>
          <ol className="live-entry-list">
            {entries.map((entry) => (
              <EntryItem
                key={entry.id}
                articleId={article.id}
                entry={entry}
                onSaved={(saved) =>
                  setEntries((current) =>
                    (current ?? []).map((e) => (e.id === saved.id ? saved : e)),
                  )
                }
                onDeleted={() => {
                  setEntries((current) => (current ?? []).filter((e) => e.id !== entry.id));
                  setMessage('Update deleted.');
                }}
                onChanged={() => void load()}
              />
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

/** The fields of an update: title, text (the article's own editor), key event, pinned. */
function EntryFieldset({
  fields,
  onChange,
  editorKey,
  legend,
}: {
  fields: EntryFields;
  onChange: (fields: EntryFields) => void;
  /** A new key starts the text editor afresh (after a send, or another's version). */
  editorKey: string;
  legend: string;
}): ReactNode {
  const id = useId();
  return (
    <fieldset className="live-entry-fields">
      <legend>{legend}</legend>
      <label htmlFor={`${id}-title`}>Title (optional)</label>
      <input
        id={`${id}-title`}
        type="text"
        maxLength={300}
        value={fields.title}
        onChange={(event) => onChange({ ...fields, title: event.target.value })}
      />
      <BodyEditor
        key={editorKey}
        label="Update text"
        value={fields.body}
        onChange={(body) => onChange({ ...fields, body })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={fields.isKeyEvent}
          onChange={(event) => onChange({ ...fields, isKeyEvent: event.target.checked })}
        />{' '}
        Key event (listed at the top)
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={fields.isPinned}
          onChange={(event) => onChange({ ...fields, isPinned: event.target.checked })}
        />{' '}
        Pinned (shown first; unpins the one pinned before)
      </label>
    </fieldset>
  );
}

const BLANK: EntryFields = { title: '', body: EMPTY, isKeyEvent: false, isPinned: false };

function NewEntryForm({
  articleId,
  onAdded,
}: {
  articleId: number;
  onAdded: (entry: LiveEntry) => void;
}): ReactNode {
  const [fields, setFields] = useState<EntryFields>(BLANK);
  const [round, setRound] = useState(0);
  const [problem, setProblem] = useState('');
  const [isSending, setSending] = useState(false);
  const submit = async () => {
    if (isEmpty(fields.body)) {
      setProblem('Write the update first.');
      return;
    }
    setSending(true);
    try {
      const entry = await api<LiveEntry>('POST', `/articles/${articleId}/entries`, fields);
      setFields(BLANK);
      setRound((value) => value + 1);
      setProblem('');
      onAdded(entry);
    } catch (failure) {
      setProblem(`Not published: ${messageOf(failure)}`);
    } finally {
      setSending(false);
    }
  };
  return (
    <div className="live-new-entry">
      <EntryFieldset
        legend="New update"
        fields={fields}
        onChange={setFields}
        editorKey={`new-${round}`}
      />
      {problem ? <p role="alert">{problem}</p> : null}
      <p className="button-row">
        <button type="button" disabled={isSending} onClick={() => void submit()}>
          Publish update
        </button>
      </p>
    </div>
  );
}

function EntryItem({
  articleId,
  entry,
  onSaved,
  onDeleted,
  onChanged,
}: {
  articleId: number;
  entry: LiveEntry;
  onSaved: (entry: LiveEntry) => void;
  onDeleted: () => void;
  /** Something changed elsewhere too (another entry unpinned): read the list again. */
  onChanged: () => void;
}): ReactNode {
  // The version being edited, kept apart from the list's (which refreshes meanwhile).
  const [editing, setEditing] = useState<(EntryFields & { version: number }) | null>(null);
  const [round, setRound] = useState(0);
  const [isDeleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState('');
  const editButton = useRef<HTMLButtonElement>(null);
  const label = entry.title || textOf(entry.body).slice(0, 60) || `update ${entry.id}`;

  const save = async () => {
    if (!editing) return;
    if (isEmpty(editing.body)) {
      setProblem('An update needs some text: delete it instead.');
      return;
    }
    try {
      const saved = await api<LiveEntry>('PATCH', `/articles/${articleId}/entries/${entry.id}`, {
        version: editing.version,
        title: editing.title,
        body: editing.body,
        isKeyEvent: editing.isKeyEvent,
        isPinned: editing.isPinned,
      });
      setEditing(null);
      setProblem('');
      onSaved(saved);
      if (saved.isPinned !== entry.isPinned) onChanged();
      editButton.current?.focus();
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.error.code === 'version_conflict') {
        const current = failure.error.current as LiveEntry | undefined;
        if (current) {
          // Their version replaces the form: nothing of theirs is overwritten unseen.
          setEditing({ ...fieldsOf(current), version: current.version });
          setRound((value) => value + 1);
          onSaved(current);
        }
        setProblem(
          `${current?.author?.name ?? 'Someone else'} edited this update while you were: it now shows their version. Make your change again and save.`,
        );
        return;
      }
      setProblem(`Not saved: ${messageOf(failure)}`);
    }
  };

  const remove = async () => {
    try {
      await api('DELETE', `/articles/${articleId}/entries/${entry.id}`);
      onDeleted();
    } catch (failure) {
      setProblem(`Not deleted: ${messageOf(failure)}`);
      setDeleting(false);
    }
  };

  return (
    <li className="live-entry-item">
      <p className="live-entry-meta">
        <strong>{formatDateTime(entry.createdAt)}</strong>
        {entry.author ? ` · ${entry.author.name}` : ''}
        {entry.isKeyEvent ? <span className="status"> Key event</span> : null}
        {entry.isPinned ? <span className="status"> Pinned</span> : null}
      </p>
      {editing ? (
        <>
          <EntryFieldset
            legend={`Edit “${label}”`}
            fields={editing}
            onChange={(fields) => setEditing({ ...fields, version: editing.version })}
            editorKey={`${entry.id}-${round}`}
          />
          {problem ? <p role="alert">{problem}</p> : null}
          <p className="button-row">
            <button type="button" onClick={() => void save()}>
              Save update
            </button>
            <button
              type="button"
              onClick={() => {
                setEditing(null);
                setProblem('');
              }}
            >
              Cancel
            </button>
          </p>
        </>
      ) : (
        <>
          {entry.title ? <h4>{entry.title}</h4> : null}
          <p className="live-entry-text">{textOf(entry.body)}</p>
          {problem ? <p role="alert">{problem}</p> : null}
          {isDeleting ? (
            <fieldset className="live-confirm">
              <legend>Delete this update for good?</legend>
              <div className="button-row">
                <button type="button" onClick={() => void remove()}>
                  Delete update
                </button>
                <button type="button" onClick={() => setDeleting(false)}>
                  Keep it
                </button>
              </div>
            </fieldset>
          ) : (
            <p className="button-row">
              <button
                ref={editButton}
                type="button"
                onClick={() => {
                  setEditing({ ...fieldsOf(entry), version: entry.version });
                  setRound((value) => value + 1);
                  setProblem('');
                }}
              >
                Edit<span className="visually-hidden"> “{label}”</span>
              </button>
              <button type="button" onClick={() => setDeleting(true)}>
                Delete<span className="visually-hidden"> “{label}”</span>
              </button>
            </p>
          )}
        </>
      )}
    </li>
  );
}

function fieldsOf(entry: LiveEntry): EntryFields {
  return {
    title: entry.title,
    body: entry.body,
    isKeyEvent: entry.isKeyEvent,
    isPinned: entry.isPinned,
  };
}
