import { DomainError } from './errors.js';
import { type Action, type Actor, can } from './policy.js';

/**
 * The editorial workflow as a state machine. Publishing is never a field edit:
 * each change of state is a named transition with its own checks, and a refusal
 * carries a stable code the admin can explain.
 *
 *   draft ──submit──> in_review
 *   draft | in_review | unpublished ──publish──> published
 *   draft | in_review ──schedule(at)──> scheduled ──publish (when due)──> published
 *   scheduled ──unschedule──> draft (an editor's change of plan, or a due
 *     article the scheduler could not publish)
 *   published ──unpublish──> unpublished
 *   published ──correct(type, text)──> published (with a public correction)
 *   published ──update──> published (the edits held back from readers go live)
 *   in_review ──send-back(note)──> draft (the desk returns it to the writer)
 *   in_review ──withdraw──> draft (the writer takes a submission back)
 *   draft | unpublished ──trash──> trashed ──restore──> draft | unpublished
 *     (deleted for good after TRASH_DAYS)
 */
export const STATUSES = [
  'draft',
  'in_review',
  'scheduled',
  'published',
  'unpublished',
  'trashed',
] as const;
export type Status = (typeof STATUSES)[number];

export const TRANSITIONS = [
  'submit',
  'publish',
  'schedule',
  'unschedule',
  'unpublish',
  'correct',
  'update',
  'send-back',
  'withdraw',
  'trash',
  'restore',
] as const;
export type TransitionName = (typeof TRANSITIONS)[number];

/** How long a trashed article can be restored before it is deleted for good. */
export const TRASH_DAYS = 30;

export const CORRECTION_TYPES = ['correction', 'clarification', 'retraction'] as const;
export type CorrectionType = (typeof CORRECTION_TYPES)[number];

/** What the workflow needs to know about an article. */
export type WorkflowSubject = {
  status: Status;
  title: string;
  authorCount: number;
  /** The lead photo, if any: whether it has a credit, or is marked the newsroom's own. */
  leadPhoto: { hasCredit: boolean; isOwnPhoto: boolean } | null;
  publishedAt: string | null;
  /** For agency copy: what the agency says about it (withheld, canceled) and its embargo. */
  agency?: { status: string; embargoUntil: string | null };
};

export type TransitionRequest =
  | { name: 'submit' }
  /** `channels`: where it goes out besides the site (core/distribution.ts); the defaults when left out. */
  | { name: 'publish'; channels?: number[] }
  | { name: 'schedule'; at: string; channels?: number[] }
  | { name: 'unschedule' }
  | { name: 'unpublish' }
  | { name: 'correct'; type: CorrectionType; text: string }
  | { name: 'update' }
  | { name: 'send-back'; note: string }
  | { name: 'withdraw' }
  | { name: 'trash' }
  | { name: 'restore' };

/** The article's state after a transition. */
export type TransitionResult = {
  status: Status;
  publishedAt: string | null;
  scheduledAt: string | null;
  correction: { type: CorrectionType; text: string } | null;
};

const FROM: Record<TransitionName, readonly Status[]> = {
  submit: ['draft'],
  publish: ['draft', 'in_review', 'scheduled', 'unpublished'],
  schedule: ['draft', 'in_review'],
  unschedule: ['scheduled'],
  unpublish: ['published'],
  correct: ['published'],
  update: ['published'],
  'send-back': ['in_review'],
  withdraw: ['in_review'],
  trash: ['draft', 'unpublished'],
  restore: ['trashed'],
};

const ACTION: Record<TransitionName, Action> = {
  submit: 'article.submit',
  publish: 'article.publish',
  schedule: 'article.schedule',
  unschedule: 'article.schedule',
  unpublish: 'article.unpublish',
  correct: 'article.correct',
  update: 'article.publish',
  'send-back': 'article.view-drafts',
  withdraw: 'article.submit',
  trash: 'article.delete',
  restore: 'article.delete',
};

/**
 * Why `actor` may not change an article's content in `status`, or null when
 * they may: the editor's fields are read-only then, and a save is refused.
 */
export function editRefusal(status: Status, actor: Actor, isOwn: boolean): DomainError | null {
  const isLive = status === 'published' || status === 'scheduled';
  if (
    !can(actor, 'article.edit', { isOwn }) ||
    (isLive && !can(actor, 'article.publish', { isOwn }))
  )
    return new DomainError('not_allowed_for_role', `a ${actor.role} may not edit this article`);
  if (status === 'trashed')
    return new DomainError(
      'invalid_transition',
      'this article is in the trash: restore it to edit it',
    );
  // Once submitted, the text is the desk's: only editors change it while it is reviewed.
  if (status === 'in_review' && !can(actor, 'article.view-drafts'))
    return new DomainError(
      'not_allowed_for_role',
      'this article is with the editors for review: it cannot change until they publish it',
    );
  return null;
}

