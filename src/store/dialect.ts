import { type Kysely, PostgresAdapter } from 'kysely';
import type { Database } from './schema.js';

/** The SQL dialects the store supports; differences between them stay in store/. */
export type Dialect = 'sqlite' | 'postgres';

/** Which dialect a Kysely instance speaks (for the few queries written per dialect). */
export function dialectOf(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
