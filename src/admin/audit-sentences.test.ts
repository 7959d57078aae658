import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditAction, auditKindOf } from '../core/audit-actions.js';
import type { AuditEntry } from './api.js';
import { describeAuditEntry, sentenceText, subjectHref } from './audit-sentences.js';
import { setNewsroomTimeZone } from './dates.js';

afterEach(() => setNewsroomTimeZone(undefined));

function entry(fields: Partial<AuditEntry> & Pick<AuditEntry, 'action' | 'subject'>): AuditEntry {
  return {
    id: 1,
    userId: 7,
    userName: 'Ana Petrova',
    subjectLabel: null,
    isSubjectGone: false,
    detail: {},
    at: '2026-03-06T09:00:00.000Z',
    ...fields,
  };
}

const say = (fields: Parameters<typeof entry>[0]) =>
  sentenceText(describeAuditEntry(entry(fields)));
const article = { subject: 'article:12', subjectLabel: 'Flooding closes the river road' };

/** An entry of each action as the server records it (subject and detail), for the checks below. */

const RECORDED: Record<AuditAction, Parameters<typeof entry>[0]> = {
  'article.create': { action: 'article.create', ...article, detail: { title: 'Flooding' } },
  'article.edit': { action: 'article.edit', ...article, detail: { version: 3, changed: ['body'] } },
  'article.submit': { action: 'article.submit', ...article },
  'article.publish': { action: 'article.publish', ...article },
  'article.schedule': {
    action: 'article.schedule',
    ...article,
    detail: { at: '2026-03-07T16:00:00Z' },
  },
  'article.unschedule': { action: 'article.unschedule', ...article },
  'article.unpublish': { action: 'article.unpublish', ...article },
  'article.correct': {
    action: 'article.correct',
    ...article,
    detail: { type: 'correction', text: 'The road reopened on Monday.' },
  },
  'article.update': { action: 'article.update', ...article },
  'article.send-back': {
    action: 'article.send-back',
    ...article,
    detail: { note: 'needs a second source' },
  },
  'article.withdraw': { action: 'article.withdraw', ...article },
  'article.trash': { action: 'article.trash', ...article },
  'article.restore': { action: 'article.restore', ...article },
  'article.publish-failed': {
    action: 'article.publish-failed',
    ...article,
    userId: null,
    userName: null,
    detail: { reason: 'no_byline', message: 'an article needs at least one author' },
  },
  'article.delete': {
    action: 'article.delete',
    ...article,
    userId: null,
    userName: null,
    isSubjectGone: true,
    detail: { reason: 'in the trash for more than 30 days' },
  },
  'article.link-translation': {
    action: 'article.link-translation',
    ...article,
    detail: { with: 14, group: 'g' },
  },
  'article.unlink-translation': { action: 'article.unlink-translation', ...article },
  'article.preview-link': {
    action: 'article.preview-link',
    ...article,
    detail: { link: 3, expiresAt: '2026-03-09T09:00:00Z' },
  },
  'article.preview-revoke': { action: 'article.preview-revoke', ...article, detail: { link: 3 } },
  'media.upload': {
    action: 'media.upload',
    subject: 'media:5',
    subjectLabel: 'A flooded road',
    detail: { file: 'ab.jpg', width: 4000, height: 3000 },
  },
  'media.original': {
    action: 'media.original',
    subject: 'media:5',
    subjectLabel: 'A flooded road',
  },
  'media.edit': {
    action: 'media.edit',
    subject: 'media:5',
    subjectLabel: 'A flooded road',
    detail: { changed: ['alt', 'credit'] },
  },
  'media.delete': { action: 'media.delete', subject: 'media:5', isSubjectGone: true },
  'user.add': {
    action: 'user.add',
    subject: 'user:9',
    subjectLabel: 'Jonas Feld',
    detail: { email: 'jonas@news.example', role: 'author' },
  },
  'user.set-password': {
    action: 'user.set-password',
    subject: 'user:9',
    subjectLabel: 'Jonas Feld',
    userId: 9,
    userName: 'Jonas Feld',
  },
  'user.role': {
    action: 'user.role',
    subject: 'user:9',
    subjectLabel: 'Jonas Feld',
    detail: { role: 'editor' },
  },
  'user.disable': { action: 'user.disable', subject: 'user:9', subjectLabel: 'Jonas Feld' },
  'user.totp-enable': {
    action: 'user.totp-enable',
    subject: 'user:9',
    subjectLabel: 'Jonas Feld',
    userId: 9,
    userName: 'Jonas Feld',
  },
  'user.totp-reset': {
    action: 'user.totp-reset',
    subject: 'user:9',
    subjectLabel: 'Jonas Feld',
    userId: null,
    userName: null,
  },
  'person.profile': {
    action: 'person.profile',
    subject: 'person:3',
    subjectLabel: null,
    detail: { name: 'Jonas Feld', changed: ['photoMediaId', 'contacts'] },
  },
  'session.login': { action: 'session.login', subject: 'user:7', subjectLabel: 'Ana Petrova' },
  'session.login-failed': {
    action: 'session.login-failed',
    subject: 'account:unknown',
    userId: null,
    userName: null,
    detail: { reason: 'password' },
  },
  'session.logout': { action: 'session.logout', subject: 'user:7', subjectLabel: 'Ana Petrova' },
  'session.logout-everywhere': {
    action: 'session.logout-everywhere',
    subject: 'user:7',
    subjectLabel: 'Ana Petrova',
    detail: { ended: 3 },
  },
  'settings.site': {
    action: 'settings.site',
    subject: 'settings',
    detail: { changed: ['timeZone'] },
  },
  'settings.contact': {
    action: 'settings.contact',
    subject: 'settings',
    detail: { changed: ['secureDrop', 'pgpKey'] },
  },
  'settings.audience': {
    action: 'settings.audience',
    subject: 'settings',
    detail: { countReaders: false, retentionDays: 400 },
  },
  'settings.totp-required': {
    action: 'settings.totp-required',
    subject: 'settings',
    detail: { isRequired: true },
  },
  'section.create': {
    action: 'section.create',
    subject: 'section:4',
    subjectLabel: 'Climate',
    detail: { path: 'news/climate', name: 'Climate' },
  },
  'section.rename': {
    action: 'section.rename',
    subject: 'section:4',
    subjectLabel: 'Climate',
    detail: { path: 'news/climate', from: 'Weather', to: 'Climate' },
  },
  'section.move': {
    action: 'section.move',
    subject: 'section:4',
    subjectLabel: 'Climate',
    detail: { path: 'news/climate', from: 2, to: 0 },
  },
  'page.create': {
    action: 'page.create',
    subject: 'page:2',
    subjectLabel: 'Terms of use',
    detail: { slug: 'terms-of-use', title: 'Terms of use', kind: 'terms' },
  },
  'page.update': {
    action: 'page.update',
    subject: 'page:2',
    subjectLabel: 'Terms of use',
    detail: { slug: 'terms-of-use', changed: ['title', 'body'] },
  },
  'menu.update': {
    action: 'menu.update',
    subject: 'site',
    detail: { language: 'ru', main: 3, footer: 1 },
  },
  'front.update': {
    action: 'front.update',
    subject: 'front:ru/news',
    detail: { language: 'ru', path: 'news', blocks: 4 },
  },
  'live.start': { action: 'live.start', ...article },
  'live.end': { action: 'live.end', ...article },
  'live.entry-add': {
    action: 'live.entry-add',
    ...article,
    detail: { entry: 5, title: 'The bridge reopens' },
  },
  'live.entry-edit': { action: 'live.entry-edit', ...article, detail: { entry: 5, version: 2 } },
  'live.entry-delete': { action: 'live.entry-delete', ...article, detail: { entry: 5 } },
  'note.add': { action: 'note.add', ...article, detail: { note: 3 } },
  'note.edit': { action: 'note.edit', ...article, detail: { note: 3 } },
  'note.resolve': { action: 'note.resolve', ...article, detail: { note: 3 } },
  'note.reopen': { action: 'note.reopen', ...article, detail: { note: 3 } },
  'desk.assign': {
    action: 'desk.assign',
    subject: 'user:4',
    subjectLabel: 'Rui Reporter',
    detail: { assignment: 2, title: 'Night buses', assignee: 4 },
  },
  'tag.rename': {
    action: 'tag.rename',
    subject: 'tag:floods',
    subjectLabel: 'Floods',
    detail: { name: 'Floods' },
  },
  'mirror.list': {
    action: 'mirror.list',
    subject: 'site',
    detail: { mirrors: ['https://copy.example/'] },
  },
  'mirror.key': {
    action: 'mirror.key',
    subject: 'site',
    userId: null,
    userName: null,
    detail: { publicKey: 'ed25519 abc' },
  },
  'content.import': {
    action: 'content.import',
    subject: 'file:export.xml',
    subjectLabel: 'export.xml',
    detail: { created: 3, updated: 1, skipped: 0 },
  },
  'channel.add': {
    action: 'channel.add',
    subject: 'channel:2',
    subjectLabel: 'Telegram — Russian',
    detail: { name: 'Telegram — Russian', kind: 'telegram', chatId: '@gazeta_ru' },
  },
  'channel.change': {
    action: 'channel.change',
    subject: 'channel:2',
    subjectLabel: 'Telegram — Russian',
    detail: { changed: ['token'] },
  },
  'channel.remove': {
    action: 'channel.remove',
    subject: 'channel:2',
    detail: { name: 'Telegram — Russian' },
  },
  'delivery.retry': { action: 'delivery.retry', ...article, detail: { delivery: 7 } },
  'newsletter.add-list': {
    action: 'newsletter.add-list',
    subject: 'newsletter:1',
    subjectLabel: 'Daily — English',
    detail: { name: 'Daily — English' },
  },
  'newsletter.send': {
    action: 'newsletter.send',
    subject: 'newsletter:1',
    subjectLabel: 'Daily — English',
    detail: {
      name: 'Daily — English',
      send: 3,
      articles: [4, 5],
      sendAt: '2026-12-07T07:00:00.000Z',
    },
  },
  'newsletter.cancel-send': {
    action: 'newsletter.cancel-send',
    subject: 'newsletter:1',
    subjectLabel: 'Daily — English',
    detail: { name: 'Daily — English', send: 3 },
  },
  'newsletter.retry-send': {
    action: 'newsletter.retry-send',
    subject: 'newsletter:1',
    subjectLabel: 'Daily — English',
    detail: { name: 'Daily — English', send: 3, recipients: 12 },
  },
  'newsletter.export-subscribers': {
    action: 'newsletter.export-subscribers',
    subject: 'newsletter:1',
    subjectLabel: 'Daily — English',
    detail: { name: 'Daily — English', count: 250 },
  },
  'newsletter.import-subscribers': {
    action: 'newsletter.import-subscribers',
    subject: 'newsletter:1',
    subjectLabel: 'Daily — English',
    detail: { name: 'Daily — English', added: 240, skipped: 10 },
  },
  'fediverse.follow': {
    action: 'fediverse.follow',
    subject: 'site:fediverse',
    subjectLabel: null,
    detail: { handle: '@news@other.example' },
  },
  'fediverse.handle': {
    action: 'fediverse.handle',
    subject: 'person:3',
    subjectLabel: null,
    detail: { handle: 'ada' },
  },
  'fediverse.moderate': {
    action: 'fediverse.moderate',
    ...article,
    detail: { reply: 4, state: 'approved' },
  },
  'newsletter.delete-subscriber': {
    action: 'newsletter.delete-subscriber',
    subject: 'subscriber:9',
    subjectLabel: null,
    detail: {},
  },
};

