import type { Kysely } from 'kysely';
import { DEFAULT_CHOICE, type NotificationChoice, type NotificationKind } from '../core/desk.js';
import { insertNotification, readNotificationChoices } from '../store/desk.js';
import type { Database } from '../store/schema.js';
import { listUsers } from '../store/users.js';
import type { Newsroom } from './newsroom.js';
import { readSiteSettings } from './read-site.js';

// Notifications: what a person should know (a note names them, a story is
// given to them, their article is sent back, one waits for review), kept for
// the app's desk and sent by e-mail when the site has an SMTP server, as each
// person chose (core/desk.ts). Made inside the change's transaction; e-mail
// goes once it is committed.

/** One notification to make: who hears it, of what, about which article. */
export type Tidings = {
  userIds: readonly number[];
  kind: NotificationKind;
  articleId: number | null;
  actorId: number | null;
  text: string;
};

/** An e-mail to send once the change that caused it is committed. */
export type PendingMail = { to: string; subject: string; text: string; articleId: number | null };

/**
 * Records notifications inside `trx` as each person chose (the actor is not
 * told of their own doing); answers the e-mails to send after the commit.
 */
export async function notify(
  trx: Kysely<Database>,
  tidings: Tidings,
  now: string,
): Promise<PendingMail[]> {
  const userIds = [...new Set(tidings.userIds)].filter((id) => id !== tidings.actorId);
  if (userIds.length === 0) return [];
  const [users, choices] = await Promise.all([
    listUsers(trx),
    readNotificationChoices(trx, userIds),
  ]);
  const mails: PendingMail[] = [];
  for (const userId of userIds) {
    const user = users.find((one) => one.id === userId);
    if (!user || user.disabledAt) continue;
    const chosen = choices.find((row) => row.user_id === userId && row.kind === tidings.kind);
    const choice: NotificationChoice = chosen
      ? { inApp: chosen.in_app === 1, byEmail: chosen.by_email === 1 }
      : DEFAULT_CHOICE;
    if (choice.inApp)
      await insertNotification(trx, {
        userId,
        kind: tidings.kind,
        articleId: tidings.articleId,
        actorId: tidings.actorId,
        text: tidings.text,
        now,
      });
    if (choice.byEmail)
      mails.push({
        to: user.email,
        subject: tidings.text,
        text: tidings.text,
        articleId: tidings.articleId,
      });
  }
  return mails;
}

/**
 * Sends notification e-mails (when the site has an SMTP server), never
 * failing the change that caused them: a refused address is reported to
 * `onError`.
 */
export async function sendNotificationMail(
  newsroom: Newsroom,
  mails: readonly PendingMail[],
  onError: (error: unknown) => void = () => {},
): Promise<void> {
  const mailer = newsroom.mailer;
  if (!mailer || mails.length === 0) return;
  const siteName = (await readSiteSettings(newsroom.store.db)).name;
  for (const mail of mails) {
    const link =
      mail.articleId === null
        ? `${newsroom.publicUrl}/admin/#/desk`
        : `${newsroom.publicUrl}/admin/#/articles/${mail.articleId}`;
    const text = `${mail.text}\n\n${link}\n\nYou chose to hear of this by e-mail in your account's settings in the newsroom app.`;
    await mailer
      .send({
        fromName: siteName,
        to: mail.to,
        subject: mail.subject,
        text,
        html: `<p>${escapeHtml(mail.text)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>You chose to hear of this by e-mail in your account's settings in the newsroom app.</p>`,
      })
      .catch(onError);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
