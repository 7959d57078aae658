import { z } from 'zod';
import { DomainError } from './errors.js';
import { plainIssueMessage } from './plain-errors.js';
import { LANGUAGES, type Language, type Localized } from './types.js';

// How readers and sources reach a person or the newsroom: the contacts an
// author publishes on their page, and the newsroom's secure channels on
// /contact. Checked here, once, for the API, the store and the pages alike:
// a wrong Signal number or fingerprint on a page for sources is worse than none.

/** A link on an author's page ("Website", "Mastodon"), https only. */
export type ContactLink = { label: string; url: string };

/** What an author publishes about how to reach them; '' where they give nothing. */
export type PersonContacts = {
  email: string;
  /** A phone number in international form (+4915…) or a Signal username (name.01). */
  signal: string;
  /** 40 hexadecimal characters, upper case, no spaces (shown in groups of four). */
  pgpFingerprint: string;
  /** Where the public key is: an https address or a path on this site. */
  pgpKeyUrl: string;
  links: ContactLink[];
};

export const NO_CONTACTS: PersonContacts = {
  email: '',
  signal: '',
  pgpFingerprint: '',
  pgpKeyUrl: '',
  links: [],
};

export const MAX_CONTACT_LINKS = 5;
export const MAX_BIO_LENGTH = 2000;

/** Whether a person publishes any way to reach them. */
export function hasContacts(contacts: PersonContacts): boolean {
  return (
    contacts.email !== '' ||
    contacts.signal !== '' ||
    contacts.pgpFingerprint !== '' ||
    contacts.links.length > 0
  );
}

// A practical check, not RFC 5322: one @, no spaces, a dot in the domain.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Signal: a number in international form, or a username (3–32 letters, digits
// or underscores, a dot and at least two digits).
const SIGNAL_NUMBER = /^\+[1-9][0-9]{6,14}$/;
const SIGNAL_USERNAME = /^[a-z_][a-z0-9_]{2,31}\.[0-9]{2,9}$/i;
const FINGERPRINT = /^[0-9A-F]{40}$/;

const email = z
  .string()
  .trim()
  .max(320)
  .refine(
    (value) => value === '' || EMAIL.test(value),
    'an e-mail address such as name@example.org',
  )
  .default('');

/** Spaces, dashes and brackets people type into phone numbers are dropped. */
const signal = z
  .string()
  .trim()
  .max(60)
  .transform((value) => (value.startsWith('+') ? value.replace(/[\s\-().]/g, '') : value))
  .refine(
    (value) => value === '' || SIGNAL_NUMBER.test(value) || SIGNAL_USERNAME.test(value),
    'a number in international form (+ and digits) or a Signal username such as name.01',
  )
  .default('');

/** Fingerprints are printed in groups of four: spaces are allowed and dropped. */
const fingerprint = z
  .string()
  .max(100)
  .transform((value) => value.replace(/\s+/g, '').toUpperCase())
  .refine(
    (value) => value === '' || FINGERPRINT.test(value),
    'a PGP key fingerprint: 40 characters 0–9 and A–F (spaces allowed)',
  )
  .default('');

function isHttps(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === ''
  );
}

/** A path on this site ("/contact/pgp-key.asc"), never protocol-relative ("//elsewhere"). */
function isSitePath(value: string): boolean {
  return /^\/(?!\/)[^\s\\]*$/.test(value);
}

const keyUrl = z
  .string()
  .trim()
  .max(500)
  .refine(
    (value) => value === '' || isHttps(value) || isSitePath(value),
    'an https:// address or a path on this site such as /keys/name.asc',
  )
  .default('');

const link = z.object({
  label: z.string().trim().min(1, 'give the link a label such as “Website”').max(60),
  url: z
    .string()
    .trim()
    .max(500)
    .refine(isHttps, 'an https:// address (links to other sites must be https)'),
});

export const personContactsSchema = z
  .object({
    email,
    signal,
    pgpFingerprint: fingerprint,
    pgpKeyUrl: keyUrl,
    links: z.array(link).max(MAX_CONTACT_LINKS, `at most ${MAX_CONTACT_LINKS} links`).default([]),
  })
  .strict()
  .refine((value) => value.pgpKeyUrl === '' || value.pgpFingerprint !== '', {
    message: 'give the key’s fingerprint too, so readers can check the key they download',
    path: ['pgpFingerprint'],
  });

/** What a person (or the editor-in-chief) changes of a public profile; absent fields stay. */
export type PersonProfileChange = {
  bio?: string;
  photoMediaId?: number | null;
  contacts?: PersonContacts;
};

const profileSchema = z
  .object({
    bio: z.string().trim().max(MAX_BIO_LENGTH).optional(),
    photoMediaId: z.number().int().positive().nullable().optional(),
    contacts: personContactsSchema.optional(),
  })
  .strict();

/** Thrown as `invalid_input` naming the first bad field ("contacts.signal: …"). */
function refuse(error: z.ZodError, prefix: string[] = []): never {
  const issue = error.issues[0];
  const field = [...prefix, ...(issue?.path ?? []).map(String)].join('.');
  throw new DomainError(
    'invalid_input',
    `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}`,
    field || undefined,
  );
}

