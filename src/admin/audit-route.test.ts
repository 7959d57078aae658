import { describe, expect, it } from 'vitest';
import { auditQuery, auditRoute, NO_FILTERS, readAuditFilters } from './audit-route.js';

describe('the audit log route', () => {
  it('reads the filters back from the route it writes', () => {
    const filters = { user: '3', kind: 'articles', subject: 'article:12' } as const;
    expect(auditRoute(filters)).toBe('#/audit?user=3&kind=articles&subject=article%3A12');
    expect(readAuditFilters(auditRoute(filters))).toEqual(filters);
    expect(auditRoute(NO_FILTERS)).toBe('#/audit');
    expect(readAuditFilters('#/audit')).toEqual(NO_FILTERS);
  });

  it('keeps only what it sets in the query the API is sent', () => {
    expect(auditQuery({ ...NO_FILTERS, user: 'system' })).toBe('user=system');
    expect(auditQuery(NO_FILTERS)).toBe('');
  });

  it('drops values the server would refuse, rather than showing an error', () => {
    expect(readAuditFilters('#/audit?user=ana&kind=everything&subject=Article 12')).toEqual(
      NO_FILTERS,
    );
  });
});
