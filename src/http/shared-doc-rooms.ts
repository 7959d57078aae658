import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import { SHARED_DOC_CLOSE, SHARED_DOC_MESSAGES } from '../core/shared-doc.js';
import { getArticleForStaff, saveSharedBody } from '../newsroom/articles.js';
import type { Newsroom, StaffActor } from '../newsroom/newsroom.js';
import {
  compactSharedDocument,
  openSharedDoc,
  sharedDocUpdateById,
  sharedDocUpdatesAfter,
  storeSharedDocUpdate,
} from '../newsroom/shared-docs.js';
import { authenticate } from '../newsroom/staff.js';

// Co-editing rooms: one per article someone has open, holding its shared
// document (Yjs) and who is in it (awareness). Speaks y-websocket's protocol
// (y-protocols sync + awareness) plus three messages of Masthead's own
// (core/shared-doc.ts). Every update from an editor is stored before the
// editor is told it is safe; the body is saved from the document a moment
// after the typing stops. Several processes on one database share rooms
// through `tell` (main.ts sends it over the change channel) and `heard`.

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

/** One editor's connection, as the socket layer hands it over. */
export type Peer = {
  send: (data: Uint8Array) => void;
  close: (code: number, reason: string) => void;
  /** Whether the connection is still there (it may go while the room is being opened). */
  isOpen: () => boolean;
  /** The session the connection was opened with, checked again when rights change. */
  sessionToken: string;
  actor: StaffActor;
};

/** What rooms tell the other processes on the database (and hear from them). */
export type RoomMessage =
  | { kind: 'update'; articleId: number; updateId: number; data?: string }
  | { kind: 'awareness'; articleId: number; data: string }
  /** A process opened the article's room: the others say who is in theirs. */
  | { kind: 'opened'; articleId: number }
  | { kind: 'saved'; articleId: number; version: number }
  | { kind: 'notes'; articleId: number }
  | { kind: 'desk' }
  | { kind: 'rights' };

/**
 * Stored updates after which a room compacts its document: a body save and a
 * process opening the room read the state plus every update since, so the
 * list is kept short (a benchmark measured 200 ms to read 2000 back).
 */
const COMPACT_EVERY = 100;

/** Updates larger than this are told by id only (the channel's messages are small). */
const MAX_TOLD_BYTES = 3000;

export type RoomOptions = {
  /** Quiet after typing before the body is saved. */
  saveDelayMs?: number;
  /** The longest typing goes unsaved while someone keeps typing. */
  maxSaveDelayMs?: number;
  /** How long an empty room stays open (someone reloading comes straight back). */
  emptyRoomMs?: number;
};

type PeerState = {
  peer: Peer;
  /** The awareness client ids this connection speaks for. */
  clients: Set<number>;
};

class Room {
  readonly peers = new Map<Peer, PeerState>();
  readonly awareness: Awareness;
  /** Updates from this process's editors waiting to be stored, in order. */
  private queue: { data: Uint8Array; peer: Peer }[] = [];
  private isWriting = false;
  private saveTimer: NodeJS.Timeout | null = null;
  private firstUnsavedAt: number | null = null;
  private lastTypist: StaffActor | null = null;
  emptyTimer: NodeJS.Timeout | null = null;
  private updatesSinceCompaction = 0;

