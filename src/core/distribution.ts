import { z } from 'zod';
import { fediverseHandleSchema } from './fediverse.js';

export { channelTakes, sectionAncestry } from './channel-rules.js';

// Distribution: the channels an article goes out to beyond the site (a
// Telegram channel, a newsletter list that gets each article; the fediverse
// comes next), and the
// rules for what goes where and when to try again. Pure: the queue lives in
// store/distribution.ts, the sending in newsroom/distribution.ts.

/**
 * telegram: posts to a Telegram channel; newsletter: e-mails each article it
 * takes, in full, to a newsletter list's readers (e-mail cannot be edited or
 * withdrawn once sent: corrections and unpublishing leave it be); fediverse:
 * the publication's ActivityPub actor (@handle@your.domain) sends each
 * article to its followers, updates it on correction, deletes it on
 * unpublishing.
 */
export const CHANNEL_KINDS = ['telegram', 'newsletter', 'fediverse'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A channel as staff see it: never its secret, only whether one is set. */
export type Channel = {
  id: number;
  kind: ChannelKind;
  name: string;
  /** Takes by default the articles in this language; null: any language. */
  language: string | null;
  /** …and in these sections or below them; empty: every section. */
  sectionIds: number[];
  /** Picked when publishing an article it takes (staff may unpick it). */
  isDefault: boolean;
  /** A Telegram channel's chat id ("-100…") or public name ("@…"); '' for a newsletter. */
  chatId: string;
  /** The newsletter list a newsletter channel sends to; null for the others. */
  listId: number | null;
  /** The fediverse actor's handle (`news` in @news@your.domain); null for the others. */
  handle: string | null;
  hasSecret: boolean;
  createdAt: string;
  updatedAt: string;
};

export const DELIVERY_ACTIONS = ['post', 'edit', 'delete'] as const;
export type DeliveryAction = (typeof DELIVERY_ACTIONS)[number];

/**
 * queued: waiting its turn (or its next try); sending: handed to the service,
 * answer not yet recorded; sent; failed: given up, with the reason; cancelled:
 * no longer wanted (the article was unpublished before it went out).
 */
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export type Delivery = {
  id: number;
  channelId: number;
  channelName: string;
  channelKind: ChannelKind;
  articleId: number;
  action: DeliveryAction;
  state: DeliveryState;
  attempts: number;
  nextAt: string;
  lastError: string | null;
  /** Where the message can be seen, when the service gives an address (a public channel's post). */
  url: string | null;
  createdAt: string;
  sentAt: string | null;
};

/** What a Telegram post says (site/telegram-post.ts renders it). */
export type TelegramPostInput = {
  title: string;
  standfirst: string;
  language: string;
  /** Absolute addresses. */
  articleUrl: string;
  mirrorsUrl: string;
  /** The lead photo's credit, when the post carries the photo. */
  photoCredit: string | null;
  /** Corrections published since, oldest first: each is shown under the text. */
  corrections: { type: string; text: string }[];
};

/** Telegram's limits, in characters readers see (entities parsed): under a photo, and a text message. */
export const TELEGRAM_CAPTION_LIMIT = 1024;
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/** How many times a delivery is tried before it is given up as failed. */
export const MAX_ATTEMPTS = 8;

/**
 * The wait before try number `attempt + 1` after `attempt` failed ones: 30 s,
 * doubling up to an hour. A service that names its own wait (Telegram's
 * `retry_after`) is waited for instead.
 */
export function retryDelayMs(attempt: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}

/** A service's answer to one try, as the queue needs it. */
export type SendOutcome =
  | { ok: true; remoteId: string | null }
  /** Worth trying again: after `retryAfterMs` when the service said, else by retryDelayMs. */
  | { ok: false; permanent: false; reason: string; retryAfterMs?: number }
  /** Will not work however often it is tried (a bad chat id, a bot thrown out): shown to staff. */
  | { ok: false; permanent: true; reason: string };

const chatId = z
  .string()
  .trim()
  .regex(
    /^(?:-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/,
    'a chat id (-100…) or a public channel name (@…)',
  );

/** A channel's fields as staff send them, none filled in: a change names only what changes. */
const channelFields = {
  name: z.string().trim().min(1, 'give the channel a name staff will recognise').max(120),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}$/, 'a language code such as en or ru')
    .nullable(),
  sectionIds: z.array(z.number().int().positive()).max(200),
  isDefault: z.boolean(),
  chatId,
  /** The bot token: required when adding, write-only ever after. */
  secret: z
    .string()
    .trim()
    .regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, 'a bot token as @BotFather gives it (123456:ABC…)'),
};

/** What staff send to add a channel: a Telegram channel's chat and token, or a newsletter's list. */
export const channelInputSchema = z
  .object({
    kind: z.enum(CHANNEL_KINDS),
    ...channelFields,
    language: channelFields.language.default(null),
    sectionIds: channelFields.sectionIds.default([]),
    isDefault: channelFields.isDefault.default(true),
    chatId: chatId.optional(),
    secret: channelFields.secret.optional(),
    listId: z.number().int().positive().optional(),
    handle: fediverseHandleSchema.optional(),
  })
  .superRefine((input, context) => {
    const need = (field: 'chatId' | 'secret' | 'listId' | 'handle', message: string) => {
      if (input[field] === undefined) context.addIssue({ code: 'custom', path: [field], message });
    };
    if (input.kind === 'telegram') {
      need('chatId', 'a chat id (-100…) or a public channel name (@…)');
      need('secret', 'the bot token @BotFather gave (123456:ABC…)');
    } else if (input.kind === 'newsletter') {
      need('listId', 'the newsletter list the articles go to');
    } else {
      need('handle', 'the handle followers find the publication by (news in @news@your.domain)');
    }
  });
export type ChannelInput = z.infer<typeof channelInputSchema>;

/** What staff send to change a channel: any of the fields, no others touched; a new token replaces the old. */
export const channelPatchSchema = z
  .object({ ...channelFields, listId: z.number().int().positive() })
  .partial();
export type ChannelPatch = z.infer<typeof channelPatchSchema>;

/** Where an article went besides the site, and which channels take it by default. */
export type ArticleDistribution = { deliveries: Delivery[]; defaultChannelIds: number[] };
