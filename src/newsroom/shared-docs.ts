import {
  initProseMirrorDoc,
  prosemirrorJSONToYXmlFragment,
  relativePositionToAbsolutePosition,
  updateYFragment,
  yXmlFragmentToProsemirrorJSON,
} from '@tiptap/y-tiptap';
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { type Doc, withoutTrailingEmptyLine, withTrailingEmptyLine } from '../core/document.js';
import { canonicalDoc, documentSchema, validateDoc } from '../core/document-extensions.js';
import { DomainError } from '../core/errors.js';
import { sortedJson } from '../core/field-merge.js';
import type { TextAnchor } from '../core/notes.js';
import { SHARED_BODY_FIELD } from '../core/shared-doc.js';
import { getArticle, getPendingChanges, lockArticle } from '../store/articles.js';
import type { Database } from '../store/schema.js';
import {
  appendSharedDocUpdate,
  compactSharedDoc,
  deleteCompactedSharedDocUpdates,
  hasUnsavedSharedText,
  insertSharedDoc,
  readSharedDoc,
  readSharedDocUpdate,
  readSharedDocUpdates,
  type SharedDocRows,
  setSharedDocBodyUpdate,
  sharedDocEditorsAfter,
  sharedDocsWithUpdates,
} from '../store/shared-docs.js';

// The shared document of an article's body (co-editing): a Yjs document
// whose XML fragment `body` is the ProseMirror document, as Tiptap's
// collaboration extension edits it. Stored as a compacted state plus every
// update since (store/shared-docs.ts); the article's `body` is saved from it
// a moment after the typing (http/shared-doc-rooms.ts) and before any
// transition, and a body saved any other way (a restored revision, an API
// save) is written into it as an ordinary change everyone sees.

/** A new document holding `body` (in the editor's form, core/document.ts). */
export function newBodyDoc(body: Doc): Y.Doc {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(
    documentSchema(),
    withTrailingEmptyLine(body),
    doc.getXmlFragment(SHARED_BODY_FIELD),
  );
  return doc;
}

/** The body a shared document holds, checked against the schema like any save. */
export function bodyOfSharedDoc(doc: Y.Doc): Doc {
  const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(SHARED_BODY_FIELD));
  // An empty fragment (nothing typed yet) is an empty paragraph, as the editor shows it.
  const body =
    Array.isArray(json.content) && json.content.length > 0
      ? json
      : { type: 'doc', content: [{ type: 'paragraph' }] };
  return withoutTrailingEmptyLine(validateDoc(body, 'shared text'));
}

/** Whether two bodies are the same text (attributes compared as the schema fills them). */
export function isSameBody(a: Doc, b: Doc): boolean {
  return sortedJson(canonicalDoc(a)) === sortedJson(canonicalDoc(b));
}

/**
 * Makes the document hold `body`, changing only what differs (so carets
 * elsewhere stay put); returns the update, or null when it held it already.
 */
export function replaceSharedBody(doc: Y.Doc, body: Doc): Uint8Array | null {
  if (isSameBody(bodyOfSharedDoc(doc), body)) return null;
  const before = Y.encodeStateVector(doc);
  const node = documentSchema().nodeFromJSON(withTrailingEmptyLine(body));
  doc.transact(() => {
    updateYFragment(doc, doc.getXmlFragment(SHARED_BODY_FIELD), node, {
      mapping: new Map(),
      isOMark: new Map(),
    });
  });
  return Y.encodeStateAsUpdate(doc, before);
}

/** A stored document as a Yjs document, and the newest update it holds. */
export function docOfRows(rows: SharedDocRows): { doc: Y.Doc; lastUpdateId: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, rows.state);
  let lastUpdateId = rows.throughUpdateId;
  for (const update of rows.updates) {
    Y.applyUpdate(doc, update.data);
    lastUpdateId = Math.max(lastUpdateId, update.id);
  }
  return { doc, lastUpdateId };
}

export type OpenedSharedDoc = {
  doc: Y.Doc;
  generation: string;
  /** The newest stored update the document holds. */
  lastUpdateId: number;
};

/**
 * An article's shared document, made from its body the first time (the first
 * of several processes to store it wins; the others read that one). A body
 * changed while nobody typed (an import updating the article) is written
 * into it first. All in one transaction holding the article, so a body saved
 * by another process meanwhile is never written back over newer words.
 */
export async function openSharedDoc(
  db: Kysely<Database>,
  articleId: number,
  now: string,
  newGeneration: () => string,
): Promise<OpenedSharedDoc> {
  return await db.transaction().execute(async (trx) => {
    await lockArticle(trx, articleId);
    const body = await editableBody(trx, articleId);
    let rows = await readSharedDoc(trx, articleId);
    if (!rows) {
      await insertSharedDoc(
        trx,
        articleId,
        newGeneration(),
        Y.encodeStateAsUpdate(newBodyDoc(body)),
        now,
      );
      rows = await readSharedDoc(trx, articleId);
      if (!rows) throw new Error(`the shared text of article ${articleId} could not be stored`);
    }
    const opened = docOfRows(rows);
    const isAllSaved = opened.lastUpdateId <= rows.bodyUpdateId;
    if (isAllSaved) {
      const update = replaceSharedBody(opened.doc, body);
      if (update) {
        const id = await appendSharedDocUpdate(trx, articleId, update, null, now);
        await setSharedDocBodyUpdate(trx, articleId, id);
        opened.lastUpdateId = id;
      }
    }
    return { ...opened, generation: rows.generation };
  });
}

