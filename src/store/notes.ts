import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

// Notes on drafts (migration 027): rows and the staff they mention.

export type NoteRow = Selectable<Database['article_note']> & {
  author_name: string | null;
  resolver_name: string | null;
};

/** Every note on an article, oldest first, with the names of who wrote and who resolved it. */
export async function listNoteRows(db: Kysely<Database>, articleId: number): Promise<NoteRow[]> {
  return await db
    .selectFrom('article_note')
    .leftJoin('user as author', 'author.id', 'article_note.user_id')
    .leftJoin('person as author_person', 'author_person.id', 'author.person_id')
    .leftJoin('user as resolver', 'resolver.id', 'article_note.resolved_by')
    .leftJoin('person as resolver_person', 'resolver_person.id', 'resolver.person_id')
    .selectAll('article_note')
    .select(['author_person.name as author_name', 'resolver_person.name as resolver_name'])
    .where('article_note.article_id', '=', articleId)
    .orderBy('article_note.id')
    .execute();
}

export async function getNoteRow(
  db: Kysely<Database>,
  noteId: number,
): Promise<Selectable<Database['article_note']> | undefined> {
  return await db
    .selectFrom('article_note')
    .selectAll()
    .where('id', '=', noteId)
    .executeTakeFirst();
}

export async function insertNote(
  db: Kysely<Database>,
  note: {
    articleId: number;
    threadId: number | null;
    userId: number | null;
    body: string;
    anchorJson: string | null;
    quote: string;
    now: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('article_note')
    .values({
      article_id: note.articleId,
      thread_id: note.threadId,
      user_id: note.userId,
      body: note.body,
      anchor_json: note.anchorJson,
      quote: note.quote,
      created_at: note.now,
      updated_at: note.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateNoteBody(
  db: Kysely<Database>,
  noteId: number,
  body: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('article_note')
    .set({ body, updated_at: now })
    .where('id', '=', noteId)
    .execute();
}

/** Resolves a thread (with who and when) or reopens it (null). */
export async function setNoteResolved(
  db: Kysely<Database>,
  noteId: number,
  resolved: { by: number | null; at: string } | null,
): Promise<void> {
  await db
    .updateTable('article_note')
    .set({ resolved_at: resolved?.at ?? null, resolved_by: resolved?.by ?? null })
    .where('id', '=', noteId)
    .execute();
}

/** Replaces whom a note mentions. */
export async function replaceNoteMentions(
  db: Kysely<Database>,
  noteId: number,
  userIds: readonly number[],
): Promise<void> {
  await db.deleteFrom('note_mention').where('note_id', '=', noteId).execute();
  if (userIds.length > 0)
    await db
      .insertInto('note_mention')
      .values(userIds.map((userId) => ({ note_id: noteId, user_id: userId })))
      .execute();
}

/** Whom each of an article's notes mentions: note id → user ids. */
export async function noteMentions(
  db: Kysely<Database>,
  articleId: number,
): Promise<Map<number, number[]>> {
  const rows = await db
    .selectFrom('note_mention')
    .innerJoin('article_note', 'article_note.id', 'note_mention.note_id')
    .select(['note_mention.note_id', 'note_mention.user_id'])
    .where('article_note.article_id', '=', articleId)
    .execute();
  const byNote = new Map<number, number[]>();
  for (const row of rows)
    byNote.set(row.note_id, [...(byNote.get(row.note_id) ?? []), row.user_id]);
  return byNote;
}
