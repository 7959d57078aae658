import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  type NewsletterSend,
  RECIPIENT_STATES,
  type RecipientState,
  SEND_STATES,
} from '../core/newsletters.js';
import type { Database } from './schema.js';

// Newsletter sends and their recipients (migration 017): the e-mail part of
// the distribution queue.

const articleIdsSchema = z.array(z.number().int());

export async function insertSend(
  db: Kysely<Database>,
  send: {
    listId: number;
    subject: string;
    intro: string;
    articleIds: number[];
    sendAt: string;
    deliveryId: number | null;
    createdBy: number | null;
    now: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('newsletter_send')
    .values({
      list_id: send.listId,
      subject: send.subject,
      intro: send.intro,
      articles_json: JSON.stringify(send.articleIds),
      state: 'scheduled',
      send_at: send.sendAt,
      delivery_id: send.deliveryId,
      created_by: send.createdBy,
      created_at: send.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The send a channel delivery made, if it made one. */
export async function sendOfDelivery(
  db: Kysely<Database>,
  deliveryId: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('newsletter_send')
    .select('id')
    .where('delivery_id', '=', deliveryId)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Starts the sends whose time has come: each takes as recipients the list's
 * confirmed readers at this moment, but for addresses whose mail servers
 * refused `maxFailures` messages in a row. Returns the sends started.
 */
export async function startDueSends(
  db: Kysely<Database>,
  now: string,
  maxFailures: number,
): Promise<number[]> {
  const due = await db
    .selectFrom('newsletter_send')
    .select(['id', 'list_id'])
    .where('state', '=', 'scheduled')
    .where('send_at', '<=', now)
    .orderBy('id')
    .execute();
  const started: number[] = [];
  for (const send of due) {
    const isMine = await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('newsletter_send')
        .set({ state: 'sending', started_at: now })
        .where('id', '=', send.id)
        .where('state', '=', 'scheduled')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return false;
      await trx
        .insertInto('newsletter_recipient')
        .columns(['send_id', 'subscriber_id', 'state', 'next_at'])
        .expression((eb) =>
          eb
            .selectFrom('subscription')
            .innerJoin('subscriber', 'subscriber.id', 'subscription.subscriber_id')
            .select([
              eb.val(send.id).as('send_id'),
              'subscription.subscriber_id',
              eb.val('queued').as('state'),
              eb.val(now).as('next_at'),
            ])
            .where('subscription.list_id', '=', send.list_id)
            .where('subscription.state', '=', 'active')
            .where('subscriber.failure_count', '<', maxFailures),
        )
        .execute();
      return true;
    });
    if (isMine) started.push(send.id);
  }
  return started;
}

/** A send being worked, as the sender needs it. */
export type SendingSend = {
  id: number;
  listId: number;
  subject: string;
  intro: string;
  articleIds: number[];
  startedAt: string;
};

/** The sends being worked, oldest first. */
export async function sendingSends(db: Kysely<Database>): Promise<SendingSend[]> {
  const rows = await db
    .selectFrom('newsletter_send')
    .select(['id', 'list_id', 'subject', 'intro', 'articles_json', 'started_at', 'send_at'])
    .where('state', '=', 'sending')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    listId: row.list_id,
    subject: row.subject,
    intro: row.intro,
    articleIds: articleIdsSchema.parse(JSON.parse(row.articles_json)),
    startedAt: row.started_at ?? row.send_at,
  }));
}

/**
 * Marks as skipped the queued recipients of a send who left its list, or
 * whose address reached the refusal limit, since the send started (the claim
 * passes them over, so nobody gets a newsletter after unsubscribing; this
 * settles them once nothing else is left to claim, so the send can finish).
 */
export async function skipDeparted(
  db: Kysely<Database>,
  send: { id: number; listId: number },
  maxFailures: number,
): Promise<void> {
  await db
    .updateTable('newsletter_recipient')
    .set({ state: 'skipped', last_error: 'left the list, or refused too often, before its turn' })
    .where('send_id', '=', send.id)
    .where('state', '=', 'queued')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('subscription')
            .innerJoin('subscriber', 'subscriber.id', 'subscription.subscriber_id')
            .select('subscription.list_id')
            .whereRef('subscription.subscriber_id', '=', 'newsletter_recipient.subscriber_id')
            .where('subscription.list_id', '=', send.listId)
            .where('subscription.state', '=', 'active')
            .where('subscriber.failure_count', '<', maxFailures),
        ),
      ),
    )
    .execute();
}

export type ClaimedRecipient = { subscriberId: number; email: string; attempts: number };

/**
 * Marks up to `limit` of a send's recipients due by `now` as being sent (its
 * `next_at` becomes when: a row left `sending` long after was lost by a
 * process that stopped), and returns them: only those this call marked, and
 * none once the send is no longer sending (cancelled meanwhile).
 */
