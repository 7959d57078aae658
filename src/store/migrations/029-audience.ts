import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Audience numbers without watching readers (docs/architecture.md):
 * - `audience_view`: page views added up per UTC hour, page, channel,
 *   referring domain, the reader's language and device class. Nothing about
 *   a reader: no address, user agent, cookie or id.
 * - `audience_minute`: views per minute of the last hour, for "right now".
 * - `audience_reader`: an approximate count of distinct readers per day;
 *   `audience_seen` holds that day's salted hashes and `audience_salt` its
 *   random salt, both deleted when the day is over.
 * - `audience_event`: per day, newsletter sign-ups and leavings per list,
 *   fediverse follows and unfollows, Telegram posts sent.
 * The reads counted for "most read" (`article_read`, one number per article
 * and day) move into `audience_view` and the old table goes.
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('audience_view')
    // "2026-12-07T14": the UTC hour.
    .addColumn('hour', 'text', (col) => col.notNull())
    // The page's address ("/news/politics/vote", "/" for home).
    .addColumn('path', 'text', (col) => col.notNull())
    // The article shown, when the page is one: numbers follow it across renames.
    .addColumn('article_id', 'integer', (col) => col.references('article.id').onDelete('set null'))
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('referrer', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('device', 'text', (col) => col.notNull())
    .addColumn('views', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('audience_view_pk', [
      'hour',
      'path',
      'channel',
      'referrer',
      'language',
      'device',
    ])
    .execute();
  await db.schema
    .createIndex('audience_view_article')
    .on('audience_view')
    .columns(['article_id', 'hour'])
    .execute();
  await db.schema
    .createTable('audience_minute')
    // "2026-12-07T14:05": the UTC minute.
    .addColumn('minute', 'text', (col) => col.notNull())
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('article_id', 'integer', (col) => col.references('article.id').onDelete('set null'))
    .addColumn('views', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('audience_minute_pk', ['minute', 'path'])
    .execute();
  await db.schema
    .createTable('audience_reader')
    // The newsroom's calendar day in its time zone, "2026-12-07".
    .addColumn('day', 'text', (col) => col.primaryKey())
    .addColumn('readers', 'integer', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('audience_seen')
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('audience_seen_pk', ['day', 'hash'])
    .execute();
  await db.schema
    .createTable('audience_salt')
    .addColumn('day', 'text', (col) => col.primaryKey())
    .addColumn('salt', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('audience_event')
    .addColumn('day', 'text', (col) => col.notNull())
    // "subscribed", "unsubscribed", "followed", "unfollowed", "telegram_sent".
    .addColumn('kind', 'text', (col) => col.notNull())
    // What it happened to: a newsletter list's or channel's id, or "".
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('audience_event_pk', ['day', 'kind', 'subject'])
    .execute();
  // Reads counted before (one number per article and UTC day) keep ranking
  // "most read": they come over at the day's first hour, source unknown.
  await sql`
    insert into audience_view (hour, path, article_id, channel, referrer, language, device, views)
    select article_read.day || 'T00', '/#' || article_read.article_id, article_read.article_id,
      'unknown', '', '', 'unknown', article_read.count
    from article_read`.execute(db);
  await db.schema.dropTable('article_read').execute();
}
