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
