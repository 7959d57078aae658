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
import { setLeaveWarning } from '../app.js';
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

/** An update in the list; `isGone` once someone deleted it while its editor here was open. */
type ShownEntry = LiveEntry & { isGone?: boolean };

/** Where an update's editor is: closed, open, or open with changes not saved. */
type EditState = 'closed' | 'open' | 'changed';

/** Whether a form holds something the writer would lose: a title, or text. */
function hasWords(fields: EntryFields): boolean {
  return fields.title.trim() !== '' || !isEmpty(fields.body);
}

/**
 * The list as read, with each update whose editor is open here kept in its
 * place although it is no longer there: someone deleted it, and the words
 * being written into it are not thrown away unseen.
 */
function keepOpenEdits(
  shown: readonly ShownEntry[] | null,
  read: readonly LiveEntry[],
  open: ReadonlyMap<number, EditState>,
): ShownEntry[] {
  const next: ShownEntry[] = [...read];
  (shown ?? []).forEach((entry, index) => {
    if (!open.has(entry.id) || read.some((candidate) => candidate.id === entry.id)) return;
    next.splice(Math.min(index, next.length), 0, { ...entry, isGone: true });
  });
  return next;
}

/** Puts the update's words on the clipboard, to paste elsewhere; says how that went. */
async function copyWords(fields: EntryFields): Promise<string> {
  const text = [fields.title.trim(), textOf(fields.body).trim()].filter(Boolean).join('\n\n');
  try {
    await navigator.clipboard.writeText(text);
    return 'The text is copied: paste it where you need it.';
  } catch {
    return 'The text could not be copied here: select it in the form and copy it.';
  }
}

