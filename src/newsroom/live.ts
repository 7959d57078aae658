import type { ArticleDetail } from '../core/article-detail.js';
import { articleChangeTags, liveEntryChangeTags } from '../core/cache-tags.js';
import { validateDoc } from '../core/document-extensions.js';
import { DomainError } from '../core/errors.js';
import {
  type LiveCoverage,
  type LiveEntry,
  type LiveEntryInput,
  type LiveEntryPatch,
  liveEntryInputSchema,
} from '../core/live.js';
import { can } from '../core/policy.js';
import { recordAudit } from '../store/audit.js';
import {
  deleteLiveEntry,
  getLiveCoverage,
  getLiveEntry,
  insertLiveEntry,
  listLiveEntries,
  setLiveCoverage,
  unpinOtherEntries,
  updateLiveEntryIfVersion,
} from '../store/live.js';
import { getArticleWithRelation } from './articles.js';
import type { Newsroom, StaffActor } from './newsroom.js';

// Live coverage (core/live.ts): starting and ending it, and the entries the
// desk writes meanwhile. Entries go live at once on a published article (its
// page, live endpoint and feed are purged); on a draft they wait for it.

/** The article, if the actor may open it and it is not in the trash. */
async function openArticle(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<{ detail: ArticleDetail; isOwn: boolean }> {
  const found = await getArticleWithRelation(newsroom, actor, articleId);
  if (found.detail.status === 'trashed')
    throw new DomainError('invalid_input', 'this article is in the trash: restore it first');
  return found;
}

/** Starting or ending coverage is publishing: editors, or the article's own author who may publish it. */
async function mayRunCoverage(newsroom: Newsroom, actor: StaffActor, articleId: number) {
  const found = await openArticle(newsroom, actor, articleId);
  if (!can(actor, 'article.publish', { isOwn: found.isOwn }))
    throw new DomainError(
      'not_allowed_for_role',
      'only an editor, or an author on their own article, may start or end live coverage',
    );
  return found;
}

/** Writing entries is editing the article: anyone who may edit it. */
async function mayWriteEntries(newsroom: Newsroom, actor: StaffActor, articleId: number) {
  const found = await openArticle(newsroom, actor, articleId);
  if (!can(actor, 'article.edit', { isOwn: found.isOwn }))
    throw new DomainError(
      'not_allowed_for_role',
      'only the article’s writers and editors may write its live entries',
    );
  return found;
}

function purge(newsroom: Newsroom, tags: string[]): void {
  if (newsroom.changed && tags.length > 0) newsroom.changed(tags);
}

/**
 * Starts live coverage (again, after it ended: the entries carry on). The
 * article's listings are purged too: its teasers say "Live".
 */
export async function startLiveCoverage(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<LiveCoverage> {
  const { detail } = await mayRunCoverage(newsroom, actor, articleId);
  const now = newsroom.now().toISOString();
  const coverage = await newsroom.store.db.transaction().execute(async (trx) => {
    const current = await getLiveCoverage(trx, articleId);
    if (current?.state === 'live') return current;
    const started: LiveCoverage = {
      state: 'live',
      startedAt: current?.startedAt ?? now,
      endedAt: null,
    };
    await setLiveCoverage(trx, articleId, started);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'live.start',
      subject: `article:${articleId}`,
      at: now,
    });
    return started;
  });
  purge(newsroom, articleChangeTags(detail));
  return coverage;
}

/**
 * Ends live coverage: the article becomes an ordinary one again, its entries
 * kept on the page as the record, and readers' pages stop asking for more.
 */
export async function endLiveCoverage(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<LiveCoverage> {
  const { detail } = await mayRunCoverage(newsroom, actor, articleId);
  const now = newsroom.now().toISOString();
  const coverage = await newsroom.store.db.transaction().execute(async (trx) => {
    const current = await getLiveCoverage(trx, articleId);
    if (current?.state !== 'live')
      throw new DomainError('invalid_input', 'this article has no live coverage running');
    const ended: LiveCoverage = { state: 'ended', startedAt: current.startedAt, endedAt: now };
    await setLiveCoverage(trx, articleId, ended);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'live.end',
      subject: `article:${articleId}`,
      at: now,
    });
    return ended;
  });
  purge(newsroom, articleChangeTags(detail));
  return coverage;
}

