import { AUDIT_KINDS, type AuditKind } from '../core/audit-actions.js';
import { hashQuery } from './article-list-route.js';

// The audit log's filters live in the hash route ("#/audit?kind=articles&user=3"),
// so a filtered view can be linked to, bookmarked and left with Back.

/** Who acted ('' anyone, 'system', or a user id), the kind of action, and one item ("article:12"). */
export type AuditFilters = { user: string; kind: AuditKind | ''; subject: string };

export const NO_FILTERS: AuditFilters = { user: '', kind: '', subject: '' };

function isKind(value: string): value is AuditKind {
  return Object.hasOwn(AUDIT_KINDS, value);
}

/** The filters a hash names; a value the server would refuse is left out rather than shown as an error. */
export function readAuditFilters(hash: string): AuditFilters {
  const query = new URLSearchParams(hashQuery(hash));
  const user = query.get('user') ?? '';
  const kind = query.get('kind') ?? '';
  const subject = query.get('subject') ?? '';
  return {
    user: user === 'system' || /^[1-9]\d{0,14}$/.test(user) ? user : '',
    kind: isKind(kind) ? kind : '',
    subject: /^[a-z]+(:\S.*)?$/.test(subject) && subject.length <= 300 ? subject : '',
  };
}

/** The query string of the filters that are set, in a fixed order ("user=3&kind=articles"). */
export function auditQuery(filters: AuditFilters): string {
  return new URLSearchParams(
    Object.entries({ user: filters.user, kind: filters.kind, subject: filters.subject }).filter(
      ([, value]) => value !== '',
    ),
  ).toString();
}

/** The hash route showing the log with these filters. */
export function auditRoute(filters: AuditFilters): string {
  const query = auditQuery(filters);
  return query ? `#/audit?${query}` : '#/audit';
}
