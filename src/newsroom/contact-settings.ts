import type { Kysely } from 'kysely';
import { CONTACT_TAG } from '../core/cache-tags.js';
import {
  type NewsroomContacts,
  NO_NEWSROOM_CONTACTS,
  newsroomContactsSchema,
  parseNewsroomContacts,
} from '../core/contacts.js';
import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import type { ContactView } from '../core/views.js';
import { recordAudit } from '../store/audit.js';
import { listPeopleWithContacts } from '../store/people.js';
import type { Database } from '../store/schema.js';
import { readSettings, writeSetting } from '../store/settings.js';
import type { Newsroom, StaffActor } from './newsroom.js';

// The newsroom's secure channels (Signal, e-mail, SecureDrop, a PGP key) and
// its words about them, as settings rows; the /contact page reads them.

/** Where each channel is kept (the sample newsroom sets its e-mail). */
export const CONTACT_SETTINGS: Record<Exclude<keyof NewsroomContacts, 'texts'>, string> = {
  signal: 'contact.signal',
  email: 'contact.email',
  secureDrop: 'contact.securedrop',
  pgpFingerprint: 'contact.pgp_fingerprint',
  pgpKey: 'contact.pgp_key',
};
const TEXTS_KEY = 'contact.texts';

/**
 * The stored channels, checked again on the way out: a row that no longer
 * passes (edited by hand) shows nothing rather than a wrong address to sources.
 */
export async function readNewsroomContacts(db: Kysely<Database>): Promise<NewsroomContacts> {
  const stored = await readSettings(db);
  let texts: unknown = {};
  try {
    texts = JSON.parse(stored.get(TEXTS_KEY) ?? '{}');
  } catch {
    texts = {};
  }
  const parsed = newsroomContactsSchema.safeParse({
    signal: stored.get(CONTACT_SETTINGS.signal) ?? '',
    email: stored.get(CONTACT_SETTINGS.email) ?? '',
    secureDrop: stored.get(CONTACT_SETTINGS.secureDrop) ?? '',
    pgpFingerprint: stored.get(CONTACT_SETTINGS.pgpFingerprint) ?? '',
    pgpKey: stored.get(CONTACT_SETTINGS.pgpKey) ?? '',
    texts,
  });
  return parsed.success ? parsed.data : NO_NEWSROOM_CONTACTS;
}

function requireSettingsRight(actor: StaffActor): void {
  if (!can(actor, 'settings.manage')) {
    throw new DomainError(
      'not_allowed_for_role',
      'only the editor-in-chief changes how sources reach the newsroom',
    );
  }
}

/** The channels for the settings form (editor-in-chief). */
export async function getContactSettings(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<NewsroomContacts> {
  requireSettingsRight(actor);
  return await readNewsroomContacts(newsroom.store.db);
}

/** Replaces the channels (editor-in-chief), audited, and purges the contact page and key file. */
export async function updateContactSettings(
  newsroom: Newsroom,
  actor: StaffActor,
  input: unknown,
): Promise<NewsroomContacts> {
  requireSettingsRight(actor);
  const contacts = parseNewsroomContacts(input);
  await newsroom.store.db.transaction().execute(async (trx) => {
    const before = await readNewsroomContacts(trx);
    for (const [field, key] of Object.entries(CONTACT_SETTINGS) as [
      keyof typeof CONTACT_SETTINGS,
      string,
    ][])
      await writeSetting(trx, key, contacts[field]);
    await writeSetting(trx, TEXTS_KEY, JSON.stringify(contacts.texts));
    const changed = (Object.keys(contacts) as (keyof NewsroomContacts)[]).filter(
      (field) => JSON.stringify(before[field]) !== JSON.stringify(contacts[field]),
    );
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'settings.contact',
      subject: 'settings',
      detail: { changed },
      at: newsroom.now().toISOString(),
    });
  });
  newsroom.changed?.([CONTACT_TAG]);
  return await readNewsroomContacts(newsroom.store.db);
}

/** What /contact shows. */
export async function readContactPage(newsroom: Newsroom): Promise<ContactView> {
  const db = newsroom.store.db;
  const [contacts, staff] = await Promise.all([
    readNewsroomContacts(db),
    listPeopleWithContacts(db),
  ]);
  return { contacts, staff };
}

/** The newsroom's armoured public key, or null when it publishes none. */
export async function readNewsroomKey(newsroom: Newsroom): Promise<string | null> {
  const { pgpKey } = await readNewsroomContacts(newsroom.store.db);
  return pgpKey === '' ? null : pgpKey;
}
