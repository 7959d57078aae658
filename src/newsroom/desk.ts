import type { ArticleDetail } from '../core/article-detail.js';
import { dayIn } from '../core/dates.js';
import {
  type Assignment,
  type AssignmentInput,
  DEFAULT_CHOICE,
  type Desk,
  type DeskItem,
  isNotificationKind,
  NOTIFICATION_KINDS,
  type NotificationChoice,
  type NotificationKind,
  type NotificationView,
} from '../core/desk.js';
import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import { recordAudit } from '../store/audit.js';
import {
  type AssignmentRow,
  articleIdsInStatus,
  correctionsSince,
  countUnreadNotifications,
  getAssignmentRow,
  insertAssignment,
  listAssignmentRows,
  listNotificationRows,
  liveCoverageIds,
  markNotificationsRead,
  openMentions,
  readNotificationChoices,
  updateAssignment,
  writeNotificationChoice,
} from '../store/desk.js';
import { listUsers } from '../store/users.js';
import { createArticle, getArticleForStaff, listArticlesForStaffMember } from './articles.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { notify, sendNotificationMail } from './notifications.js';
import { readSiteSettings } from './read-site.js';

// The desk: what needs each person. A start screen per person (what waits
// for review, what was sent back, what is scheduled today, recent
// corrections, live coverage, their drafts, notes naming them, stories given
// to them), assignments with a planning list by day, and notifications, in
// the app and by e-mail when the site has an SMTP server, each person
// choosing which.

// ---------------------------------------------------------------------------
// Notifications

export async function listNotifications(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<{ notifications: NotificationView[]; unread: number }> {
  const userId = signedInUser(actor);
  const db = newsroom.store.db;
  const [rows, unread] = await Promise.all([
    listNotificationRows(db, userId, 50),
    countUnreadNotifications(db, userId),
  ]);
  return {
    notifications: rows.flatMap((row) =>
      isNotificationKind(row.kind)
        ? [
            {
              id: row.id,
              kind: row.kind,
              text: row.text,
              articleId: row.article_id,
              createdAt: row.created_at,
              isRead: row.read_at !== null,
            },
          ]
        : [],
    ),
    unread,
  };
}

export async function readNotifications(
  newsroom: Newsroom,
  actor: StaffActor,
  ids: readonly number[] | 'all' | { articleId: number },
): Promise<void> {
  await markNotificationsRead(
    newsroom.store.db,
    signedInUser(actor),
    ids,
    newsroom.now().toISOString(),
  );
}

/** How the person hears of each kind (their choice, else the default). */
export async function notificationChoices(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<Record<NotificationKind, NotificationChoice>> {
  const userId = signedInUser(actor);
  const rows = await readNotificationChoices(newsroom.store.db, [userId]);
  return Object.fromEntries(
    (Object.keys(NOTIFICATION_KINDS) as NotificationKind[]).map((kind) => {
      const row = rows.find((one) => one.kind === kind);
      return [
        kind,
        row ? { inApp: row.in_app === 1, byEmail: row.by_email === 1 } : DEFAULT_CHOICE,
      ];
    }),
  ) as Record<NotificationKind, NotificationChoice>;
}

export async function chooseNotifications(
  newsroom: Newsroom,
  actor: StaffActor,
  choices: Partial<Record<NotificationKind, NotificationChoice>>,
): Promise<Record<NotificationKind, NotificationChoice>> {
  const userId = signedInUser(actor);
  await newsroom.store.db.transaction().execute(async (trx) => {
    for (const [kind, choice] of Object.entries(choices) as [
      NotificationKind,
      NotificationChoice,
    ][])
      await writeNotificationChoice(trx, { userId, kind, ...choice });
  });
  return await notificationChoices(newsroom, actor);
}

function signedInUser(actor: StaffActor): number {
  if (actor.userId === null)
    throw new DomainError('invalid_input', 'notifications belong to a signed-in person');
  return actor.userId;
}

// ---------------------------------------------------------------------------
// Assignments

/**
 * Gives a story to a writer (editors): an existing article, or a working
 * title for one not written yet, with the desk's note and a deadline. The
 * writer is told.
 */
export async function assignStory(
  newsroom: Newsroom,
  actor: StaffActor,
  input: AssignmentInput,
): Promise<Assignment> {
  if (!can(actor, 'desk.assign'))
    throw new DomainError('not_allowed_for_role', 'only editors give stories to writers');
  const article = input.articleId
    ? await getArticleForStaff(newsroom, actor, input.articleId)
    : null;
  const title = input.title || article?.title || '';
  if (!title)
    throw new DomainError('invalid_input', 'title: name the story, or choose its article', 'title');
  const assignee = (await listUsers(newsroom.store.db)).find(
    (user) => user.id === input.assigneeId,
  );
  if (!assignee || assignee.disabledAt)
    throw new DomainError('invalid_input', 'assigneeId: no such colleague', 'assigneeId');
  if (article) {
    // An existing article goes only to someone who may work on it.
    const writer = { userId: assignee.id, personId: assignee.personId, role: assignee.role };
    const isOwn = article.authors.some((author) => author.personId === assignee.personId);
    if (!can(writer, 'article.edit', { isOwn }))
      throw new DomainError(
        'invalid_input',
        `assigneeId: ${assignee.name} may not work on this article: add them to its byline first`,
        'assigneeId',
      );
  }
  const now = newsroom.now().toISOString();
  const { id, mails } = await newsroom.store.db.transaction().execute(async (trx) => {
    const created = await insertAssignment(trx, {
      articleId: article?.id ?? null,
      title,
      note: input.note,
      deadline: input.deadline ? new Date(input.deadline).toISOString() : null,
      assigneeId: assignee.id,
      assignedBy: actor.userId,
      now,
    });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'desk.assign',
      subject: `user:${assignee.id}`,
      detail: { assignment: created, title, ...(article ? { article: article.id } : {}) },
      at: now,
    });
    const by = (await listUsers(trx)).find((user) => user.id === actor.userId)?.name ?? 'The desk';
    const pending = await notify(
      trx,
      {
        userIds: [assignee.id],
        kind: 'assignment',
        articleId: article?.id ?? null,
        actorId: actor.userId,
        text: `${by} gave you a story: “${title}”${input.note ? ` (${input.note})` : ''}`,
      },
      now,
    );
    return { id: created, mails: pending };
  });
  void sendNotificationMail(newsroom, mails);
  newsroom.deskChanged?.();
  return await assignmentById(newsroom, id);
}

