import type { Kysely } from 'kysely';
import { channelLink } from '../core/audience.js';
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
  withoutAddresses,
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
  holdSend,
  insertSend,
  LOST_AFTER_MS,
  listSends,
  type RecipientResult,
  retrySend,
  sendingSends,
  sendOfDelivery,
  settleRecipients,
  skipDeparted,
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
  const transport = newsroom.newsletters;
  if (!newsroom.mailer || !transport) throw noMail();
  const db = newsroom.store.db;
  const list = await findList(db, input.listId);
  const articles = await publishedArticles(db, input.articleIds);
  const now = newsroom.now().toISOString();
  const sendAt = input.sendAt ? new Date(input.sendAt).toISOString() : now;
  // The subject staff see in the list of sends is the one readers get.
  const subject =
    input.subject ||
    (
      await composeMessage(newsroom, transport, {
        list,
        articles,
        subject: '',
        intro: input.intro,
        sentAt: sendAt,
      })
    ).subject;
  const id = await db.transaction().execute(async (trx) => {
    const added = await insertSend(trx, {
      listId: list.id,
      subject,
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
    messageTo(message, { email: user.email, subscriberId: 0 }, () => url, { isTest: true }),
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

/** One send (editors). */
export async function readNewsletterSend(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<NewsletterSend> {
  mayNotSend(actor);
  const [send] = await listSends(newsroom.store.db, { limit: 1, id });
  if (!send) throw new DomainError('not_found', `there is no newsletter send ${id}`);
  return send;
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
  if (!newsroom.newsletters) throw noMail();
  const db = newsroom.store.db;
  const now = newsroom.now().toISOString();
  const [found] = await listSends(db, { limit: 1, id });
  if (!found) throw new DomainError('not_found', `there is no newsletter send ${id}`);
  if (found.state === 'cancelled')
    throw new DomainError('conflict', 'this send was stopped: send the newsletter again instead');
  await db.transaction().execute(async (trx) => {
    const count = await retrySend(trx, id, now);
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

/** Where each reader's link is put: an address no article holds, made anew for each message. */
const linkMark = (newsroom: Newsroom) =>
  `https://unsubscribe.invalid/${newsroom.newToken().replace(/[^A-Za-z0-9]/g, '')}`;

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
  const mark = linkMark(newsroom);
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
    unsubscribeUrl: mark,
    sentAt: send.sentAt,
  });
  const html = mail.html.split(mark);
  const text = mail.text.split(mark);
  if (html.length < 2 || text.length < 2)
    throw new Error('a newsletter must carry the unsubscribe link in both parts');
  return {
    fromName: send.list.senderName,
    listHost: `${send.list.slug}.${new URL(newsroom.publicUrl).hostname}`,
    subject: mail.subject,
    html,
    text,
  };
}

/** The message for one reader: their own unsubscribe link, in the text and in the headers (RFC 8058). */
function messageTo(
  message: ComposedMessage,
  recipient: { email: string; subscriberId: number },
  link: (subscriberId: number) => string,
  options: { isTest?: boolean } = {},
): MailMessage {
  const url = link(recipient.subscriberId);
  return {
    fromName: message.fromName,
    to: recipient.email,
    subject: `${options.isTest ? '[Test] ' : ''}${message.subject}`,
    html: message.html.join(url),
    text: message.text.join(url),
    // A test goes to staff, who are on no list: a mail program's one-click
    // unsubscribe would have nothing to take them off.
    headers: options.isTest
      ? { 'List-Id': `<${message.listHost}>` }
      : {
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
    url: channelLink(`${newsroom.publicUrl}${path}`, 'newsletter'),
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

/**
 * What one try of one message came to, for the queue: delivered; refused
 * for good by the reader's mail server (5xx at RCPT TO: the address);
 * refused by the mail server for every reader (5xx elsewhere: the password,
 * the sender, the content: the send is held); the server out of reach (no
 * reply: the batch waits, its try not counted); or a passing refusal (4xx:
 * tried again later, up to eight times).
 */
type TryOutcome =
  | { kind: 'result'; result: RecipientResult }
  | { kind: 'held'; reason: string }
  | { kind: 'unreachable'; reason: string };

function outcomeOf(recipient: ClaimedRecipient, error: unknown, now: Date): TryOutcome {
  const { responseCode, command, message } = error as {
    responseCode?: unknown;
    command?: unknown;
    message?: unknown;
  };
  const code = typeof responseCode === 'number' ? responseCode : null;
  const full = String(message ?? error).slice(0, 300);
  const reason = withoutAddresses(full);
  if (code === null) return { kind: 'unreachable', reason };
  if (isPermanentSmtpReply(code)) {
    if (command === 'RCPT TO')
      return {
        kind: 'result',
        result: {
          subscriberId: recipient.subscriberId,
          state: 'refused',
          reason,
          fullReason: full,
        },
      };
    return { kind: 'held', reason: `the mail server refused the message itself: ${reason}` };
  }
  return {
    kind: 'result',
    result: {
      subscriberId: recipient.subscriberId,
      state: 'later',
      reason,
      isCounted: true,
      nextAt:
        recipient.attempts >= MAX_ATTEMPTS
          ? null
          : new Date(now.getTime() + retryDelayMs(recipient.attempts)).toISOString(),
    },
  };
}

/** Records a batch's answers, trying again while the database is busy (the mail has gone: it must be written). */
async function settleBatch(
  newsroom: Newsroom,
  sendId: number,
  results: RecipientResult[],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await settleRecipients(newsroom.store.db, sendId, results, newsroom.now().toISOString());
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** How long a send waits when its mail server cannot be reached. */
const UNREACHABLE_WAIT_MS = 60_000;

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
    const started = newsroom.now();
    await startDueSends(db, started.toISOString(), transport.maxAddressFailures);
    const sends = await sendingSends(db);
    const lostBefore = new Date(started.getTime() - LOST_AFTER_MS).toISOString();
    if (sends.length === 0) {
      await finishSends(db, started.toISOString(), lostBefore);
      return { settled: 0, hasMore: false };
    }
    const deadline = Date.now() + (transport.roundMs ?? ROUND_MS);
    let settled = 0;
    let hasMore = false;
    const lists = await listNewsletterLists(db);
    const link = await unsubscribeLinks(newsroom);
    for (const send of sends) {
      if (Date.now() >= deadline) {
        hasMore = true;
        break;
      }
      let message: ComposedMessage;
      try {
        const list = lists.find((item) => item.id === send.listId);
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
        // An article unpublished (or a list removed) since, or one that
        // cannot be rendered: stop this send, rather than send what the
        // newsroom took back or block the sends after it. Who had it keep it.
        const why =
          error instanceof DomainError ? error.message : `it could not be made: ${String(error)}`;
        await cancelSend(db, send.id, `stopped: ${why}`);
        continue;
      }
      const composed = message;
      for (;;) {
        if (Date.now() >= deadline) {
          hasMore = true;
          break;
        }
        const now = newsroom.now();
        // Readers who left since the send started get nothing: the claim
        // takes only those still on the list, and the rest are settled as
        // skipped once nobody else is left.
        const batch = await claimRecipients(
          db,
          send.id,
          now.toISOString(),
          transport.batchSize ?? BATCH_SIZE,
          { listId: send.listId, maxFailures: transport.maxAddressFailures },
        );
        if (batch.length === 0) {
          await skipDeparted(db, send, transport.maxAddressFailures);
          break;
        }
        const tries = await Promise.all(
          batch.map(async (recipient): Promise<TryOutcome> => {
            try {
              await mailer.send(
                messageTo(composed, recipient, (subscriberId) => link(subscriberId, send.listId)),
              );
              return {
                kind: 'result',
                result: { subscriberId: recipient.subscriberId, state: 'sent' },
              };
            } catch (error) {
              return outcomeOf(recipient, error, now);
            }
          }),
        );
        const results = tries.flatMap((item) => (item.kind === 'result' ? [item.result] : []));
        const held = tries.find((item) => item.kind === 'held');
        const unreachable = tries.find((item) => item.kind === 'unreachable');
        const waitUntil = new Date(now.getTime() + UNREACHABLE_WAIT_MS).toISOString();
        // Those not settled by a reply of their own: back in the queue, the try not counted.
        const unsettled = batch.filter(
          (recipient) => !results.some((result) => result.subscriberId === recipient.subscriberId),
        );
        if (held) {
          await settleBatch(newsroom, send.id, results);
          await holdSend(
            db,
            send.id,
            held.reason,
            unsettled.map((recipient) => recipient.subscriberId),
          );
          settled += results.length;
          break;
        }
        await settleBatch(newsroom, send.id, [
          ...results,
          ...unsettled.map(
            (recipient): RecipientResult => ({
              subscriberId: recipient.subscriberId,
              state: 'later',
              reason: unreachable?.reason ?? 'not sent',
              nextAt: waitUntil,
              isCounted: false,
            }),
          ),
        ]);
        settled += results.length;
        // The mail server is out of reach: this send waits a minute.
        if (unreachable) break;
      }
    }
    await finishSends(db, newsroom.now().toISOString(), lostBefore);
    return { settled, hasMore };
  });
  return outcome.ran ? outcome.value : { settled: 0, hasMore: false };
}
