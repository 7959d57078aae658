import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * The desk: assignments (an article, or a placeholder for one not written
 * yet: a working title, the desk's note and a deadline, given to a writer),
 * notifications (someone named you in a note, gave you a story, sent yours
 * back, submitted one for review) and how each person wants to hear of each
 * kind (`notification_choice`: in the app, by e-mail).
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('assignment')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('article_id', 'integer', (col) => col.references('article.id').onDelete('set null'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('deadline', 'text')
    .addColumn('assignee_id', 'integer', (col) =>
      col.notNull().references('user.id').onDelete('cascade'),
    )
    .addColumn('assigned_by', 'integer', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('assignment_assignee')
    .on('assignment')
    .columns(['assignee_id', 'deadline'])
    .execute();
  await db.schema
    .createTable('notification')
    .addColumn('id', id, (col) =>
      dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('user.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('article_id', 'integer', (col) => col.references('article.id').onDelete('cascade'))
    .addColumn('actor_id', 'integer', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema
    .createIndex('notification_user')
    .on('notification')
    .columns(['user_id', 'id'])
    .execute();
  await db.schema
    .createTable('notification_choice')
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('user.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('in_app', 'integer', (col) => col.notNull())
    .addColumn('by_email', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('notification_choice_pk', ['user_id', 'kind'])
    .execute();
}
