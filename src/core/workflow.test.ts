import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.js';
import type { Role } from './policy.js';
import {
  applyTransition,
  availableTransitions,
  editRefusal,
  type TransitionRequest,
  type WorkflowSubject,
} from './workflow.js';

const NOW = '2026-03-01T09:00:00.000Z';
const draft: WorkflowSubject = {
  status: 'draft',
  title: 'A headline',
  authorCount: 1,
  leadPhoto: { hasCredit: true, isOwnPhoto: false },
  publishedAt: null,
};

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

const as = (role: Role, isOwn = true) => ({ actor: { role }, context: { isOwn, now: NOW } });
const apply = (subject: WorkflowSubject, request: TransitionRequest, role: Role, isOwn = true) =>
  applyTransition(subject, request, as(role, isOwn).actor, as(role, isOwn).context);

describe('applyTransition', () => {
  it('lets a contributor submit their draft for review, but not publish it', () => {
    expect(apply(draft, { name: 'submit' }, 'contributor').status).toBe('in_review');
    expect(codeOf(() => apply(draft, { name: 'publish' }, 'contributor'))).toBe(
      'not_allowed_for_role',
    );
  });

  it('lets an author publish their own draft straight away, dated now', () => {
    expect(apply(draft, { name: 'publish' }, 'author')).toEqual({
      status: 'published',
      publishedAt: NOW,
      scheduledAt: null,
      correction: null,
    });
    expect(codeOf(() => apply(draft, { name: 'publish' }, 'author', false))).toBe(
      'not_allowed_for_role',
    );
  });

  it('lets an editor publish anyone’s article from review', () => {
    expect(
      apply({ ...draft, status: 'in_review' }, { name: 'publish' }, 'editor', false).status,
    ).toBe('published');
  });

  it('keeps the first publication date when an unpublished article is republished', () => {
    const unpublished = {
      ...draft,
      status: 'unpublished' as const,
      publishedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(apply(unpublished, { name: 'publish' }, 'editor').publishedAt).toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });

  it('refuses to publish without a headline, a byline, or a credit for the lead photo', () => {
    expect(codeOf(() => apply({ ...draft, title: '  ' }, { name: 'publish' }, 'editor'))).toBe(
      'no_headline',
    );
    expect(codeOf(() => apply({ ...draft, authorCount: 0 }, { name: 'publish' }, 'editor'))).toBe(
      'no_byline',
    );
    const uncredited = { ...draft, leadPhoto: { hasCredit: false, isOwnPhoto: false } };
    expect(codeOf(() => apply(uncredited, { name: 'publish' }, 'editor'))).toBe(
      'lead_photo_needs_credit',
    );
    expect(
      codeOf(() => apply(uncredited, { name: 'schedule', at: '2026-03-02T00:00:00Z' }, 'editor')),
    ).toBe('lead_photo_needs_credit');
  });

  it('publishes an uncredited lead photo when it is the newsroom’s own', () => {
    const own = { ...draft, leadPhoto: { hasCredit: false, isOwnPhoto: true } };
    expect(apply(own, { name: 'publish' }, 'editor').status).toBe('published');
  });

  it('schedules for a future time only', () => {
    expect(
      apply(draft, { name: 'schedule', at: '2026-03-02T06:00:00.000Z' }, 'editor'),
    ).toMatchObject({
      status: 'scheduled',
      scheduledAt: '2026-03-02T06:00:00.000Z',
    });
    expect(codeOf(() => apply(draft, { name: 'schedule', at: NOW }, 'editor'))).toBe(
      'schedule_in_past',
    );
  });

  it('cancels a schedule back to draft, for those who may schedule', () => {
    const scheduled = {
      ...draft,
      status: 'scheduled' as const,
    };
    expect(apply(scheduled, { name: 'unschedule' }, 'editor')).toEqual({
      status: 'draft',
      publishedAt: null,
      scheduledAt: null,
      correction: null,
    });
    expect(codeOf(() => apply(scheduled, { name: 'unschedule' }, 'contributor'))).toBe(
      'not_allowed_for_role',
    );
    expect(codeOf(() => apply(draft, { name: 'unschedule' }, 'editor'))).toBe('invalid_transition');
  });

  it('unpublishes and corrects only published articles', () => {
    const published = { ...draft, status: 'published' as const, publishedAt: NOW };
    expect(apply(published, { name: 'unpublish' }, 'editor').status).toBe('unpublished');
    expect(codeOf(() => apply(draft, { name: 'unpublish' }, 'editor'))).toBe('invalid_transition');
    expect(
      apply(published, { name: 'correct', type: 'clarification', text: ' Fixed. ' }, 'editor'),
    ).toMatchObject({
      status: 'published',
      correction: { type: 'clarification', text: 'Fixed.' },
    });
    expect(
      codeOf(() => apply(published, { name: 'correct', type: 'correction', text: ' ' }, 'editor')),
    ).toBe('invalid_input');
    expect(
      codeOf(() => apply(draft, { name: 'correct', type: 'correction', text: 'x' }, 'editor')),
    ).toBe('invalid_transition');
  });

  it('checks the role before the state, so a refusal never reveals more than it must', () => {
    const published = { ...draft, status: 'published' as const };
    expect(codeOf(() => apply(published, { name: 'submit' }, 'contributor', false))).toBe(
      'not_allowed_for_role',
    );
  });
});

describe('editRefusal', () => {
  it('lets writers edit their drafts and editors anything not in the trash', () => {
    expect(editRefusal('draft', { role: 'contributor' }, true)).toBeNull();
    expect(editRefusal('in_review', { role: 'editor' }, false)).toBeNull();
    expect(editRefusal('published', { role: 'author' }, true)).toBeNull();
  });

  it('says why the content cannot change', () => {
    expect(editRefusal('draft', { role: 'contributor' }, false)?.code).toBe('not_allowed_for_role');
    expect(editRefusal('published', { role: 'contributor' }, true)?.code).toBe(
      'not_allowed_for_role',
    );
    expect(editRefusal('in_review', { role: 'contributor' }, true)?.message).toMatch(
      /with the editors for review/,
    );
    expect(editRefusal('trashed', { role: 'editor' }, false)?.message).toMatch(/in the trash/);
  });
});

describe('availableTransitions', () => {
  it('offers each role what it may do from each state', () => {
    expect(availableTransitions('draft', { role: 'contributor' }, true)).toEqual([
      'submit',
      'trash',
    ]);
    expect(availableTransitions('draft', { role: 'author' }, true)).toEqual([
      'submit',
      'publish',
      'schedule',
      'trash',
    ]);
    expect(availableTransitions('in_review', { role: 'editor' }, false)).toEqual([
      'publish',
      'schedule',
      'send-back',
    ]);
    // The writer may take a submission back, not someone else's.
    expect(availableTransitions('in_review', { role: 'contributor' }, true)).toEqual(['withdraw']);
    expect(availableTransitions('in_review', { role: 'contributor' }, false)).toEqual([]);
    expect(availableTransitions('unpublished', { role: 'editor' }, false)).toEqual([
      'publish',
      'trash',
    ]);
    expect(availableTransitions('trashed', { role: 'author' }, true)).toEqual(['restore']);
    expect(availableTransitions('trashed', { role: 'author' }, false)).toEqual([]);
    expect(availableTransitions('published', { role: 'editor-in-chief' }, false)).toEqual([
      'unpublish',
      'correct',
      'update',
    ]);
    expect(availableTransitions('published', { role: 'contributor' }, true)).toEqual([]);
    expect(availableTransitions('scheduled', { role: 'editor' }, false)).toEqual([
      'publish',
      'unschedule',
    ]);
  });
});

describe('scheduling across time zones', () => {
  it('stores the publication time in UTC whatever offset it was given in', () => {
    const result = applyTransition(
      { status: 'draft', title: 'T', authorCount: 1, leadPhoto: null, publishedAt: null },
      { name: 'schedule', at: '2026-03-01T08:00:00-10:00' },
      { role: 'editor' },
      { isOwn: false, now: '2026-03-01T09:00:00.000Z' },
    );
    expect(result.scheduledAt).toBe('2026-03-01T18:00:00.000Z');
  });
});
