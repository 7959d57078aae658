import type { Kysely, Selectable } from 'kysely';
import type { Doc } from '../core/document.js';
import { parseDoc } from '../core/document.js';
import { isLiveState, type LiveCoverage, type LiveEntry, newestFirst } from '../core/live.js';
import { toPerson } from './rows.js';
import type { Database } from './schema.js';

// Live coverage: the article's state and its entries (migration 023).

type EntryRow = Selectable<Database['live_entry']>;

/** The coverage an article carries, or null for an ordinary article (or none at all). */
export async function getLiveCoverage(
  db: Kysely<Database>,
  articleId: number,
): Promise<LiveCoverage | null> {
  const row = await db
    .selectFrom('article')
    .select(['live_state', 'live_started_at', 'live_ended_at'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (!row || !isLiveState(row.live_state)) return null;
  return { state: row.live_state, startedAt: row.live_started_at, endedAt: row.live_ended_at };
}

/** Sets an article's coverage state and its times. */
export async function setLiveCoverage(
  db: Kysely<Database>,
  articleId: number,
  coverage: LiveCoverage,
): Promise<void> {
  await db
    .updateTable('article')
    .set({
      live_state: coverage.state,
      live_started_at: coverage.startedAt,
      live_ended_at: coverage.endedAt,
    })
    .where('id', '=', articleId)
    .execute();
}

/** Which of these articles are live now (for teasers' "Live" label). */
export async function liveArticleIds(
  db: Kysely<Database>,
  articleIds: readonly number[],
): Promise<Set<number>> {
  if (articleIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('article')
    .select('id')
    .where('id', 'in', [...articleIds])
    .where('live_state', '=', 'live')
    .execute();
  return new Set(rows.map((row) => row.id));
}

async function toEntries(db: Kysely<Database>, rows: EntryRow[]): Promise<LiveEntry[]> {
  const personIds = [
    ...new Set(rows.flatMap((row) => (row.person_id === null ? [] : [row.person_id]))),
  ];
  const people =
    personIds.length === 0
      ? []
      : await db.selectFrom('person').selectAll().where('id', 'in', personIds).execute();
  const byId = new Map(people.map((row) => [row.id, toPerson(row)]));
  return rows.map((row) => ({
    id: row.id,
    articleId: row.article_id,
    author: row.person_id === null ? null : (byId.get(row.person_id) ?? null),
    title: row.title,
    body: parseDoc(JSON.parse(row.body)),
    isKeyEvent: row.is_key_event === 1,
    isPinned: row.is_pinned === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/** An article's entries, newest first; the newest `limit` when given. */
export async function listLiveEntries(
  db: Kysely<Database>,
  articleId: number,
  limit?: number,
): Promise<LiveEntry[]> {
  let query = db
    .selectFrom('live_entry')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
  if (limit !== undefined) query = query.limit(limit);
  return newestFirst(await toEntries(db, await query.execute()));
}

/** One entry of one article, or null. */
export async function getLiveEntry(
  db: Kysely<Database>,
  articleId: number,
  entryId: number,
): Promise<LiveEntry | null> {
  const row = await db
    .selectFrom('live_entry')
    .selectAll()
    .where('id', '=', entryId)
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  return row ? ((await toEntries(db, [row]))[0] ?? null) : null;
}

export async function insertLiveEntry(
  db: Kysely<Database>,
  entry: {
    articleId: number;
    personId: number | null;
    title: string;
    body: Doc;
    isKeyEvent: boolean;
    isPinned: boolean;
    at: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('live_entry')
    .values({
      article_id: entry.articleId,
      person_id: entry.personId,
      title: entry.title,
      body: JSON.stringify(entry.body),
      is_key_event: entry.isKeyEvent ? 1 : 0,
      is_pinned: entry.isPinned ? 1 : 0,
      version: 1,
      created_at: entry.at,
      updated_at: entry.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Writes an entry's new content if it is still at `version` (and moves it to
 * the next); false when someone saved it meanwhile or it is gone.
 */
export async function updateLiveEntryIfVersion(
  db: Kysely<Database>,
  entryId: number,
  version: number,
  content: { title: string; body: Doc; isKeyEvent: boolean; isPinned: boolean; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('live_entry')
    .set({
      title: content.title,
      body: JSON.stringify(content.body),
      is_key_event: content.isKeyEvent ? 1 : 0,
      is_pinned: content.isPinned ? 1 : 0,
      version: version + 1,
      updated_at: content.at,
    })
    .where('id', '=', entryId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Unpins the article's other entries (one pinned entry at most). Each unpinned
 * entry moves to its next version: an editor holding the old one learns of it.
 */
export async function unpinOtherEntries(
  db: Kysely<Database>,
  articleId: number,
  keptId: number | null,
  at: string,
): Promise<number[]> {
  let query = db
    .selectFrom('live_entry')
    .select('id')
    .where('article_id', '=', articleId)
    .where('is_pinned', '=', 1);
  if (keptId !== null) query = query.where('id', '!=', keptId);
  const ids = (await query.execute()).map((row) => row.id);
  if (ids.length === 0) return [];
  await db
    .updateTable('live_entry')
    .set((eb) => ({ is_pinned: 0, version: eb('version', '+', 1), updated_at: at }))
    .where('id', 'in', ids)
    .execute();
  return ids;
}

export async function deleteLiveEntry(
  db: Kysely<Database>,
  articleId: number,
  entryId: number,
): Promise<boolean> {
  const result = await db
    .deleteFrom('live_entry')
    .where('id', '=', entryId)
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
