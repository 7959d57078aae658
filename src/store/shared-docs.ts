import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

// Co-editing's shared documents (migration 026): a compacted Yjs state per
// article and the updates received since, as bytes. What the bytes mean is
// newsroom/shared-docs.ts's business.

export type SharedDocRows = {
  generation: string;
  state: Uint8Array;
  throughUpdateId: number;
  bodyUpdateId: number;
  updates: { id: number; data: Uint8Array }[];
};

/**
 * An article's shared document as stored: its state and every update after
 * it. Read in that order, and updates are deleted only a while after they
 * were compacted, so a compaction between the two reads costs a duplicate
 * (Yjs applies an update twice harmlessly), never a missing update.
 */
export async function readSharedDoc(
  db: Kysely<Database>,
  articleId: number,
): Promise<SharedDocRows | null> {
  const doc = await db
    .selectFrom('shared_doc')
    .select(['generation', 'state', 'through_update_id', 'body_update_id'])
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  if (!doc) return null;
  const updates = await readSharedDocUpdates(db, articleId, doc.through_update_id);
  return {
    generation: doc.generation,
    state: toBytes(doc.state),
    throughUpdateId: doc.through_update_id,
    bodyUpdateId: doc.body_update_id,
    updates,
  };
}

/** The updates of an article's document after `afterId`, oldest first. */
export async function readSharedDocUpdates(
  db: Kysely<Database>,
  articleId: number,
  afterId: number,
): Promise<{ id: number; data: Uint8Array }[]> {
  const rows = await db
    .selectFrom('shared_doc_update')
    .select(['id', 'data'])
    .where('article_id', '=', articleId)
    .where('id', '>', afterId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, data: toBytes(row.data) }));
}

/** One update by id (a large one is told between processes by its id only). */
export async function readSharedDocUpdate(
  db: Kysely<Database>,
  id: number,
): Promise<Uint8Array | null> {
  const row = await db
    .selectFrom('shared_doc_update')
    .select('data')
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toBytes(row.data) : null;
}

/**
 * Stores a document's first state unless another process stored one first
 * (both made it from the same body; the first one wins and is the one read).
 */
export async function insertSharedDoc(
  db: Kysely<Database>,
  articleId: number,
  generation: string,
  state: Uint8Array,
  now: string,
): Promise<void> {
  await db
    .insertInto('shared_doc')
    .values({ article_id: articleId, generation, state, updated_at: now })
    .onConflict((oc) => oc.column('article_id').doNothing())
    .execute();
}

/** Keeps one update; returns its id. */
export async function appendSharedDocUpdate(
  db: Kysely<Database>,
  articleId: number,
  data: Uint8Array,
  userId: number | null,
  now: string,
): Promise<number> {
  const row = await db
    .insertInto('shared_doc_update')
    .values({ article_id: articleId, data, user_id: userId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The people whose updates to an article arrived after `afterId` (for a revision's editors). */
export async function sharedDocEditorsAfter(
  db: Kysely<Database>,
  articleId: number,
  afterId: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('shared_doc_update')
    .select('user_id')
    .distinct()
    .where('article_id', '=', articleId)
    .where('id', '>', afterId)
    .where('user_id', 'is not', null)
    .execute();
  return rows.flatMap((row) => (row.user_id === null ? [] : [row.user_id]));
}

/** Whether updates arrived after the last saved body (the shared text is ahead of it). */
export async function hasUnsavedSharedText(
  db: Kysely<Database>,
  articleId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('shared_doc')
    .select((eb) => [
      'body_update_id',
      eb
        .selectFrom('shared_doc_update')
        .select((inner) => inner.fn.max('id').as('newest'))
        .where('shared_doc_update.article_id', '=', articleId)
        .as('newest'),
    ])
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  return row?.newest != null && Number(row.newest) > row.body_update_id;
}

/** Notes that the article's body now holds every update up to `updateId`. */
export async function setSharedDocBodyUpdate(
  db: Kysely<Database>,
  articleId: number,
  updateId: number,
): Promise<void> {
  await db
    .updateTable('shared_doc')
    .set({ body_update_id: updateId })
    .where('article_id', '=', articleId)
    .where('body_update_id', '<', updateId)
    .execute();
}

/**
 * Replaces the compacted state with one holding every update up to
 * `throughUpdateId`, and deletes updates compacted more than `keepAfter`
 * ago (readers that read the old state still find the ones they need).
 */
export async function compactSharedDoc(
  db: Kysely<Database>,
  articleId: number,
  state: Uint8Array,
  throughUpdateId: number,
  now: string,
  deleteBefore: string,
): Promise<void> {
  await db
    .updateTable('shared_doc')
    .set({ state, through_update_id: throughUpdateId, updated_at: now })
    .where('article_id', '=', articleId)
    .where('through_update_id', '<', throughUpdateId)
    .execute();
  await db
    .deleteFrom('shared_doc_update')
    .where('article_id', '=', articleId)
    .where('id', '<=', throughUpdateId)
    .where('created_at', '<', deleteBefore)
    // Updates not in a saved body yet name who typed them for the next revision.
    .where(({ eb, selectFrom }) =>
      eb(
        'id',
        '<=',
        selectFrom('shared_doc')
          .select('body_update_id')
          .where('shared_doc.article_id', '=', articleId),
      ),
    )
    .execute();
}

/** The articles whose documents have more than `count` updates waiting to be compacted. */
export async function sharedDocsWithUpdates(
  db: Kysely<Database>,
  count: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('shared_doc_update')
    .innerJoin('shared_doc', 'shared_doc.article_id', 'shared_doc_update.article_id')
    .select('shared_doc_update.article_id')
    .whereRef('shared_doc_update.id', '>', 'shared_doc.through_update_id')
    .groupBy('shared_doc_update.article_id')
    .having((eb) => eb.fn.countAll(), '>', count)
    .execute();
  return rows.map((row) => row.article_id);
}

/** A BLOB (better-sqlite3) or bytea (pg) arrives as a Buffer; Yjs wants a plain Uint8Array view. */
function toBytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Deletes updates that were compacted more than a while ago and whose text is
 * in a saved body (the scheduler's tidying after the compactions).
 */
export async function deleteCompactedSharedDocUpdates(
  db: Kysely<Database>,
  before: string,
): Promise<void> {
  await db
    .deleteFrom('shared_doc_update')
    .where('created_at', '<', before)
    .where(({ eb, selectFrom, ref }) =>
      eb.and([
        eb(
          'id',
          '<=',
          selectFrom('shared_doc')
            .select('through_update_id')
            .whereRef('shared_doc.article_id', '=', ref('shared_doc_update.article_id')),
        ),
        eb(
          'id',
          '<=',
          selectFrom('shared_doc')
            .select('body_update_id')
            .whereRef('shared_doc.article_id', '=', ref('shared_doc_update.article_id')),
        ),
      ]),
    )
    .execute();
}
