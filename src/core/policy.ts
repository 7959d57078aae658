/**
 * Who may do what. Pure functions over a role and, for articles, whether the
 * actor is one of the article's authors; every caller (HTTP, CLI, scheduler)
 * asks here, so the rules are the same everywhere.
 */
export const ROLES = ['contributor', 'author', 'editor', 'editor-in-chief'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'article.create',
  'article.edit',
  'article.submit',
  'article.publish',
  'article.schedule',
  'article.unpublish',
  'article.correct',
  'article.delete',
  'article.view-drafts',
  'article.link-translations',
  'note.write',
  'note.resolve',
  'desk.assign',
  'taxonomy.manage',
  'page.manage',
  'front.manage',
  'media.upload',
  'media.manage',
  'content.import',
  'mirrors.manage',
  'staff.manage',
  'settings.manage',
  'audit.view',
  'audience.view',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The actor asking, and for article actions whether they are one of its authors. */
export type Actor = { role: Role };
export type ArticleRelation = { isOwn: boolean };

const RANK: Record<Role, number> = { contributor: 0, author: 1, editor: 2, 'editor-in-chief': 3 };

function atLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/**
 * True when `actor` may perform `action`; for article actions, `relation` says
 * whether the article is theirs (contributors and authors act on their own only).
 */
export function can(
  actor: Actor,
  action: Action,
  relation: ArticleRelation = { isOwn: false },
): boolean {
  const { role } = actor;
  switch (action) {
    case 'article.create':
    case 'media.upload':
      return true;
    case 'article.edit':
    case 'article.submit':
    case 'article.delete':
    // Notes on an article: read, write, reply, and settle any thread on it
    // (whoever wrote a note may always settle their own thread).
    case 'note.write':
    case 'note.resolve':
      return relation.isOwn || atLeast(role, 'editor');
    case 'article.publish':
    case 'article.schedule':
    case 'article.unpublish':
    case 'article.correct':
      return atLeast(role, 'editor') || (role === 'author' && relation.isOwn);
    case 'article.view-drafts':
      return atLeast(role, 'editor');
    case 'article.link-translations':
    // Giving stories to writers, and reading the whole newsroom's plan.
    case 'desk.assign':
    case 'taxonomy.manage':
    case 'page.manage':
    case 'front.manage':
    case 'media.manage':
    case 'content.import':
    case 'mirrors.manage':
    // The whole site's audience numbers (an article's own are for whoever may edit it).
    case 'audience.view':
      return atLeast(role, 'editor');
    case 'staff.manage':
    case 'settings.manage':
    case 'audit.view':
      return role === 'editor-in-chief';
  }
}

/** True when `value` names a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether the article is the actor's own work: their person is among its bylines. */
export function isOwnWork(
  actor: { personId: number | null },
  bylinePersonIds: readonly number[],
): boolean {
  return actor.personId !== null && bylinePersonIds.includes(actor.personId);
}

/**
 * Whether `actor` may open an article at all: a published one, their own, or
 * any for roles that see drafts. Anything else is, for them, not there.
 */
export function mayOpenArticle(actor: Actor, status: string, relation: ArticleRelation): boolean {
  return status === 'published' || relation.isOwn || can(actor, 'article.view-drafts');
}
