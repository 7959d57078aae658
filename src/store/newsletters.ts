import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  type NewsletterList,
  SUBSCRIPTION_STATES,
  type SubscriptionState,
} from '../core/newsletters.js';
import type { Database } from './schema.js';

// Newsletter lists, subscribers and subscriptions (migration 016).

const LIST_COLUMNS = [
  'newsletter_list.id',
  'newsletter_list.name',
  'newsletter_list.slug',
  'newsletter_list.language',
  'newsletter_list.sender_name',
  'newsletter_list.description',
] as const;

export async function listNewsletterLists(db: Kysely<Database>): Promise<NewsletterList[]> {
  const rows = await db
    .selectFrom('newsletter_list')
    .leftJoin('subscription', (join) =>
      join
        .onRef('subscription.list_id', '=', 'newsletter_list.id')
        .on('subscription.state', '=', 'active'),
    )
    .select([
      ...LIST_COLUMNS,
      (eb) => eb.fn.count<number>('subscription.subscriber_id').as('active_count'),
    ])
    // Every column the list is selected with (PostgreSQL groups by each).
    .groupBy([...LIST_COLUMNS])
    .orderBy('newsletter_list.name')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    slug: row.slug,
    language: row.language,
    senderName: row.sender_name,
    description: row.description,
    activeCount: Number(row.active_count),
  }));
}

export async function insertNewsletterList(
  db: Kysely<Database>,
  list: Omit<NewsletterList, 'id' | 'activeCount'>,
  now: string,
): Promise<number> {
  const row = await db
    .insertInto('newsletter_list')
    .values({
      name: list.name,
      slug: list.slug,
      language: list.language,
      sender_name: list.senderName,
      description: list.description,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The subscriber with this address, or this id; null when there is none. */
export async function findSubscriber(
  db: Kysely<Database>,
  by: { email: string } | { id: number },
): Promise<{ id: number; email: string } | null> {
  const query = db.selectFrom('subscriber').select(['id', 'email']);
  const row = await ('email' in by
    ? query.where('email', '=', by.email)
    : query.where('id', '=', by.id)
  ).executeTakeFirst();
  return row ?? null;
}

/** The subscriber with this address, added when there is none. */
export async function ensureSubscriber(
  db: Kysely<Database>,
  email: string,
  now: string,
): Promise<number> {
  await db
    .insertInto('subscriber')
    .values({ email, created_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  const found = await findSubscriber(db, { email });
  if (!found) throw new Error('a subscriber just added is not there');
  return found.id;
}

/** A subscriber's standing with each list they have one with. */
export async function subscriptionsOf(
  db: Kysely<Database>,
  subscriberId: number,
): Promise<Map<number, SubscriptionState>> {
  const rows = await db
    .selectFrom('subscription')
    .select(['list_id', 'state'])
    .where('subscriber_id', '=', subscriberId)
    .execute();
  return new Map(rows.map((row) => [row.list_id, z.enum(SUBSCRIPTION_STATES).parse(row.state)]));
}

/** Sets a subscriber's standing with a list, adding the subscription when there is none. */
export async function setSubscription(
  db: Kysely<Database>,
  subscription: { listId: number; subscriberId: number; state: SubscriptionState },
  now: string,
): Promise<void> {
  const confirmedAt = subscription.state === 'active' ? now : null;
  await db
    .insertInto('subscription')
    .values({
      list_id: subscription.listId,
      subscriber_id: subscription.subscriberId,
      state: subscription.state,
      created_at: now,
      confirmed_at: confirmedAt,
    })
    .onConflict((oc) =>
      oc.columns(['list_id', 'subscriber_id']).doUpdateSet({
        state: subscription.state,
        ...(confirmedAt ? { confirmed_at: confirmedAt } : {}),
      }),
    )
    .execute();
}

/** Sets the refusal count of these subscribers back to 0 (they confirmed, or were imported, again). */
export async function resetRefusals(db: Kysely<Database>, subscriberIds: number[]): Promise<void> {
  if (subscriberIds.length === 0) return;
  await db
    .updateTable('subscriber')
    .set({ failure_count: 0 })
    .where('id', 'in', subscriberIds)
    .where('failure_count', '>', 0)
    .execute();
}
