import { createHmac, timingSafeEqual } from 'node:crypto';
import { ALL_PAGES } from '../core/cache-tags.js';
import { DomainError } from '../core/errors.js';
import { confirmationMail } from '../core/newsletter-mail.js';
import {
  CONFIRM_DAYS,
  type NewsletterList,
  type NewsletterListInput,
  normalizeEmail,
} from '../core/newsletters.js';
import { can } from '../core/policy.js';
import { recordAudit } from '../store/audit.js';
import {
  ensureSubscriber,
  findSubscriber,
  insertNewsletterList,
  listNewsletterLists,
  resetRefusals,
  setSubscription,
  subscriptionsOf,
} from '../store/newsletters.js';
import { readSettings } from '../store/settings.js';
import { type AudienceEvent, countAudienceEvents } from './audience.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { getSiteSettings } from './site-settings.js';

// E-mail newsletters, the reader's side first: signing up with double
// opt-in (a confirmation e-mail whose signed link turns the subscription on),
// and leaving with one click from a signed link (RFC 8058). Links carry no
// secret of the reader's: they are signed with the newsroom's own key, kept
// in its settings, so none has to be stored. Sending articles and digests to
// the lists comes next (issue 15).

/** One e-mail, as the newsroom's mailer sends it (newsroom/mail.ts over SMTP). */
export type MailMessage = {
  fromName: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
};
/**
 * Sends one message; fails with the mail server's error (its SMTP reply code
 * as `responseCode` when it gave one). `close` lets its connections go.
 */
export type Mailer = { send: (message: MailMessage) => Promise<void>; close?: () => void };

const KEY_SETTING = 'newsletter.signing_key';

/** The newsroom's key for signing links, made on first use (the first writer wins). */
async function signingKey(newsroom: Newsroom): Promise<string> {
  const db = newsroom.store.db;
  const stored = (await readSettings(db)).get(KEY_SETTING);
  if (stored) return stored;
  await db
    .insertInto('setting')
    .values({ key: KEY_SETTING, value: newsroom.newToken() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const made = (await readSettings(db)).get(KEY_SETTING);
  if (!made) throw new Error('the newsletter signing key was not kept');
  return made;
}

type LinkPurpose = 'confirm' | 'unsubscribe' | 'manage';
type LinkClaim = { purpose: LinkPurpose; subscriberId: number; listIds: number[]; expires: number };

function signature(key: string, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, 32);
}

/** "confirm.12.3-4.1767225600.<signature>": what the link allows, and until when (0: always). */
function signLink(key: string, claim: LinkClaim): string {
  const body = `${claim.purpose}.${claim.subscriberId}.${claim.listIds.join('-')}.${claim.expires}`;
  return `${body}.${signature(key, body)}`;
}

function readLink(key: string, token: string, purpose: LinkPurpose, now: Date): LinkClaim {
  const refused = new DomainError(
    'invalid_input',
    purpose === 'confirm'
      ? 'this confirmation link is not valid: it may have been cut, or it has expired; sign up again'
      : 'this link is not valid: it may have been cut; use the one in your latest newsletter',
  );
  const match =
    /^(confirm|unsubscribe|manage)\.(\d{1,12})\.(\d{1,12}(?:-\d{1,12}){0,49})\.(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(
      token,
    );
  if (!match || match[1] !== purpose) throw refused;
  const [, , subscriber, lists, expires, given] = match;
  const body = token.slice(0, token.lastIndexOf('.'));
  const expected = Buffer.from(signature(key, body));
  if (!timingSafeEqual(expected, Buffer.from(given ?? ''))) throw refused;
  const claim: LinkClaim = {
    purpose,
    subscriberId: Number(subscriber),
    listIds: (lists ?? '').split('-').map(Number),
    expires: Number(expires),
  };
  if (claim.expires !== 0 && claim.expires * 1000 < now.getTime()) throw refused;
  return claim;
}

/** Every list, with how many confirmed readers each has. */
export async function readNewsletterLists(newsroom: Newsroom): Promise<NewsletterList[]> {
  return await listNewsletterLists(newsroom.store.db);
}

/** Adds a list (editor-in-chief). */
export async function addNewsletterList(
  newsroom: Newsroom,
  actor: StaffActor,
  input: NewsletterListInput,
): Promise<NewsletterList> {
  if (!can(actor, 'settings.manage'))
    throw new DomainError('not_allowed_for_role', 'only the editor-in-chief manages newsletters');
  const now = newsroom.now().toISOString();
  const id = await newsroom.store.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('newsletter_list')
      .select('id')
      .where('slug', '=', input.slug)
      .executeTakeFirst();
    if (taken)
      throw new DomainError('conflict', `slug: a list is called ${input.slug} already`, 'slug');
    const added = await insertNewsletterList(trx, input, now);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'newsletter.add-list',
      subject: `newsletter:${added}`,
      detail: { name: input.name },
      at: now,
    });
    return added;
  });
  // Every page's footer now links the newsletters.
  newsroom.changed?.(ALL_PAGES);
  const list = (await listNewsletterLists(newsroom.store.db)).find((item) => item.id === id);
  if (!list) throw new Error(`newsletter list ${id} vanished`);
  return list;
}

