import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useState } from 'react';
import type { Note, TextAnchor } from '../../core/notes.js';
import { type Article, api, messageOf } from '../api.js';
import { formatDateTime } from '../dates.js';
import type { SharedText } from './shared-text.js';

// Notes on drafts, beside the text: threads on passages of it, replies that
// name colleagues with @, resolve and reopen. Never shown to readers.

type Staff = { userId: number; name: string };
type Thread = { first: Note; replies: Note[] };

function threadsOf(notes: Note[]): Thread[] {
  const threads = new Map<number, Thread>();
  for (const note of notes) {
    if (note.threadId === null) threads.set(note.id, { first: note, replies: [] });
    else threads.get(note.threadId)?.replies.push(note);
  }
  return [...threads.values()];
}

/** The open threads' passages, for the marks in the text. */
export function openAnchors(notes: Note[]): { id: number; anchor: TextAnchor }[] {
  return notes.flatMap((note) =>
    note.threadId === null && note.anchor && !note.resolved
      ? [{ id: note.id, anchor: note.anchor }]
      : [],
  );
}

/**
 * The article's notes. `selectedPassage` reads the words selected in the
 * shared text (null without a selection or a shared text); `onNotes` hands
 * the notes to the page (for the marks); `focused` is a thread to bring
 * into view (its passage was clicked).
 */
