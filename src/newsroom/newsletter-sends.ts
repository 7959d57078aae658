import type { Kysely } from 'kysely';
import { formatCreditChain } from '../core/credit.js';
import { MAX_ATTEMPTS, retryDelayMs } from '../core/distribution.js';
import { imageMediaIds } from '../core/document.js';
import { DomainError } from '../core/errors.js';
import {
  isPermanentSmtpReply,
  type Mail,
  type NewsletterArticle,
  type NewsletterList,
  type NewsletterMailInput,
  type NewsletterPhoto,
  type NewsletterSend,
  type NewsletterSendInput,
} from '../core/newsletters.js';
import { can } from '../core/policy.js';
import { jpegUpTo, MEDIA_PATH } from '../core/renditions.js';
import { articleUrl } from '../core/section-path.js';
import type { Article, Media } from '../core/types.js';
import { getArticle } from '../store/articles.js';
import { recordAudit } from '../store/audit.js';
import { listCorrections } from '../store/corrections.js';
import { withLease } from '../store/leases.js';
import { getMediaByIds } from '../store/media.js';
import {
  type ClaimedRecipient,
  cancelSend,
  claimRecipients,
  finishSends,
  insertSend,
  listSends,
  type RecipientResult,
  retrySend,
  sendingSends,
  sendOfDelivery,
  settleRecipients,
  startDueSends,
} from '../store/newsletter-sends.js';
import { listNewsletterLists } from '../store/newsletters.js';
import type { Database } from '../store/schema.js';
import { listSections } from '../store/sections.js';
import { findUserSecrets } from '../store/users.js';
import { type MailMessage, unsubscribeLinks } from './newsletters.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { getSiteSettings } from './site-settings.js';

// Sending newsletters: an article in full, or a digest of several, to a list,
// now or at a set time, or as a test to oneself. Each send's recipients are
// rows of the queue (store/newsletter-sends.ts), worked a batch at a time over
// the mailer's pooled connections by the same loop as the channels
// (newsroom/distribution.ts): a restart picks up where it stopped, nobody gets
// a message twice, and each address's refusals are counted.

/** What sending needs from the world, wired in main.ts. */
export type NewsletterTransport = {
  /** How a message reads (rendering is site/'s). */
  renderNewsletter: (input: NewsletterMailInput & { sentAt: string }) => Mail;
  /** Permanent refusals in a row after which an address is no longer sent to. */
  maxAddressFailures: number;
  /** Messages handed to the mailer at once (its pool sends them over its connections). */
  batchSize?: number;
  /** How long one round sends before it lets the channels have their turn. */
  roundMs?: number;
};

const BATCH_SIZE = 50;
const ROUND_MS = 5000;

function noMail(): DomainError {
  return new DomainError(
    'conflict',
    'the site sends no e-mail yet: set MASTHEAD_SMTP_URL and MASTHEAD_MAIL_FROM',
  );
}

function mayNotSend(actor: StaffActor): void {
  if (!can(actor, 'article.publish'))
    throw new DomainError('not_allowed_for_role', 'only editors send newsletters');
}

async function findList(db: Kysely<Database>, listId: number): Promise<NewsletterList> {
  const list = (await listNewsletterLists(db)).find((item) => item.id === listId);
  if (!list)
    throw new DomainError('not_found', `listId: there is no newsletter ${listId}`, 'listId');
  return list;
}

/** The articles a send names, published ones only, in its order; refused when one is not published. */
async function publishedArticles(db: Kysely<Database>, ids: number[]): Promise<Article[]> {
  const articles: Article[] = [];
  for (const id of ids) {
    const article = await getArticle(db, id);
    if (article?.status !== 'published')
      throw new DomainError(
        'invalid_input',
        `articleIds: article ${id} is not published: only published articles go out`,
        'articleIds',
      );
    articles.push(article);
  }
  return articles;
}

/**
 * Queues a newsletter to a list: at `sendAt`, or now. Editors and the
 * editor-in-chief; audited. The recipients are the list's confirmed readers
 * when it starts.
 */