/** The body the editor edits: the edits held back from readers when there are any, else the article's. */
async function editableBody(db: Kysely<Database>, articleId: number): Promise<Doc> {
  const pending = (await getPendingChanges(db, articleId)) as { body?: Doc } | null;
  if (pending?.body) return pending.body;
  const article = await getArticle(db, articleId);
  if (!article) throw new DomainError('not_found', `there is no article ${articleId}`);
  return article.body;
}

/**
 * Writes a body saved some other way (a restored revision, a save from an
 * editor without a live connection) into the article's shared document, as
 * one update everyone's editor receives. Nothing when the article has none.
 * Returns the update's id.
 */
export async function adoptBodyIntoSharedDoc(
  db: Kysely<Database>,
  articleId: number,
  body: Doc,
  userId: number | null,
  now: string,
): Promise<number | null> {
  const rows = await readSharedDoc(db, articleId);
  if (!rows) return null;
  const { doc } = docOfRows(rows);
  const update = replaceSharedBody(doc, body);
  if (!update) return null;
  const id = await appendSharedDocUpdate(db, articleId, update, userId, now);
  await setSharedDocBodyUpdate(db, articleId, id);
  return id;
}

/** What the shared document holds that the article's body may not yet: its text and who typed since the last save. */
export type SharedBody = {
  body: Doc;
  throughUpdateId: number;
  editors: number[];
  /** Which changes the document holds (insertions and deletions). */
  snapshot: Y.Snapshot;
};

/** The shared document's text as it is stored now, or null when the article has none. */
export async function readSharedBody(
  db: Kysely<Database>,
  articleId: number,
): Promise<SharedBody | null> {
  const rows = await readSharedDoc(db, articleId);
  if (!rows) return null;
  const { doc, lastUpdateId } = docOfRows(rows);
  const editors =
    lastUpdateId > rows.bodyUpdateId
      ? await sharedDocEditorsAfter(db, articleId, rows.bodyUpdateId)
      : [];
  return {
    body: bodyOfSharedDoc(doc),
    throughUpdateId: lastUpdateId,
    editors,
    snapshot: Y.snapshot(doc),
  };
}

/**
 * From the store: keep an update an editor sent (its id); the updates stored
 * after one; one by its id; note that the body holds the document up to an id.
 */
export {
  appendSharedDocUpdate as storeSharedDocUpdate,
  hasUnsavedSharedText,
  readSharedDocUpdate as sharedDocUpdateById,
  readSharedDocUpdates as sharedDocUpdatesAfter,
  setSharedDocBodyUpdate as markSharedBodySaved,
};

/** A Yjs snapshot sent as base64 (a transition's `bodyState`), refused with a clear error when it is not one. */
export function decodeBodyState(base64: string): Y.Snapshot {
  try {
    return Y.decodeSnapshot(Buffer.from(base64, 'base64'));
  } catch {
    throw new DomainError('invalid_input', 'bodyState: not a Yjs snapshot', 'bodyState');
  }
}

/**
 * What each anchored passage reads now in the article's shared text, or null
 * where its words were deleted (or the article has no shared text yet).
 */
export async function passagesNow(
  db: Kysely<Database>,
  articleId: number,
  anchors: readonly TextAnchor[],
): Promise<(string | null)[]> {
  if (anchors.length === 0) return [];
  const rows = await readSharedDoc(db, articleId);
  if (!rows) return anchors.map(() => null);
  const { doc } = docOfRows(rows);
  const fragment = doc.getXmlFragment(SHARED_BODY_FIELD);
  const { doc: node, mapping } = initProseMirrorDoc(fragment, documentSchema());
  const at = (json: unknown): number | null => {
    try {
      return relativePositionToAbsolutePosition(
        doc,
        fragment,
        Y.createRelativePositionFromJSON(json),
        mapping,
      );
    } catch {
      return null;
    }
  };
  return anchors.map((anchor) => {
    const from = at(anchor.start);
    const to = at(anchor.end);
    if (from === null || to === null || to <= from) return null;
    const text = node.textBetween(from, to, ' ', ' ').trim();
    return text === '' ? null : text;
  });
}

/** Updates waiting in a document after which the scheduler compacts it (a room compacts its own). */
const TIDY_OVER = 100;

/**
 * The scheduler's tidying: documents nobody has open but with many updates
 * are compacted, and compacted updates already in a saved body are deleted
 * once no process can still need them.
 */
export async function tidySharedDocs(db: Kysely<Database>, now: Date): Promise<void> {
  for (const articleId of await sharedDocsWithUpdates(db, TIDY_OVER))
    await compactSharedDocument(db, articleId, now);
  await deleteCompactedSharedDocUpdates(
    db,
    new Date(now.getTime() - KEEP_COMPACTED_MS).toISOString(),
  );
}

/** How long compacted updates are kept for processes that read the state before the compaction. */
const KEEP_COMPACTED_MS = 10 * 60_000;

/** Merges an article's stored updates into its state, so the next opening reads one row. */
export async function compactSharedDocument(
  db: Kysely<Database>,
  articleId: number,
  now: Date,
): Promise<void> {
  const rows = await readSharedDoc(db, articleId);
  if (!rows || rows.updates.length === 0) return;
  const state = Y.mergeUpdates([rows.state, ...rows.updates.map((update) => update.data)]);
  const through = rows.updates.reduce((max, update) => Math.max(max, update.id), 0);
  await compactSharedDoc(
    db,
    articleId,
    state,
    through,
    now.toISOString(),
    new Date(now.getTime() - KEEP_COMPACTED_MS).toISOString(),
  );
}
