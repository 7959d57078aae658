import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type RevisionRow = {
  id: number;
  articleId: number;
  version: number;
  snapshot: unknown;
  userId: number | null;
  userName: string | null;
  /** Everyone whose typing it holds (co-editing), as user ids; null when only `userId` typed. */
  editorIds: number[] | null;
  createdAt: string;
};

export async function insertRevision(
  db: Kysely<Database>,
  revision: {
    articleId: number;
    version: number;
    snapshot: unknown;
    userId: number | null;
    editors?: number[] | null;
    createdAt: string;
  },
): Promise<void> {
  await db
    .insertInto('revision')
    .values({
      article_id: revision.articleId,
      version: revision.version,
      snapshot_json: JSON.stringify(revision.snapshot),
      user_id: revision.userId,
      editors_json: revision.editors ? JSON.stringify(revision.editors) : null,
      created_at: revision.createdAt,
    })
    .execute();
}

/** An article's revisions, newest first. */
export async function listRevisions(
  db: Kysely<Database>,
  articleId: number,
): Promise<RevisionRow[]> {
  const rows = await db
    .selectFrom('revision')
    .leftJoin('user', 'user.id', 'revision.user_id')
    .leftJoin('person', 'person.id', 'user.person_id')
    .selectAll('revision')
    .select('person.name')
    .where('revision.article_id', '=', articleId)
    .orderBy('revision.version', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    articleId: row.article_id,
    version: row.version,
    snapshot: JSON.parse(row.snapshot_json) as unknown,
    userId: row.user_id,
    userName: row.name,
    editorIds: row.editors_json === null ? null : (JSON.parse(row.editors_json) as number[]),
    createdAt: row.created_at,
  }));
}

/** The content an article had at `version`: the newest revision at or before it, or null. */
export async function revisionSnapshotAt(
  db: Kysely<Database>,
  articleId: number,
  version: number,
): Promise<unknown> {
  const row = await db
    .selectFrom('revision')
    .select('snapshot_json')
    .where('article_id', '=', articleId)
    .where('version', '<=', version)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? (JSON.parse(row.snapshot_json) as unknown) : null;
}