export async function scheduleNewsletter(
  newsroom: Newsroom,
  actor: StaffActor,
  input: NewsletterSendInput,
): Promise<NewsletterSend> {
  mayNotSend(actor);
  if (!newsroom.mailer) throw noMail();
  const db = newsroom.store.db;
  const list = await findList(db, input.listId);
  await publishedArticles(db, input.articleIds);
  const now = newsroom.now().toISOString();
  const sendAt = input.sendAt ? new Date(input.sendAt).toISOString() : now;
  const id = await db.transaction().execute(async (trx) => {
    const added = await insertSend(trx, {
      listId: list.id,
      subject: input.subject,
      intro: input.intro,
      articleIds: input.articleIds,
      sendAt,
      deliveryId: null,
      createdBy: actor.userId,
      now,
    });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'newsletter.send',
      subject: `newsletter:${list.id}`,
      detail: {
        name: list.name,
        send: added,
        articles: input.articleIds,
        ...(sendAt > now ? { sendAt } : {}),
      },
      at: now,
    });
    return added;
  });
  newsroom.distribute?.();
  const [send] = await listSends(db, { limit: 1, id });
  if (!send) throw new Error(`newsletter send ${id} vanished`);
  return send;
}

/**
 * The send of one article to a list that a newsletter channel's delivery
 * makes: at once, under the article's headline. One per delivery, however
 * often the delivery is worked.
 */
export async function queueArticleSend(
  newsroom: Newsroom,
  request: { deliveryId: number; listId: number; articleId: number },
): Promise<number> {
  const db = newsroom.store.db;
  const made = await sendOfDelivery(db, request.deliveryId);
  if (made !== null) return made;
  const now = newsroom.now().toISOString();
  return await insertSend(db, {
    listId: request.listId,
    subject: '',
    intro: '',
    articleIds: [request.articleId],
    sendAt: now,
    deliveryId: request.deliveryId,
    createdBy: null,
    now,
  });
}

/**
 * Sends the newsletter to the staff member asking, at once, and only to
 * them: to see it in their own mail program before the list does. Its
 * unsubscribe link leads to the sign-up page (they are no subscriber).
 */
export async function sendTestNewsletter(
  newsroom: Newsroom,
  actor: StaffActor,
  input: NewsletterSendInput,
): Promise<{ to: string }> {
  mayNotSend(actor);
  const { mailer, newsletters: transport } = newsroom;
  if (!mailer || !transport) throw noMail();
  const user =
    actor.userId === null ? null : (await findUserSecrets(newsroom.store.db, actor.userId))?.user;
  if (!user)
    throw new DomainError('not_allowed_for_role', 'a test goes to a staff account’s address');
  const db = newsroom.store.db;
  const list = await findList(db, input.listId);
  const articles = await publishedArticles(db, input.articleIds);
  const message = await composeMessage(newsroom, transport, {
    list,
    articles,
    subject: input.subject,
    intro: input.intro,
    sentAt: newsroom.now().toISOString(),
  });
  const url = `${newsroom.publicUrl}/newsletters`;
  await mailer.send(
    messageTo(message, { email: user.email, subscriberId: 0 }, () => url, {
      subjectPrefix: '[Test] ',
    }),
  );
  return { to: user.email };
}

/** The latest sends, newest first (editors). */
export async function readNewsletterSends(
  newsroom: Newsroom,
  actor: StaffActor,
  limit = 50,
): Promise<NewsletterSend[]> {
  mayNotSend(actor);
  return await listSends(newsroom.store.db, { limit });
}

/** Stops a send not yet done (editors; audited). */
export async function cancelNewsletterSend(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<NewsletterSend> {
  mayNotSend(actor);
  const db = newsroom.store.db;
  const now = newsroom.now().toISOString();
  const send = await db.transaction().execute(async (trx) => {
    const [found] = await listSends(trx, { limit: 1, id });
    if (!found) throw new DomainError('not_found', `there is no newsletter send ${id}`);
    if (!(await cancelSend(trx, id, 'stopped by staff')))
      throw new DomainError('conflict', 'this send is over: there is nothing left to stop');
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'newsletter.cancel-send',
      subject: `newsletter:${found.listId}`,
      detail: { name: found.listName, send: id },
      at: now,
    });
    return found;
  });
  const [after] = await listSends(db, { limit: 1, id: send.id });
  return after ?? send;
}

/**
 * Sends again to a send's recipients that failed for a passing reason or
 * were left half-sent by a process that stopped (editors; audited). Their
 * mail server may have had the message already: it is staff's call.
 */
