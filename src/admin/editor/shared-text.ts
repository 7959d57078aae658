import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  personColour,
  SHARED_DOC_CLOSE,
  SHARED_DOC_MESSAGES,
  type SharedDocPresence,
  snapshotCovers,
} from '../../core/shared-doc.js';

// The article body as a shared text (co-editing): a Yjs document kept in step
// with the server's over a WebSocket (y-websocket's provider speaking to
// http/shared-doc-socket.ts), and kept in this browser (IndexedDB) so words
// typed offline survive a reload and merge when the connection is back.

export type SharedTextState =
  /** Not in step with the server yet (first connection). */
  | { kind: 'connecting' }
  /** In step: every word reaches the others within a second. */
  | { kind: 'live' }
  /** The connection dropped: typing goes on, kept in this browser, sent when it is back. */
  | { kind: 'offline' }
  /** The server ended it for good: the session ended, or the person may no longer edit. */
  | { kind: 'closed'; reason: string; isSignedOut: boolean };

/** Someone else in the article, as their editor announces them. */
export type Colleague = SharedDocPresence & { clientId: number };

/** How long words may wait for the server's word that they are stored before the connection is made anew. */
const UNSTORED_MS = 8000;

export class SharedText {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private local: IndexeddbPersistence | null = null;
  private stored: Y.Snapshot = Y.emptySnapshot;
  private generation: string | null = null;
  private busy = false;
  private readonly rescueOnHide = () => this.rescue();
  // The browser knows when the network goes (Wi-Fi lost): a socket may not notice for a while.
  private readonly wentOffline = () => {
    this.provider.disconnect();
    this.set({ kind: 'offline' });
  };
  private readonly cameOnline = () => {
    if (this.current.kind === 'offline') this.provider.connect();
  };
  // Words not stored for this long on a connection that seems open: the
  // connection is dead without saying so; a new one sends them again.
  private readonly watchdog: ReturnType<typeof setInterval>;
  private unstoredSince: number | null = null;
  private current: SharedTextState = { kind: 'connecting' };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly articleId: number,
    csrfToken: string,
    private readonly user: { id: number; name: string },
  ) {
    const origin = window.location.origin.replace(/^http/, 'ws');
    this.provider = new WebsocketProvider(
      `${origin}/api/articles/${articleId}`,
      'shared-text',
      this.doc,
      { connect: false, params: { csrf: csrfToken }, disableBc: true, maxBackoffTime: 5000 },
    );
    const handlers = this.provider.messageHandlers;
    handlers[SHARED_DOC_MESSAGES.hello] = (_encoder, decoder) => {
      const { generation } = JSON.parse(decoding.readVarString(decoder)) as { generation: string };
      if (this.generation !== null && generation !== this.generation) {
        // The server's text was made anew (a backup restored): this one's
        // words belong to the old lineage and would double the text if merged.
        this.provider.disconnect();
        this.set({
          kind: 'closed',
          reason: 'the article’s text was replaced on the server (a backup was restored)',
          isSignedOut: false,
        });
        return;
      }
      this.keepLocally(generation);
    };
    handlers[SHARED_DOC_MESSAGES.stored] = (_encoder, decoder) => {
      this.stored = Y.decodeSnapshot(decoding.readVarUint8Array(decoder));
      this.busy = false;
      this.tell();
    };
    handlers[SHARED_DOC_MESSAGES.notes] = () => {
      for (const listener of this.notesListeners) listener();
    };
    handlers[SHARED_DOC_MESSAGES.busy] = () => {
      this.busy = true;
      this.tell();
    };
    handlers[SHARED_DOC_MESSAGES.saved] = (_encoder, decoder) => {
      const { version } = JSON.parse(decoding.readVarString(decoder)) as { version: number };
      this.onSaved?.(version);
    };
    this.provider.awareness.setLocalState({
      user: { id: user.id, name: user.name, colour: personColour(user.id) },
      field: null,
    } satisfies SharedDocPresence);
    this.provider.on('sync', (isSynced: boolean) => {
      if (isSynced) this.set({ kind: 'live' });
    });
    this.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected' && this.current.kind === 'live') this.set({ kind: 'offline' });
    });
    this.provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
      this.set({
        kind: 'closed',
        reason: reason || 'the server ended the connection',
        isSignedOut: code === SHARED_DOC_CLOSE.signedOut,
      });
    });
    this.provider.awareness.on('change', () => this.tell());
    this.doc.on('update', () => this.tell());
    window.addEventListener('pagehide', this.rescueOnHide);
    window.addEventListener('offline', this.wentOffline);
    window.addEventListener('online', this.cameOnline);
    this.watchdog = setInterval(() => this.checkStored(), 2000);
    this.provider.connect();
  }

  private checkStored(): void {
    if (this.current.kind !== 'live' || this.isStored || this.busy) {
      this.unstoredSince = null;
      return;
    }
    this.unstoredSince ??= Date.now();
    if (Date.now() - this.unstoredSince > UNSTORED_MS) {
      this.unstoredSince = null;
      this.provider.disconnect();
      this.provider.connect();
    }
  }

  private readonly notesListeners = new Set<() => void>();

  /** Calls `listener` whenever someone changed the article's notes. */
  onNotes(listener: () => void): () => void {
    this.notesListeners.add(listener);
    return () => this.notesListeners.delete(listener);
  }

  /** Called when the server says the article was saved (its other fields may have changed). */
  onSaved: ((version: number) => void) | null = null;

  get state(): SharedTextState {
    return this.current;
  }

  /** The server said its database could not take the latest words yet (it tries again). */
  get isServerBusy(): boolean {
    return this.busy;
  }

  /** Whether the server has stored every change this browser holds. */
  get isStored(): boolean {
    return snapshotCovers(this.stored, Y.snapshot(this.doc));
  }

  /** The state of this browser's text (a Yjs snapshot, base64), for a transition to wait for. */
  bodyState(): string {
    let binary = '';
    for (const byte of Y.encodeSnapshot(Y.snapshot(this.doc))) binary += String.fromCharCode(byte);
    return btoa(binary);
  }

  /** The others in the article: who, in what colour, in which field. */
  colleagues(): Colleague[] {
    const seen = new Set<number>();
    const result: Colleague[] = [];
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const presence = state as Partial<SharedDocPresence>;
      if (clientId === this.doc.clientID || !presence.user) continue;
      // The same person in two tabs is listed once.
      if (presence.user.id === this.user.id || seen.has(presence.user.id)) continue;
      seen.add(presence.user.id);
      result.push({ clientId, user: presence.user, field: presence.field ?? null });
    }
    return result.sort((a, b) => a.user.name.localeCompare(b.user.name));
  }

  /** Tells the others which field this person is in (null: none). */
  setField(field: string | null): void {
    if (this.provider.awareness.getLocalState()?.field !== field)
      this.provider.awareness.setLocalStateField('field', field);
  }

  /** After signing in again: connect once more. */
  reconnect(): void {
    this.set({ kind: 'connecting' });
    this.provider.connect();
  }

  /** Calls `listener` on every change of state, text, storage or presence. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Leaves the article. What the server has stored is removed from this
   * browser (a shared computer keeps no copy); what it has not stays for
   * the next visit.
   */
  destroy(): void {
    const isStored = this.isStored;
    const local = this.local;
    window.removeEventListener('pagehide', this.rescueOnHide);
    window.removeEventListener('offline', this.wentOffline);
    window.removeEventListener('online', this.cameOnline);
    clearInterval(this.watchdog);
    this.listeners.clear();
    this.provider.destroy();
    if (local && isStored) void local.clearData();
    else void local?.destroy();
    this.doc.destroy();
  }

  /** One store per person, article and lineage: an old lineage's copy is never merged. */
  private storeName(generation: string): string {
    return `masthead-text-${this.user.id}-${this.articleId}-${generation}`;
  }

  private keepLocally(generation: string): void {
    if (this.local) return;
    this.generation = generation;
    this.local = new IndexeddbPersistence(this.storeName(generation), this.doc);
    // Words the last page could not get to the server or IndexedDB as it went.
    const rescued = window.localStorage.getItem(this.storeName(generation));
    if (rescued) {
      window.localStorage.removeItem(this.storeName(generation));
      try {
        Y.applyUpdate(
          this.doc,
          Uint8Array.from(atob(rescued), (c) => c.charCodeAt(0)),
          'rescue',
        );
      } catch {
        // Not an update (storage tampered with): nothing to give back.
      }
    }
  }

  /**
   * As the page goes (a reload right after a keystroke): what the server has
   * not confirmed is put in localStorage, which writes at once, unlike
   * IndexedDB; the next page merges it (Yjs takes a change twice harmlessly).
   */
  private rescue(): void {
    if (this.generation === null || this.isStored) return;
    let binary = '';
    // Everything after what is stored (deletions always travel whole).
    for (const byte of Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.stored.sv)))
      binary += String.fromCharCode(byte);
    try {
      window.localStorage.setItem(this.storeName(this.generation), btoa(binary));
    } catch {
      // Storage full or switched off: the WebSocket and IndexedDB are what is left.
    }
  }

  private set(state: SharedTextState): void {
    this.current = state;
    this.tell();
  }

  private tell(): void {
    for (const listener of this.listeners) listener();
  }
}