/** The coverage and every entry, newest first, for staff who may open the article. */
export async function listLiveEntriesForStaff(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<{ coverage: LiveCoverage | null; entries: LiveEntry[] }> {
  await getArticleWithRelation(newsroom, actor, articleId);
  const db = newsroom.store.db;
  const [coverage, entries] = await Promise.all([
    getLiveCoverage(db, articleId),
    listLiveEntries(db, articleId),
  ]);
  return { coverage, entries };
}

/** Adds an entry by the actor, while coverage runs; pinning it unpins the one pinned before. */
export async function addLiveEntry(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  input: LiveEntryInput,
): Promise<LiveEntry> {
  const { detail } = await mayWriteEntries(newsroom, actor, articleId);
  const { title, isKeyEvent, isPinned } = liveEntryInputSchema.parse(input);
  const body = validateDoc(input.body, 'body');
  const now = newsroom.now().toISOString();
  const entry = await newsroom.store.db.transaction().execute(async (trx) => {
    const coverage = await getLiveCoverage(trx, articleId);
    if (coverage?.state !== 'live')
      throw new DomainError(
        'invalid_input',
        coverage
          ? 'live coverage of this article has ended: start it again to add entries'
          : 'start live coverage of this article first',
      );
    const id = await insertLiveEntry(trx, {
      articleId,
      personId: actor.personId,
      title,
      body,
      isKeyEvent,
      isPinned,
      at: now,
    });
    if (isPinned) await unpinOtherEntries(trx, articleId, id, now);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'live.entry-add',
      subject: `article:${articleId}`,
      detail: { entry: id, ...(title ? { title } : {}) },
      at: now,
    });
    const added = await getLiveEntry(trx, articleId, id);
    if (!added) throw new Error(`live entry ${id} vanished as it was written`);
    return added;
  });
  purge(newsroom, liveEntryChangeTags(detail));
  return entry;
}

/**
 * Saves changes to one entry against the version they were made on: an older
 * version is refused with `version_conflict`, carrying the entry as it now is.
 * Other entries are other records: editing one never conflicts with another.
 */
export async function editLiveEntry(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  entryId: number,
  patch: LiveEntryPatch,
): Promise<LiveEntry> {
  const { detail } = await mayWriteEntries(newsroom, actor, articleId);
  const body = patch.body === undefined ? undefined : validateDoc(patch.body, 'body');
  const now = newsroom.now().toISOString();
  const entry = await newsroom.store.db.transaction().execute(async (trx) => {
    const current = await getLiveEntry(trx, articleId, entryId);
    if (!current) throw new DomainError('not_found', `there is no live entry ${entryId}`);
    const conflict = () =>
      new DomainError(
        'version_conflict',
        `someone else changed this entry since you opened it (you edited version ${patch.version}, it is now at ${current.version})`,
        'version',
        current,
      );
    if (current.version !== patch.version) throw conflict();
    const isPinned = patch.isPinned ?? current.isPinned;
    const isSaved = await updateLiveEntryIfVersion(trx, entryId, patch.version, {
      title: patch.title ?? current.title,
      body: body ?? current.body,
      isKeyEvent: patch.isKeyEvent ?? current.isKeyEvent,
      isPinned,
      at: now,
    });
    if (!isSaved) throw conflict();
    if (isPinned && !current.isPinned) await unpinOtherEntries(trx, articleId, entryId, now);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'live.entry-edit',
      subject: `article:${articleId}`,
      detail: { entry: entryId, version: patch.version + 1 },
      at: now,
    });
    const saved = await getLiveEntry(trx, articleId, entryId);
    if (!saved) throw new Error(`live entry ${entryId} vanished as it was saved`);
    return saved;
  });
  purge(newsroom, liveEntryChangeTags(detail));
  return entry;
}

/** Deletes an entry for good (a mistaken update is taken down, not kept hidden). */
export async function removeLiveEntry(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  entryId: number,
): Promise<void> {
  const { detail } = await mayWriteEntries(newsroom, actor, articleId);
  const now = newsroom.now().toISOString();
  await newsroom.store.db.transaction().execute(async (trx) => {
    if (!(await deleteLiveEntry(trx, articleId, entryId)))
      throw new DomainError('not_found', `there is no live entry ${entryId}`);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'live.entry-delete',
      subject: `article:${articleId}`,
      detail: { entry: entryId },
      at: now,
    });
  });
  purge(newsroom, liveEntryChangeTags(detail));
}