export async function retryNewsletterSend(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<NewsletterSend> {
  mayNotSend(actor);
  const transport = newsroom.newsletters;
  if (!transport) throw noMail();
  const db = newsroom.store.db;
  const now = newsroom.now().toISOString();
  const [found] = await listSends(db, { limit: 1, id });
  if (!found) throw new DomainError('not_found', `there is no newsletter send ${id}`);
  if (found.state === 'cancelled')
    throw new DomainError('conflict', 'this send was stopped: send the newsletter again instead');
  await db.transaction().execute(async (trx) => {
    const count = await retrySend(trx, id, now, transport.maxAddressFailures);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'newsletter.retry-send',
      subject: `newsletter:${found.listId}`,
      detail: { name: found.listName, send: id, recipients: count },
      at: now,
    });
  });
  newsroom.distribute?.();
  const [after] = await listSends(db, { limit: 1, id });
  return after ?? found;
}

// ---------------------------------------------------------------------------
// Composing

/** A message rendered once for a whole send, cut where each reader's unsubscribe link goes. */
type ComposedMessage = {
  fromName: string;
  listHost: string;
  subject: string;
  html: string[];
  text: string[];
};

/** An address no article or link can contain: where each reader's link is put. */
const LINK_MARK = 'https://unsubscribe.invalid/masthead-reader-link';

async function composeMessage(
  newsroom: Newsroom,
  transport: Pick<NewsletterTransport, 'renderNewsletter'>,
  send: {
    list: NewsletterList;
    articles: Article[];
    subject: string;
    intro: string;
    sentAt: string;
  },
): Promise<ComposedMessage> {
  const site = await getSiteSettings(newsroom);
  const isFull = send.articles.length === 1;
  const articles: NewsletterArticle[] = [];
  for (const article of send.articles)
    articles.push(await newsletterArticle(newsroom, article, isFull));
  const mail = transport.renderNewsletter({
    language: send.list.language,
    siteName: site.name,
    siteUrl: newsroom.publicUrl,
    mirrorsUrl: `${newsroom.publicUrl}/mirrors`,
    listName: send.list.name,
    subject: send.subject,
    intro: send.intro,
    articles,
    timeZone: site.timeZone,
    unsubscribeUrl: LINK_MARK,
    sentAt: send.sentAt,
  });
  return {
    fromName: send.list.senderName,
    listHost: `${send.list.slug}.${new URL(newsroom.publicUrl).hostname}`,
    subject: mail.subject,
    html: mail.html.split(LINK_MARK),
    text: mail.text.split(LINK_MARK),
  };
}

/** The message for one reader: their own unsubscribe link, in the text and in the headers (RFC 8058). */
function messageTo(
  message: ComposedMessage,
  recipient: { email: string; subscriberId: number },
  link: (subscriberId: number) => string,
  options: { subjectPrefix?: string } = {},
): MailMessage {
  const url = link(recipient.subscriberId);
  return {
    fromName: message.fromName,
    to: recipient.email,
    subject: `${options.subjectPrefix ?? ''}${message.subject}`,
    html: message.html.join(url),
    text: message.text.join(url),
    headers: {
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `<${message.listHost}>`,
    },
  };
}

/** A photo at up to 1280 px wide, by its absolute address, with its credit; null without a file. */
function newsletterPhoto(
  newsroom: Newsroom,
  media: Media | undefined,
  caption: string,
): NewsletterPhoto | null {
  if (!media?.file || !media.width || !media.height) return null;
  const shown = jpegUpTo(media.file, media.width, 1280);
  return {
    src: `${newsroom.publicUrl}${MEDIA_PATH}${shown.name}`,
    width: shown.width,
    height: Math.round((media.height * shown.width) / media.width),
    alt: media.alt,
    caption: caption || media.caption,
    credit: formatCreditChain(media.credit) || null,
  };
}

