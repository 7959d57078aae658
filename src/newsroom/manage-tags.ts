import { ALL_PAGES } from '../core/cache-tags.js';
import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import type { Tag } from '../core/types.js';
import { recordAudit } from '../store/audit.js';
import { articlesShowing, reindexArticles } from '../store/search-index.js';
import { listTagsWithCounts, renameTag as renameTagRow } from '../store/tags.js';
import type { Newsroom, StaffActor } from './newsroom.js';

function requireTaxonomy(actor: StaffActor): void {
  if (!can(actor, 'taxonomy.manage')) {
    throw new DomainError('not_allowed_for_role', 'only editors manage tags');
  }
}

/** Every tag with its number of articles (editors). */
export async function listTags(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<(Tag & { articleCount: number })[]> {
  requireTaxonomy(actor);
  return await listTagsWithCounts(newsroom.store.db);
}

/**
 * Changes how a tag is spelled everywhere ("ukraine" → "Ukraine"). Its slug
 * stays, so links to it keep working. Editors only; audited.
 */
async function writeRenameTag(
  newsroom: Newsroom,
  actor: StaffActor,
  slug: string,
  name: string,
): Promise<Tag> {
  requireTaxonomy(actor);
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 60) {
    throw new DomainError('invalid_input', 'a tag name has 1 to 60 characters', 'name');
  }
  await newsroom.store.db.transaction().execute(async (trx) => {
    if (!(await renameTagRow(trx, slug, trimmed)))
      throw new DomainError('not_found', `there is no tag "${slug}"`);
    await reindexArticles(trx, await articlesShowing(trx, { tagSlug: slug }));
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'tag.rename',
      subject: `tag:${slug}`,
      detail: { name: trimmed },
      at: newsroom.now().toISOString(),
    });
  });
  return { name: trimmed, slug };
}

/** A topic’s name shows on its articles, listings and feeds. */
export async function renameTag(
  newsroom: Newsroom,
  actor: StaffActor,
  slug: string,
  name: string,
): Promise<Tag> {
  const result = await writeRenameTag(newsroom, actor, slug, name);
  newsroom.changed?.(ALL_PAGES);
  return result;
}
