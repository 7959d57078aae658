import type { Kysely, Selectable } from 'kysely';
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

/** Records one staff action, inside the caller's transaction. */
export async function recordAudit(
  db: Kysely<Database>,
  entry: {
    userId: number | null;
    action: string;
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

/** The newest entries first. */
export async function listAudit(
  db: Kysely<Database>,
  options: { limit: number; before?: number },
): Promise<AuditEntry[]> {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('user', 'user.id', 'audit_log.user_id')
    .leftJoin('person', 'person.id', 'user.person_id')
    .selectAll('audit_log')
    .select('person.name');
  if (options.before !== undefined) query = query.where('audit_log.id', '<', options.before);
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
