import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import type { Section } from '../core/types.js';
import { type AuditEntry, listAudit } from '../store/audit.js';
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

/** The audit log, newest first, a page at a time. Editor-in-chief only. */
export async function readAuditLog(
  newsroom: Newsroom,
  actor: StaffActor,
  before?: number,
): Promise<AuditEntry[]> {
  if (!can(actor, 'audit.view'))
    throw new DomainError('not_allowed_for_role', 'only the editor-in-chief reads the audit log');
  return await listAudit(newsroom.store.db, {
    limit: AUDIT_PAGE,
    ...(before === undefined ? {} : { before }),
  });
}
