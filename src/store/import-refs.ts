import { type Kysely, sql } from 'kysely';
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

/** An import ref with what the import needs to know of its entity today. */
export type ImportedEntity = ImportRef & {
  /** False when the entity was deleted since (an article, page, media or tag). */
  isPresent: boolean;
  /** The article as stored now, for an article ref whose article is still there. */
  article: { version: number; sectionId: number; slug: string; language: string } | null;
};

/**
 * Every ref of `format` whose external id starts with `prefix` (one site's
 * items), with its entity's state: one query instead of one per item, so a
 * large re-import does not ask the database again for each of its posts.
 */
export async function findImportRefsUnder(
  db: Kysely<Database>,
  format: string,
  prefix: string,
): Promise<Map<string, ImportedEntity>> {
  const rows = await db
    .selectFrom('import_ref')
    .leftJoin('article', (join) =>
      join.onRef('article.id', '=', 'import_ref.entity_id').on('import_ref.entity', '=', 'article'),
    )
    .leftJoin('page', (join) =>
      join.onRef('page.id', '=', 'import_ref.entity_id').on('import_ref.entity', '=', 'page'),
    )
    .leftJoin('media', (join) =>
      join.onRef('media.id', '=', 'import_ref.entity_id').on('import_ref.entity', '=', 'media'),
    )
    .leftJoin('tag', (join) =>
      join.onRef('tag.id', '=', 'import_ref.entity_id').on('import_ref.entity', '=', 'tag'),
    )
    .select([
      'import_ref.external_id',
      'import_ref.entity',
      'import_ref.entity_id',
      'import_ref.content_hash',
      'import_ref.entity_version',
      'article.id as article_id',
      'article.version as article_version',
      'article.section_id as article_section_id',
      'article.slug as article_slug',
      'article.language as article_language',
      'page.id as page_id',
      'media.id as media_id',
      'tag.id as tag_id',
    ])
    .where('import_ref.format', '=', format)
    // substr rather than LIKE: a site's address may hold "%" or "_".
    .where(sql<string>`substr(import_ref.external_id, 1, ${prefix.length})`, '=', prefix)
    .execute();
  const refs = new Map<string, ImportedEntity>();
  for (const row of rows) {
    const article =
      row.article_id !== null &&
      row.article_version !== null &&
      row.article_section_id !== null &&
      row.article_slug !== null &&
      row.article_language !== null
        ? {
            version: row.article_version,
            sectionId: row.article_section_id,
            slug: row.article_slug,
            language: row.article_language,
          }
        : null;
    refs.set(row.external_id, {
      entity: row.entity,
      entityId: row.entity_id,
      contentHash: row.content_hash,
      entityVersion: row.entity_version,
      isPresent:
        article !== null || row.page_id !== null || row.media_id !== null || row.tag_id !== null,
      article,
    });
  }
  return refs;
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

/**
 * Saves several refs in one statement (a large import writes them a step at a
 * time rather than one per item). Each external id at most once per call.
 */
export async function saveImportRefs(
  db: Kysely<Database>,
  format: string,
  refs: readonly { externalId: string; ref: ImportRef }[],
): Promise<void> {
  if (refs.length === 0) return;
  await db
    .insertInto('import_ref')
    .values(
      refs.map(({ externalId, ref }) => ({
        format,
        external_id: externalId,
        entity: ref.entity,
        entity_id: ref.entityId,
        content_hash: ref.contentHash,
        entity_version: ref.entityVersion ?? null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['format', 'external_id']).doUpdateSet((eb) => ({
        entity: eb.ref('excluded.entity'),
        entity_id: eb.ref('excluded.entity_id'),
        content_hash: eb.ref('excluded.content_hash'),
        entity_version: eb.ref('excluded.entity_version'),
      })),
    )
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
