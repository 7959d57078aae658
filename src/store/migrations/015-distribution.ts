import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Distribution (issue 15): the channels articles go out to beyond the site (a
 * Telegram channel first), and one durable queue of what is to be sent,
 * edited or withdrawn there.
 *
 * `channel.secret` is what the service needs to post (a bot token): written
 * once by the editor-in-chief, never shown again by the admin API, kept in
 * backups as the database's other secrets are.
 *
 * `delivery` is one message to send, edit or delete. `dedupe_key` is unique:
 * one publication posts once to a channel, one correction edits once, one
 * unpublication deletes once, however often the queue is worked. A row marked `sending` whose process died
 * is never sent again by itself: staff see it and retry, since the service
 * may have got it.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('channel')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    // 'telegram' (newsletters and the fediverse come next)
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    // The articles it takes by default: in this language (null: any) …
    .addColumn('language', 'text')
    // … and in these sections, subsections included (JSON ids; []: all).
    .addColumn('sections_json', 'text', (col) => col.notNull().defaultTo('[]'))
    // Whether publishing picks it by default when an article matches.
    .addColumn('is_default', 'integer', (col) => col.notNull().defaultTo(1))
    // The service's address of it (a Telegram chat id or @name), as JSON.
    .addColumn('settings_json', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('secret', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('delivery')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('channel_id', 'integer', (col) =>
      col.notNull().references('channel.id').onDelete('cascade'),
    )
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    // 'post', 'edit' or 'delete'
    .addColumn('action', 'text', (col) => col.notNull())
    // The post an edit or a deletion is of: that very message, whatever was
    // posted after it (an article unpublished and published again).
    .addColumn('target_id', 'integer', (col) => col.references('delivery.id').onDelete('cascade'))
    .addColumn('dedupe_key', 'text', (col) => col.notNull().unique())
    // 'queued', 'sending', 'sent', 'failed' or 'cancelled'
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_at', 'text', (col) => col.notNull())
    .addColumn('last_error', 'text')
    // What the service calls the message (a Telegram message id), once sent.
    .addColumn('remote_id', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  // The channels an editor picked when scheduling an article (JSON ids), used
  // when the scheduler publishes it; null: those that take it then.
  await db.schema.alterTable('article').addColumn('channel_picks_json', 'text').execute();
  await db.schema
    .createIndex('delivery_due')
    .on('delivery')
    .columns(['state', 'next_at'])
    .execute();
  await db.schema.createIndex('delivery_article').on('delivery').column('article_id').execute();
}