/** The stories given out: editors see all, writers their own; open ones unless told. */
export async function listAssignments(
  newsroom: Newsroom,
  actor: StaffActor,
  options: { includeDone?: boolean } = {},
): Promise<Assignment[]> {
  const rows = await listAssignmentRows(newsroom.store.db, {
    ...(can(actor, 'desk.assign') ? {} : { assigneeId: signedInUser(actor) }),
    ...(options.includeDone ? { includeDone: true } : {}),
  });
  return rows.map(presentAssignment);
}

/**
 * The writer starts on a placeholder: a draft with its working title as the
 * headline and the writer's byline, linked to it. Answers the article's id.
 */
export async function startAssignment(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<number> {
  const row = await getAssignmentRow(newsroom.store.db, id);
  if (!row || (row.assignee_id !== actor.userId && !can(actor, 'desk.assign')))
    throw new DomainError('not_found', `there is no assignment ${id}`);
  if (row.article_id !== null) return row.article_id;
  const draft: ArticleDetail = await createArticle(newsroom, actor, {
    title: row.title,
    standfirst: '',
    language: 'en',
    body: { type: 'doc', content: [{ type: 'paragraph' }] },
    sources: [],
    leadMediaId: null,
    tags: [],
  });
  await updateAssignment(
    newsroom.store.db,
    id,
    { articleId: draft.id },
    newsroom.now().toISOString(),
  );
  newsroom.deskChanged?.();
  return draft.id;
}

/** Marks a story done (or not): its writer or an editor. */
export async function finishAssignment(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  isDone: boolean,
): Promise<Assignment> {
  const row = await getAssignmentRow(newsroom.store.db, id);
  if (!row || (row.assignee_id !== actor.userId && !can(actor, 'desk.assign')))
    throw new DomainError('not_found', `there is no assignment ${id}`);
  const now = newsroom.now().toISOString();
  await updateAssignment(newsroom.store.db, id, { doneAt: isDone ? now : null }, now);
  newsroom.deskChanged?.();
  return await assignmentById(newsroom, id);
}

async function assignmentById(newsroom: Newsroom, id: number): Promise<Assignment> {
  const row = (await listAssignmentRows(newsroom.store.db, { includeDone: true })).find(
    (one) => one.id === id,
  );
  if (!row) throw new DomainError('not_found', `there is no assignment ${id}`);
  return presentAssignment(row);
}

function presentAssignment(row: AssignmentRow): Assignment {
  return {
    id: row.id,
    title: row.title,
    note: row.note,
    deadline: row.deadline,
    article:
      row.article_id === null
        ? null
        : { id: row.article_id, title: row.article_title ?? '', status: row.article_status ?? '' },
    assignee: { userId: row.assignee_id, name: row.assignee_name ?? 'a former colleague' },
    assignedBy: row.assigner_name,
    doneAt: row.done_at,
    createdAt: row.created_at,
  };
}

// ---------------------------------------------------------------------------
// The start screen

const LIST = 20;

export async function readDesk(newsroom: Newsroom, actor: StaffActor): Promise<Desk> {
  const db = newsroom.store.db;
  const isEditor = can(actor, 'article.view-drafts');
  const userId = signedInUser(actor);
  const item = (article: ArticleDetail, detail: string | null = null): DeskItem => ({
    id: article.id,
    title: article.title || 'Untitled article',
    status: article.status,
    section: article.section,
    updatedAt: article.updatedAt,
    detail,
  });
  const byIds = async (ids: readonly number[]) => {
    const found: ArticleDetail[] = [];
    for (const id of ids) {
      const article = await getArticleForStaff(newsroom, actor, id).catch(() => null);
      if (article) found.push(article);
    }
    return found;
  };
  const mine = isEditor
    ? []
    : (await listArticlesForStaffMember(newsroom, actor, { status: 'draft', pageSize: 100 }))
        .articles;
  const own = actor.personId === null ? [] : mine;
  const { timeZone } = await readSiteSettings(db);
  const today = dayIn(newsroom.now(), timeZone);
  const [reviewIds, scheduledIds, corrections, liveIds, mentions, assignments, unread] =
    await Promise.all([
      isEditor ? articleIdsInStatus(db, 'in_review', LIST) : Promise.resolve([]),
      isEditor ? articleIdsInStatus(db, 'scheduled', 100) : Promise.resolve([]),
      isEditor
        ? correctionsSince(db, new Date(newsroom.now().getTime() - 7 * 86_400_000).toISOString())
        : Promise.resolve([]),
      liveCoverageIds(db),
      openMentions(db, userId),
      listAssignmentRows(db, { assigneeId: userId }),
      countUnreadNotifications(db, userId),
    ]);
  const scheduled = (await byIds(scheduledIds)).filter(
    (article) =>
      article.scheduledAt !== null && dayIn(new Date(article.scheduledAt), timeZone) === today,
  );
  const sentBack = isEditor
    ? (
        await listArticlesForStaffMember(newsroom, actor, { status: 'draft', pageSize: 100 })
      ).articles.filter((article) => article.sentBack !== null)
    : own.filter((article) => article.sentBack !== null);
  const mentioned = await byIds([...new Set(mentions.map((mention) => mention.articleId))]);
  return {
    forReview: isEditor ? (await byIds(reviewIds)).reverse().map((article) => item(article)) : null,
    sentBack: sentBack
      .slice(0, LIST)
      .map((article) => item(article, article.sentBack ? `“${article.sentBack.note}”` : null)),
    scheduledToday: isEditor
      ? scheduled.map((article) => item(article, article.scheduledAt))
      : null,
    recentCorrections: isEditor
      ? (await byIds([...new Set(corrections.map((c) => c.articleId))])).map((article) =>
          item(article, corrections.find((c) => c.articleId === article.id)?.text ?? null),
        )
      : null,
    live: (await byIds(liveIds)).map((article) => item(article)),
    myDrafts: own.slice(0, LIST).map((article) => item(article)),
    // Only notes on articles the person may still work on (rights change).
    mentions: mentioned
      .filter((article) =>
        can(actor, 'note.write', {
          isOwn: article.authors.some((author) => author.personId === actor.personId),
        }),
      )
      .map((article) =>
        item(article, mentions.find((mention) => mention.articleId === article.id)?.body ?? null),
      ),
    assignments: assignments.map(presentAssignment),
    notifications: { unread },
  };
}

/** The number beside “Desk” in the menu: unread notifications, and for editors what waits for review. */
export async function deskCount(newsroom: Newsroom, actor: StaffActor): Promise<number> {
  const db = newsroom.store.db;
  const unread = await countUnreadNotifications(db, signedInUser(actor));
  if (!can(actor, 'article.view-drafts')) return unread;
  return unread + (await articleIdsInStatus(db, 'in_review', 100)).length;
}
