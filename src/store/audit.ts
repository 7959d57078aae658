import type { Kysely, Selectable } from 'kysely';
import { AUDIT_KINDS, type AuditAction, type AuditKind } from '../core/audit-actions.js';
import type { Database } from './schema.js';

export type AuditEntry = {
  id: number;
  userId: number | null;
  userName: string | null;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  at: string;
};

/** Which entries to list: a page older than `before`, by one person (or the system), of one kind, about one item. */
export type AuditQuery = {
  limit: number;
  before?: number;
  /** The user who acted; 'system' for what Masthead did by itself (the scheduler, the shell). */
  by?: number | 'system';
  kind?: AuditKind;
  /** One item, as entries name it: "article:12", "user:3", "settings". */
  subject?: string;
};

/** Records one staff action, inside the caller's transaction. */
export async function recordAudit(
  db: Kysely<Database>,
  entry: {
    userId: number | null;
    action: AuditAction;
    subject: string;
    detail?: Record<string, unknown>;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: entry.userId,
      action: entry.action,
      subject: entry.subject,
      detail_json: JSON.stringify(entry.detail ?? {}),
      at: entry.at,
    })
    .execute();
}

/** The newest entries first, filtered in SQL. */
export async function listAudit(db: Kysely<Database>, options: AuditQuery): Promise<AuditEntry[]> {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('user', 'user.id', 'audit_log.user_id')
    .leftJoin('person', 'person.id', 'user.person_id')
    .selectAll('audit_log')
    .select('person.name');
  if (options.before !== undefined) query = query.where('audit_log.id', '<', options.before);
  if (options.by === 'system') query = query.where('audit_log.user_id', 'is', null);
  else if (options.by !== undefined) query = query.where('audit_log.user_id', '=', options.by);
  if (options.subject !== undefined) query = query.where('audit_log.subject', '=', options.subject);
  const kind = options.kind;
  if (kind !== undefined) {
    // By prefix rather than a list of codes, so entries of an older code stay in their kind.
    // No prefix holds a LIKE wildcard, so none needs escaping.
    query = query.where((eb) =>
      eb.or(AUDIT_KINDS[kind].map((prefix) => eb('audit_log.action', 'like', `${prefix}%`))),
    );
  }
  const rows = await query.orderBy('audit_log.id', 'desc').limit(options.limit).execute();
  return rows.map(toAuditEntry);
}

function toAuditEntry(
  row: Selectable<Database['audit_log']> & { name: string | null },
): AuditEntry {
  return {
    id: row.id,
    userId: row.user_id,
    userName: row.name,
    action: row.action,
    subject: row.subject,
    detail: JSON.parse(row.detail_json) as Record<string, unknown>,
    at: row.at,
  };
}

