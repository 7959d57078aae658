import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** What an old address leads to: the entity, so the redirect follows it if its address changes. */
export type RedirectTarget = { entity: 'article' | 'page'; entityId: number };

/** Records old addresses of an entity; an address already recorded now leads here. */
export async function saveRedirects(
  db: Kysely<Database>,
  paths: readonly string[],
  target: RedirectTarget,
  createdAt: string,
): Promise<void> {
  if (paths.length === 0) return;
  const values = { entity: target.entity, entity_id: target.entityId };
  await db
    .insertInto('redirect')
    .values(paths.map((path) => ({ from_path: path, created_at: createdAt, ...values })))
    .onConflict((oc) => oc.column('from_path').doUpdateSet(values))
    .execute();
}

/** The target of the first of `paths` that has one. */
export async function findRedirect(
  db: Kysely<Database>,
  paths: readonly string[],
): Promise<RedirectTarget | null> {
  if (paths.length === 0) return null;
  const rows = await db
    .selectFrom('redirect')
    .selectAll()
    .where('from_path', 'in', paths)
    .execute();
  for (const path of paths) {
    const row = rows.find((candidate) => candidate.from_path === path);
    if (row) return { entity: row.entity as RedirectTarget['entity'], entityId: row.entity_id };
  }
  return null;
}

/** How many old addresses lead to an entity (for the import report). */
export async function countRedirects(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('redirect')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
