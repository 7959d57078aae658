import { z } from 'zod';
import type { Doc } from './document.js';

// E-mail newsletters: the lists readers subscribe to and the rules for what
// they send. Pure; the subscriptions live in store/newsletters.ts, the
// sign-up and its e-mails in newsroom/newsletters.ts.

export type NewsletterList = {
  id: number;
  name: string;
  slug: string;
  language: string;
  senderName: string;
  description: string;
  /** Confirmed subscriptions: how many readers a send reaches. */
  activeCount: number;
};

export const SUBSCRIPTION_STATES = ['pending', 'active', 'unsubscribed'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/** What the editor-in-chief sends to add a list. */
export const newsletterListInputSchema = z.object({
  name: z.string().trim().min(1, 'give the list a name readers will recognise').max(120),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'lower-case letters, digits and hyphens'),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}$/, 'a language code such as en or ru'),
  senderName: z.string().trim().min(1, 'the name messages come from').max(120),
  description: z.string().trim().max(500).default(''),
});
export type NewsletterListInput = z.infer<typeof newsletterListInputSchema>;

/**
 * A reader's address as it is kept: trimmed and in lower case, so that one
 * mailbox is one subscriber; null when it is not an address.
 */
export function normalizeEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  if (email.length > 254) return null;
  return z.email().safeParse(email).success ? email : null;
}

/** How long a confirmation link stays good. */
export const CONFIRM_DAYS = 7;

// ---------------------------------------------------------------------------
// Sending to a list

/**
 * scheduled: waits for its time; sending: its recipients are being worked;
 * held: the mail server refused the message itself (a wrong password, a
 * sender it will not take, the content): nothing more goes until staff fix
 * the settings and press Retry; done: every recipient sent to or given up;
 * cancelled: stopped by staff, or its article unpublished, before it was done
 * (who had it already keep it).
 */
export const SEND_STATES = ['scheduled', 'sending', 'held', 'done', 'cancelled'] as const;
export type SendState = (typeof SEND_STATES)[number];

/**
 * queued: waiting its turn; sending: handed to the mail server, answer not
 * recorded yet; sent; refused: the reader's mail server refused the address
 * for good (5xx at RCPT TO: counted against it); failed: given up for another
 * reason (passing failures tried eight times, or the process sending it
 * stopped: it may have arrived), sent again by Retry; skipped: the reader
 * left the list, or the address reached the refusal limit, before its turn.
 */
export const RECIPIENT_STATES = [
  'queued',
  'sending',
  'sent',
  'refused',
  'failed',
  'skipped',
] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

/** A send as staff see it: never its recipients' addresses, only how many are where. */
export type NewsletterSend = {
  id: number;
  listId: number;
  listName: string;
  subject: string;
  intro: string;
  articleIds: number[];
  state: SendState;
  sendAt: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why it was stopped, when it was. */
  reason: string | null;
  counts: Record<RecipientState, number>;
  /** The last refusals a mail server gave, without the addresses (what went wrong, not to whom). */
  problems: string[];
};

/** How many articles one message carries at most (a digest longer than this is not read). */
export const MAX_SEND_ARTICLES = 30;

/** What staff send to send a newsletter: to a list, or (a test) to themselves. */
export const newsletterSendInputSchema = z.object({
  listId: z.number().int().positive(),
  articleIds: z
    .array(z.number().int().positive())
    .min(1, 'articleIds: choose at least one published article')
    .max(MAX_SEND_ARTICLES, `articleIds: at most ${MAX_SEND_ARTICLES} articles in one message`),
  /** Empty: the article's headline, or for a digest the list's name and the date. */
  subject: z.string().trim().max(200).default(''),
  intro: z.string().trim().max(5000).default(''),
  /** When to send (ISO date and time); null: now. */
  sendAt: z.iso.datetime({ offset: true }).nullable().default(null),
});
export type NewsletterSendInput = z.infer<typeof newsletterSendInputSchema>;

/** A photo in a newsletter: an absolute address, and what readers are told of it. */
export type NewsletterPhoto = {
  src: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  /** "Photographer / Agency", or null when the library has no credit. */
  credit: string | null;
};

/** One article in a newsletter, as site/newsletter-mail.ts renders it. */
export type NewsletterArticle = {
  title: string;
  standfirst: string;
  language: string;
  /** Absolute address of the article. */
  url: string;
  publishedAt: string;
  photo: NewsletterPhoto | null;
  /** The text in full (a message of one article), with its pictures by media id; null in a digest. */
  body: { doc: Doc; photos: Record<number, NewsletterPhoto> } | null;
  corrections: { type: string; text: string }[];
};

/** Everything a newsletter says (site/newsletter-mail.ts renders it as HTML and text). */
export type NewsletterMailInput = {
  /** The list's language: the message's furniture speaks it. */
  language: string;
  siteName: string;
  siteUrl: string;
  mirrorsUrl: string;
  listName: string;
  subject: string;
  intro: string;
  articles: NewsletterArticle[];
  timeZone: string;
  unsubscribeUrl: string;
};

/** A message ready to send: its subject, and the same content as HTML and as plain text. */
export type Mail = { subject: string; text: string; html: string };

/** How many permanent refusals (5xx) in a row stop sending to an address, unless configured. */
export const DEFAULT_MAX_ADDRESS_FAILURES = 3;

/**
 * What an SMTP server's answer to one message means: delivered; refused for
 * good (a 5xx reply: no such mailbox, rejected); or worth trying again (a
 * 4xx reply, a dropped connection, a timeout).
 */
export type MailOutcome =
  | { ok: true }
  | { ok: false; permanent: boolean; reason: string; responseCode: number | null };

/** Classifies an SMTP reply code: 5xx is permanent, anything else (4xx, no reply) is not. */
export function isPermanentSmtpReply(responseCode: number | null | undefined): boolean {
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
}

/**
 * A mail server's answer with every e-mail address in it replaced: staff who
 * may not see readers' addresses see why a message failed, not to whom.
 */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '‹address›');
}

// ---------------------------------------------------------------------------
// Subscribers, as the editor-in-chief sees them

export type Subscriber = {
  id: number;
  email: string;
  createdAt: string;
  /** Permanent refusals in a row by the address's mail server, and the last one. */
  failureCount: number;
  lastFailure: string | null;
  subscriptions: { listId: number; state: SubscriptionState }[];
};

/** What an import of subscribers did: who was added, who was there, and each row skipped with why. */
export type SubscriberImportReport = {
  added: number;
  alreadySubscribed: number;
  skipped: { line: number; value: string; reason: string }[];
};