/**
 * A reader asks for lists: the address is kept with a pending subscription
 * to each it does not have yet, and one e-mail asks to confirm them. The
 * answer is the same whether the address was known or not: nobody learns who
 * subscribes by trying addresses. Nothing is sent when every list asked for
 * is confirmed already.
 */
export async function signUp(
  newsroom: Newsroom,
  mailer: Mailer,
  request: { email: string; listIds: number[] },
): Promise<void> {
  const email = normalizeEmail(request.email);
  if (!email)
    throw new DomainError('invalid_input', 'email: that is not an e-mail address', 'email');
  const lists = await listNewsletterLists(newsroom.store.db);
  const wanted = lists.filter((list) => request.listIds.includes(list.id));
  if (wanted.length === 0)
    throw new DomainError('invalid_input', 'lists: choose at least one newsletter', 'lists');
  const now = newsroom.now();
  const at = now.toISOString();
  const pending = await newsroom.store.db.transaction().execute(async (trx) => {
    const subscriberId = await ensureSubscriber(trx, email, at);
    const standing = await subscriptionsOf(trx, subscriberId);
    const waiting = wanted.filter((list) => standing.get(list.id) !== 'active');
    for (const list of waiting) {
      await setSubscription(trx, { listId: list.id, subscriberId, state: 'pending' }, at);
    }
    return { subscriberId, lists: waiting };
  });
  if (pending.lists.length === 0) return;
  const key = await signingKey(newsroom);
  const token = signLink(key, {
    purpose: 'confirm',
    subscriberId: pending.subscriberId,
    listIds: pending.lists.map((list) => list.id),
    expires: Math.floor(now.getTime() / 1000) + CONFIRM_DAYS * 86_400,
  });
  const site = await getSiteSettings(newsroom);
  const language = pending.lists[0]?.language ?? site.language;
  const mail = confirmationMail({
    language,
    siteName: site.name,
    lists: pending.lists.map((list) => list.name),
    confirmUrl: `${newsroom.publicUrl}/newsletters/confirm?t=${token}`,
    days: CONFIRM_DAYS,
  });
  await mailer.send({ fromName: site.name, to: email, ...mail });
}

/** Turns on the subscriptions a confirmation link names; answers the lists now confirmed. */
export async function confirmSubscription(
  newsroom: Newsroom,
  token: string,
): Promise<NewsletterList[]> {
  const claim = readLink(await signingKey(newsroom), token, 'confirm', newsroom.now());
  const at = newsroom.now().toISOString();
  const lists = await listNewsletterLists(newsroom.store.db);
  const events: AudienceEvent[] = [];
  const confirmedLists = await newsroom.store.db.transaction().execute(async (trx) => {
    if (!(await findSubscriber(trx, { id: claim.subscriberId })))
      throw new DomainError(
        'not_found',
        'this address is no longer subscribed to anything: sign up again',
      );
    const standing = await subscriptionsOf(trx, claim.subscriberId);
    const confirmed: NewsletterList[] = [];
    for (const list of lists.filter((item) => claim.listIds.includes(item.id))) {
      // A reader who left a list since is not put back by an old e-mail.
      const state = standing.get(list.id);
      if (state === 'pending') {
        await setSubscription(
          trx,
          { listId: list.id, subscriberId: claim.subscriberId, state: 'active' },
          at,
        );
        // The reader vouches for the address again: past refusals no longer hold it back.
        await resetRefusals(trx, [claim.subscriberId]);
        events.push({ kind: 'subscribed', subject: list.id });
      }
      if (state === 'pending' || state === 'active') confirmed.push(list);
    }
    return confirmed;
  });
  await countAudienceEvents(newsroom, events);
  return confirmedLists;
}

/**
 * Makes the link in every message that takes a reader off a list at once,
 * forever good; the key is read once, for a send's many readers.
 */
export async function unsubscribeLinks(
  newsroom: Newsroom,
): Promise<(subscriberId: number, listId: number) => string> {
  const key = await signingKey(newsroom);
  return (subscriberId, listId) =>
    `${newsroom.publicUrl}/newsletters/unsubscribe?t=${signLink(key, {
      purpose: 'unsubscribe',
      subscriberId,
      listIds: [listId],
      expires: 0,
    })}`;
}

