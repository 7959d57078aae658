// Every unsaved change is also kept in this browser (IndexedDB), per user and
// article, until the server has it: a reload, a crash, a closed tab or a lost
// network gives it back. Nothing here is sent anywhere. IndexedDB writes are
// asynchronous, and one still under way when the page goes (a reload right
// after a keystroke) is dropped by the browser: as the page hides, the latest
// copy not yet written is put in localStorage, which writes at once, and
// reading takes the newer of the two.

const DB_NAME = 'masthead-newsroom';
const STORE = 'unsaved-drafts';

/** What is kept: the editor's content, and the server version it was typed on. */
export type LocalDraft<T> = {
  draft: T;
  /** The version the edits were made on; null for an article not yet on the server. */
  baseVersion: number | null;
  keptAt: string;
  /** The body was a shared text then, kept by it (editor/shared-text.ts): only the other fields count here. */
  isBodyShared?: boolean;
};

/** The key of one article's copy: the user's id, and the article's id or "new". */
export function localDraftKey(userId: number, articleId: number | null): string {
  return `${userId}:${articleId ?? 'new'}`;
}

let opening: Promise<IDBDatabase | null> | null = null;

function open(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    // A browser without IndexedDB (or with it switched off) still edits; only this safety net is gone.
    if (typeof indexedDB === 'undefined') return resolve(null);
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
  return opening;
}

async function run<T>(
  mode: IDBTransactionMode,
  act: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T | undefined> {
  const db = await open();
  if (!db) return undefined;
  return await new Promise((resolve, reject) => {
    const request = act(db.transaction(STORE, mode).objectStore(STORE));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

const RESCUED_PREFIX = 'masthead.unsaved:';

/** The copy put in localStorage as the page went away, if there is one. */
function readRescued<T>(key: string): LocalDraft<T> | null {
  try {
    const raw = localStorage.getItem(RESCUED_PREFIX + key);
    return raw ? (JSON.parse(raw) as LocalDraft<T>) : null;
  } catch {
    return null;
  }
}

/** The newest copy this browser kept of one article, or null. */
export async function readLocalDraft<T>(key: string): Promise<LocalDraft<T> | null> {
  const kept =
    ((await run('readonly', (store) => store.get(key))) as LocalDraft<T> | undefined) ?? null;
  const rescued = readRescued<T>(key);
  if (!kept || !rescued) return kept ?? rescued;
  return rescued.keptAt > kept.keptAt ? rescued : kept;
}

export async function deleteLocalDraft(key: string): Promise<void> {
  try {
    localStorage.removeItem(RESCUED_PREFIX + key);
  } catch {
    // No storage, nothing kept there.
  }
  await run('readwrite', (store) => store.delete(key));
}

/**
 * Keeps the latest copy of one article, writing at most one at a time: while a
 * write is under way the next waits, and only the newest waiting one is written.
 */
export function localDraftWriter<T>(): {
  keep: (key: string, value: LocalDraft<T>) => void;
  /** Resolves once everything handed to `keep` so far is written. */
  flushed: () => Promise<void>;
  /** Puts the latest copy in localStorage at once if IndexedDB does not have it yet (the page is going). */
  rescue: () => void;
} {
  type Copy = { key: string; value: LocalDraft<T> };
  let waiting: Copy | null = null;
  let writing: Promise<void> | null = null;
  // The newest copy handed over, until IndexedDB has it.
  let unwritten: Copy | null = null;
  const pump = async () => {
    while (waiting) {
      const next = waiting;
      waiting = null;
      const isWritten = await run('readwrite', (store) => store.put(next.value, next.key)).then(
        () => true,
        () => false,
      );
      if (isWritten && unwritten === next) unwritten = null;
    }
    writing = null;
  };
  return {
    keep(key, value) {
      waiting = { key, value };
      unwritten = waiting;
      writing ??= pump();
    },
    flushed: async () => {
      while (writing) await writing;
    },
    rescue() {
      if (!unwritten) return;
      try {
        localStorage.setItem(RESCUED_PREFIX + unwritten.key, JSON.stringify(unwritten.value));
      } catch {
        // Storage full or refused: the IndexedDB copy, a moment older, is what is left.
      }
    },
  };
}
