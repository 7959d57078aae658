import type { Editor } from '@tiptap/core';
import {
  type FormEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { type ArticleSnapshot, pickSnapshot } from '../../core/article-detail.js';
import { canonicalDoc } from '../../core/document-extensions.js';
import { ARTICLE_LABELS, type ArticleLabel } from '../../core/labels.js';
import type { Note } from '../../core/notes.js';
import { can } from '../../core/policy.js';
import {
  ApiFailure,
  type Article,
  api,
  csrfTokenNow,
  type Doc,
  isDatabaseBusy,
  isOffline,
  isSignedOut,
  type MediaItem,
  messageOf,
  type Person,
  type Section,
  type Session,
  type SiteSettings,
  STATUS_LABELS,
} from '../api.js';
import { setLeaveWarning } from '../app.js';
import { auditRoute, NO_FILTERS } from '../audit-route.js';
import { formatDateTime, formatTime } from '../dates.js';
import { AudiencePanel } from '../editor/audience-panel.js';
import { BodyEditor } from '../editor/body-editor.js';
import { DistributionPanel } from '../editor/distribution-panel.js';
import { rebaseDraft } from '../editor/draft-rebase.js';
import { FediversePanel } from '../editor/fediverse-panel.js';
import { LeadImagePicker } from '../editor/lead-image-picker.js';
import { LivePanel } from '../editor/live-panel.js';
import {
  deleteLocalDraft,
  type LocalDraft,
  localDraftKey,
  localDraftWriter,
  readLocalDraft,
} from '../editor/local-drafts.js';
import { selectedPassage } from '../editor/note-marks.js';
import { NotesPanel, openAnchors } from '../editor/notes-panel.js';
import { PreviewPanel } from '../editor/preview-panel.js';
import { RevisionsPanel } from '../editor/revisions-panel.js';
import { SearchSocialPanel } from '../editor/search-social-panel.js';
import type { SharedText } from '../editor/shared-text.js';
import { SignInAgainDialog } from '../editor/sign-in-again-dialog.js';
import { readableArticle, TextDiff } from '../editor/text-diff.js';
import { type RunTransition, TransitionsPanel } from '../editor/transitions-panel.js';
import { TranslationsPanel } from '../editor/translations-panel.js';
import {
  FieldPresence,
  PresenceBar,
  type SharedTextView,
  useSharedText,
} from '../editor/use-shared-text.js';
import { formatWordCount, wordCount } from '../editor/word-count.js';
import { SectionOptions } from '../section-options.js';
import { formatTagList, parseTagList } from '../tag-list.js';
import { useLoad } from '../use-load.js';

/** The editable content: core's revision snapshot, with a Tiptap body. */
export type Draft = Omit<ArticleSnapshot, 'body'> & { body: Doc };

const EMPTY_BODY: Doc = { type: 'doc', content: [{ type: 'paragraph' }] };
const EMPTY_DRAFT: Draft = {
  title: '',
  standfirst: '',
  section: '',
  language: 'en',
  slug: '',
  body: EMPTY_BODY,
  authors: [],
  sources: [],
  tags: [],
  leadMediaId: null,
  metaTitle: '',
  metaDescription: '',
  socialImageId: null,
  label: null,
};
/** How the label select names each label (readers see them in the page's language). */
const LABEL_NAMES: Record<ArticleLabel, string> = { opinion: 'Opinion', analysis: 'Analysis' };
/** How long after the last keystroke a change is sent. */
const AUTOSAVE_MS = 1500;
/** How often a save is tried again while the server cannot be reached. */
const OFFLINE_RETRY_MS = 5000;

/** The editable content of an article, a snapshot or a kept copy, in one key order. */
/**
 * A copy kept in this browser before the search and social fields (or the
 * label) existed has none of them.
 */
type KeptDraft = Omit<Draft, 'metaTitle' | 'metaDescription' | 'socialImageId' | 'label'> &
  Partial<Pick<Draft, 'metaTitle' | 'metaDescription' | 'socialImageId' | 'label'>>;

function pickDraft(source: KeptDraft): Draft {
  return pickSnapshot({
    metaTitle: '',
    metaDescription: '',
    socialImageId: null,
    label: null,
    ...source,
  });
}

/** What the editor shows: the edits held back from readers when there are any, else the article. */
function draftOf(article: Article): Draft {
  return pickDraft((article.pending as Draft | null) ?? article);
}

/** Whether anything was typed: an untouched new article is not stored. */
function hasContent(draft: Draft): boolean {
  return wordCount(draft).words > 0;
}

function isSameDraft(a: Draft, b: Draft, isBodyShared = false): boolean {
  // Bodies as stored: attributes filled, without the editor's empty last line.
  const comparable = (draft: Draft) =>
    JSON.stringify(
      pickDraft({ ...draft, body: isBodyShared ? EMPTY_BODY : (canonicalDoc(draft.body) as Doc) }),
    );
  return comparable(a) === comparable(b);
}

/**
 * The fields a save or a transition sends, from the content on screen; the
 * body only when it is not a shared text (which reaches the server by itself).
 */
function changesOf(draft: Draft, article: Article | null, isBodyShared = false) {
  return {
    title: draft.title,
    standfirst: draft.standfirst,
    ...(draft.section ? { section: draft.section } : {}),
    language: draft.language,
    ...(isBodyShared ? {} : { body: draft.body }),
    ...(article !== null || draft.authors.length > 0
      ? { authors: draft.authors.map(({ personId, label }) => ({ personId, label })) }
      : {}),
    sources: draft.sources.filter((source) => source.name.trim() !== ''),
    tags: draft.tags,
    leadMediaId: draft.leadMediaId,
    metaTitle: draft.metaTitle,
    metaDescription: draft.metaDescription,
    socialImageId: draft.socialImageId,
    label: draft.label,
    // A slug is sent only when typed by hand: otherwise the server lets it follow the headline.
    ...(article?.isSlugEditable && draft.slug && draft.slug !== article.slug
      ? { slug: draft.slug }
      : {}),
  };
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  | { kind: 'offline' }
  /** The server's database was busy with another task (an import): tried again in a moment. */
  | { kind: 'busy' }
  | { kind: 'signed-out' }
  /** Someone else saved in between: their article, shown against the edits on screen. */
  | { kind: 'conflict'; theirs: Article }
  | { kind: 'failed'; message: string; seq: number };

/**
 * Writes and edits one article, and never loses a word: a new article is
 * stored from its first keystroke, every change is saved a moment after the
 * typing stops and kept in this browser until the server has it, a lost
 * network or an ended session holds the text until they are back, and a save
 * made on an old version shows what the other person saved instead of
 * overwriting it. Edits to a published article wait for Update.
 */
export function ArticleEditorPage({
  id,
  session,
}: {
  id: number | null;
  session: Session;
}): ReactNode {
  const [article, setArticle] = useState<Article | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  // The settings drawer on a phone (on a wide screen they are a sidebar, always shown).
  const [isSideOpen, setSideOpen] = useState(false);
  const sideId = useId();
  const sideToggle = useRef<HTMLButtonElement>(null);
  const sideClose = useRef<HTMLButtonElement>(null);
  const wasSideOpen = useRef(false);
  // The focus goes into the drawer as it opens and back to its button as it closes.
  useEffect(() => {
    if (isSideOpen) sideClose.current?.focus();
    else if (wasSideOpen.current) sideToggle.current?.focus();
    wasSideOpen.current = isSideOpen;
  }, [isSideOpen]);
  const [loadError, setLoadError] = useState('');
  const [localCopy, setLocalCopy] = useState<LocalDraft<Draft> | null>(null);
  // Bumped whenever the body is replaced from outside (load, conflict, restore): remounts the editor.
  const [bodyKey, setBodyKey] = useState(0);
  const sections = useLoad(() => api<{ sections: Section[] }>('GET', '/sections'), 'sections');
  const people = useLoad(() => api<{ people: Person[] }>('GET', '/people'), 'people');
  const media = useLoad(() => api<{ media: MediaItem[] }>('GET', '/media'), 'media');
  const site = useLoad(() => api<SiteSettings>('GET', '/settings/site'), 'site settings');

  // The latest values, for saves that finish after the screen moved on.
  const articleRef = useRef<Article | null>(null);
  const draftRef = useRef<Draft>(EMPTY_DRAFT);
  // Edits are counted: a save records how many it carried, so typing during a
  // save leaves the article dirty and the next save sends it.
  const editCount = useRef(0);
  const savedCount = useRef(0);
  const [, setEdits] = useState(0);
  const isBusy = useRef(false);
  const writer = useRef(localDraftWriter<Draft>()).current;
  const userId = session.user.id;
  const isDirty = editCount.current !== savedCount.current;
  // The body as a shared text, typed into with the others (co-editing), once
  // the article exists, the person may edit it and the server is reachable.
  const mayShare = article !== null && article.readOnlyReason === null;
  // The session's CSRF token, renewed when the person signs in again over the editor.
  const [csrf, setCsrf] = useState(session.csrfToken);
  // The editor is swapped for the shared one only when it holds nothing unsaved
  // and nobody is typing in it: never under the writer's cursor.
  const [isInBody, setInBody] = useState(false);
  const text = useSharedText(
    mayShare ? article.id : null,
    session.user,
    csrf,
    !isDirty && !isInBody,
  );
  const sharedText = text.shared;
  const isBodyShared = useRef(false);
  isBodyShared.current = sharedText !== null;
  const sharedTextRef = useRef<SharedText | null>(null);
  sharedTextRef.current = sharedText;
  // Notes on the article: their passages are marked in the text, and a click on one opens its thread.
  const [notes, setNotes] = useState<Note[]>([]);
  const [focusedNote, setFocusedNote] = useState<{ id: number } | null>(null);
  const bodyEditor = useRef<Editor | null>(null);
  const keepBodyEditor = useCallback((editor: Editor | null) => {
    bodyEditor.current = editor;
  }, []);
  const markedNotes = useMemo(() => openAnchors(notes), [notes]);

  const showServerCopy = useCallback((loaded: Article, replaceDraft: boolean) => {
    articleRef.current = loaded;
    setArticle(loaded);
    if (replaceDraft) {
      draftRef.current = draftOf(loaded);
      setDraft(draftRef.current);
      setBodyKey((n) => n + 1);
    }
  }, []);

  useEffect(() => {
    let isCurrent = true;
    const offerLocalCopy = async (server: Draft | null) => {
      const kept = await readLocalDraft<Draft>(localDraftKey(userId, id)).catch(() => null);
      if (
        isCurrent &&
        kept &&
        (server === null || !isSameDraft(kept.draft, server, kept.isBodyShared))
      )
        setLocalCopy(kept);
    };
    if (id === null) {
      void offerLocalCopy(null);
    } else {
      api<Article>('GET', `/articles/${id}`).then(
        (loaded) => {
          if (!isCurrent) return;
          showServerCopy(loaded, true);
          void offerLocalCopy(draftOf(loaded));
          // Opening the article is reading what the desk said of it.
          void api('POST', '/notifications/read', { articleId: loaded.id }).catch(() => undefined);
        },
        (failure: unknown) => setLoadError(messageOf(failure)),
      );
    }
    return () => {
      isCurrent = false;
    };
  }, [id, userId, showServerCopy]);

  // A reload or a closed tab right after a keystroke: what IndexedDB has not
  // written yet goes to localStorage at once (local-drafts.ts).
  useEffect(() => {
    const rescue = () => writer.rescue();
    window.addEventListener('pagehide', rescue);
    return () => window.removeEventListener('pagehide', rescue);
  }, [writer]);

  const keepLocally = useCallback(() => {
    const current = articleRef.current;
    writer.keep(localDraftKey(userId, current?.id ?? null), {
      draft: draftRef.current,
      baseVersion: current?.version ?? null,
      keptAt: new Date().toISOString(),
      isBodyShared: isBodyShared.current,
    });
  }, [userId, writer]);

  const edited = useCallback(() => {
    editCount.current += 1;
    setEdits(editCount.current);
    keepLocally();
  }, [keepLocally]);

  const change = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    draftRef.current = { ...draftRef.current, [key]: value };
    setDraft(draftRef.current);
    edited();
  };

  /** The body changed: an edit to save, unless it is the shared text (stored as it is typed, by anyone). */
  const changeBody = (body: Doc) => {
    if (!isBodyShared.current) return change('body', body);
    draftRef.current = { ...draftRef.current, body };
    setDraft(draftRef.current);
  };

  /** The server took the edits counted up to `sent`: forget the local copy if nothing came since. */
  const accepted = useCallback(
    async (saved: Article, sent: number, sentDraft: Draft) => {
      const before = articleRef.current;
      showServerCopy(saved, false);
      // A save that went through on a session renewed elsewhere (another tab
      // signed in) brings the shared text back with its token.
      setCsrf(csrfTokenNow());
      savedCount.current = sent;
      setEdits(editCount.current);
      // The save may come back with others' changes merged in (core/field-merge.ts):
      // the fields left alone here follow them.
      if (before !== null) {
        draftRef.current = rebaseDraft(draftRef.current, draftOf(before), draftOf(saved), {
          sent: sentDraft,
          keepBody: true,
        });
        setDraft(draftRef.current);
      }
      // What the server chose itself: a section for a draft that had none, the
      // writer's byline on a new article, a slug following the headline.
      const untouchedSlug = sentDraft.slug === (before?.slug ?? '');
      const isCreated = before === null && draftRef.current.authors.length === 0;
      if (draftRef.current.section === '' || isCreated || (untouchedSlug && saved.isSlugEditable)) {
        draftRef.current = {
          ...draftRef.current,
          section: draftRef.current.section || saved.section,
          ...(isCreated ? { authors: saved.authors } : {}),
          ...(untouchedSlug && draftRef.current.slug === sentDraft.slug
            ? { slug: saved.slug }
            : {}),
        };
        setDraft(draftRef.current);
      }
      await writer.flushed();
      if (editCount.current === sent) await deleteLocalDraft(localDraftKey(userId, saved.id));
      else keepLocally();
    },
    [showServerCopy, userId, writer, keepLocally],
  );

  // Someone else saved (the shared text says so): their changes to the fields
  // left alone here come onto the screen, and the next save names the new version.
  useEffect(() => {
    if (!sharedText) return;
    sharedText.onSaved = (version) => {
      const before = articleRef.current;
      if (!before || version <= before.version) return;
      api<Article>('GET', `/articles/${before.id}`).then(
        (loaded) => {
          const current = articleRef.current;
          if (!current || loaded.version <= current.version) return;
          draftRef.current = rebaseDraft(draftRef.current, draftOf(current), draftOf(loaded), {
            keepBody: true,
          });
          setDraft(draftRef.current);
          showServerCopy(loaded, false);
        },
        () => {
          // Unreachable for a moment: the next save or message brings the copy.
        },
      );
    };
    return () => {
      sharedText.onSaved = null;
    };
  }, [sharedText, showServerCopy]);

  const failed = useCallback((failure: unknown, sent: number) => {
    if (failure instanceof ApiFailure && failure.error.code === 'version_conflict') {
      const theirs = failure.error.current as Article | undefined;
      if (theirs) return setSaveState({ kind: 'conflict', theirs });
      // Two saves at the same instant: the loser is told without the article, so read it.
      const id = articleRef.current?.id;
      if (id === undefined)
        return setSaveState({ kind: 'failed', message: messageOf(failure), seq: sent });
      api<Article>('GET', `/articles/${id}`).then(
        (current) => setSaveState({ kind: 'conflict', theirs: current }),
        (again: unknown) => failed(again, sent),
      );
    } else if (isOffline(failure)) {
      setSaveState({ kind: 'offline' });
    } else if (isDatabaseBusy(failure)) {
      setSaveState({ kind: 'busy' });
    } else if (isSignedOut(failure)) {
      setSaveState({ kind: 'signed-out' });
    } else {
      setSaveState({ kind: 'failed', message: messageOf(failure), seq: sent });
    }
  }, []);

  const save = useCallback(async (): Promise<void> => {
    if (isBusy.current) return;
    const current = articleRef.current;
    const sentDraft = draftRef.current;
    if (current === null && !hasContent(sentDraft)) return;
    isBusy.current = true;
    const sent = editCount.current;
    setSaveState({ kind: 'saving' });
    try {
      let saved: Article;
      if (current === null) {
        saved = await api<Article>('POST', '/articles', changesOf(sentDraft, null));
        // The address now names the article, without reloading the editor under the writer's cursor.
        window.history.replaceState(null, '', `#/articles/${saved.id}`);
        await writer.flushed();
        await deleteLocalDraft(localDraftKey(userId, null));
      } else {
        saved = await api<Article>('PATCH', `/articles/${current.id}`, {
          version: current.version,
          ...changesOf(sentDraft, current, isBodyShared.current),
        });
      }
      await accepted(saved, sent, sentDraft);
      setSaveState({ kind: 'saved', at: new Date() });
    } catch (failure) {
      failed(failure, sent);
    } finally {
      isBusy.current = false;
    }
  }, [accepted, failed, userId, writer]);

  // Autosave: a moment after the typing stops, on every article the user may edit;
  // while offline, every few seconds and as soon as the browser is back online.
  const kind = saveState.kind;
  const failedAt = saveState.kind === 'failed' ? saveState.seq : -1;
  useEffect(() => {
    if (!isDirty || kind === 'signed-out' || kind === 'conflict' || kind === 'saving') return;
    if (failedAt === editCount.current) return; // refused: wait for the next change
    const timer = setTimeout(
      () => void save(),
      kind === 'offline' || kind === 'busy' ? OFFLINE_RETRY_MS : AUTOSAVE_MS,
    );
    const online = () => void save();
    window.addEventListener('online', online);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('online', online);
    };
  });

  // Which field this person is in, for the others' presence: focus moves bubble to the layout.
  const layout = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = layout.current;
    if (!element) return;
    const focusIn = (event: FocusEvent) => {
      const field = fieldOf(event.target);
      setInBody(field === 'body');
      sharedText?.setField(field);
    };
    const focusOut = (event: FocusEvent) => {
      if (!(event.relatedTarget instanceof Node && element.contains(event.relatedTarget))) {
        setInBody(false);
        sharedText?.setField(null);
      }
    };
    element.addEventListener('focusin', focusIn);
    element.addEventListener('focusout', focusOut);
    return () => {
      element.removeEventListener('focusin', focusIn);
      element.removeEventListener('focusout', focusOut);
    };
  });

  // Leaving with changes the server does not have yet asks first.
  const isTextStored = sharedText === null || text.isStored;
  // When the server last had every word typed into the shared text.
  const [textStoredAt, setTextStoredAt] = useState<Date | null>(null);
  const wasTextStored = useRef(true);
  useEffect(() => {
    if (isTextStored && !wasTextStored.current) setTextStoredAt(new Date());
    wasTextStored.current = isTextStored;
  }, [isTextStored]);
  useEffect(() => {
    const warning =
      isDirty || !isTextStored
        ? 'Your latest changes are not saved on the server yet (this browser keeps a copy). Leave anyway?'
        : null;
    setLeaveWarning(warning);
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (warning) event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      setLeaveWarning(null);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [isDirty, isTextStored]);

  /** Resolves once no save is under way (saves and transitions never overlap). */
  const saveFinished = async () => {
    while (isBusy.current) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  /** Runs a workflow transition with the edits on screen, in one request (see docs/admin-api.md). */
  const runTransition: RunTransition = async (name, extra) => {
    await saveFinished();
    const current = articleRef.current;
    if (!current) return 'Nothing to publish yet.';
    isBusy.current = true;
    const sent = editCount.current;
    const sentDraft = draftRef.current;
    const withEdits = sent !== savedCount.current && name !== 'restore';
    try {
      const shared = sharedTextRef.current;
      const updated = await api<Article>('POST', `/articles/${current.id}/transitions/${name}`, {
        version: current.version,
        ...extra,
        // The words on screen: the server waits for them to arrive before it acts.
        ...(shared ? { bodyState: shared.bodyState() } : {}),
        ...(withEdits ? { changes: changesOf(sentDraft, current, shared !== null) } : {}),
      });
      await accepted(updated, sent, sentDraft);
      setSaveState({ kind: 'saved', at: new Date() });
      return null;
    } catch (failure) {
      // A refusal by a rule (no byline, no credit) leaves the edits on screen and saving as usual.
      if (
        !(failure instanceof ApiFailure) ||
        failure.status === 0 ||
        failure.status === 401 ||
        failure.error.code === 'version_conflict'
      )
        failed(failure, sent);
      return messageOf(failure);
    } finally {
      isBusy.current = false;
    }
  };

  /** Saves what is on screen now (waiting for a save under way); true when the server has all of it. */
  const saveFirst = async (): Promise<boolean> => {
    await saveFinished();
    if (editCount.current !== savedCount.current) await save();
    return editCount.current === savedCount.current;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };

  // Ctrl/Cmd+S saves now, anywhere in the editor.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  if (loadError) return <p role="alert">{loadError}</p>;
  if (id !== null && article === null) return <p>Loading…</p>;

  const readOnlyReason = article?.readOnlyReason ?? null;
  const conflict = saveState.kind === 'conflict' ? saveState.theirs : null;
  const isHeldBack = article?.status === 'published' && (isDirty || article.pending !== null);
  return (
    <>
      <h1 className="editor-title" tabIndex={-1}>
        {draft.title || (article ? 'Untitled article' : 'New article')}
      </h1>
      {article ? (
        <p className="article-state">
          <span className={`status status-${article.status}`}>{STATUS_LABELS[article.status]}</span>{' '}
          · version {article.version} · address <code>{article.url}</code>
          {article.status === 'published' ? (
            <>
              {' '}
              · <a href={article.url}>view on the site</a>
            </>
          ) : null}
          {can(session.user, 'audit.view') ? (
            <>
              {' '}
              ·{' '}
              <a href={auditRoute({ ...NO_FILTERS, subject: `article:${article.id}` })}>
                who did what
              </a>
            </>
          ) : null}
        </p>
      ) : null}
      {isHeldBack ? (
        <p className="pending-notice">
          Your edits are saved but not on the site yet: readers see the published version until you
          press <strong>Update</strong>.
        </p>
      ) : null}
      {localCopy ? (
        <LocalCopyOffer
          kept={localCopy}
          article={article}
          onRestore={() => {
            // A shared text kept its own words: the copy gives back the other fields.
            const isBodyKept = localCopy.isBodyShared === true;
            draftRef.current = isBodyKept
              ? { ...localCopy.draft, body: draftRef.current.body }
              : localCopy.draft;
            setDraft(draftRef.current);
            if (!isBodyKept) setBodyKey((n) => n + 1);
            setLocalCopy(null);
            edited();
          }}
          onDiscard={() => {
            setLocalCopy(null);
            void deleteLocalDraft(localDraftKey(userId, article?.id ?? null));
          }}
        />
      ) : null}
      {article?.sentBack ? (
        <div className="sent-back" role="note">
          <p>
            <strong>Sent back by {article.sentBack.by ?? 'the desk'}</strong> on{' '}
            {formatDateTime(article.sentBack.at)}:
          </p>
          <blockquote>{article.sentBack.note}</blockquote>
        </div>
      ) : null}
      {article?.agency ? <AgencyNotice agency={article.agency} /> : null}
      {text.state.kind === 'closed' && text.state.isSignedOut && saveState.kind !== 'signed-out' ? (
        // Not a dialog at once: it would take the keystrokes of someone in mid-sentence.
        <div className="pending-notice" role="alert">
          <p>
            Your session ended: your words are kept in this browser, and reach the others once you
            sign in again.
          </p>
          <button type="button" onClick={() => setSaveState({ kind: 'signed-out' })}>
            Sign in again
          </button>
        </div>
      ) : null}
      {saveState.kind === 'signed-out' ? (
        <SignInAgainDialog
          email={session.user.email}
          onSignedIn={(renewed) => {
            setCsrf(renewed.csrfToken);
            setSaveState({ kind: 'idle' });
            void save();
          }}
        />
      ) : null}
      {text.state.kind === 'closed' && !text.state.isSignedOut ? (
        <p className="read-only-notice" role="alert">
          You can no longer edit this article: {text.state.reason}. Reload the page to see it as it
          is now.
        </p>
      ) : null}
      {text.isUnreachable ? (
        <p className="pending-notice">
          Editing together is not reachable from this network: you are editing alone, and your
          changes are saved as usual.
        </p>
      ) : null}
      <PresenceBar colleagues={text.colleagues} />
      {conflict ? (
        <div className="conflict" role="alert">
          <h2>Someone else saved this article while you were editing</h2>
          <p>
            Their version {conflict.version} has the headline “{conflict.title}”. Your changes are
            still here and have not been saved. Copy what you need, then load their version to
            continue from it.
          </p>
          <h3>What differs: their version (struck through) against yours (underlined)</h3>
          <TextDiff before={readableArticle(conflict)} after={readableArticle(draft)} />
          <button
            type="button"
            onClick={() => {
              showServerCopy(conflict, true);
              savedCount.current = editCount.current;
              setEdits(editCount.current);
              void deleteLocalDraft(localDraftKey(userId, conflict.id));
              setSaveState({ kind: 'idle' });
            }}
          >
            Load their version
          </button>
        </div>
      ) : null}
      <div className="editor-layout" ref={layout}>
        {/* Behind the open drawer the text is out of reach, for the keyboard too. */}
        <form className="article-form" onSubmit={submit} inert={isSideOpen}>
          {readOnlyReason ? (
            <p className="read-only-notice">
              You can read this article but not change it: {readOnlyReason}.
            </p>
          ) : null}
          {/* The writing surface first; a disabled fieldset makes every control in it read-only at once. */}
          <fieldset className="article-fields writing-fields" disabled={readOnlyReason !== null}>
            {/* Labels by id, not wrapped: a wrapped text area's text would join its name. */}
            <label className="headline-field" htmlFor={`${sideId}-headline`}>
              Headline
            </label>
            <FieldPresence colleagues={text.colleagues} field="title" />
            {/* A text area so a long headline wraps as it will on the page; it holds one line. */}
            <textarea
              id={`${sideId}-headline`}
              data-field="title"
              className="headline-input"
              rows={1}
              value={draft.title}
              placeholder="What happened"
              onKeyDown={(e) => {
                if (e.key === 'Enter') e.preventDefault();
              }}
              onChange={(e) => change('title', e.target.value.replace(/\s*\n\s*/g, ' '))}
            />
            <label className="standfirst-field" htmlFor={`${sideId}-standfirst`}>
              Standfirst
            </label>
            <FieldPresence colleagues={text.colleagues} field="standfirst" />
            <textarea
              id={`${sideId}-standfirst`}
              data-field="standfirst"
              className="standfirst-input"
              rows={2}
              value={draft.standfirst}
              placeholder="The story in a sentence or two"
              onChange={(e) => change('standfirst', e.target.value)}
            />
            {/* In the text, the others' carets carry their names: no line above it. */}
            {/* `data-shared-text`: the text is the shared one (tests wait for it). */}
            <div data-field="body" data-shared-text={sharedText ? 'on' : undefined}>
              <BodyEditor
                key={bodyKey}
                isReadOnly={readOnlyReason !== null || text.state.kind === 'closed'}
                label="Article text"
                value={draft.body}
                onChange={changeBody}
                shared={sharedText}
                notes={markedNotes}
                onOpenNote={(noteId) => {
                  setFocusedNote({ id: noteId });
                  setSideOpen(true);
                }}
                onEditor={keepBodyEditor}
              />
            </div>
          </fieldset>
          <p className="save-bar">
            <button type="submit">Save now</button>{' '}
            <span className="word-count">{formatWordCount(wordCount(draft))}</span>{' '}
            <span role="status" aria-live="polite" className={`save-state save-${saveState.kind}`}>
              {describeTextState(sharedText ? text : null) ??
                describeSaveState(saveState, isDirty, article === null, textStoredAt)}
            </span>
            {/* On a phone the settings and the workflow are a drawer, one tap away. */}
            <button
              ref={sideToggle}
              type="button"
              className="settings-toggle primary"
              aria-expanded={isSideOpen}
              aria-controls={sideId}
              onClick={() => setSideOpen(!isSideOpen)}
            >
              {article ? 'Publishing and settings' : 'Settings'}
            </button>
          </p>
        </form>
        <aside
          id={sideId}
          data-field="settings"
          className={isSideOpen ? 'editor-side open' : 'editor-side'}
          aria-label="Publishing and settings"
        >
          <p className="drawer-close">
            <button ref={sideClose} type="button" onClick={() => setSideOpen(false)}>
              Back to the text
            </button>
          </p>
          {article ? (
            <TransitionsPanel
              article={article}
              draft={draft}
              sections={sections.data?.sections ?? []}
              media={media.data?.media ?? []}
              run={runTransition}
            />
          ) : null}
          {article &&
          can(session.user, 'note.write', {
            isOwn: article.authors.some((author) => author.personId === session.user.personId),
          }) ? (
            <NotesPanel
              article={article}
              shared={sharedText}
              selectedPassage={() =>
                bodyEditor.current && sharedText ? selectedPassage(bodyEditor.current) : null
              }
              onNotes={setNotes}
              focused={focusedNote}
            />
          ) : null}
          {/* Where it went besides the site, next to the workflow that sent it. */}
          {article ? <DistributionPanel article={article} /> : null}
          {/* How it is read: for whoever may edit it, as the server allows. */}
          {article?.publishedAt ? <AudiencePanel article={article} /> : null}
          {/* Likes, boosts and replies from the fediverse: editors and up, as the server allows. */}
          {article?.status === 'published' && can(session.user, 'article.view-drafts') ? (
            <FediversePanel article={article} />
          ) : null}
          <section aria-labelledby={`${sideId}-settings`}>
            <h2 id={`${sideId}-settings`}>Article settings</h2>
            <fieldset className="article-fields settings-fields" disabled={readOnlyReason !== null}>
              <label>
                Section
                <select
                  value={draft.section}
                  disabled={article !== null && !article.isSlugEditable}
                  onChange={(e) => change('section', e.target.value)}
                >
                  <option value="">Choose a section</option>
                  <SectionOptions sections={sections.data?.sections ?? []} />
                </select>
              </label>
              <label>
                Language
                <select value={draft.language} onChange={(e) => change('language', e.target.value)}>
                  <option value="en">English</option>
                  <option value="ru">Russian</option>
                </select>
              </label>
              <label>
                Label
                <select
                  value={draft.label ?? ''}
                  onChange={(e) =>
                    change(
                      'label',
                      ARTICLE_LABELS.find((label) => label === e.target.value) ?? null,
                    )
                  }
                >
                  <option value="">None</option>
                  {ARTICLE_LABELS.map((label) => (
                    <option key={label} value={label}>
                      {LABEL_NAMES[label]}
                    </option>
                  ))}
                </select>
              </label>
              {article?.isSlugEditable ? (
                <label>
                  Address (slug)
                  <input
                    value={draft.slug}
                    pattern="[a-z0-9]+(-[a-z0-9]+)*"
                    onChange={(e) => change('slug', e.target.value)}
                  />
                </label>
              ) : null}
              <AuthorsField
                people={people.data?.people ?? []}
                authors={draft.authors}
                onChange={(authors) => change('authors', authors)}
                defaultNote={
                  article === null ? `Leave empty to sign it yourself (${session.user.name}).` : ''
                }
              />
              <TagsField tags={draft.tags} onChange={(tags) => change('tags', tags)} />
              <LeadImagePicker
                media={media.data?.media ?? []}
                value={draft.leadMediaId}
                onChange={(leadMediaId) => change('leadMediaId', leadMediaId)}
                onUploaded={media.reload}
              />
              <SourcesField
                sources={draft.sources}
                onChange={(sources) => change('sources', sources)}
              />
            </fieldset>
          </section>
          <fieldset className="article-fields" disabled={readOnlyReason !== null}>
            <SearchSocialPanel
              draft={draft}
              path={article?.url ?? ''}
              site={{
                name: site.data?.name ?? '',
                publicUrl: site.data?.publicUrl ?? window.location.origin,
              }}
              media={media.data?.media ?? []}
              onChange={change}
              onUploaded={media.reload}
            />
          </fieldset>
          {article ? (
            <>
              <PreviewPanel article={article} saveFirst={saveFirst} />
              <TranslationsPanel article={article} onChanged={(a) => showServerCopy(a, false)} />
              <RevisionsPanel
                article={article}
                onRestored={(restored) => {
                  showServerCopy(restored, true);
                  savedCount.current = editCount.current;
                  setEdits(editCount.current);
                }}
              />
            </>
          ) : null}
        </aside>
        {/* Live coverage under the text: updates are written beside the article, each saved on its own. */}
        {article && article.status !== 'trashed' ? (
          <div className="live-column" inert={isSideOpen}>
            <LivePanel
              article={article}
              mayRunCoverage={can(session.user, 'article.publish', {
                isOwn: article.authors.some((author) => author.personId === session.user.personId),
              })}
            />
          </div>
        ) : null}
      </div>
    </>
  );
}

/** The field an element belongs to, for presence ('title', 'body', 'settings'…), or null. */
function fieldOf(target: EventTarget | null): string | null {
  return target instanceof Element
    ? (target.closest<HTMLElement>('[data-field]')?.dataset.field ?? null)
    : null;
}

/** What to say of the shared text when it, rather than the other fields, is the news; else null. */
function describeTextState(text: SharedTextView | null): string | null {
  if (!text) return null;
  if (text.state.kind === 'offline')
    return 'Offline: your words are kept in this browser and reach the others when the connection is back.';
  if (text.isStored) return null;
  return text.isServerBusy
    ? 'The server is busy with another task: your words are kept in this browser and will be saved in a few seconds.'
    : 'Saving…';
}

/** The save state in plain words, for the status line next to the Save button. */
function describeSaveState(
  state: SaveState,
  isDirty: boolean,
  isNew: boolean,
  textStoredAt: Date | null = null,
): string {
  switch (state.kind) {
    case 'saving':
      return 'Saving…';
    case 'offline':
      return 'Offline: your changes are kept in this browser and will be saved when the connection is back.';
    case 'busy':
      return 'The server is busy with another task: your changes are kept in this browser and will be saved in a few seconds.';
    case 'signed-out':
      return 'Your session ended: sign in again to save.';
    case 'conflict':
      return 'Not saved: someone else changed this article.';
    case 'failed':
      return `Not saved: ${state.message}`;
    case 'saved':
      return isDirty
        ? 'Unsaved changes'
        : `All changes saved at ${formatTime(latest(state.at, textStoredAt))}`;
    case 'idle':
      if (isDirty) return 'Unsaved changes';
      // Typing into the shared text is saved as it goes.
      if (textStoredAt) return `All changes saved at ${formatTime(textStoredAt)}`;
      return isNew ? 'Start typing: the article is saved as you write.' : '';
  }
}

function latest(a: Date, b: Date | null): Date {
  return b && b > a ? b : a;
}

/** Offers back what this browser kept of an edit the server never got. */
function LocalCopyOffer({
  kept,
  article,
  onRestore,
  onDiscard,
}: {
  kept: LocalDraft<Draft>;
  article: Article | null;
  onRestore: () => void;
  onDiscard: () => void;
}): ReactNode {
  const movedOn =
    article !== null && kept.baseVersion !== null && kept.baseVersion !== article.version;
  return (
    <div className="local-copy" role="alert">
      <p>
        This browser kept changes that were not saved
        {kept.draft.title ? (
          <>
            {' '}
            (“<strong>{kept.draft.title}</strong>”)
          </>
        ) : null}
        , from {formatDateTime(kept.keptAt)}.
        {movedOn
          ? ` The article was saved since (version ${kept.baseVersion} then, ${article.version} now): restoring puts your copy over that one, and the revisions keep both.`
          : ''}
      </p>
      <button type="button" className="primary" onClick={onRestore}>
        Restore my changes
      </button>{' '}
      <button type="button" onClick={onDiscard}>
        Discard them
      </button>
    </div>
  );
}

function AuthorsField({
  people,
  authors,
  onChange,
  defaultNote,
}: {
  people: Person[];
  authors: Draft['authors'];
  onChange: (authors: Draft['authors']) => void;
  defaultNote: string;
}): ReactNode {
  const [pick, setPick] = useState('');
  const add = () => {
    const person = people.find((candidate) => String(candidate.id) === pick);
    if (!person || authors.some((author) => author.personId === person.id)) return;
    onChange([...authors, { personId: person.id, name: person.name, label: null }]);
    setPick('');
  };
  return (
    <fieldset>
      <legend>Bylines</legend>
      {defaultNote ? <p className="hint">{defaultNote}</p> : null}
      <ul className="byline-list">
        {authors.map((author, index) => (
          <li key={author.personId}>
            <label>
              Credit for {author.name} (e.g. “Translated by”; empty for a plain byline)
              <input
                value={author.label ?? ''}
                onChange={(e) =>
                  onChange(
                    authors.map((a, i) =>
                      i === index ? { ...a, label: e.target.value || null } : a,
                    ),
                  )
                }
              />
            </label>
            <button type="button" onClick={() => onChange(authors.filter((_, i) => i !== index))}>
              Remove {author.name}
            </button>
          </li>
        ))}
      </ul>
      <label>
        Add a byline
        <select value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">Choose a person</option>
          {people.map((person) => (
            <option key={person.id} value={String(person.id)}>
              {person.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={add}>
        Add
      </button>
    </fieldset>
  );
}

function SourcesField({
  sources,
  onChange,
}: {
  sources: Draft['sources'];
  onChange: (sources: Draft['sources']) => void;
}): ReactNode {
  return (
    <fieldset>
      <legend>Sources cited</legend>
      <ul className="source-list">
        {sources.map((source, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: sources have no identity before they are saved
          <li key={index}>
            <label>
              Source name
              <input
                value={source.name}
                onChange={(e) =>
                  onChange(
                    sources.map((s, i) => (i === index ? { ...s, name: e.target.value } : s)),
                  )
                }
              />
            </label>
            <label>
              Link (optional)
              <input
                type="url"
                value={source.url ?? ''}
                onChange={(e) =>
                  onChange(
                    sources.map((s, i) =>
                      i === index ? { ...s, url: e.target.value || null } : s,
                    ),
                  )
                }
              />
            </label>
            <button type="button" onClick={() => onChange(sources.filter((_, i) => i !== index))}>
              Remove source
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => onChange([...sources, { name: '', url: null }])}>
        Add a source
      </button>
    </fieldset>
  );
}

function TagsField({
  tags,
  onChange,
}: {
  tags: string[];
  onChange: (tags: string[]) => void;
}): ReactNode {
  // The text is kept as typed ("Budget, " while a second tag is on its way);
  // deriving it from `tags` on every keystroke would eat the trailing comma.
  const [text, setText] = useState(() => formatTagList(tags));
  useEffect(() => {
    // Tags replaced from outside (loaded, restored, cleaned up by the server):
    // show them instead of what was typed.
    const typed = parseTagList(text);
    const isSame = typed.length === tags.length && typed.every((tag, i) => tag === tags[i]);
    if (!isSame) setText(formatTagList(tags));
  }, [tags, text]);
  return (
    <label>
      Tags (separated by commas)
      <input
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseTagList(e.target.value));
        }}
      />
    </label>
  );
}

/** What the agency says about wire copy: a withdrawn story must not run, an embargoed one not early. */
function AgencyNotice({
  agency,
}: {
  agency: { status: string; embargoUntil: string | null };
}): ReactNode {
  const withdrawn = agency.status === 'withheld' || agency.status === 'canceled';
  const embargo = agency.embargoUntil ? formatDateTime(agency.embargoUntil) : null;
  return (
    <div
      className={withdrawn ? 'agency-notice withdrawn' : 'agency-notice'}
      role={withdrawn ? 'alert' : undefined}
    >
      <p>
        <strong>Agency copy.</strong>{' '}
        {withdrawn
          ? `The agency has ${agency.status} this story: it cannot be published.`
          : 'Rewrite it in the newsroom’s voice, add a byline, then publish.'}
        {embargo && !withdrawn
          ? ` Embargoed until ${embargo}: it cannot be published or scheduled earlier.`
          : ''}
      </p>
    </div>
  );
}
