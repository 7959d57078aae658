import { z } from 'zod';

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
