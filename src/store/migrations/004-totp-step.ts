import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at their point in history
type AnyDb = Kysely<any>;

/**
 * Two-factor state kept on the server: the last accepted TOTP time step, so a
 * code cannot be replayed within its validity window, and the secret of a setup
 * in progress, so confirming cannot install a secret the client chose.
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds only one at a time.
  await db.schema.alterTable('user').addColumn('totp_last_step', 'integer').execute();
  await db.schema.alterTable('user').addColumn('totp_pending_secret', 'text').execute();
}