  constructor(
    private readonly rooms: SharedDocRooms,
    readonly articleId: number,
    readonly doc: Y.Doc,
    readonly generation: string,
    public lastUpdateId: number,
  ) {
    this.storedMessage = storedFrame(doc);
    this.awareness = new Awareness(doc);
    // The server is no one: it has no state of its own in the room.
    this.awareness.setLocalState(null);
    doc.on('update', (update: Uint8Array, origin: unknown) => this.updated(update, origin));
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const changed = [...added, ...updated, ...removed];
        const state = this.peers.get(origin as Peer);
        if (state) {
          for (const id of added) state.clients.add(id);
          for (const id of removed) state.clients.delete(id);
        }
        const data = encodeAwarenessUpdate(this.awareness, changed);
        this.broadcast(frame(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, data)));
        if (origin !== 'remote') {
          this.rooms.tell({
            kind: 'awareness',
            articleId: this.articleId,
            data: Buffer.from(data).toString('base64'),
          });
        }
      },
    );
  }

  private updated(update: Uint8Array, origin: unknown): void {
    const from =
      origin instanceof Object && this.peers.has(origin as Peer) ? (origin as Peer) : null;
    const message = frame(MESSAGE_SYNC, (e) => sync.writeUpdate(e, update));
    for (const peer of this.peers.keys()) if (peer !== from) peer.send(message);
    if (from) {
      this.queue.push({ data: update, peer: from });
      this.lastTypist = from.actor;
      void this.write();
    }
  }

  /**
   * Stores queued updates, one row per person per round; tells editors what
   * is safe once all are. A database that refuses (busy with an import, gone
   * for a moment) keeps the updates queued and is tried again, the editors
   * told meanwhile: their words are in their browsers and this document.
   */
  private async write(): Promise<void> {
    if (this.isWriting) return;
    this.isWriting = true;
    let failure: unknown = null;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const byUser = new Map<number | null, { data: Uint8Array; peer: Peer }[]>();
      for (const item of batch) {
        const list = byUser.get(item.peer.actor.userId) ?? [];
        list.push(item);
        byUser.set(item.peer.actor.userId, list);
      }
      const waiting = [...byUser.entries()];
      try {
        while (waiting.length > 0) {
          const [userId, items] = waiting[0] as [number | null, { data: Uint8Array }[]];
          const data =
            items.length === 1
              ? (items[0] as { data: Uint8Array }).data
              : Y.mergeUpdates(items.map((item) => item.data));
          const id = await this.rooms.store(this.articleId, data, userId);
          waiting.shift();
          // Not `lastUpdateId`: another process may have stored a lower id not
          // yet heard of; catching up reads from the last id read, and Yjs
          // takes this room's own updates again harmlessly.
          this.rooms.tell({
            kind: 'update',
            articleId: this.articleId,
            updateId: id,
            ...(data.byteLength <= MAX_TOLD_BYTES
              ? { data: Buffer.from(data).toString('base64') }
              : {}),
          });
          this.updatesSinceCompaction += 1;
        }
      } catch (error) {
        // What was not stored goes back to the front of the queue, in order.
        this.queue = [...waiting.flatMap(([, items]) => items), ...this.queue] as typeof this.queue;
        failure = error;
        break;
      }
    }
    this.isWriting = false;
    if (failure) {
      this.rooms.failed(failure);
      this.broadcast(jsonFrame(SHARED_DOC_MESSAGES.busy, {}));
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5000);
      this.retryTimer = setTimeout(() => void this.write(), this.retryDelayMs);
      return;
    }
    this.retryDelayMs = 250;
    this.announceStored();
    this.saveSoon();
    // Each body save reads the document back from the database: kept short.
    if (this.updatesSinceCompaction >= COMPACT_EVERY) {
      this.updatesSinceCompaction = 0;
      void this.rooms.compact(this.articleId);
    }
  }

  private retryDelayMs = 250;
  private retryTimer: NodeJS.Timeout | null = null;

  /**
   * Tells every editor what the database holds, once nothing of this
   * process's is waiting to be written: everything in the document then is
   * (read from the database, written here, or written by another process).
   */
  announceStored(): void {
    if (this.isWriting || this.queue.length > 0) return;
    this.storedMessage = storedFrame(this.doc);
    this.broadcast(this.storedMessage);
  }

  /** The last word on what is stored, for an editor joining. */
  storedMessage: Uint8Array;

  /** Saves the body a moment after the typing stops (and at least every few seconds while it goes on). */
  private saveSoon(): void {
    const now = Date.now();
    this.firstUnsavedAt ??= now;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    const wait = Math.max(
      0,
      Math.min(this.rooms.saveDelayMs, this.firstUnsavedAt + this.rooms.maxSaveDelayMs - now),
    );
    this.saveTimer = setTimeout(() => void this.saveBody(), wait);
  }

  async saveBody(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const actor = this.lastTypist;
    if (!actor || this.firstUnsavedAt === null) return;
    this.firstUnsavedAt = null;
    try {
      await saveSharedBody(this.rooms.newsroom, actor, this.articleId);
    } catch (error) {
      // The database busy, or the last typist's rights gone: the text stays
      // stored in the document, and the save is tried again in a while (by
      // whoever types next, if anyone does).
      this.rooms.failed(error);
      if (this.peers.size > 0 && !this.isClosing) {
        this.firstUnsavedAt ??= Date.now();
        this.saveTimer = setTimeout(() => void this.saveBody(), this.rooms.maxSaveDelayMs);
      }
    }
  }

  broadcast(message: Uint8Array): void {
    for (const peer of this.peers.keys()) peer.send(message);
  }

  private isClosing = false;

  /** Stops the room's timers; the document's updates are all stored by then. */
  async close(): Promise<void> {
    this.isClosing = true;
    if (this.emptyTimer) clearTimeout(this.emptyTimer);
    // What waits to be written is written first (for a while: a database
    // gone for good loses nothing the editors' browsers do not still hold).
    const until = Date.now() + 10_000;
    while ((this.isWriting || this.queue.length > 0) && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.saveBody();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** “The database holds every change of this snapshot.” */
function storedFrame(doc: Y.Doc): Uint8Array {
  const snapshot = Y.encodeSnapshot(Y.snapshot(doc));
  return frame(SHARED_DOC_MESSAGES.stored, (e) => encoding.writeVarUint8Array(e, snapshot));
}

/** A message of `type` whose content `write` encodes. */
function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function jsonFrame(type: number, value: unknown): Uint8Array {
  return frame(type, (e) => encoding.writeVarString(e, JSON.stringify(value)));
}

/** Every co-editing room of one process. */
export class SharedDocRooms {
  readonly saveDelayMs: number;
  readonly maxSaveDelayMs: number;
  private readonly emptyRoomMs: number;
  private readonly rooms = new Map<number, Room>();
  private readonly opening = new Map<number, Promise<Room>>();
  private told: ((message: RoomMessage) => void) | undefined;

  constructor(
    readonly newsroom: Newsroom,
    options: RoomOptions = {},
  ) {
    this.saveDelayMs = options.saveDelayMs ?? 1000;
    this.maxSaveDelayMs = options.maxSaveDelayMs ?? 5000;
    this.emptyRoomMs = options.emptyRoomMs ?? 30_000;
  }

  tell(message: RoomMessage): void {
    this.told?.(message);
  }

  /** Where messages for the other processes go (main.ts: the change channel). */
  tellOthers(send: (message: RoomMessage) => void): void {
    this.told = send;
  }

  failed(error: unknown): void {
    process.emitWarning(`co-editing: ${(error as Error).message}`);
  }

  async store(articleId: number, data: Uint8Array, userId: number | null): Promise<number> {
    return await storeSharedDocUpdate(
      this.newsroom.store.db,
      articleId,
      data,
      userId,
      this.newsroom.now().toISOString(),
    );
  }

  async compact(articleId: number): Promise<void> {
    await compactSharedDocument(this.newsroom.store.db, articleId, this.newsroom.now()).catch(
      (error: unknown) => this.failed(error),
    );
  }

  /** How many rooms are open (for the benchmark and tests). */
  get size(): number {
    return this.rooms.size;
  }

  /**
   * Lets `peer` into the article's room when they may edit it (else closes
   * the connection with the reason), and starts the sync.
   */
  async join(articleId: number, peer: Peer): Promise<void> {
    try {
      const detail = await getArticleForStaff(this.newsroom, peer.actor, articleId);
      if (detail.readOnlyReason) {
        peer.close(SHARED_DOC_CLOSE.forbidden, detail.readOnlyReason);
        return;
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'not_found') peer.close(SHARED_DOC_CLOSE.notFound, 'there is no such article');
      else if (code === 'not_allowed_for_role')
        peer.close(SHARED_DOC_CLOSE.forbidden, (error as Error).message);
      else peer.close(1011, 'the server could not open the text');
      return;
    }
    let room: Room;
    try {
      room = await this.open(articleId);
    } catch (error) {
      this.failed(error);
      peer.close(1011, 'the server could not open the text: reconnecting');
      return;
    }
    // Gone while the room opened (a reload at once): let nobody in, and let
    // an otherwise empty room close as it would have.
    if (!peer.isOpen()) {
      if (room.peers.size === 0 && !room.emptyTimer)
        room.emptyTimer = setTimeout(() => void this.closeRoom(room), this.emptyRoomMs);
      return;
    }
    if (room.emptyTimer) clearTimeout(room.emptyTimer);
    room.emptyTimer = null;
    room.peers.set(peer, { peer, clients: new Set() });
    peer.send(jsonFrame(SHARED_DOC_MESSAGES.hello, { generation: room.generation }));
    peer.send(frame(MESSAGE_SYNC, (e) => sync.writeSyncStep1(e, room.doc)));
    peer.send(room.storedMessage);
    const others = [...room.awareness.getStates().keys()];
    if (others.length > 0) {
      const data = encodeAwarenessUpdate(room.awareness, others);
      peer.send(frame(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, data)));
    }
  }

  private async open(articleId: number): Promise<Room> {
    const open = this.rooms.get(articleId);
    if (open) return open;
    let opening = this.opening.get(articleId);
    if (!opening) {
      opening = openSharedDoc(
        this.newsroom.store.db,
        articleId,
        this.newsroom.now().toISOString(),
        this.newsroom.newId,
      ).then(({ doc, generation, lastUpdateId }) => {
        const room = new Room(this, articleId, doc, generation, lastUpdateId);
        this.rooms.set(articleId, room);
        // Who is in this article on the other processes was told before this
        // room was here to hear it: asked again, else they would show only
        // when their editors next renew their presence (15 s on).
        this.tell({ kind: 'opened', articleId });
        return room;
      });
      this.opening.set(articleId, opening);
      void opening.finally(() => this.opening.delete(articleId)).catch(() => {});
    }
    return await opening;
  }

  /** A message from `peer`'s editor; one that cannot be read ends the connection, never the server. */
  receive(articleId: number, peer: Peer, data: Uint8Array): void {
    const room = this.rooms.get(articleId);
    if (!room?.peers.has(peer)) return;
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        sync.readSyncMessage(decoder, encoder, room.doc, peer);
        // A reply (sync step 2, what the editor lacks) when there is one.
        if (encoding.length(encoder) > 1) peer.send(encoding.toUint8Array(encoder));
      } else if (type === MESSAGE_AWARENESS) {
        applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), peer);
      }
    } catch {
      peer.close(1007, 'a message the server could not read');
    }
  }

  /** `peer` went away: their caret goes with them; an empty room closes a while later. */
  leave(articleId: number, peer: Peer): void {
    const room = this.rooms.get(articleId);
    const state = room?.peers.get(peer);
    if (!room || !state) return;
    room.peers.delete(peer);
    removeAwarenessStates(room.awareness, [...state.clients], 'left');
    if (room.peers.size === 0) {
      room.emptyTimer = setTimeout(() => void this.closeRoom(room), this.emptyRoomMs);
    }
  }

  private async closeRoom(room: Room): Promise<void> {
    if (room.peers.size > 0 || this.rooms.get(room.articleId) !== room) return;
    this.rooms.delete(room.articleId);
    await room.close();
    await this.compact(room.articleId);
  }

  /**
   * An article was saved (here or by another process): its editors hear the
   * new version, and a body saved some other way arrives in the document.
   */
  async saved(articleId: number, version: number): Promise<void> {
    const room = this.rooms.get(articleId);
    if (!room) return;
    await this.catchUp(room);
    room.broadcast(jsonFrame(SHARED_DOC_MESSAGES.saved, { version }));
  }

  /** Called when another process says the desk changed (http/desk-events.ts). */
  onDesk: (() => void) | null = null;

  /** The article's notes changed: its editors read them again. */
  notesChanged(articleId: number): void {
    this.rooms.get(articleId)?.broadcast(jsonFrame(SHARED_DOC_MESSAGES.notes, {}));
  }

  /** Applies the stored updates the room has not seen (idempotent: Yjs skips what it has). */
  private async catchUp(room: Room): Promise<void> {
    const updates = await sharedDocUpdatesAfter(
      this.newsroom.store.db,
      room.articleId,
      room.lastUpdateId,
    );
    for (const update of updates) {
      Y.applyUpdate(room.doc, update.data, 'remote');
      room.lastUpdateId = Math.max(room.lastUpdateId, update.id);
    }
    if (updates.length > 0) room.announceStored();
  }

  /** A message from another process. */
  async heard(message: RoomMessage): Promise<void> {
    if (message.kind === 'rights') return await this.checkRights();
    if (message.kind === 'saved') return await this.saved(message.articleId, message.version);
    if (message.kind === 'notes') return this.notesChanged(message.articleId);
    if (message.kind === 'desk') return this.onDesk?.();
    const room = this.rooms.get(message.articleId);
    if (!room) return;
    if (message.kind === 'awareness') {
      applyAwarenessUpdate(room.awareness, Buffer.from(message.data, 'base64'), 'remote');
    } else if (message.kind === 'opened') {
      const here = [...room.peers.values()].flatMap((state) => [...state.clients]);
      if (here.length === 0) return;
      this.tell({
        kind: 'awareness',
        articleId: room.articleId,
        data: Buffer.from(encodeAwarenessUpdate(room.awareness, here)).toString('base64'),
      });
    } else {
      // A large update is told by its id: read that one.
      const data =
        message.data !== undefined
          ? Buffer.from(message.data, 'base64')
          : await sharedDocUpdateById(this.newsroom.store.db, message.updateId);
      if (data) Y.applyUpdate(room.doc, data, 'remote');
      room.announceStored();
    }
  }

  /** Some messages from other processes may have been lost: read every open document again. */
  async missed(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((room) => this.catchUp(room)));
  }

  /**
   * Checks every connection again (an account disabled, a role or the
   * article's state changed, a session ended): whoever may no longer edit
   * the article is disconnected, with the reason.
   */
  async checkRights(): Promise<void> {
    for (const room of this.rooms.values()) {
      for (const peer of [...room.peers.keys()]) {
        const session = await authenticate(this.newsroom, peer.sessionToken).catch(() => null);
        if (!session) {
          peer.close(SHARED_DOC_CLOSE.signedOut, 'your session ended: sign in again');
          continue;
        }
        peer.actor.role = session.user.role;
        const detail = await getArticleForStaff(this.newsroom, peer.actor, room.articleId).catch(
          () => null,
        );
        if (!detail || detail.readOnlyReason) {
          peer.close(
            SHARED_DOC_CLOSE.forbidden,
            detail?.readOnlyReason ?? 'you may no longer open this article',
          );
        }
      }
    }
  }

  /** Saves every open document's body and closes the rooms (the server is stopping). */
  async closeAll(): Promise<void> {
    const rooms = [...this.rooms.values()];
    this.rooms.clear();
    for (const room of rooms) {
      for (const peer of room.peers.keys()) peer.close(1012, 'the server is restarting');
      await room.close();
    }
  }
}