/**
 * Live coverage of the article: start and end it, write updates, and see
 * everyone's updates newest first (read again every 10 seconds, so colleagues'
 * entries appear). Each update is saved on its own: two people only collide
 * when they edit the same update, and then the second is told and shown the
 * update as it now is. Words not yet sent are never taken away: not when a
 * colleague ends the coverage or deletes the update being edited, and leaving
 * the page asks first.
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
  const [entries, setEntries] = useState<ShownEntry[] | null>(null);
  const [loadError, setLoadError] = useState('');
  const [message, setMessage] = useState('');
  const [isEnding, setEnding] = useState(false);
  const [isBusy, setBusy] = useState(false);
  // The new update being written: kept here, so the form can outlive the coverage.
  const [draft, setDraft] = useState<EntryFields>(BLANK);
  const [draftRound, setDraftRound] = useState(0);
  const draftNow = useRef(draft);
  draftNow.current = draft;
  // The updates whose editor is open, and whether it holds unsaved changes.
  const [edits, setEdits] = useState<ReadonlyMap<number, EditState>>(new Map());
  const openEdits = useRef(edits);
  openEdits.current = edits;
  // Reads are numbered: only the answer to the latest one is shown, and each
  // change made here counts as a newer one, so a read that set off before an
  // update was added or deleted cannot bring the list back to how it was.
  const lastRequest = useRef(0);

  const load = useCallback(async () => {
    const request = ++lastRequest.current;
    try {
      const answer = await api<{ coverage: LiveCoverage | null; entries: LiveEntry[] }>(
        'GET',
        `/articles/${article.id}/entries`,
      );
      if (request !== lastRequest.current) return;
      setCoverage(answer.coverage);
      setEntries((shown) => keepOpenEdits(shown, answer.entries, openEdits.current));
      setLoadError('');
    } catch (failure) {
      if (request === lastRequest.current) setLoadError(messageOf(failure));
    }
  }, [article.id]);

  /** After a change made here: answers to reads already under way are out of date. */
  const changed = useCallback(() => {
    lastRequest.current++;
  }, []);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => {
      if (!document.hidden) void load();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const onEditState = useCallback((id: number, state: EditState) => {
    setEdits((old) => {
      if ((old.get(id) ?? 'closed') === state) return old;
      const next = new Map(old);
      if (state === 'closed') next.delete(id);
      else next.set(id, state);
      return next;
    });
    // A deleted update stayed only for its open editor.
    if (state === 'closed')
      setEntries((old) =>
        old === null ? null : old.filter((entry) => !(entry.id === id && entry.isGone)),
      );
  }, []);

  // Leaving with an update not published, or an edit not saved, asks first:
  // links in the app (beside the article editor's own warning), and closing the tab.
  const hasDraft = hasWords(draft);
  const hasUnsavedEdit = [...edits.values()].includes('changed');
  const leaveWarning = hasDraft
    ? 'Your live update is not published yet. Leave anyway?'
    : hasUnsavedEdit
      ? 'Your changes to a live update are not saved yet. Leave anyway?'
      : null;
  useEffect(() => {
    setLeaveWarning(leaveWarning, 'live-panel');
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (leaveWarning) event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      setLeaveWarning(null, 'live-panel');
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [leaveWarning]);

  const run = async (method: 'POST' | 'DELETE') => {
    if (isBusy) return;
    setBusy(true);
    try {
      const answer = await api<{ coverage: LiveCoverage }>(method, `/articles/${article.id}/live`);
      changed();
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

  /** A new update is on the server: at the top of the list, and read again around it. */
  const added = (entry: LiveEntry) => {
    changed();
    setEntries((current) => [entry, ...(current ?? []).filter((e) => e.id !== entry.id)]);
    void load();
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
      {isLive || hasDraft ? (
        <NewEntryForm
          articleId={article.id}
          isLive={isLive}
          fields={draft}
          onChange={setDraft}
          editorKey={`new-${draftRound}`}
          onAdded={(entry, sent) => {
            added(entry);
            // Words written while it was on its way stay in the form.
            if (draftNow.current !== sent) {
              setMessage(
                'Update published. The form changed while it was sent, so it stays as it is now: take out what went out before you publish again.',
              );
              return;
            }
            setDraft(BLANK);
            setDraftRound((value) => value + 1);
            setMessage('Update published.');
          }}
          onDiscard={() => {
            setDraft(BLANK);
            setDraftRound((value) => value + 1);
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
                isLive={isLive}
                onEditState={onEditState}
                onSaved={(saved) => {
                  changed();
                  setEntries((current) =>
                    (current ?? []).map((e) => (e.id === saved.id ? saved : e)),
                  );
                }}
                onDeleted={() => {
                  changed();
                  setEntries((current) => (current ?? []).filter((e) => e.id !== entry.id));
                  setMessage('Update deleted.');
                }}
                onGone={() =>
                  setEntries((current) =>
                    (current ?? []).map((e) => (e.id === entry.id ? { ...e, isGone: true } : e)),
                  )
                }
                onPostedAsNew={(posted) => {
                  onEditState(entry.id, 'closed');
                  added(posted);
                  setMessage('Update published as a new one.');
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

/**
 * The new update. Its words live in the panel: when the coverage ends before
 * it is sent (a colleague ended it), the form stays with them and says so.
 */
function NewEntryForm({
  articleId,
  isLive,
  fields,
  onChange,
  editorKey,
  onAdded,
  onDiscard,
}: {
  articleId: number;
  isLive: boolean;
  fields: EntryFields;
  onChange: (fields: EntryFields) => void;
  editorKey: string;
  /** Published: the entry as saved, and the fields that were sent. */
  onAdded: (entry: LiveEntry, sent: EntryFields) => void;
  onDiscard: () => void;
}): ReactNode {
  const [problem, setProblem] = useState('');
  const [note, setNote] = useState('');
  const [isSending, setSending] = useState(false);
  // A second click before the first answer is not a second update.
  const isSent = useRef(false);
  const submit = async () => {
    if (isSent.current) return;
    if (isEmpty(fields.body)) {
      setProblem('Write the update first.');
      return;
    }
    isSent.current = true;
    setSending(true);
    try {
      const entry = await api<LiveEntry>('POST', `/articles/${articleId}/entries`, fields);
      setProblem('');
      setNote('');
      onAdded(entry, fields);
    } catch (failure) {
      setProblem(`Not published: ${messageOf(failure)}`);
    } finally {
      isSent.current = false;
      setSending(false);
    }
  };
  return (
    <div className="live-new-entry">
      <EntryFieldset
        legend="New update"
        fields={fields}
        onChange={onChange}
        editorKey={editorKey}
      />
      {isLive ? null : (
        <p role="alert">
          Live coverage has ended, so this update cannot be published as a new one. Your text is
          kept here: copy it, or add it to one of the updates below by editing that update later
          (updates can still be edited). If the coverage is resumed, you can publish it.
        </p>
      )}
      {problem ? <p role="alert">{problem}</p> : null}
      <p role="status" className="live-message">
        {note}
      </p>
      <p className="button-row">
        {isLive ? (
          <button type="button" disabled={isSending} onClick={() => void submit()}>
            Publish update
          </button>
        ) : (
          <>
            <button type="button" onClick={() => void copyWords(fields).then(setNote)}>
              Copy the text
            </button>
            <button type="button" onClick={onDiscard}>
              Discard it
            </button>
          </>
        )}
      </p>
    </div>
  );
}

function EntryItem({
  articleId,
  entry,
  isLive,
  onEditState,
  onSaved,
  onDeleted,
  onGone,
  onPostedAsNew,
  onChanged,
}: {
  articleId: number;
  entry: ShownEntry;
  isLive: boolean;
  /** Whether the editor is open, and with changes: the panel keeps the update while it is. */
  onEditState: (id: number, state: EditState) => void;
  onSaved: (entry: LiveEntry) => void;
  onDeleted: () => void;
  /** Someone deleted the update being edited (a save found it gone). */
  onGone: () => void;
  /** The words of a deleted update went out as a new one. */
  onPostedAsNew: (entry: LiveEntry) => void;
  /** Something changed elsewhere too (another entry unpinned): read the list again. */
  onChanged: () => void;
}): ReactNode {
  // The version being edited, kept apart from the list's (which refreshes meanwhile).
  const [editing, setEditing] = useState<(EntryFields & { version: number }) | null>(null);
  const [isChanged, setChanged] = useState(false);
  const [round, setRound] = useState(0);
  const [isDeleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState('');
  const [note, setNote] = useState('');
  const [isSending, setSending] = useState(false);
  // One request at a time: a second click before the first answer would conflict with itself.
  const isBusy = useRef(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const label = entry.title || textOf(entry.body).slice(0, 60) || `update ${entry.id}`;

  const { id } = entry;
  const editState: EditState = editing === null ? 'closed' : isChanged ? 'changed' : 'open';
  useEffect(() => onEditState(id, editState), [id, editState, onEditState]);
  useEffect(() => () => onEditState(id, 'closed'), [id, onEditState]);

  /** Runs one request, unless one is already under way. */
  const once = async (send: () => Promise<void>) => {
    if (isBusy.current) return;
    isBusy.current = true;
    setSending(true);
    try {
      await send();
    } finally {
      isBusy.current = false;
      setSending(false);
    }
  };

  const close = () => {
    setEditing(null);
    setChanged(false);
    setProblem('');
    setNote('');
  };

  const save = () =>
    once(async () => {
      if (!editing) return;
      if (isEmpty(editing.body)) {
        setProblem('An update needs some text: delete it instead.');
        return;
      }
      try {
        const saved = await api<LiveEntry>('PATCH', `/articles/${articleId}/entries/${id}`, {
          version: editing.version,
          title: editing.title,
          body: editing.body,
          isKeyEvent: editing.isKeyEvent,
          isPinned: editing.isPinned,
        });
        close();
        onSaved(saved);
        if (saved.isPinned !== entry.isPinned) onChanged();
        editButton.current?.focus();
      } catch (failure) {
        if (failure instanceof ApiFailure && failure.error.code === 'version_conflict') {
          const current = failure.error.current as LiveEntry | undefined;
          if (current) {
            // Their version replaces the form: nothing of theirs is overwritten unseen.
            setEditing({ ...fieldsOf(current), version: current.version });
            setChanged(false);
            setRound((value) => value + 1);
            onSaved(current);
          }
          // The answer names who wrote the update, not who changed it: no name is given.
          setProblem(
            'Someone else changed this update while you were editing it: it now shows their version. Make your change again and save.',
          );
          return;
        }
        if (failure instanceof ApiFailure && failure.status === 404) {
          setProblem('');
          onGone();
          return;
        }
        setProblem(`Not saved: ${messageOf(failure)}`);
      }
    });

  const postAsNew = () =>
    once(async () => {
      if (!editing) return;
      if (isEmpty(editing.body)) {
        setProblem('Write the update first.');
        return;
      }
      try {
        const { version: _version, ...fields } = editing;
        const posted = await api<LiveEntry>('POST', `/articles/${articleId}/entries`, fields);
        close();
        onPostedAsNew(posted);
      } catch (failure) {
        setProblem(`Not published: ${messageOf(failure)}`);
      }
    });

  const remove = () =>
    once(async () => {
      try {
        await api('DELETE', `/articles/${articleId}/entries/${id}`);
        onDeleted();
      } catch (failure) {
        setProblem(`Not deleted: ${messageOf(failure)}`);
        setDeleting(false);
      }
    });

  return (
    <li className="live-entry-item">
      <p className="live-entry-meta">
        <strong>{formatDateTime(entry.createdAt)}</strong>
        {entry.author ? ` · ${entry.author.name}` : ''}
        {entry.isKeyEvent ? <span className="status"> Key event</span> : null}
        {entry.isPinned ? <span className="status"> Pinned</span> : null}
        {entry.isGone ? <span className="status"> Deleted</span> : null}
      </p>
      {editing ? (
        <>
          <EntryFieldset
            legend={`Edit “${label}”`}
            fields={editing}
            onChange={(fields) => {
              setEditing({ ...fields, version: editing.version });
              setChanged(true);
            }}
            editorKey={`${id}-${round}`}
          />
          {entry.isGone ? (
            <p role="alert">
              Someone deleted this update while you were editing it. Your text is kept here:{' '}
              {isLive
                ? 'post it as a new update, or copy it.'
                : 'live coverage has ended, so copy it to keep it.'}
            </p>
          ) : null}
          {problem ? <p role="alert">{problem}</p> : null}
          <p role="status" className="live-message">
            {note}
          </p>
          <p className="button-row">
            {entry.isGone ? (
              <>
                {isLive ? (
                  <button type="button" disabled={isSending} onClick={() => void postAsNew()}>
                    Post as a new update
                  </button>
                ) : null}
                <button type="button" onClick={() => void copyWords(editing).then(setNote)}>
                  Copy the text
                </button>
              </>
            ) : (
              <button type="button" disabled={isSending} onClick={() => void save()}>
                Save update
              </button>
            )}
            <button type="button" onClick={close}>
              {entry.isGone ? 'Discard it' : 'Cancel'}
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
                <button type="button" disabled={isSending} onClick={() => void remove()}>
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
                  setChanged(false);
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