export function NotesPanel({
  article,
  shared,
  selectedPassage,
  onNotes,
  focused,
}: {
  article: Article;
  shared: SharedText | null;
  selectedPassage: () => { anchor: TextAnchor; quote: string } | null;
  onNotes: (notes: Note[]) => void;
  /** A thread to bring into view (its passage was clicked; a new object each time). */
  focused: { id: number } | null;
}): ReactNode {
  const focusedId = focused?.id ?? null;
  const headingId = useId();
  const [notes, setNotes] = useState<Note[] | null>(null);
  const [problem, setProblem] = useState('');
  const [staff, setStaff] = useState<Staff[]>([]);
  const [passage, setPassage] = useState<{ anchor: TextAnchor; quote: string } | null>(null);
  const [isWriting, setWriting] = useState(false);
  const [showResolved, setShowResolved] = useState(false);
  const articleId = article.id;

  const load = useCallback(async () => {
    try {
      const { notes: loaded } = await api<{ notes: Note[] }>('GET', `/articles/${articleId}/notes`);
      setNotes(loaded);
      onNotes(loaded);
    } catch (failure) {
      setProblem(messageOf(failure));
    }
  }, [articleId, onNotes]);

  useEffect(() => {
    void load();
  }, [load]);
  // Someone else's note arrives as they write it.
  useEffect(() => shared?.onNotes(() => void load()), [shared, load]);
  useEffect(() => {
    api<{ staff: Staff[] }>('GET', '/mentionable').then(
      (answer) => setStaff(answer.staff),
      () => setStaff([]),
    );
  }, []);
  useEffect(() => {
    if (!focused) return;
    const thread = document.getElementById(`note-thread-${focused.id}`);
    thread?.scrollIntoView({ block: 'nearest' });
    thread?.querySelector<HTMLElement>('textarea, button')?.focus();
  }, [focused]);

  const send = async (path: string, body: object, method = 'POST') => {
    setProblem('');
    try {
      await api(method, path, body);
      await load();
      return true;
    } catch (failure) {
      setProblem(messageOf(failure));
      return false;
    }
  };

  const startNote = () => {
    const selected = selectedPassage();
    setPassage(selected);
    setWriting(true);
    setProblem(
      selected || !shared
        ? ''
        : 'No words are selected in the text: this note is on the whole article. Select words first to put it on them.',
    );
  };

  const threads = threadsOf(notes ?? []);
  const open = threads.filter((thread) => !thread.first.resolved);
  const resolved = threads.filter((thread) => thread.first.resolved);
  return (
    <section aria-labelledby={headingId} className="notes-panel">
      <h2 id={headingId}>Notes{open.length > 0 ? ` · ${open.length} open` : ''}</h2>
      <p className="field-note">Only the newsroom sees notes; readers never do.</p>
      {isWriting ? (
        <NoteForm
          label={passage ? `Note on “${shorten(passage.quote)}”` : 'Note on the article'}
          submitLabel="Add the note"
          staff={staff}
          onCancel={() => setWriting(false)}
          onSubmit={async (body) => {
            const isSent = await send(`/articles/${articleId}/notes`, {
              body,
              ...(passage ? { anchor: passage.anchor, quote: passage.quote } : {}),
            });
            if (isSent) setWriting(false);
            return isSent;
          }}
        />
      ) : (
        <button type="button" onClick={startNote}>
          Add a note on the selected words
        </button>
      )}
      {problem ? <p role="alert">{problem}</p> : null}
      {notes === null ? <p>Loading notes…</p> : null}
      {notes !== null && threads.length === 0 ? <p>No notes yet.</p> : null}
      {open.map((thread) => (
        <ThreadView
          key={thread.first.id}
          thread={thread}
          staff={staff}
          isFocused={thread.first.id === focusedId}
          onReply={(body) =>
            send(`/articles/${articleId}/notes`, { body, threadId: thread.first.id })
          }
          onSettle={() => send(`/articles/${articleId}/notes/${thread.first.id}/resolve`, {})}
        />
      ))}
      {resolved.length > 0 ? (
        <button
          type="button"
          aria-expanded={showResolved}
          onClick={() => setShowResolved(!showResolved)}
        >
          {showResolved ? 'Hide' : 'Show'} resolved notes ({resolved.length})
        </button>
      ) : null}
      {showResolved
        ? resolved.map((thread) => (
            <ThreadView
              key={thread.first.id}
              thread={thread}
              staff={staff}
              isFocused={false}
              onReply={(body) =>
                send(`/articles/${articleId}/notes`, { body, threadId: thread.first.id })
              }
              onSettle={() => send(`/articles/${articleId}/notes/${thread.first.id}/reopen`, {})}
            />
          ))
        : null}
    </section>
  );
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function ThreadView({
  thread,
  staff,
  isFocused,
  onReply,
  onSettle,
}: {
  thread: Thread;
  staff: Staff[];
  isFocused: boolean;
  onReply: (body: string) => Promise<boolean>;
  onSettle: () => Promise<boolean>;
}): ReactNode {
  const { first } = thread;
  const isResolved = first.resolved !== null;
  return (
    <article
      id={`note-thread-${first.id}`}
      className={`note-thread${isFocused ? ' focused' : ''}${isResolved ? ' resolved' : ''}`}
      aria-label={`Note by ${first.author.name ?? 'a former colleague'}`}
    >
      {first.anchor ? (
        <p className="note-passage">
          {first.passage !== null ? (
            <q>{shorten(first.passage)}</q>
          ) : (
            <>
              <q>{shorten(first.quote)}</q>{' '}
              <span className="field-note">(these words were removed)</span>
            </>
          )}
        </p>
      ) : null}
      {[first, ...thread.replies].map((note) => (
        <div key={note.id} className="note">
          <p className="note-meta">
            <strong>{note.author.name ?? 'A former colleague'}</strong>{' '}
            <time dateTime={note.createdAt}>{formatDateTime(note.createdAt)}</time>
          </p>
          <p className="note-body">{note.body}</p>
        </div>
      ))}
      {isResolved ? (
        <p className="field-note">
          Resolved by {first.resolved?.by ?? 'a former colleague'} on{' '}
          {formatDateTime(first.resolved?.at ?? first.createdAt)}.
        </p>
      ) : (
        <NoteForm label="Reply" submitLabel="Reply" staff={staff} onSubmit={onReply} />
      )}
      <button type="button" onClick={() => void onSettle()}>
        {isResolved ? 'Reopen' : 'Resolve'}
      </button>
    </article>
  );
}

/**
 * A note's text, with colleagues offered as “@” is typed: choosing one writes
 * “@Full Name”, which the server reads as a mention.
 */
function NoteForm({
  label,
  submitLabel,
  staff,
  onSubmit,
  onCancel,
}: {
  label: string;
  submitLabel: string;
  staff: Staff[];
  onSubmit: (body: string) => Promise<boolean>;
  onCancel?: () => void;
}): ReactNode {
  const id = useId();
  const [body, setBody] = useState('');
  const [isSending, setSending] = useState(false);
  const typed = /@([^\s@][^@\n]{0,30})?$/u.exec(body);
  const asked = typed ? (typed[1] ?? '').toLocaleLowerCase() : null;
  const offered =
    asked === null
      ? []
      : staff.filter((person) => person.name.toLocaleLowerCase().startsWith(asked)).slice(0, 5);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    setSending(true);
    if (await onSubmit(body.trim())) setBody('');
    setSending(false);
  };
  return (
    <form className="note-form" onSubmit={submit}>
      <label className="note-form-label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        rows={3}
        value={body}
        placeholder="Type @ to name a colleague"
        onChange={(event) => setBody(event.target.value)}
      />
      {offered.length > 0 ? (
        <ul className="mention-offers" aria-label="Colleagues to name">
          {offered.map((person) => (
            <li key={person.userId}>
              <button
                type="button"
                onClick={() =>
                  setBody(`${body.slice(0, typed?.index ?? body.length)}@${person.name} `)
                }
              >
                @{person.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <button type="submit" className="primary" disabled={isSending || !body.trim()}>
          {submitLabel}
        </button>{' '}
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </p>
    </form>
  );
}
