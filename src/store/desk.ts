import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

// The desk (migration 028): assignments, notifications and how each person
// wants to hear of each kind.

export type AssignmentRow = Selectable<Database['assignment']> & {
  assignee_name: string | null;
  assigner_name: string | null;
  article_title: string | null;
  article_status: string | null;
};

/** Assignments, newest deadline last, optionally one person's, open ones only unless told. */
export async function listAssignmentRows(
  db: Kysely<Database>,
  filter: { assigneeId?: number; includeDone?: boolean },
): Promise<AssignmentRow[]> {
  let query = db
    .selectFrom('assignment')
    .leftJoin('user as assignee', 'assignee.id', 'assignment.assignee_id')
    .leftJoin('person as assignee_person', 'assignee_person.id', 'assignee.person_id')
    .leftJoin('user as assigner', 'assigner.id', 'assignment.assigned_by')
    .leftJoin('person as assigner_person', 'assigner_person.id', 'assigner.person_id')
    .leftJoin('article', 'article.id', 'assignment.article_id')
    .selectAll('assignment')
    .select([
      'assignee_person.name as assignee_name',
      'assigner_person.name as assigner_name',
      'article.title as article_title',
      'article.status as article_status',
    ]);
  if (filter.assigneeId !== undefined)
    query = query.where('assignment.assignee_id', '=', filter.assigneeId);
  if (!filter.includeDone) query = query.where('assignment.done_at', 'is', null);
  return await query.orderBy('assignment.deadline').orderBy('assignment.id').execute();
}

export async function getAssignmentRow(
  db: Kysely<Database>,
  id: number,
): Promise<Selectable<Database['assignment']> | undefined> {
  return await db.selectFrom('assignment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAssignment(
  db: Kysely<Database>,
  row: {
    articleId: number | null;
    title: string;
    note: string;
    deadline: string | null;
    assigneeId: number;
    assignedBy: number | null;
    now: string;
  },
): Promise<number> {
  const inserted = await db
    .insertInto('assignment')
    .values({
      article_id: row.articleId,
      title: row.title,
      note: row.note,
      deadline: row.deadline,
      assignee_id: row.assigneeId,
      assigned_by: row.assignedBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateAssignment(
  db: Kysely<Database>,
  id: number,
  changes: { articleId?: number; doneAt?: string | null },
  now: string,
): Promise<void> {
  await db
    .updateTable('assignment')
    .set({
      ...(changes.articleId === undefined ? {} : { article_id: changes.articleId }),
      ...(changes.doneAt === undefined ? {} : { done_at: changes.doneAt }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertNotification(
  db: Kysely<Database>,
  row: {
    userId: number;
    kind: string;
    articleId: number | null;
    actorId: number | null;
    text: string;
    now: string;
  },
): Promise<void> {
  await db
    .insertInto('notification')
    .values({
      user_id: row.userId,
      kind: row.kind,
      article_id: row.articleId,
      actor_id: row.actorId,
      text: row.text,
      created_at: row.now,
    })
    .execute();
}

/** A person's newest notifications, unread first among equals. */
export async function listNotificationRows(
  db: Kysely<Database>,
  userId: number,
  limit: number,
): Promise<Selectable<Database['notification']>[]> {
  return await db
    .selectFrom('notification')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function countUnreadNotifications(
  db: Kysely<Database>,
  userId: number,
): Promise<number> {
  const row = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Marks a person's notifications read: these ids, those about one article, or all of them. */
export async function markNotificationsRead(
  db: Kysely<Database>,
  userId: number,
  ids: readonly number[] | 'all' | { articleId: number },
  now: string,
): Promise<void> {
  let query = db
    .updateTable('notification')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (typeof ids === 'object' && 'articleId' in ids) {
    query = query.where('article_id', '=', ids.articleId);
  } else if (ids !== 'all') {
    if (ids.length === 0) return;
    query = query.where('id', 'in', [...ids]);
  }
  await query.execute();
}

export async function readNotificationChoices(
  db: Kysely<Database>,
  userIds: readonly number[],
): Promise<Selectable<Database['notification_choice']>[]> {
  if (userIds.length === 0) return [];
  return await db
    .selectFrom('notification_choice')
    .selectAll()
    .where('user_id', 'in', [...userIds])
    .execute();
}

export async function writeNotificationChoice(
  db: Kysely<Database>,
  row: { userId: number; kind: string; inApp: boolean; byEmail: boolean },
): Promise<void> {
  await db
    .insertInto('notification_choice')
    .values({
      user_id: row.userId,
      kind: row.kind,
      in_app: row.inApp ? 1 : 0,
      by_email: row.byEmail ? 1 : 0,
    })
    .onConflict((oc) =>
      oc.columns(['user_id', 'kind']).doUpdateSet({
        in_app: row.inApp ? 1 : 0,
        by_email: row.byEmail ? 1 : 0,
      }),
    )
    .execute();
}

/** The ids of articles in a state, for the desk's lists (newest change first). */
export async function articleIdsInStatus(
  db: Kysely<Database>,
  status: string,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('article')
    .select('id')
    .where('status', '=', status)
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Articles covered live right now. */
export async function liveCoverageIds(db: Kysely<Database>): Promise<number[]> {
  const rows = await db
    .selectFrom('article')
    .select('id')
    .where('live_state', '=', 'live')
    .where('status', '!=', 'trashed')
    .orderBy('live_started_at', 'desc')
    .execute();
  return rows.map((row) => row.id);
}

/** Corrections added since `since`, newest first, with their article. */
export async function correctionsSince(
  db: Kysely<Database>,
  since: string,
): Promise<{ articleId: number; type: string; text: string; createdAt: string }[]> {
  const rows = await db
    .selectFrom('correction')
    .select(['article_id', 'type', 'text', 'created_at'])
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  return rows.map((row) => ({
    articleId: row.article_id,
    type: row.type,
    text: row.text,
    createdAt: row.created_at,
  }));
}

/** Unresolved threads naming `userId` (in their first note or a reply), newest first. */
export async function openMentions(
  db: Kysely<Database>,
  userId: number,
): Promise<{ noteId: number; articleId: number; body: string; createdAt: string }[]> {
  const rows = await db
    .selectFrom('note_mention')
    .innerJoin('article_note as note', 'note.id', 'note_mention.note_id')
    .leftJoin('article_note as thread', 'thread.id', 'note.thread_id')
    .select(['note.id', 'note.article_id', 'note.body', 'note.created_at'])
    .where('note_mention.user_id', '=', userId)
    .where((eb) =>
      eb.or([
        eb.and([eb('note.thread_id', 'is', null), eb('note.resolved_at', 'is', null)]),
        eb.and([eb('note.thread_id', 'is not', null), eb('thread.resolved_at', 'is', null)]),
      ]),
    )
    .orderBy('note.id', 'desc')
    .limit(20)
    .execute();
  return rows.map((row) => ({
    noteId: row.id,
    articleId: row.article_id,
    body: row.body,
    createdAt: row.created_at,
  }));
}
