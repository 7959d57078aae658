import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { mentionedIn, type Note, type TextAnchor } from '../core/notes.js';
import { can } from '../core/policy.js';
import { recordAudit } from '../store/audit.js';
import {
  getNoteRow,
  insertNote,
  listNoteRows,
  type NoteRow,
  noteMentions,
  replaceNoteMentions,
  setNoteResolved,
  updateNoteBody,
} from '../store/notes.js';
import type { Database } from '../store/schema.js';
import { listUsers } from '../store/users.js';
import { getArticleWithRelation } from './articles.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { notify, type PendingMail, sendNotificationMail } from './notifications.js';
import { passagesNow } from './shared-docs.js';

// Notes on drafts: the newsroom talking in an article's margins. A thread
// starts with a note on a passage of the text (anchored in the shared text,
// so it follows the words as others type), replies follow, and it is
// resolved or reopened. Notes never reach readers: nothing that renders the
// site, its feeds, mirrors or exports reads them. Who may read and write them
// is who may work on the article (`note.write` in core/policy.ts).

/** The longest note: a paragraph or two, not an article. */
const MAX_NOTE = 5000;

export const noteInputSchema = z.object({
  body: z.string().trim().min(1, 'write something first').max(MAX_NOTE),
  /** The thread a reply belongs to (its first note's id); absent for a new thread. */
  threadId: z.number().int().positive().optional(),
  /** The passage, as two Yjs relative positions in the shared text. */
  anchor: z.object({ start: z.unknown(), end: z.unknown() }).optional(),
  /** The passage's words as they read when the note was written. */
  quote: z.string().max(2000).optional(),
});
export type NoteInput = z.infer<typeof noteInputSchema>;

/** The article's notes, threads in order of their first note, each with its replies. */
export async function listNotes(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<Note[]> {
  await mayWorkOnNotes(newsroom, actor, articleId);
  const db = newsroom.store.db;
  const [rows, mentions, staff] = await Promise.all([
    listNoteRows(db, articleId),
    noteMentions(db, articleId),
    staffNames(newsroom),
  ]);
  const anchored = rows.filter((row) => row.anchor_json !== null);
  const passages = await passagesNow(
    db,
    articleId,
    anchored.map((row) => JSON.parse(row.anchor_json as string) as TextAnchor),
  );
  const passageOf = new Map(anchored.map((row, index) => [row.id, passages[index] ?? null]));
  return rows.map((row) => presentNote(row, passageOf.get(row.id) ?? null, mentions, staff));
}

/** Adds a note (a new thread, or a reply to one), with whom it names by @. */
export async function addNote(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  input: NoteInput,
): Promise<Note> {
  const article = await openForNotes(newsroom, actor, articleId);
  const now = newsroom.now().toISOString();
  const staff = await staffNames(newsroom);
  const mentioned = await mayBeNamed(newsroom, articleId, mentionedIn(input.body, staff));
  const { id, mails } = await newsroom.store.db.transaction().execute(async (trx) => {
    if (input.threadId !== undefined) {
      const thread = await getNoteRow(trx, input.threadId);
      if (!thread || thread.article_id !== articleId || thread.thread_id !== null)
        throw new DomainError(
          'not_found',
          `there is no thread ${input.threadId} on this article`,
          'threadId',
        );
    }
    const isReply = input.threadId !== undefined;
    const created = await insertNote(trx, {
      articleId,
      threadId: input.threadId ?? null,
      userId: actor.userId,
      body: input.body,
      // A reply belongs to its thread's passage.
      anchorJson: !isReply && input.anchor ? JSON.stringify(input.anchor) : null,
      quote: isReply ? '' : (input.quote ?? '').trim(),
      now,
    });
    await replaceNoteMentions(trx, created, mentioned);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'note.add',
      subject: `article:${articleId}`,
      detail: { note: created, ...(isReply ? { thread: input.threadId } : {}) },
      at: now,
    });
    const pending = await tellMentioned(
      trx,
      actor,
      { id: articleId, title: article.title },
      input.body,
      mentioned,
      staff,
      now,
    );
    return { id: created, mails: pending };
  });
  void sendNotificationMail(newsroom, mails);
  newsroom.notesChanged?.(articleId);
  if (mails.length > 0 || input.body.includes('@')) newsroom.deskChanged?.();
  return await noteById(newsroom, actor, articleId, id);
}

/** Changes what a note says: only its writer may. */
export async function editNote(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  noteId: number,
  body: string,
): Promise<Note> {
  const article = await openForNotes(newsroom, actor, articleId);
  const text = noteInputSchema.shape.body.parse(body);
  const staff = await staffNames(newsroom);
  const mentioned = await mayBeNamed(newsroom, articleId, mentionedIn(text, staff));
  const now = newsroom.now().toISOString();
  const mails = await newsroom.store.db.transaction().execute(async (trx) => {
    const note = await noteOf(trx, articleId, noteId);
    if (note.user_id === null || note.user_id !== actor.userId)
      throw new DomainError('not_allowed_for_role', 'only the person who wrote a note changes it');
    await updateNoteBody(trx, noteId, text, now);
    const before = new Set((await noteMentions(trx, articleId)).get(noteId) ?? []);
    await replaceNoteMentions(trx, noteId, mentioned);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'note.edit',
      subject: `article:${articleId}`,
      detail: { note: noteId },
      at: now,
    });
    // Only those it names anew hear of it.
    const added = mentioned.filter((userId) => !before.has(userId));
    return await tellMentioned(
      trx,
      actor,
      { id: articleId, title: article.title },
      text,
      added,
      staff,
      now,
    );
  });
  void sendNotificationMail(newsroom, mails);
  newsroom.notesChanged?.(articleId);
  return await noteById(newsroom, actor, articleId, noteId);
}

