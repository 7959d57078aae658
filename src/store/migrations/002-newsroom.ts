import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/** Staff accounts, sessions, the workflow's columns, revisions, corrections, the audit log. */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const table = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', id, (col) =>
        dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
      );

  await table('user')
    .addColumn('person_id', 'integer', (col) => col.notNull().unique().references('person.id'))
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret', 'text')
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  // One-time password-setting links; only a hash of the token is stored.
  await db.schema
    .createTable('password_token')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('user.id'))
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('used_at', 'text')
    .execute();

  // Sessions: only a hash of the cookie's token is stored, so a leaked database
  // does not log anyone in.
  await db.schema
    .createTable('session')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('user.id'))
    .addColumn('csrf_token', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();

  await table('login_attempt')
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('ip', 'text', (col) => col.notNull())
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('succeeded', 'integer', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('login_attempt_email_at')
    .on('login_attempt')
    .columns(['email', 'at'])
    .execute();
  await db.schema
    .createIndex('login_attempt_ip_at')
    .on('login_attempt')
    .columns(['ip', 'at'])
    .execute();

  await db.schema.alterTable('article').addColumn('scheduled_at', 'text').execute();
  await db.schema
    .alterTable('article')
    .addColumn('created_by_user_id', 'integer', (col) => col.references('user.id'))
    .execute();
  await db.schema
    .alterTable('media')
    .addColumn('is_own_photo', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await table('revision')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('snapshot_json', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.references('user.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('revision_article_version', ['article_id', 'version'])
    .execute();

  await table('correction')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.references('user.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await table('audit_log')
    .addColumn('user_id', 'integer', (col) => col.references('user.id'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('detail_json', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
}
