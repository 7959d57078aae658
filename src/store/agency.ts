import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** An article's agency state, or undefined for the newsroom's own copy. */
export async function agencyState(
  db: Kysely<Database>,
  articleId: number,
): Promise<{ status: string; embargoUntil: string | null } | undefined> {
  const row = await db
    .selectFrom('article')
    .select(['origin', 'agency_status', 'embargo_until'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (row?.origin !== 'agency') return undefined;
  return { status: row.agency_status, embargoUntil: row.embargo_until };
}

/** Marks an article as agency copy with the agency's status and embargo. */
export async function setAgencyState(
  db: Kysely<Database>,
  articleId: number,
  state: { status: string; embargoUntil: string | null },
): Promise<void> {
  await db
    .updateTable('article')
    .set({ origin: 'agency', agency_status: state.status, embargo_until: state.embargoUntil })
    .where('id', '=', articleId)
    .execute();
}

/** The item version an earlier import stored for (format, externalId), if any. */
export async function importedVersion(
  db: Kysely<Database>,
  format: string,
  externalId: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('import_ref')
    .select('source_version')
    .where('format', '=', format)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row?.source_version ?? null;
}

export async function setImportedVersion(
  db: Kysely<Database>,
  format: string,
  externalId: string,
  version: number | null,
): Promise<void> {
  await db
    .updateTable('import_ref')
    .set({ source_version: version })
    .where('format', '=', format)
    .where('external_id', '=', externalId)
    .execute();
}