/** A profile change from a request, checked; refused with the field at fault. */
export function parsePersonProfile(input: unknown): PersonProfileChange {
  const result = profileSchema.safeParse(input ?? {}, { error: plainIssueMessage });
  if (!result.success) refuse(result.error);
  const { bio, photoMediaId, contacts } = result.data;
  return {
    ...(bio === undefined ? {} : { bio }),
    ...(photoMediaId === undefined ? {} : { photoMediaId }),
    ...(contacts === undefined ? {} : { contacts }),
  };
}

/** Stored contacts, read leniently: what no longer passes the check is left out, not shown. */
export function parseStoredContacts(json: string | null | undefined): PersonContacts {
  let value: unknown;
  try {
    value = JSON.parse(json ?? '{}');
  } catch {
    return NO_CONTACTS;
  }
  const result = personContactsSchema.safeParse(value);
  return result.success ? result.data : NO_CONTACTS;
}

/** "0123 4567 89AB …": a fingerprint as people compare it, in groups of four. */
export function formatFingerprint(fingerprint: string): string {
  return fingerprint.match(/.{1,4}/g)?.join(' ') ?? fingerprint;
}

// The newsroom's own secure channels, for /contact.

/** How sources reach the newsroom; '' where it offers nothing. */
export type NewsroomContacts = {
  signal: string;
  email: string;
  /** The SecureDrop onion address, as "http://<56 characters>.onion". */
  secureDrop: string;
  pgpFingerprint: string;
  /** The armoured public key, served as /contact/pgp-key.asc. */
  pgpKey: string;
  /** A few words from the newsroom in each language, above the channels. */
  texts: Localized;
};

export const NO_NEWSROOM_CONTACTS: NewsroomContacts = {
  signal: '',
  email: '',
  secureDrop: '',
  pgpFingerprint: '',
  pgpKey: '',
  texts: {},
};

/** Where the newsroom's public key is served. */
export const NEWSROOM_KEY_PATH = '/contact/pgp-key.asc';
export const MAX_CONTACT_TEXT_LENGTH = 2000;
const MAX_KEY_LENGTH = 100_000;

// A v3 onion service: 56 base32 characters (v2 addresses stopped working in 2021).
const ONION = /^(?:https?:\/\/)?([a-z2-7]{56}\.onion)\/?$/i;
const KEY_BEGIN = '-----BEGIN PGP PUBLIC KEY BLOCK-----';
const KEY_END = '-----END PGP PUBLIC KEY BLOCK-----';

const secureDrop = z
  .string()
  .trim()
  .max(100)
  .refine(
    (value) => value === '' || ONION.test(value),
    'a SecureDrop onion address: 56 letters and digits followed by .onion',
  )
  .transform((value) => {
    const host = ONION.exec(value)?.[1];
    return host ? `http://${host.toLowerCase()}` : '';
  })
  .default('');

const armouredKey = z
  .string()
  .trim()
  .max(MAX_KEY_LENGTH)
  // A secret key pasted by mistake would be served to everyone: refused loudly.
  .refine(
    (value) => !value.includes('PRIVATE KEY'),
    'this is a PRIVATE key: never publish it. Paste the public key (BEGIN PGP PUBLIC KEY BLOCK)',
  )
  .refine(
    (value) => value === '' || (value.startsWith(KEY_BEGIN) && value.endsWith(KEY_END)),
    `an armoured public key, from ${KEY_BEGIN} to ${KEY_END}`,
  )
  .transform((value) => (value === '' ? '' : `${value.replace(/\r\n?/g, '\n')}\n`))
  .default('');

const contactTexts = z
  .record(z.string(), z.string().trim().max(MAX_CONTACT_TEXT_LENGTH))
  .refine(
    (value) => Object.keys(value).every((key) => (LANGUAGES as readonly string[]).includes(key)),
    `texts are given in ${LANGUAGES.join(' or ')}`,
  )
  .transform((value) => {
    const kept: Localized = {};
    for (const [key, text] of Object.entries(value)) if (text) kept[key as Language] = text;
    return kept;
  })
  .default({});

export const newsroomContactsSchema = z
  .object({
    email,
    signal,
    secureDrop,
    pgpFingerprint: fingerprint,
    pgpKey: armouredKey,
    texts: contactTexts,
  })
  .strict()
  .refine((value) => value.pgpKey === '' || value.pgpFingerprint !== '', {
    message: 'give the key’s fingerprint too, so sources can check the key they download',
    path: ['pgpFingerprint'],
  })
  .refine((value) => value.pgpFingerprint === '' || value.pgpKey !== '', {
    message: 'paste the public key too: the page offers it for download',
    path: ['pgpKey'],
  });

/** The newsroom's channels from a request, checked; refused with the field at fault. */
export function parseNewsroomContacts(input: unknown): NewsroomContacts {
  const result = newsroomContactsSchema.safeParse(input ?? {}, { error: plainIssueMessage });
  if (!result.success) refuse(result.error);
  return result.data;
}

/** Whether the newsroom offers any channel at all. */
export function hasNewsroomChannels(contacts: NewsroomContacts): boolean {
  return (
    contacts.signal !== '' ||
    contacts.email !== '' ||
    contacts.secureDrop !== '' ||
    contacts.pgpFingerprint !== ''
  );
}
