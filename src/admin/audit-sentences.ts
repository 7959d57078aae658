import { AUDIT_KINDS, type AuditAction, type AuditKind } from '../core/audit-actions.js';
import type { AuditEntry } from './api.js';
import { formatDateTime } from './dates.js';
import { countOf } from './plural.js';

// The audit log in words: each entry as one sentence (who did what to which
// item), with the item linked to where it lives in the app, and the details
// worth reading (the fields an edit changed, a correction's text) as short
// lines. Pure: the page renders what this returns.

/** A piece of a sentence: plain text, or an item's name linking to it (no link when it is gone). */
export type SentencePart = string | { text: string; href: string | null };

export type AuditSentence = { parts: SentencePart[]; details: string[] };

/** The kinds of action the page filters by, as the filter names them. */
export const KIND_LABELS: Record<AuditKind, string> = {
  articles: 'Articles',
  photos: 'Photos',
  staff: 'Staff and accounts',
  site: 'Site and settings',
  'sign-in': 'Signing in and out',
};
export const KINDS = Object.keys(AUDIT_KINDS) as AuditKind[];

/** The sentence as plain text (for tests and the history heading). */
export function sentenceText(sentence: AuditSentence): string {
  return sentence.parts.map((part) => (typeof part === 'string' ? part : part.text)).join('');
}

const ARTICLE_FIELDS: Record<string, string> = {
  title: 'headline',
  standfirst: 'standfirst',
  section: 'section',
  language: 'language',
  body: 'text',
  slug: 'address',
  authors: 'byline',
  sources: 'sources',
  leadMediaId: 'lead photo',
  metaTitle: 'search title',
  metaDescription: 'search description',
  socialImageId: 'link preview photo',
  label: 'label',
  tags: 'tags',
};
const PHOTO_FIELDS: Record<string, string> = {
  alt: 'alt text',
  caption: 'caption',
  credit: 'credit',
  isOwnPhoto: 'own-photo mark',
  focus: 'focal point',
};
const PAGE_FIELDS: Record<string, string> = {
  title: 'title',
  body: 'text',
  kind: 'kind of page',
  language: 'language',
};
const SETTINGS_FIELDS: Record<string, string> = {
  name: 'site name',
  tagline: 'tagline',
  language: 'language',
  timeZone: 'time zone',
};
const PROFILE_FIELDS: Record<string, string> = {
  bio: 'biography',
  photoMediaId: 'photo',
  contacts: 'contacts',
};
const CONTACT_FIELDS: Record<string, string> = {
  signal: 'Signal',
  email: 'e-mail',
  secureDrop: 'SecureDrop address',
  pgpFingerprint: 'PGP fingerprint',
  pgpKey: 'PGP key',
  texts: 'words to sources',
};
const CORRECTION_NOUNS: Record<string, string> = {
  correction: 'a correction',
  clarification: 'a clarification',
  retraction: 'a retraction',
};
const PUBLISH_FAILURES: Record<string, string> = {
  no_byline: 'it has no byline',
  no_headline: 'it has no headline',
  lead_photo_needs_credit: 'its lead photo has no credit',
  agency_withdrawn: 'the agency withdrew the story',
  embargoed: 'the agency embargo had not passed',
};

const list = new Intl.ListFormat('en', { type: 'conjunction' });

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? literal(value.trim()) : null;
}

/**
 * Text someone typed (a correction, a note, a name), made safe to put into a
 * sentence template: a "{item}" in it must stay words, not become the item's
 * link. An invisible word joiner keeps it from matching.
 */