/** The link that takes the reader off `listId` at once. */
export async function unsubscribeUrl(
  newsroom: Newsroom,
  subscriberId: number,
  listId: number,
): Promise<string> {
  return (await unsubscribeLinks(newsroom))(subscriberId, listId);
}

/** Takes the reader off the lists an unsubscribe link names (again is no harm). */
export async function unsubscribe(newsroom: Newsroom, token: string): Promise<void> {
  const claim = readLink(await signingKey(newsroom), token, 'unsubscribe', newsroom.now());
  const at = newsroom.now().toISOString();
  const events: AudienceEvent[] = [];
  await newsroom.store.db.transaction().execute(async (trx) => {
    const standing = await subscriptionsOf(trx, claim.subscriberId);
    for (const listId of claim.listIds) {
      if (standing.has(listId)) {
        await setSubscription(
          trx,
          { listId, subscriberId: claim.subscriberId, state: 'unsubscribed' },
          at,
        );
        if (standing.get(listId) === 'active')
          events.push({ kind: 'unsubscribed', subject: listId });
      }
    }
  });
  await countAudienceEvents(newsroom, events);
}

/**
 * The link to a reader's preferences, made from an unsubscribe link they
 * opened: the same reader, every list, good as long as theirs.
 */
export async function preferencesToken(
  newsroom: Newsroom,
  unsubscribeToken: string,
): Promise<string> {
  const key = await signingKey(newsroom);
  const claim = readLink(key, unsubscribeToken, 'unsubscribe', newsroom.now());
  return signLink(key, {
    purpose: 'manage',
    subscriberId: claim.subscriberId,
    listIds: [0],
    expires: 0,
  });
}

/** A reader's preferences: every list, and whether they get it; their address half hidden. */
export type ReaderPreferences = {
  address: string;
  lists: (NewsletterList & { isSubscribed: boolean })[];
};

/** "r•••@example.org": enough for readers to know it is theirs, not enough for whoever they forward the link to. */
function maskedAddress(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, Math.min(1, at))}•••${email.slice(at)}`;
}

export async function readPreferences(
  newsroom: Newsroom,
  token: string,
): Promise<ReaderPreferences> {
  const claim = readLink(await signingKey(newsroom), token, 'manage', newsroom.now());
  const db = newsroom.store.db;
  const subscriber = await findSubscriber(db, { id: claim.subscriberId });
  if (!subscriber)
    throw new DomainError(
      'not_found',
      'this address is no longer subscribed to anything: sign up again',
    );
  const standing = await subscriptionsOf(db, claim.subscriberId);
  return {
    address: maskedAddress(subscriber.email),
    lists: (await listNewsletterLists(db)).map((list) => ({
      ...list,
      isSubscribed: standing.get(list.id) === 'active',
    })),
  };
}

/**
 * Saves a reader's choice: the lists in `listIds` on, every other off. The
 * link came to their own mailbox, which is the confirmation a list needs.
 */
export async function savePreferences(
  newsroom: Newsroom,
  token: string,
  listIds: number[],
): Promise<ReaderPreferences> {
  const claim = readLink(await signingKey(newsroom), token, 'manage', newsroom.now());
  const at = newsroom.now().toISOString();
  const lists = await listNewsletterLists(newsroom.store.db);
  const events: AudienceEvent[] = [];
  await newsroom.store.db.transaction().execute(async (trx) => {
    if (!(await findSubscriber(trx, { id: claim.subscriberId })))
      throw new DomainError(
        'not_found',
        'this address is no longer subscribed to anything: sign up again',
      );
    const standing = await subscriptionsOf(trx, claim.subscriberId);
    for (const list of lists) {
      const isWanted = listIds.includes(list.id);
      const state = standing.get(list.id);
      if (isWanted && state !== 'active') {
        await setSubscription(
          trx,
          { listId: list.id, subscriberId: claim.subscriberId, state: 'active' },
          at,
        );
        await resetRefusals(trx, [claim.subscriberId]);
        events.push({ kind: 'subscribed', subject: list.id });
      } else if (!isWanted && (state === 'active' || state === 'pending')) {
        await setSubscription(
          trx,
          { listId: list.id, subscriberId: claim.subscriberId, state: 'unsubscribed' },
          at,
        );
        if (state === 'active') events.push({ kind: 'unsubscribed', subject: list.id });
      }
    }
  });
  await countAudienceEvents(newsroom, events);
  return await readPreferences(newsroom, token);
}
