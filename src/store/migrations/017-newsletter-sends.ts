import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Sending newsletters (issue 15): a send is one message (an article in full,
 * or a digest of several) to one list, now or at a set time; each of its
 * recipients is a row of its own, so a send survives restarts, never reaches
 * one address twice, and records what each address's mail server answered.
 *
 * The recipients are fixed when the send starts (the list's confirmed
 * readers then). A recipient marked `sending` whose process died is not sent
 * again by itself (the server may have taken it): staff see it and retry.
 *
 * `subscriber.failure_count` counts permanent refusals (5xx) in a row; at
 * the configured count the address gets nothing more until it is confirmed
 * again. A delivered message sets it back to 0.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('newsletter_send')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('list_id', 'integer', (col) =>
      col.notNull().references('newsletter_list.id').onDelete('cascade'),
    )
    .addColumn('subject', 'text', (col) => col.notNull())
    // The editor's words above the articles (plain text, paragraphs).
    .addColumn('intro', 'text', (col) => col.notNull().defaultTo(''))
    // The articles, in order (JSON ids): one goes in full, several as a digest.
    .addColumn('articles_json', 'text', (col) => col.notNull())
    // 'scheduled', 'sending', 'done' or 'cancelled'
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('send_at', 'text', (col) => col.notNull())
    // The channel delivery that asked for it (an article published to a
    // list's channel): one send per delivery, however often it is worked.
    .addColumn('delivery_id', 'integer', (col) =>
      col.unique().references('delivery.id').onDelete('set null'),
    )
    .addColumn('created_by', 'integer', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    // Why it was stopped ("by Ann Editor", "article 12 is not published").
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createTable('newsletter_recipient')
    .addColumn('send_id', 'integer', (col) =>
      col.notNull().references('newsletter_send.id').onDelete('cascade'),
    )
    .addColumn('subscriber_id', 'integer', (col) =>
      col.notNull().references('subscriber.id').onDelete('cascade'),
    )
    // 'queued', 'sending', 'sent' or 'failed'
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_at', 'text', (col) => col.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('newsletter_recipient_pk', ['send_id', 'subscriber_id'])
    .execute();
  await db.schema
    .createIndex('newsletter_recipient_due')
    .on('newsletter_recipient')
    .columns(['send_id', 'state', 'next_at'])
    .execute();
  await db.schema
    .createIndex('newsletter_send_due')
    .on('newsletter_send')
    .columns(['state', 'send_at'])
    .execute();
  await db.schema
    .alterTable('subscriber')
    .addColumn('failure_count', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('subscriber').addColumn('last_failure', 'text').execute();
}