describe('audit sentences', () => {
  // recordAudit only takes an AuditAction, so AUDIT_ACTIONS is every action the server records.
  it('has a sentence of its own for every action the server records', () => {
    const sentences = new Map<string, string>();
    for (const action of AUDIT_ACTIONS) {
      const recorded = RECORDED[action];
      expect(recorded.action).toBe(action);
      const text = say(recorded);
      expect(text, action).not.toMatch(/did “/);
      expect(text, action).not.toMatch(/[{}]|\bundefined\b|\bnull\b|\[object/);
      expect(sentences.has(text), `${action} says the same as ${sentences.get(text)}`).toBe(false);
      sentences.set(text, action);
    }
  });

  it('puts every action the server records in a kind the page filters by', () => {
    for (const action of AUDIT_ACTIONS) expect(auditKindOf(action), action).not.toBeNull();
  });

  it('says who did what to which item', () => {
    expect(say({ action: 'article.publish', ...article })).toBe(
      'Ana Petrova published “Flooding closes the river road”',
    );
    expect(say(RECORDED['article.send-back'])).toBe(
      'Ana Petrova sent “Flooding closes the river road” back to the writer: ‘needs a second source’',
    );
    expect(say(RECORDED['user.role'])).toBe('Ana Petrova changed the role of Jonas Feld to editor');
    expect(say(RECORDED['session.login-failed'])).toBe(
      'Someone tried to sign in with an e-mail address that has no account',
    );
    // What people typed stays words, even where it reads like the template's marker.
    const typed = describeAuditEntry(
      entry({
        ...RECORDED['article.correct'],
        userName: 'Ana {item} Petrova',
        detail: { ...RECORDED['article.correct'].detail, text: 'See {item} below.' },
      }),
    );
    expect(typed.parts.filter((part) => typeof part !== 'string')).toHaveLength(1);
    expect(say(RECORDED['article.correct'])).toBe(
      'Ana Petrova published a correction to “Flooding closes the river road”: ‘The road reopened on Monday.’',
    );
    expect(say(RECORDED['user.set-password'])).toBe('Jonas Feld set their password');
    expect(say(RECORDED['live.entry-add'])).toBe(
      'Ana Petrova added a live update to “Flooding closes the river road”',
    );
    expect(say(RECORDED['section.rename'])).toBe(
      'Ana Petrova renamed the section “Weather” to “Climate”',
    );
    expect(say(RECORDED['person.profile'])).toBe(
      'Ana Petrova changed Jonas Feld’s public photo and contacts',
    );
    expect(
      say({
        ...RECORDED['person.profile'],
        userName: 'Jonas Feld',
        detail: { name: 'Jonas Feld', changed: ['bio'] },
      }),
    ).toBe('Jonas Feld changed their public biography');
    expect(say(RECORDED['settings.contact'])).toBe(
      'Ana Petrova changed the newsroom’s SecureDrop address and PGP key on the contact page',
    );
    expect(say(RECORDED['settings.audience'])).toBe(
      'Ana Petrova turned off counting distinct readers and kept the audience numbers for 400 days',
    );
  });

  it('names what the system did by itself', () => {
    expect(say({ ...RECORDED['article.publish'], userId: null, userName: null })).toBe(
      'The system published “Flooding closes the river road” at its scheduled time',
    );
    expect(say(RECORDED['article.publish-failed'])).toBe(
      'The system could not publish “Flooding closes the river road” at its scheduled time: it has no byline',
    );
  });

  it('keeps the useful details in words, never as JSON', () => {
    const edit = describeAuditEntry(
      entry({
        action: 'article.edit',
        ...article,
        detail: { version: 4, changed: ['title', 'body', 'tags'], pending: true },
      }),
    );
    expect(edit.details).toEqual([
      'Changed: headline, text, and tags.',
      'Held back: readers see these edits once the article is updated.',
    ]);
    expect(describeAuditEntry(entry(RECORDED['media.edit'])).details).toEqual([
      'Changed: alt text and credit.',
    ]);
    expect(describeAuditEntry(entry(RECORDED['content.import'])).details).toEqual([
      '3 created, 1 updated, 0 skipped.',
    ]);
    const failed = describeAuditEntry(
      entry({
        ...RECORDED['session.login-failed'],
        subject: 'user:9',
        subjectLabel: 'Jonas Feld',
        detail: { reason: 'code' },
      }),
    );
    expect(sentenceText(failed)).toBe('Someone failed to sign in as Jonas Feld');
    expect(failed.details[0]).toMatch(
      /^The password was right but the authenticator code was wrong/,
    );
  });

  it('shows times inside a sentence in the newsroom zone', () => {
    setNewsroomTimeZone('Europe/Riga');
    // 16:00 UTC on 7 March is 18:00 in Riga (winter time, UTC+2).
    expect(say(RECORDED['article.schedule'])).toMatch(
      /^Ana Petrova scheduled “Flooding closes the river road” for .*\b(18|6)[:.]00\b/,
    );
    setNewsroomTimeZone('America/New_York');
    expect(say(RECORDED['article.schedule'])).toMatch(/\b11[:.]00\b/);
  });

  it('links each item to where it lives in the app, and a gone one nowhere', () => {
    const links = (fields: Parameters<typeof entry>[0]) =>
      describeAuditEntry(entry(fields)).parts.flatMap((part) =>
        typeof part === 'string' ? [] : [[part.text, part.href]],
      );
    expect(links(RECORDED['article.publish'])).toEqual([
      ['“Flooding closes the river road”', '#/articles/12'],
    ]);
    expect(links(RECORDED['media.edit'])).toEqual([['the photo “A flooded road”', '#/media']]);
    expect(links(RECORDED['user.role'])).toEqual([['Jonas Feld', '#/users']]);
    expect(links(RECORDED['page.update'])).toEqual([['the page “Terms of use”', '#/site']]);
    expect(links(RECORDED['front.update'])).toEqual([['the front of /news (ru)', '#/fronts']]);
    expect(links(RECORDED['settings.site'])).toEqual([['the site settings', '#/settings']]);
    expect(links(RECORDED['article.link-translation'])).toEqual([
      ['“Flooding closes the river road”', '#/articles/12'],
      ['article 14', '#/articles/14'],
    ]);
    expect(links(RECORDED['article.delete'])).toEqual([['“Flooding closes the river road”', null]]);
    expect(subjectHref({ subject: 'file:export.xml', isSubjectGone: false })).toBeNull();
  });

  it('falls back to the name the entry recorded, then to the kind and id', () => {
    expect(
      say({ action: 'article.create', subject: 'article:3', detail: { title: 'Old headline' } }),
    ).toBe('Ana Petrova created the article “Old headline”');
    expect(say({ action: 'article.trash', subject: 'article:3', isSubjectGone: true })).toBe(
      'Ana Petrova moved article 3 to the trash',
    );
    expect(say({ action: 'media.delete', subject: 'media:5', isSubjectGone: true })).toBe(
      'Ana Petrova deleted photo 5 from the library',
    );
    expect(say({ action: 'article.create', subject: 'article:3', detail: { title: '' } })).toBe(
      'Ana Petrova created an untitled article',
    );
  });

  it('still reads for an action it has no sentence for', () => {
    const unknown = describeAuditEntry(
      entry({
        action: 'article.archive',
        ...article,
        detail: { shelf: 'B', years: 5, nested: { a: 1 }, onShelf: true },
      }),
    );
    expect(sentenceText(unknown)).toBe(
      'Ana Petrova did “archive” to “Flooding closes the river road”',
    );
    expect(unknown.details).toEqual(['shelf: B', 'years: 5', 'on shelf: true']);
    expect(say({ action: 'weird', subject: 'thing' })).toBe('Ana Petrova did “weird” to thing');
  });
});