/** Only a writer takes back their own submission; the desk sends it back instead, with a note. */
const OWN_ONLY: ReadonlySet<TransitionName> = new Set(['withdraw']);

function isAllowed(name: TransitionName, actor: Actor, isOwn: boolean): boolean {
  return can(actor, ACTION[name], { isOwn }) && (isOwn || !OWN_ONLY.has(name));
}

/** The transitions `actor` could apply to an article in `status` (for the admin's buttons). */
export function availableTransitions(
  status: Status,
  actor: Actor,
  isOwn: boolean,
): TransitionName[] {
  return TRANSITIONS.filter((name) => FROM[name].includes(status) && isAllowed(name, actor, isOwn));
}

/**
 * Applies a transition, or throws a DomainError: `not_allowed_for_role`,
 * `invalid_transition`, `no_byline`, `lead_photo_needs_credit`, `no_headline`,
 * `schedule_in_past`, `agency_withdrawn`, `embargoed`, `invalid_input` (a
 * correction without text).
 */
export function applyTransition(
  subject: WorkflowSubject,
  request: TransitionRequest,
  actor: Actor,
  context: { isOwn: boolean; now: string },
): TransitionResult {
  if (!isAllowed(request.name, actor, context.isOwn)) {
    throw new DomainError(
      'not_allowed_for_role',
      `a ${actor.role} may not ${request.name} ${context.isOwn ? 'this' : "another person's"} article`,
    );
  }
  if (!FROM[request.name].includes(subject.status)) {
    throw new DomainError(
      'invalid_transition',
      `cannot ${request.name} an article that is ${subject.status.replace('_', ' ')}`,
    );
  }
  const unchanged = { publishedAt: subject.publishedAt, scheduledAt: null, correction: null };
  switch (request.name) {
    case 'submit':
      return { ...unchanged, status: 'in_review' };
    case 'publish':
      checkPublishable(subject, context.now);
      // A republished article keeps its first publication date.
      return { ...unchanged, status: 'published', publishedAt: subject.publishedAt ?? context.now };
    case 'schedule':
      checkPublishable(subject, request.at);
      if (Date.parse(request.at) <= Date.parse(context.now)) {
        throw new DomainError(
          'schedule_in_past',
          `the publication time ${request.at} has already passed`,
          'at',
        );
      }
      // Stored in UTC: times are compared as text, and "…-10:00" must not publish hours early.
      return { ...unchanged, status: 'scheduled', scheduledAt: new Date(request.at).toISOString() };
    case 'unschedule':
      return { ...unchanged, status: 'draft' };
    case 'unpublish':
      return { ...unchanged, status: 'unpublished' };
    case 'update':
      // The article is already out: edits go live as a direct save did before
      // they were held back (an imported article without a byline stays editable).
      return { ...unchanged, status: 'published' };
    case 'send-back': {
      const note = request.note.trim();
      if (note === '')
        throw new DomainError('invalid_input', 'say what the writer should change', 'note');
      return { ...unchanged, status: 'draft' };
    }
    case 'withdraw':
      return { ...unchanged, status: 'draft' };
    case 'trash':
      return { ...unchanged, status: 'trashed' };
    case 'restore':
      // Back to what it was: an article that was once published stays off the site until republished.
      return { ...unchanged, status: subject.publishedAt === null ? 'draft' : 'unpublished' };
    case 'correct': {
      const text = request.text.trim();
      if (text === '')
        throw new DomainError('invalid_input', 'a correction needs its text', 'text');
      return { ...unchanged, status: 'published', correction: { type: request.type, text } };
    }
  }
}

function checkPublishable(subject: WorkflowSubject, at: string): void {
  const agency = subject.agency;
  if (agency && (agency.status === 'withheld' || agency.status === 'canceled')) {
    throw new DomainError(
      'agency_withdrawn',
      `the agency has ${agency.status} this story: it must not be published`,
    );
  }
  if (agency?.embargoUntil && Date.parse(at) < Date.parse(agency.embargoUntil)) {
    throw new DomainError(
      'embargoed',
      `the agency embargoes this story until ${agency.embargoUntil}: schedule it for then or later`,
      'at',
    );
  }
  if (subject.title.trim() === '')
    throw new DomainError('no_headline', 'an article needs a headline to be published', 'title');
  if (subject.authorCount === 0)
    throw new DomainError(
      'no_byline',
      'an article needs at least one author to be published',
      'authors',
    );
  if (subject.leadPhoto && !subject.leadPhoto.hasCredit && !subject.leadPhoto.isOwnPhoto) {
    throw new DomainError(
      'lead_photo_needs_credit',
      'the lead photo has no credit: add one, or mark it as the newsroom’s own photo',
      'leadMedia',
    );
  }
}
