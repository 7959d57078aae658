import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type ImportRef = {
  entity: string;
  entityId: number;
  contentHash: string;
  /** The article's version when the import last wrote it (null for other entities). */
  entityVersion?: number | null;
};

/** What an earlier import of (format, externalId) created, if any. */
export async function findImportRef(
  db: Kysely<Database>,
  format: string,
  externalId: string,
): Promise<ImportRef | null> {
  const row = await db
    .selectFrom('import_ref')
    .selectAll()
    .where('format', '=', format)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row
    ? {
        entity: row.entity,
        entityId: row.entity_id,
        contentHash: row.content_hash,
        entityVersion: row.entity_version,
      }
    : null;
}

export async function saveImportRef(
  db: Kysely<Database>,
  format: string,
  externalId: string,
  ref: ImportRef,
): Promise<void> {
  const values = {
    entity: ref.entity,
    entity_id: ref.entityId,
    content_hash: ref.contentHash,
    entity_version: ref.entityVersion ?? null,
  };
  await db
    .insertInto('import_ref')
    .values({ format, external_id: externalId, ...values })
    .onConflict((oc) => oc.columns(['format', 'external_id']).doUpdateSet(values))
    .execute();
}

/** True when an imported article has been edited since the import last wrote it. */
export function editedSinceImport(ref: ImportRef | null, article: { version: number }): boolean {
  return ref?.entityVersion != null && article.version !== ref.entityVersion;
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