async function newsletterArticle(
  newsroom: Newsroom,
  article: Article,
  isFull: boolean,
): Promise<NewsletterArticle> {
  const db = newsroom.store.db;
  const section = (await listSections(db)).find((candidate) => candidate.id === article.sectionId);
  const path = section ? articleUrl(section, article.slug) : '/';
  const bodyIds = isFull ? imageMediaIds(article.body) : [];
  const media = await getMediaByIds(db, [
    ...(article.leadMediaId === null ? [] : [article.leadMediaId]),
    ...bodyIds,
  ]);
  const photos: Record<number, NewsletterPhoto> = {};
  for (const id of bodyIds) {
    const photo = newsletterPhoto(newsroom, media.get(id), '');
    if (photo) photos[id] = photo;
  }
  const corrections = await listCorrections(db, [article.id]);
  return {
    title: article.title,
    standfirst: article.standfirst,
    language: article.language,
    url: `${newsroom.publicUrl}${path}`,
    publishedAt: article.publishedAt ?? article.updatedAt,
    photo:
      article.leadMediaId === null
        ? null
        : newsletterPhoto(newsroom, media.get(article.leadMediaId), ''),
    body: isFull ? { doc: article.body, photos } : null,
    corrections: corrections.map(({ type, text }) => ({ type, text })),
  };
}

// ---------------------------------------------------------------------------
// Sending

/** What one try of one message came to, for the queue. */
function resultOf(recipient: ClaimedRecipient, error: unknown, now: Date): RecipientResult {
  const { responseCode, message } = error as { responseCode?: unknown; message?: unknown };
  const code = typeof responseCode === 'number' ? responseCode : null;
  const reason = String(message ?? error).slice(0, 300);
  if (isPermanentSmtpReply(code))
    return { subscriberId: recipient.subscriberId, state: 'refused', reason };
  return {
    subscriberId: recipient.subscriberId,
    state: 'later',
    reason,
    nextAt:
      recipient.attempts >= MAX_ATTEMPTS
        ? null
        : new Date(now.getTime() + retryDelayMs(recipient.attempts)).toISOString(),
  };
}

/**
 * Starts the sends whose time has come and sends their messages, a batch at
 * a time, for up to `roundMs`; one process at a time on PostgreSQL. Returns
 * how many messages were settled and whether work was left for the next
 * round.
 */
export async function sendDueNewsletters(
  newsroom: Newsroom,
): Promise<{ settled: number; hasMore: boolean }> {
  const { mailer, newsletters: transport } = newsroom;
  if (!mailer || !transport) return { settled: 0, hasMore: false };
  const outcome = await withLease(newsroom.store.db, 'newsletters', async () => {
    const db = newsroom.store.db;
    await startDueSends(db, newsroom.now().toISOString(), transport.maxAddressFailures);
    const deadline = Date.now() + (transport.roundMs ?? ROUND_MS);
    let settled = 0;
    let hasMore = false;
    const lists = await listNewsletterLists(db);
    const link = await unsubscribeLinks(newsroom);
    for (const send of await sendingSends(db)) {
      if (Date.now() >= deadline) {
        hasMore = true;
        break;
      }
      const list = lists.find((item) => item.id === send.listId);
      let message: ComposedMessage | null = null;
      try {
        if (!list) throw new DomainError('not_found', 'its list is gone');
        const articles = await publishedArticles(db, send.articleIds);
        message = await composeMessage(newsroom, transport, {
          list,
          articles,
          subject: send.subject,
          intro: send.intro,
          sentAt: send.startedAt,
        });
      } catch (error) {
        // An article unpublished (or a list removed) since: stop, rather than
        // send what the newsroom took back. Who had it keep it.
        if (!(error instanceof DomainError)) throw error;
        await cancelSend(db, send.id, `stopped: ${error.message}`);
        continue;
      }
      while (true) {
        if (Date.now() >= deadline) {
          hasMore = true;
          break;
        }
        const now = newsroom.now();
        const batch = await claimRecipients(
          db,
          send.id,
          now.toISOString(),
          transport.batchSize ?? BATCH_SIZE,
        );
        if (batch.length === 0) break;
        const composed = message;
        const results = await Promise.all(
          batch.map(async (recipient): Promise<RecipientResult> => {
            try {
              await mailer.send(
                messageTo(composed, recipient, (subscriberId) => link(subscriberId, send.listId)),
              );
              return { subscriberId: recipient.subscriberId, state: 'sent' };
            } catch (error) {
              return resultOf(recipient, error, now);
            }
          }),
        );
        await settleRecipients(db, send.id, results, newsroom.now().toISOString());
        settled += results.length;
      }
    }
    await finishSends(db, newsroom.now().toISOString());
    return { settled, hasMore };
  });
  return outcome.ran ? outcome.value : { settled: 0, hasMore: false };
}