export async function claimRecipients(
  db: Kysely<Database>,
  sendId: number,
  now: string,
  limit: number,
  /** Only readers still on this list, under the refusal limit (the rest are skipped by skipDeparted). */
  eligible?: { listId: number; maxFailures: number },
): Promise<ClaimedRecipient[]> {
  const claimed = await db
    .updateTable('newsletter_recipient')
    .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), next_at: now }))
    .where('send_id', '=', sendId)
    .where('state', '=', 'queued')
    .where('subscriber_id', 'in', (eb) =>
      eb
        .selectFrom('newsletter_recipient')
        .select('subscriber_id')
        .where('send_id', '=', sendId)
        .where('state', '=', 'queued')
        .where('next_at', '<=', now)
        .$if(eligible !== undefined, (query) =>
          query.where((inner) =>
            inner.exists(
              inner
                .selectFrom('subscription')
                .innerJoin('subscriber', 'subscriber.id', 'subscription.subscriber_id')
                .select('subscription.list_id')
                .whereRef('subscription.subscriber_id', '=', 'newsletter_recipient.subscriber_id')
                .where('subscription.list_id', '=', eligible?.listId ?? 0)
                .where('subscription.state', '=', 'active')
                .where('subscriber.failure_count', '<', eligible?.maxFailures ?? 0),
            ),
          ),
        )
        // In the index's order: sorting by anything else would read every
        // queued row for each batch, and a send would slow as its list grows.
        .limit(limit),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('newsletter_send')
          .select('newsletter_send.id')
          .where('newsletter_send.id', '=', sendId)
          .where('newsletter_send.state', '=', 'sending'),
      ),
    )
    .returning(['subscriber_id', 'attempts'])
    .execute();
  if (claimed.length === 0) return [];
  const emails = new Map(
    (
      await db
        .selectFrom('subscriber')
        .select(['id', 'email'])
        .where(
          'id',
          'in',
          claimed.map((row) => row.subscriber_id),
        )
        .execute()
    ).map((row) => [row.id, row.email]),
  );
  return claimed.flatMap((row) => {
    const email = emails.get(row.subscriber_id);
    return email ? [{ subscriberId: row.subscriber_id, email, attempts: row.attempts }] : [];
  });
}

/** What became of one recipient's message. */
export type RecipientResult =
  | { subscriberId: number; state: 'sent' }
  /** The address refused for good (5xx at RCPT TO): counts against it. */
  | { subscriberId: number; state: 'refused'; reason: string; fullReason: string }
  /** Try again at `nextAt` (the try counted unless `isCounted` is false), or give up (`nextAt` null). */
  | {
      subscriberId: number;
      state: 'later';
      reason: string;
      nextAt: string | null;
      isCounted: boolean;
    };

/** Records a batch of answers in one transaction. */
export async function settleRecipients(
  db: Kysely<Database>,
  sendId: number,
  results: RecipientResult[],
  now: string,
): Promise<void> {
  const sent = results.filter((result) => result.state === 'sent').map((r) => r.subscriberId);
  await db.transaction().execute(async (trx) => {
    if (sent.length > 0) {
      await trx
        .updateTable('newsletter_recipient')
        .set({ state: 'sent', sent_at: now, last_error: null })
        .where('send_id', '=', sendId)
        .where('subscriber_id', 'in', sent)
        .execute();
      // A delivered message ends a run of refusals.
      await trx
        .updateTable('subscriber')
        .set({ failure_count: 0 })
        .where('id', 'in', sent)
        .where('failure_count', '>', 0)
        .execute();
    }
    for (const result of results) {
      if (result.state === 'refused') {
        await trx
          .updateTable('newsletter_recipient')
          .set({ state: 'refused', last_error: result.reason })
          .where('send_id', '=', sendId)
          .where('subscriber_id', '=', result.subscriberId)
          .execute();
        await trx
          .updateTable('subscriber')
          .set((eb) => ({
            failure_count: eb('failure_count', '+', 1),
            last_failure: `${now} ${result.fullReason}`,
          }))
          .where('id', '=', result.subscriberId)
          .execute();
      } else if (result.state === 'later') {
        await trx
          .updateTable('newsletter_recipient')
          .set((eb) =>
            result.nextAt
              ? {
                  state: 'queued',
                  next_at: result.nextAt,
                  last_error: result.reason,
                  ...(result.isCounted ? {} : { attempts: eb('attempts', '-', 1) }),
                }
              : { state: 'failed', last_error: result.reason },
          )
          .where('send_id', '=', sendId)
          .where('subscriber_id', '=', result.subscriberId)
          .execute();
      }
    }
  });
}

/** How long a message may stay handed to the mail server before its process counts as gone. */
export const LOST_AFTER_MS = 15 * 60_000;

/**
 * Gives up the recipients left `sending` since before `lostBefore` (their
 * process stopped: the message may have arrived) as failed, for staff to
 * send again or not; then marks done each sending send with nobody left to
 * send to.
 */
