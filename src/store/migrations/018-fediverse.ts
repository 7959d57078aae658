import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * The fediverse (issue 15): the publication is an ActivityPub actor that
 * others follow, built on Fedify.
 *
 * - `fedi_key`: each actor's key pairs (RSA for HTTP Signatures, Ed25519 for
 *   Object Integrity Proofs), as JWK; the private halves are secrets like the
 *   newsletter signing key, kept in backups as the database's others are.
 * - `fedi_kv`: Fedify's cache (remote keys and documents, inbox idempotence);
 *   derived, never backed up.
 * - `fedi_follower`: who follows an actor, and where to deliver to them.
 * - `fedi_following`: the actors the publication follows (another newsroom).
 * - `fedi_interaction`: likes, boosts and replies to articles; a reply is
 *   shown to staff only, `pending` until approved or hidden.
 * - `fedi_received`: articles and posts from the actors it follows.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const serial = (table: string) =>
    db.schema
      .createTable(table)
      .addColumn('id', id, (col) =>
        dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
      );
  await db.schema
    .createTable('fedi_key')
    .addColumn('identifier', 'text', (col) => col.primaryKey())
    .addColumn('keys_json', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('fedi_kv')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text')
    .execute();
  await serial('fedi_follower')
    .addColumn('identifier', 'text', (col) => col.notNull())
    .addColumn('follower_iri', 'text', (col) => col.notNull())
    .addColumn('inbox', 'text', (col) => col.notNull())
    .addColumn('shared_inbox', 'text')
    .addColumn('name', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('fedi_follower_once', ['identifier', 'follower_iri'])
    .execute();
  await serial('fedi_following')
    .addColumn('target_iri', 'text', (col) => col.notNull().unique())
    .addColumn('handle', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('inbox', 'text', (col) => col.notNull())
    // 'pending' until the other side accepts, then 'accepted'
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('follow_iri', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await serial('fedi_interaction')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('article.id').onDelete('cascade'),
    )
    // 'like', 'announce' or 'reply'
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('activity_iri', 'text', (col) => col.notNull().unique())
    .addColumn('actor_iri', 'text', (col) => col.notNull())
    .addColumn('actor_name', 'text', (col) => col.notNull().defaultTo(''))
    // A reply's text, sanitized; its address.
    .addColumn('content', 'text')
    .addColumn('url', 'text')
    // Replies: 'pending', 'approved' or 'hidden'; others 'counted'.
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('fedi_interaction_article')
    .on('fedi_interaction')
    .column('article_id')
    .execute();
  await serial('fedi_received')
    .addColumn('object_iri', 'text', (col) => col.notNull().unique())
    .addColumn('actor_iri', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('summary', 'text', (col) => col.notNull().defaultTo(''))
    // Sanitized HTML.
    .addColumn('content', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('url', 'text')
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('received_at', 'text', (col) => col.notNull())
    .execute();
}
