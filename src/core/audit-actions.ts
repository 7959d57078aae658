import { z } from 'zod';
import { TRANSITIONS } from './workflow.js';

// The audit log's vocabulary, shared by the code that writes entries (typed, so
// an action cannot be recorded without being listed here), the server's
// filters and the newsroom app's sentences (one per action, checked by a test).

const NAMED_ACTIONS = [
  'article.create',
  'article.edit',
  'article.publish-failed',
  'article.delete',
  'article.link-translation',
  'article.unlink-translation',
  'article.preview-link',
  'article.preview-revoke',
  'media.upload',
  'media.original',
  'media.edit',
  'media.delete',
  'user.add',
  'user.set-password',
  'user.role',
  'user.disable',
  'user.totp-enable',
  'user.totp-reset',
  'person.profile',
  'session.login',
  'session.login-failed',
  'session.logout',
  'session.logout-everywhere',
  'settings.site',
  'settings.totp-required',
  'settings.contact',
  'settings.audience',
  'section.create',
  'section.rename',
  'section.move',
  'page.create',
  'page.update',
  'front.update',
  'menu.update',
  'tag.rename',
  'mirror.list',
  'mirror.key',
  'content.import',
  'channel.add',
  'channel.change',
  'channel.remove',
  'delivery.retry',
  'newsletter.add-list',
  'newsletter.send',
  'newsletter.cancel-send',
  'newsletter.retry-send',
  'newsletter.export-subscribers',
  'newsletter.import-subscribers',
  'newsletter.delete-subscriber',
  'fediverse.follow',
  'fediverse.moderate',
  'fediverse.handle',
  'live.start',
  'live.end',
  'live.entry-add',
  'live.entry-edit',
  'live.entry-delete',
  'note.add',
  'note.edit',
  'note.resolve',
  'note.reopen',
  'desk.assign',
] as const;

/** Every action code the server writes to the audit log; each workflow transition is `article.<name>`. */
export const AUDIT_ACTIONS = [
  ...NAMED_ACTIONS,
  ...TRANSITIONS.map((name) => `article.${name}` as const),
];
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The kinds of action the log can be filtered by, each the action-code prefixes it covers. */
export const AUDIT_KINDS = {
  articles: ['article.', 'delivery.', 'fediverse.moderate', 'live.', 'note.', 'desk.'],
  photos: ['media.'],
  staff: ['user.', 'person.'],
  site: [
    'section.',
    'page.',
    'front.',
    'menu.',
    'tag.',
    'settings.',
    'mirror.',
    'content.',
    'channel.',
    'newsletter.',
    'fediverse.follow',
    'fediverse.handle',
  ],
  'sign-in': ['session.'],
} as const satisfies Record<string, readonly string[]>;
export type AuditKind = keyof typeof AUDIT_KINDS;

/** The kind an action belongs to, or null for a code no kind covers. */
export function auditKindOf(action: string): AuditKind | null {
  for (const [kind, prefixes] of Object.entries(AUDIT_KINDS) as [AuditKind, readonly string[]][])
    if (prefixes.some((prefix) => action.startsWith(prefix))) return kind;
  return null;
}

/** The filters of `GET /api/audit`, from its query string. */
export const auditQuerySchema = z.object({
  /** Entries older than this id (the `nextBefore` of the page before). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  /** Who acted: a user id, or `system` for what Masthead did by itself. */
  user: z.union([z.literal('system'), z.coerce.number().int().positive()]).optional(),
  kind: z.enum(Object.keys(AUDIT_KINDS) as [AuditKind, ...AuditKind[]]).optional(),
  /** One item: `article:12`, `user:3`, `tag:floods`, `settings`. */
  subject: z
    .string()
    .max(300)
    .regex(/^[a-z]+(:\S.*)?$/, 'an item such as article:12 or user:3')
    .optional(),
});
export type AuditQueryInput = z.infer<typeof auditQuerySchema>;