export async function finishSends(
  db: Kysely<Database>,
  now: string,
  lostBefore: string,
): Promise<void> {
  await db
    .updateTable('newsletter_recipient')
    .set({
      state: 'failed',
      last_error: 'the process sending it stopped: it may have arrived (Retry sends it again)',
    })
    .where('state', '=', 'sending')
    .where('next_at', '<', lostBefore)
    .execute();
  await db
    .updateTable('newsletter_send')
    .set({ state: 'done', finished_at: now })
    .where('state', '=', 'sending')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('newsletter_recipient')
            .select('newsletter_recipient.send_id')
            .whereRef('newsletter_recipient.send_id', '=', 'newsletter_send.id')
            .where('newsletter_recipient.state', 'in', ['queued', 'sending']),
        ),
      ),
    )
    .execute();
}

/** Sends, newest first, with how many of their recipients are where. */
export async function listSends(
  db: Kysely<Database>,
  options: { limit: number; id?: number },
): Promise<NewsletterSend[]> {
  let query = db
    .selectFrom('newsletter_send')
    .innerJoin('newsletter_list', 'newsletter_list.id', 'newsletter_send.list_id')
    .select([
      'newsletter_send.id',
      'newsletter_send.list_id',
      'newsletter_list.name as list_name',
      'newsletter_send.subject',
      'newsletter_send.intro',
      'newsletter_send.articles_json',
      'newsletter_send.state',
      'newsletter_send.send_at',
      'newsletter_send.created_at',
      'newsletter_send.started_at',
      'newsletter_send.finished_at',
      'newsletter_send.reason',
    ])
    .orderBy('newsletter_send.id', 'desc')
    .limit(options.limit);
  if (options.id !== undefined) query = query.where('newsletter_send.id', '=', options.id);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const counts = await db
    .selectFrom('newsletter_recipient')
    .select(['send_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('send_id', 'in', ids)
    .groupBy(['send_id', 'state'])
    .execute();
  const problems = await db
    .selectFrom('newsletter_recipient')
    .select(['send_id', 'last_error', (eb) => eb.fn.countAll<number>().as('n')])
    .where('send_id', 'in', ids)
    .where('state', 'in', ['failed', 'refused'])
    .where('last_error', 'is not', null)
    .groupBy(['send_id', 'last_error'])
    .orderBy('n', 'desc')
    .execute();
  return rows.map((row) => {
    const tally = Object.fromEntries(RECIPIENT_STATES.map((state) => [state, 0])) as Record<
      RecipientState,
      number
    >;
    for (const count of counts.filter((item) => item.send_id === row.id)) {
      tally[z.enum(RECIPIENT_STATES).parse(count.state)] = Number(count.n);
    }
    return {
      id: row.id,
      listId: row.list_id,
      listName: row.list_name,
      subject: row.subject,
      intro: row.intro,
      articleIds: articleIdsSchema.parse(JSON.parse(row.articles_json)),
      state: z.enum(SEND_STATES).parse(row.state),
      sendAt: row.send_at,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      reason: row.reason,
      counts: tally,
      problems: problems
        .filter((item) => item.send_id === row.id)
        .flatMap((item) => (item.last_error ? [`${item.last_error} (${Number(item.n)})`] : []))
        .slice(0, 5),
    };
  });
}

/** Stops a send not yet done: who had it keep it, nobody else gets it. False when it was done already. */
export async function cancelSend(
  db: Kysely<Database>,
  id: number,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('newsletter_send')
    .set({ state: 'cancelled', reason })
    .where('id', '=', id)
    .where('state', 'in', ['scheduled', 'sending'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Puts back in the queue a send's recipients that failed (passing failures
 * given up, or a process that stopped while sending: their mail server may
 * have had it; staff decide), and sets a held or finished send going again.
 * Refused and skipped readers stay out. Runs in the caller's transaction.
 * Returns how many were put back.
 */
export async function retrySend(db: Kysely<Database>, id: number, now: string): Promise<number> {
  const result = await db
    .updateTable('newsletter_recipient')
    .set({ state: 'queued', next_at: now, attempts: 0 })
    .where('send_id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  const count = Number(result.numUpdatedRows);
  await db
    .updateTable('newsletter_send')
    .set({ state: 'sending', finished_at: null, reason: null })
    .where('id', '=', id)
    // A finished send starts again only when someone is put back in its queue.
    .where('state', 'in', count > 0 ? ['held', 'done'] : ['held'])
    .executeTakeFirst();
  return count;
}

/**
 * Holds a send: the mail server refused the message itself. The batch in
 * hand goes back in the queue, its try not counted.
 */
export async function holdSend(
  db: Kysely<Database>,
  id: number,
  reason: string,
  subscriberIds: number[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('newsletter_send')
      .set({ state: 'held', reason })
      .where('id', '=', id)
      .where('state', '=', 'sending')
      .execute();
    if (subscriberIds.length > 0)
      await trx
        .updateTable('newsletter_recipient')
        .set((eb) => ({ state: 'queued', attempts: eb('attempts', '-', 1) }))
        .where('send_id', '=', id)
        .where('subscriber_id', 'in', subscriberIds)
        .where('state', '=', 'sending')
        .execute();
  });
}
