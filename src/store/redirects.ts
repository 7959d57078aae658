import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * What an old address leads to: the entity, so the redirect follows it if its
 * address changes (an article or page; a tag, section or person for an old archive).
 */
export type RedirectTarget = {
  entity: 'article' | 'page' | 'tag' | 'section' | 'person';
  entityId: number;
};

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

/**
 * Records old addresses of several entities in one statement (a large import
 * writes them a step at a time). Each path at most once per call.
 */
export async function saveRedirectsOf(
  db: Kysely<Database>,
  redirects: readonly { path: string; target: RedirectTarget }[],
  createdAt: string,
): Promise<void> {
  if (redirects.length === 0) return;
  await db
    .insertInto('redirect')
    .values(
      redirects.map(({ path, target }) => ({
        from_path: path,
        entity: target.entity,
        entity_id: target.entityId,
        created_at: createdAt,
      })),
    )
    .onConflict((oc) =>
      oc.column('from_path').doUpdateSet((eb) => ({
        entity: eb.ref('excluded.entity'),
        entity_id: eb.ref('excluded.entity_id'),
      })),
    )
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

/** Paths looked up in one statement: SQL has a limit on parameters. */
const LOOKUP_STEP = 500;

/** The targets of those of `paths` that have one, by path. */
export async function findRedirects(
  db: Kysely<Database>,
  paths: readonly string[],
): Promise<Map<string, RedirectTarget>> {
  const found = new Map<string, RedirectTarget>();
  const unique = [...new Set(paths)];
  for (let start = 0; start < unique.length; start += LOOKUP_STEP) {
    const rows = await db
      .selectFrom('redirect')
      .select(['from_path', 'entity', 'entity_id'])
      .where('from_path', 'in', unique.slice(start, start + LOOKUP_STEP))
      .execute();
    for (const row of rows) {
      found.set(row.from_path, {
        entity: row.entity as RedirectTarget['entity'],
        entityId: row.entity_id,
      });
    }
  }
  return found;
}

/** How many old addresses lead to an entity (for the import report). */
export async function countRedirects(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('redirect')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