/**
 * Resolves a thread (the question answered, the fix made) or reopens it: its
 * writer, the article's own writers and editors may.
 */
export async function settleThread(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  noteId: number,
  isResolved: boolean,
): Promise<Note> {
  const isOwn = await mayWorkOnNotes(newsroom, actor, articleId);
  const now = newsroom.now().toISOString();
  await newsroom.store.db.transaction().execute(async (trx) => {
    const note = await noteOf(trx, articleId, noteId);
    if (note.thread_id !== null)
      throw new DomainError('invalid_input', 'resolve the thread, not a reply in it', 'noteId');
    const isWriter = note.user_id !== null && note.user_id === actor.userId;
    if (!isWriter && !can(actor, 'note.resolve', { isOwn }))
      throw new DomainError(
        'not_allowed_for_role',
        'only the note’s writer, the article’s writers and editors resolve a note',
      );
    await setNoteResolved(trx, noteId, isResolved ? { by: actor.userId, at: now } : null);
    await recordAudit(trx, {
      userId: actor.userId,
      action: isResolved ? 'note.resolve' : 'note.reopen',
      subject: `article:${articleId}`,
      detail: { note: noteId },
      at: now,
    });
  });
  newsroom.notesChanged?.(articleId);
  return await noteById(newsroom, actor, articleId, noteId);
}

/** The staff a note may name with @: everyone with an account that is not disabled. */
export async function mentionableStaff(
  newsroom: Newsroom,
): Promise<{ userId: number; name: string }[]> {
  return (await listUsers(newsroom.store.db))
    .filter((user) => user.disabledAt === null)
    .map((user) => ({ userId: user.id, name: user.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Of the people a note names, those who may work on the article's notes: a
 * note never tells anyone else of a draft (its headline, its words).
 */
async function mayBeNamed(
  newsroom: Newsroom,
  articleId: number,
  userIds: readonly number[],
): Promise<number[]> {
  if (userIds.length === 0) return [];
  const users = await listUsers(newsroom.store.db);
  const allowed: number[] = [];
  for (const userId of userIds) {
    const user = users.find((one) => one.id === userId);
    if (!user || user.disabledAt) continue;
    const actor = { userId: user.id, personId: user.personId, role: user.role };
    const isAllowed = await getArticleWithRelation(newsroom, actor, articleId).then(
      ({ isOwn }) => can(actor, 'note.write', { isOwn }),
      () => false,
    );
    if (isAllowed) allowed.push(userId);
  }
  return allowed;
}

/** Whether `actor` may read and write notes on the article; answers whether it is their own work. */
async function mayWorkOnNotes(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<boolean> {
  return (await openForNotes(newsroom, actor, articleId)).isOwn;
}

/** The article, when `actor` may read and write its notes (see mayWorkOnNotes). */
async function openForNotes(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<{ isOwn: boolean; title: string }> {
  // Not there at all for someone who may not open it (not_found).
  const { isOwn, detail } = await getArticleWithRelation(newsroom, actor, articleId);
  if (!can(actor, 'note.write', { isOwn }))
    throw new DomainError(
      'not_allowed_for_role',
      'only the article’s writers and editors read and write its notes',
    );
  return { isOwn, title: detail.title || 'an untitled article' };
}

/** Tells the people a note names, newly, that it does (in the app or by e-mail, as each chose). */
async function tellMentioned(
  trx: Kysely<Database>,
  actor: StaffActor,
  article: { id: number; title: string },
  body: string,
  userIds: readonly number[],
  staff: Map<number, string>,
  now: string,
): Promise<PendingMail[]> {
  const who = (actor.userId !== null && staff.get(actor.userId)) || 'Someone';
  const excerpt = body.length > 140 ? `${body.slice(0, 139)}…` : body;
  return await notify(
    trx,
    {
      userIds,
      kind: 'mention',
      articleId: article.id,
      actorId: actor.userId,
      text: `${who} named you in a note on “${article.title}”: ${excerpt}`,
    },
    now,
  );
}

async function noteOf(db: Newsroom['store']['db'], articleId: number, noteId: number) {
  const note = await getNoteRow(db, noteId);
  if (!note || note.article_id !== articleId)
    throw new DomainError('not_found', `there is no note ${noteId} on this article`, 'noteId');
  return note;
}

async function noteById(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  noteId: number,
): Promise<Note> {
  const note = (await listNotes(newsroom, actor, articleId)).find((one) => one.id === noteId);
  if (!note) throw new DomainError('not_found', `there is no note ${noteId} on this article`);
  return note;
}

async function staffNames(newsroom: Newsroom): Promise<Map<number, string>> {
  return new Map((await mentionableStaff(newsroom)).map((user) => [user.userId, user.name]));
}

function presentNote(
  row: NoteRow,
  passage: string | null,
  mentions: Map<number, number[]>,
  staff: Map<number, string>,
): Note {
  return {
    id: row.id,
    threadId: row.thread_id,
    author: { userId: row.user_id, name: row.author_name },
    body: row.body,
    anchor: row.anchor_json === null ? null : (JSON.parse(row.anchor_json) as TextAnchor),
    quote: row.quote,
    passage,
    resolved: row.resolved_at ? { at: row.resolved_at, by: row.resolver_name } : null,
    mentions: (mentions.get(row.id) ?? []).map((userId) => ({
      userId,
      name: staff.get(userId) ?? 'a former colleague',
    })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