function literal(typed: string): string {
  return typed.replaceAll('{item}', '{item\u2060}');
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** "headline, text and tags" from `["title", "body", "tags"]`; unknown names are spelled out. */
function fieldWords(value: unknown, words: Record<string, string>): string | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return list.format(
    value.map((name) =>
      typeof name === 'string'
        ? (words[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())
        : String(name),
    ),
  );
}

function shorten(value: string, max = 90): string {
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}

/** Where an item lives in the app, by the kind its subject names. */
const PLACES: Record<string, string> = {
  user: '#/users',
  media: '#/media',
  page: '#/site',
  section: '#/site',
  tag: '#/site',
  settings: '#/settings',
  channel: '#/channels',
  front: '#/fronts',
  site: '#/mirrors',
};

/** The address of an item in the app, or null when it has none (or is gone). */
export function subjectHref(entry: Pick<AuditEntry, 'subject' | 'isSubjectGone'>): string | null {
  if (entry.isSubjectGone) return null;
  const [kind, id] = splitSubject(entry.subject);
  if (kind === 'article' && id && /^\d+$/.test(id)) return `#/articles/${id}`;
  return PLACES[kind] ?? null;
}

function splitSubject(subject: string): [string, string] {
  const colon = subject.indexOf(':');
  return colon < 0 ? [subject, ''] : [subject.slice(0, colon), subject.slice(colon + 1)];
}

/** Whether a subject names one item that has a history of its own (not the settings, not the site). */
export function hasItemHistory(subject: string): boolean {
  return splitSubject(subject)[1] !== '';
}

/**
 * How the item is named in a sentence: its name now, else what the entry
 * recorded, else its kind and id ("article 12"); quoted titles for articles,
 * pages, sections, tags and photos, plain names for people.
 */
export function itemName(entry: AuditEntry): string {
  const [kind, id] = splitSubject(entry.subject);
  const detail = entry.detail;
  const label =
    text(entry.subjectLabel) ??
    text(detail.title) ??
    text(detail.name) ??
    (kind === 'user' ? text(detail.email) : null);
  switch (kind) {
    case 'article':
      // An article created without a headline yet still has a name to click.
      if (label) return `“${shorten(label)}”`;
      return entry.isSubjectGone ? `article ${id}` : 'an untitled article';
    case 'user':
      return label ?? (isSelf(entry) ? entry.userName : null) ?? `account ${id}`;
    case 'media':
      return label ? `the photo “${shorten(label, 60)}”` : `photo ${id}`;
    case 'page':
      return label ? `the page “${shorten(label)}”` : `page ${id}`;
    case 'section':
      return label ? `the section “${shorten(label)}”` : `section ${id}`;
    case 'tag':
      return `the tag “${label ?? id}”`;
    case 'channel':
      return label ? `the channel “${shorten(label)}”` : `channel ${id}`;
    case 'newsletter':
      return label ? `“${shorten(label)}”` : `newsletter ${id}`;
    case 'front': {
      // "ru/news" → the Russian front of news; "en/" → the English home page.
      const [language, ...rest] = id.split('/');
      const path = rest.join('/');
      return `${path ? `the front of /${path}` : 'the home page'} (${language})`;
    }
    case 'file':
      return `“${id}”`;
    case 'email':
      return id;
    case 'person':
      return label ?? `person ${id}`;
    case 'settings':
      return 'the site settings';
    case 'site':
      return 'the site';
    default:
      return entry.subject;
  }
}

/**
 * Builds one sentence: `{item}` in `template` becomes the item's name (or
 * `itemText`, what the entry itself says), linked to the item.
 */
function say(
  entry: AuditEntry,
  template: string,
  details: (string | null)[] = [],
  itemText?: string,
): AuditSentence {
  const item = { text: itemText ?? itemName(entry), href: subjectHref(entry) };
  const parts: SentencePart[] = [];
  for (const [index, piece] of template.split('{item}').entries()) {
    if (index > 0) parts.push(item);
    if (piece) parts.push(piece);
  }
  return { parts, details: details.filter((line): line is string => line !== null) };
}

/** Who acted, in words: the person, or what Masthead did by itself (the scheduler, the shell). */
function actorOf(entry: AuditEntry): string {
  if (entry.userName) return literal(entry.userName);
  return entry.userId === null ? 'The system' : 'A former staff member';
}

/** Whether the actor acted on their own account (set their own password, say). */
function isSelf(entry: AuditEntry): boolean {
  return entry.userId !== null && entry.subject === `user:${entry.userId}`;
}

function when(value: unknown): string | null {
  const at = text(value);
  return at && !Number.isNaN(Date.parse(at)) ? formatDateTime(at) : null;
}

type Describe = (entry: AuditEntry, who: string) => AuditSentence;

/** One sentence per action the server records (AUDIT_ACTIONS); a test checks none is missing. */
export const SENTENCES: Record<AuditAction, Describe> = {
  'article.create': (e, who) =>
    say(
      e,
      itemName(e) === 'an untitled article'
        ? `${who} created {item}`
        : `${who} created the article {item}`,
    ),
  'article.edit': (e, who) =>
    say(e, `${who} edited {item}`, [
      fieldWords(e.detail.changed, ARTICLE_FIELDS)
        ? `Changed: ${fieldWords(e.detail.changed, ARTICLE_FIELDS)}.`
        : null,
      e.detail.pending === true
        ? 'Held back: readers see these edits once the article is updated.'
        : null,
    ]),
  'article.submit': (e, who) => say(e, `${who} submitted {item} for review`),
  'article.publish': (e, who) =>
    say(
      e,
      e.userId === null
        ? `${who} published {item} at its scheduled time`
        : `${who} published {item}`,
    ),
  'article.schedule': (e, who) => {
    const at = when(e.detail.at);
    return say(e, at ? `${who} scheduled {item} for ${at}` : `${who} scheduled {item}`);
  },
  'article.unschedule': (e, who) =>
    say(e, `${who} cancelled the schedule of {item}: it is a draft again`),
  'article.unpublish': (e, who) => say(e, `${who} unpublished {item}: readers no longer see it`),
  'article.correct': (e, who) => {
    const noun = CORRECTION_NOUNS[String(e.detail.type)] ?? 'a correction';
    const said = text(e.detail.text);
    return say(e, `${who} published ${noun} to {item}${said ? `: ‘${said}’` : ''}`);
  },
  'article.update': (e, who) => say(e, `${who} published the latest edits to {item}`),
  'article.send-back': (e, who) => {
    const note = text(e.detail.note);
    return say(e, `${who} sent {item} back to the writer${note ? `: ‘${note}’` : ''}`);
  },
  'article.withdraw': (e, who) => say(e, `${who} withdrew {item} from review`),
  'article.trash': (e, who) => say(e, `${who} moved {item} to the trash`),
  'article.restore': (e, who) => say(e, `${who} restored {item} from the trash`),
  'article.publish-failed': (e, who) => {
    const reason = PUBLISH_FAILURES[String(e.detail.reason)];
    const isRefused = e.detail.reason !== 'error';
    return say(
      e,
      `${who} could not publish {item} at its scheduled time${
        reason ? `: ${reason}` : text(e.detail.message) ? `: ${text(e.detail.message)}` : ''
      }`,
      [
        isRefused
          ? 'It went back to draft.'
          : 'It stayed scheduled, to be tried again half a minute later.',
      ],
    );
  },
  'article.delete': (e, who) => {
    const reason = text(e.detail.reason);
    return say(e, `${who} deleted {item} for good${reason ? `: ${reason}` : ''}`);
  },
  'article.link-translation': (e, who) => {
    const other = count(e.detail.with);
    const sentence = say(e, `${who} linked {item} with a version in another language`);
    if (other !== null)
      sentence.parts.push(' (', { text: `article ${other}`, href: `#/articles/${other}` }, ')');
    return sentence;
  },
  'article.unlink-translation': (e, who) =>
    say(e, `${who} took {item} out of its group of translations`),
  'article.preview-link': (e, who) => {
    const until = when(e.detail.expiresAt);
    return say(e, `${who} made a preview link for {item}${until ? `, open until ${until}` : ''}`);
  },
  'article.preview-revoke': (e, who) => say(e, `${who} closed a preview link of {item}`),

  'media.upload': (e, who) => {
    const [width, height] = [count(e.detail.width), count(e.detail.height)];
    return say(e, `${who} uploaded {item}`, [
      width && height ? `${width} × ${height} pixels.` : null,
    ]);
  },
  'media.original': (e, who) =>
    say(e, `${who} downloaded the original file of {item}`, [
      'The original may hold the place it was taken and the camera’s serial number.',
    ]),
  'media.edit': (e, who) =>
    say(e, `${who} edited {item}`, [
      fieldWords(e.detail.changed, PHOTO_FIELDS)
        ? `Changed: ${fieldWords(e.detail.changed, PHOTO_FIELDS)}.`
        : null,
    ]),
  'media.delete': (e, who) => say(e, `${who} deleted {item} from the library`),

  'user.add': (e, who) => {
    const role = text(e.detail.role);
    const email = text(e.detail.email);
    return say(e, `${who} added {item} to the staff${role ? ` as ${role}` : ''}`, [
      email ? `E-mail: ${email}` : null,
    ]);
  },
  'user.set-password': (e, who) =>
    isSelf(e) ? say(e, `{item} set their password`) : say(e, `${who} set the password of {item}`),
  'user.role': (e, who) => {
    const role = text(e.detail.role);
    return say(
      e,
      role ? `${who} changed the role of {item} to ${role}` : `${who} changed the role of {item}`,
    );
  },
  'user.disable': (e, who) =>
    say(e, `${who} disabled the account of {item} and signed them out everywhere`),
  'user.totp-enable': (e, who) =>
    isSelf(e)
      ? say(e, `{item} turned on two-factor sign-in`)
      : say(e, `${who} turned on two-factor sign-in for {item}`),
  'user.totp-reset': (e, who) =>
    say(e, `${who} turned off two-factor sign-in for {item} and signed them out`, [
      'They sign in with their password and set it up again (a lost phone).',
    ]),

  'session.login': (e) => say(e, `{item} signed in`),
  'session.login-failed': (e) => {
    // Entries from before addresses were left out name what was typed.
    const typed = text(e.detail.email);
    const sentence = e.subject.startsWith('user:')
      ? say(e, 'Someone failed to sign in as {item}')
      : say(
          e,
          typed
            ? `Someone failed to sign in as ${typed}`
            : 'Someone tried to sign in with an e-mail address that has no account',
        );
    if (e.detail.reason === 'code')
      sentence.details.push(
        'The password was right but the authenticator code was wrong: someone else may know the password.',
      );
    return sentence;
  },
  'person.profile': (e, who) => {
    const changed = fieldWords(e.detail.changed, PROFILE_FIELDS);
    // Whose profile: the actor's own ("their"), or someone else's, by name.
    const isOwn = e.userName !== null && e.detail.name === e.userName;
    const whose = isOwn ? 'their' : '{item}’s';
    return say(
      e,
      changed
        ? `${who} changed ${whose} public ${changed}`
        : `${who} saved ${whose} public profile unchanged`,
    );
  },
  'session.logout': (e) => say(e, `{item} signed out`),
  'session.logout-everywhere': (e) => {
    const ended = count(e.detail.ended);
    return say(
      e,
      `{item} signed out everywhere${ended === null ? '' : `, ending ${countOf(ended, { one: 'session', other: 'sessions' })}`}`,
    );
  },

  'settings.site': (e, who) => {
    const changed = fieldWords(e.detail.changed, SETTINGS_FIELDS);
    return say(e, changed ? `${who} changed the ${changed} in {item}` : `${who} changed {item}`);
  },
  'settings.contact': (e, who) => {
    const changed = fieldWords(e.detail.changed, CONTACT_FIELDS);
    return say(
      e,
      changed
        ? `${who} changed the newsroom’s ${changed} on the contact page`
        : `${who} saved the contact page’s channels unchanged`,
    );
  },
  'settings.audience': (e, who) => {
    const parts: string[] = [];
    if (typeof e.detail.countReaders === 'boolean')
      parts.push(
        e.detail.countReaders
          ? 'turned on counting distinct readers'
          : 'turned off counting distinct readers',
      );
    if (typeof e.detail.retentionDays === 'number')
      parts.push(`kept the audience numbers for ${e.detail.retentionDays} days`);
    return say(
      e,
      parts.length > 0
        ? `${who} ${parts.join(' and ')}`
        : `${who} saved the audience settings unchanged`,
    );
  },
  'settings.totp-required': (e, who) =>
    say(
      e,
      e.detail.isRequired === false
        ? `${who} made two-factor sign-in optional for the staff`
        : `${who} made two-factor sign-in required for all staff`,
    ),
  'section.create': (e, who) => {
    const path = text(e.detail.path);
    return say(e, `${who} created {item}${path ? ` at /${path}` : ''}`);
  },
  'section.rename': (e, who) => {
    const [from, to] = [text(e.detail.from), text(e.detail.to)];
    return from && to
      ? say(e, `${who} renamed the section “${from}” to “{item}”`, [], to)
      : say(e, `${who} renamed {item}`);
  },
  'section.move': (e, who) => {
    const [from, to] = [count(e.detail.from), count(e.detail.to)];
    return say(
      e,
      from !== null && to !== null
        ? `${who} moved {item} from place ${from + 1} to place ${to + 1} in its menu`
        : `${who} moved {item} in its menu`,
    );
  },
  'page.create': (e, who) => {
    const slug = text(e.detail.slug);
    return say(e, `${who} created {item}${slug ? ` at /${slug}` : ''}`);
  },
  'page.update': (e, who) =>
    say(e, `${who} edited {item}`, [
      fieldWords(e.detail.changed, PAGE_FIELDS)
        ? `Changed: ${fieldWords(e.detail.changed, PAGE_FIELDS)}.`
        : null,
    ]),
  'front.update': (e, who) => say(e, `${who} arranged {item}`),
  'menu.update': (e, who) =>
    say(e, `${who} changed the menus`, [
      text(e.detail.language) ? `Language: ${text(e.detail.language)}.` : null,
    ]),
  'live.start': (e, who) => say(e, `${who} started live coverage of {item}`),
  'live.end': (e, who) => say(e, `${who} ended live coverage of {item}`),
  'live.entry-add': (e, who) =>
    say(e, `${who} added a live update to {item}`, [
      text(e.detail.title) ? `Titled “${text(e.detail.title)}”.` : null,
    ]),
  'live.entry-edit': (e, who) => say(e, `${who} edited a live update of {item}`),
  'live.entry-delete': (e, who) => say(e, `${who} deleted a live update of {item}`),
  'note.add': (e, who) =>
    say(
      e,
      e.detail.thread ? `${who} replied to a note on {item}` : `${who} added a note on {item}`,
    ),
  'note.edit': (e, who) => say(e, `${who} edited a note on {item}`),
  'note.resolve': (e, who) => say(e, `${who} resolved a note on {item}`),
  'note.reopen': (e, who) => say(e, `${who} reopened a note on {item}`),
  'desk.assign': (e, who) =>
    say(e, `${who} gave a story to {item}`, [
      text(e.detail.title) ? `“${text(e.detail.title)}”.` : null,
    ]),
  'tag.rename': (e, who) => {
    const name = text(e.detail.name) ?? text(e.subjectLabel);
    return name
      ? say(e, `${who} renamed the tag /tags/${splitSubject(e.subject)[1]} to “{item}”`, [], name)
      : say(e, `${who} renamed {item}`);
  },
  'mirror.list': (e, who) => {
    const mirrors = Array.isArray(e.detail.mirrors)
      ? e.detail.mirrors.filter((url): url is string => typeof url === 'string')
      : null;
    return say(e, `${who} changed the list of mirrors`, [
      mirrors === null
        ? null
        : mirrors.length === 0
          ? 'The list is now empty.'
          : `Now listed: ${mirrors.join(', ')}`,
    ]);
  },
  'mirror.key': (e, who) =>
    say(e, `${who} made the key that signs mirrors of the site`, [
      text(e.detail.publicKey) ? `Public key: ${text(e.detail.publicKey)}` : null,
    ]),
  'channel.add': (e, who) => {
    const chat = text(e.detail.chatId);
    return say(e, `${who} added {item}`, [chat ? `Posts to ${chat}` : null]);
  },
  'channel.change': (e, who) => {
    const changed = Array.isArray(e.detail.changed)
      ? e.detail.changed.filter((field): field is string => typeof field === 'string')
      : [];
    return say(e, `${who} changed {item}`, [
      changed.length > 0 ? `Changed: ${changed.join(', ')}` : null,
    ]);
  },
  'channel.remove': (e, who) => say(e, `${who} removed {item}`),
  'delivery.retry': (e, who) => say(e, `${who} sent {item} to a channel again`),
  'newsletter.add-list': (e, who) => say(e, `${who} added the newsletter {item}`),
  'newsletter.send': (e, who) => {
    const articles = Array.isArray(e.detail.articles) ? e.detail.articles.length : 0;
    const at = text(e.detail.sendAt);
    return say(e, `${who} sent {item} to its readers`, [
      articles > 1 ? `A digest of ${articles} articles` : null,
      at ? `Scheduled for ${at}` : null,
    ]);
  },
  'newsletter.cancel-send': (e, who) => say(e, `${who} stopped a send of {item}`),
  'newsletter.retry-send': (e, who) =>
    say(e, `${who} sent {item} again to readers it had not reached`, [
      count(e.detail.recipients) !== null ? `${count(e.detail.recipients)} readers` : null,
    ]),
  'newsletter.export-subscribers': (e, who) =>
    say(e, `${who} exported the addresses of {item}`, [
      count(e.detail.count) !== null ? `${count(e.detail.count)} addresses` : null,
    ]),
  'newsletter.import-subscribers': (e, who) =>
    say(e, `${who} imported readers into {item}`, [
      count(e.detail.added) !== null ? `${count(e.detail.added)} added` : null,
      count(e.detail.skipped) !== null ? `${count(e.detail.skipped)} skipped` : null,
    ]),
  'fediverse.follow': (e, who) =>
    say(e, `${who} followed ${text(e.detail.handle) ?? 'an account'} on the fediverse`),
  'fediverse.handle': (e, who) =>
    say(
      e,
      text(e.detail.handle)
        ? `${who} took the fediverse handle @${text(e.detail.handle)}`
        : `${who} gave up their fediverse handle`,
    ),
  'fediverse.moderate': (e, who) =>
    say(
      e,
      `${who} ${e.detail.state === 'approved' ? 'approved' : e.detail.state === 'hidden' ? 'hid' : 'set back'} a fediverse reply to {item}`,
    ),
  'newsletter.delete-subscriber': (e, who) =>
    say(e, `${who} deleted a reader’s address and subscriptions`),
  'content.import': (e, who) => {
    const [created, updated, skipped] = [
      count(e.detail.created),
      count(e.detail.updated),
      count(e.detail.skipped),
    ];
    return say(e, `${who} imported {item}`, [
      created === null
        ? null
        : `${created} created, ${updated ?? 0} updated, ${skipped ?? 0} skipped.`,
    ]);
  },
};

function isKnown(action: string): action is AuditAction {
  return Object.hasOwn(SENTENCES, action);
}

/** The details of an entry no sentence knows, as "field: value" lines (never raw JSON). */
function genericDetails(detail: Record<string, unknown>): string[] {
  return Object.entries(detail).flatMap(([key, value]) => {
    const name = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return [`${name}: ${String(value)}`];
    if (Array.isArray(value) && value.every((item) => typeof item !== 'object'))
      return [`${name}: ${value.join(', ')}`];
    return [];
  });
}

/** One audit entry as a sentence with its details; an action the app does not know yet still reads. */
export function describeAuditEntry(entry: AuditEntry): AuditSentence {
  const who = actorOf(entry);
  if (isKnown(entry.action)) return SENTENCES[entry.action](entry, who);
  const [kind, verb] = splitSubject(entry.action.replace('.', ':'));
  const action = `${verb || kind}`.replace(/[-_]/g, ' ');
  return say(entry, `${who} did “${action}” to {item}`, genericDetails(entry.detail));
}
