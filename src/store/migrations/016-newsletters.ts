import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * E-mail newsletters (issue 15): lists, the readers who asked for them, and
 * each reader's standing with each list. An address is kept once, in lower
 * case, and only with a subscription: deleting a subscriber removes the
 * address entirely. A subscription is `pending` until the reader confirms it
 * from the e-mail sent to the address (double opt-in), then `active`, until
 * `unsubscribed`.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('newsletter_list')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('language', 'text', (col) => col.notNull())
    // The name messages come from ("The Lantern — Daily").
    .addColumn('sender_name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('subscriber')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('subscription')
    .addColumn('list_id', 'integer', (col) =>
      col.notNull().references('newsletter_list.id').onDelete('cascade'),
    )
    .addColumn('subscriber_id', 'integer', (col) =>
      col.notNull().references('subscriber.id').onDelete('cascade'),
    )
    // 'pending', 'active' or 'unsubscribed'
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('confirmed_at', 'text')
    .addPrimaryKeyConstraint('subscription_pk', ['list_id', 'subscriber_id'])
    .execute();
}