/** The newest entry of one action on one subject ("article:12"), or null. */
export async function latestAuditEntry(
  db: Kysely<Database>,
  subject: string,
  action: string,
): Promise<AuditEntry | null> {
  const row = await db
    .selectFrom('audit_log')
    .leftJoin('user', 'user.id', 'audit_log.user_id')
    .leftJoin('person', 'person.id', 'user.person_id')
    .selectAll('audit_log')
    .select('person.name')
    .where('audit_log.subject', '=', subject)
    .where('audit_log.action', '=', action)
    .orderBy('audit_log.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toAuditEntry(row) : null;
}

/** What a subject is called now; `isGone` when it names an item that no longer exists. */
export type SubjectLabel = { label: string | null; isGone: boolean };

/** Subjects whose items live in a table with a numeric id, by the kind before the colon. */
const NUMBERED_KINDS = [
  'article',
  'user',
  'page',
  'section',
  'media',
  'channel',
  'newsletter',
] as const;
type NumberedKind = (typeof NUMBERED_KINDS)[number];

function numberedSubject(subject: string): { kind: NumberedKind; id: number } | null {
  const match = /^([a-z]+):(\d{1,15})$/.exec(subject);
  const kind = NUMBERED_KINDS.find((known) => known === match?.[1]);
  return kind && match ? { kind, id: Number(match[2]) } : null;
}

/**
 * The current names of the items `subjects` name, read with one query per kind
 * of item (never one per entry). An item that is gone keeps the name recorded
 * when it was created or last renamed, when there is one.
 */
export async function labelSubjects(
  db: Kysely<Database>,
  subjects: Iterable<string>,
): Promise<Map<string, SubjectLabel>> {
  const ids = new Map<NumberedKind, Set<number>>();
  const tagSlugs = new Set<string>();
  const labels = new Map<string, SubjectLabel>();
  for (const subject of new Set(subjects)) {
    const numbered = numberedSubject(subject);
    if (numbered) ids.set(numbered.kind, (ids.get(numbered.kind) ?? new Set()).add(numbered.id));
    else if (subject.startsWith('tag:')) tagSlugs.add(subject.slice('tag:'.length));
    // An import names the file it read: that is its label, and there is nothing to look up.
    else if (subject.startsWith('file:'))
      labels.set(subject, { label: subject.slice('file:'.length), isGone: false });
  }
  const found = await currentNames(db, ids, [...tagSlugs]);
  const gone: string[] = [];
  for (const [kind, set] of ids) {
    for (const id of set) {
      const subject = `${kind}:${id}`;
      const name = found.get(subject);
      if (name === undefined) gone.push(subject);
      else labels.set(subject, { label: name, isGone: false });
    }
  }
  for (const slug of tagSlugs) {
    const subject = `tag:${slug}`;
    const name = found.get(subject);
    labels.set(
      subject,
      name === undefined ? { label: null, isGone: true } : { label: name, isGone: false },
    );
  }
  const recorded = await recordedNames(db, gone);
  for (const subject of gone)
    labels.set(subject, { label: recorded.get(subject) ?? null, isGone: true });
  return labels;
}

async function currentNames(
  db: Kysely<Database>,
  ids: Map<NumberedKind, Set<number>>,
  tagSlugs: string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const of = (kind: NumberedKind) => [...(ids.get(kind) ?? [])];
  const articles = of('article');
  if (articles.length > 0) {
    const rows = await db
      .selectFrom('article')
      .select(['id', 'title'])
      .where('id', 'in', articles)
      .execute();
    for (const row of rows) names.set(`article:${row.id}`, row.title);
  }
  const users = of('user');
  if (users.length > 0) {
    const rows = await db
      .selectFrom('user')
      .innerJoin('person', 'person.id', 'user.person_id')
      .select(['user.id', 'person.name', 'user.email'])
      .where('user.id', 'in', users)
      .execute();
    for (const row of rows) names.set(`user:${row.id}`, row.name || row.email);
  }
  const pages = of('page');
  if (pages.length > 0) {
    const rows = await db
      .selectFrom('page')
      .select(['id', 'title'])
      .where('id', 'in', pages)
      .execute();
    for (const row of rows) names.set(`page:${row.id}`, row.title);
  }
  const newsletters = of('newsletter');
  if (newsletters.length > 0) {
    const rows = await db
      .selectFrom('newsletter_list')
      .select(['id', 'name'])
      .where('id', 'in', newsletters)
      .execute();
    for (const row of rows) names.set(`newsletter:${row.id}`, row.name);
  }
  const channels = of('channel');
  if (channels.length > 0) {
    const rows = await db
      .selectFrom('channel')
      .select(['id', 'name'])
      .where('id', 'in', channels)
      .execute();
    for (const row of rows) names.set(`channel:${row.id}`, row.name);
  }
  const sections = of('section');
  if (sections.length > 0) {
    const rows = await db
      .selectFrom('section')
      .select(['id', 'name'])
      .where('id', 'in', sections)
      .execute();
    for (const row of rows) names.set(`section:${row.id}`, row.name);
  }
  const media = of('media');
  if (media.length > 0) {
    const rows = await db
      .selectFrom('media')
      .select(['id', 'alt', 'caption'])
      .where('id', 'in', media)
      .execute();
    // A photo has no title: its alt text says what it shows, else its caption.
    for (const row of rows) names.set(`media:${row.id}`, row.alt || row.caption);
  }
  if (tagSlugs.length > 0) {
    const rows = await db
      .selectFrom('tag')
      .select(['slug', 'name'])
      .where('slug', 'in', tagSlugs)
      .execute();
    for (const row of rows) names.set(`tag:${row.slug}`, row.name);
  }
  return names;
}

/** Entries that record an item's name as it was created or renamed, and the detail field holding it. */
const NAMING_ACTIONS: Partial<Record<AuditAction, string>> = {
  'article.create': 'title',
  'page.create': 'title',
  'section.create': 'name',
  'section.rename': 'to',
  'channel.add': 'name',
  'channel.remove': 'name',
  'newsletter.add-list': 'name',
};

/** The last name the log recorded for each of `subjects` (items since deleted), in one query. */
async function recordedNames(
  db: Kysely<Database>,
  subjects: string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (subjects.length === 0) return names;
  const rows = await db
    .selectFrom('audit_log')
    .select(['subject', 'action', 'detail_json'])
    .where('subject', 'in', subjects)
    .where('action', 'in', Object.keys(NAMING_ACTIONS))
    .orderBy('id', 'desc')
    .execute();
  for (const row of rows) {
    const field = NAMING_ACTIONS[row.action as AuditAction];
    const value = field ? (JSON.parse(row.detail_json) as Record<string, unknown>)[field] : null;
    if (!names.has(row.subject) && typeof value === 'string' && value !== '')
      names.set(row.subject, value);
  }
  return names;
}
