import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import type { Section } from '../core/types.js';
import { type AuditEntry, type AuditQuery, labelSubjects, listAudit } from '../store/audit.js';
import { listPeople as listPeopleRows } from '../store/people.js';
import { listSections } from '../store/sections.js';
import type { Newsroom, StaffActor } from './newsroom.js';

/** Every section, in navigation order (the editor's section picker). */
export async function listSectionTree(newsroom: Newsroom): Promise<Section[]> {
  return await listSections(newsroom.store.db);
}

/** Everyone who can be named in a byline. */
export async function listPeople(
  newsroom: Newsroom,
): Promise<{ id: number; name: string; slug: string }[]> {
  return (await listPeopleRows(newsroom.store.db)).map(({ id, name, slug }) => ({
    id,
    name,
    slug,
  }));
}

const AUDIT_PAGE = 100;

/** An audit entry with what its subject is called now (or was last called, when it is gone). */
export type LabelledAuditEntry = AuditEntry & {
  subjectLabel: string | null;
  isSubjectGone: boolean;
};

/**
 * The audit log, newest first, a page at a time, filtered by who acted, the
 * kind of action and the item acted on; `nextBefore` fetches the page before
 * it (null on the last page). Editor-in-chief only.
 */
export async function readAuditLog(
  newsroom: Newsroom,
  actor: StaffActor,
  query: Omit<AuditQuery, 'limit'> & { limit?: number } = {},
): Promise<{ entries: LabelledAuditEntry[]; nextBefore: number | null }> {
  if (!can(actor, 'audit.view'))
    throw new DomainError('not_allowed_for_role', 'only the editor-in-chief reads the audit log');
  const limit = Math.min(query.limit ?? AUDIT_PAGE, AUDIT_PAGE);
  const db = newsroom.store.db;
  // One more than a page tells whether there are older entries, without a count.
  const rows = await listAudit(db, { ...query, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const labels = await labelSubjects(
    db,
    page.map((entry) => entry.subject),
  );
  return {
    entries: page.map((entry) => {
      const label = labels.get(entry.subject);
      return {
        ...entry,
        subjectLabel: label?.label ?? null,
        isSubjectGone: label?.isGone ?? false,
      };
    }),
    nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
