import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Every stored setting as key → value. */
export async function readSettings(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('setting').selectAll().execute();
  return new Map(rows.map((row) => [row.key, row.value]));
}

export async function writeSetting(
  db: Kysely<Database>,
  key: string,
  value: string,
): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
