import type { Kysely } from 'kysely';
import type { ArticleDetail } from '../core/article-detail.js';
import type { AuditAction } from '../core/audit-actions.js';
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
import type { Database } from '../store/schema.js';
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

/** What each kind of change to live coverage is: who may make it, its audit action, the pages it changes. */
type CoverageChange = {
  may: (
    newsroom: Newsroom,
    actor: StaffActor,
    articleId: number,
  ) => Promise<{ detail: ArticleDetail }>;
  action: AuditAction;
  changeTags: (detail: ArticleDetail) => string[];
};

/** A change to the coverage itself: made by those who may publish; the article's listings show it. */
function coverageChange(action: AuditAction): CoverageChange {
  return { may: mayRunCoverage, action, changeTags: articleChangeTags };
}

/** A change to an entry: made by those who may edit; the article's page, live endpoint and feed show it. */
function entryChange(action: AuditAction): CoverageChange {
  return { may: mayWriteEntries, action, changeTags: liveEntryChangeTags };
}

/**
 * One change to an article's coverage or entries, made as all of them are:
 * the actor's right to make it checked (`may`), the change and its line in
 * the audit log in one transaction, then the pages that show it purged.
 * `work` answers what the change gives back and the audit line's detail, or
 * `unchanged` when there was nothing to do (no audit line then).
 */
async function changeCoverage<T>(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  change: CoverageChange,
  work: (
    trx: Kysely<Database>,
    now: string,
  ) => Promise<{ result: T; audit?: Record<string, unknown>; unchanged?: true }>,
): Promise<T> {
  // The right first: someone who may not make the change learns that, not what is wrong with it.
  const { detail } = await change.may(newsroom, actor, articleId);
  const now = newsroom.now().toISOString();
  const result = await newsroom.store.db.transaction().execute(async (trx) => {
    const done = await work(trx, now);
    if (done.unchanged) return done.result;
    await recordAudit(trx, {
      userId: actor.userId,
      action: change.action,
      subject: `article:${articleId}`,
      ...(done.audit ? { detail: done.audit } : {}),
      at: now,
    });
    return done.result;
  });
  const tags = change.changeTags(detail);
  if (newsroom.changed && tags.length > 0) newsroom.changed(tags);
  return result;
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
  const change = coverageChange('live.start');
  return await changeCoverage(newsroom, actor, articleId, change, async (trx, now) => {
    const current = await getLiveCoverage(trx, articleId);
    if (current?.state === 'live') return { result: current, unchanged: true };
    const started: LiveCoverage = {
      state: 'live',
      startedAt: current?.startedAt ?? now,
      endedAt: null,
    };
    await setLiveCoverage(trx, articleId, started);
    return { result: started };
  });
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
  const change = coverageChange('live.end');
  return await changeCoverage(newsroom, actor, articleId, change, async (trx, now) => {
    const current = await getLiveCoverage(trx, articleId);
    if (current?.state !== 'live')
      throw new DomainError('invalid_input', 'this article has no live coverage running');
    const ended: LiveCoverage = { state: 'ended', startedAt: current.startedAt, endedAt: now };
    await setLiveCoverage(trx, articleId, ended);
    return { result: ended };
  });
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
  const change = entryChange('live.entry-add');
  return await changeCoverage(newsroom, actor, articleId, change, async (trx, now) => {
    const { title, isKeyEvent, isPinned } = liveEntryInputSchema.parse(input);
    const body = validateDoc(input.body, 'body');
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
    const added = await getLiveEntry(trx, articleId, id);
    if (!added) throw new Error(`live entry ${id} vanished as it was written`);
    return { result: added, audit: { entry: id, ...(title ? { title } : {}) } };
  });
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
  const change = entryChange('live.entry-edit');
  return await changeCoverage(newsroom, actor, articleId, change, async (trx, now) => {
    const body = patch.body === undefined ? undefined : validateDoc(patch.body, 'body');
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
    const saved = await getLiveEntry(trx, articleId, entryId);
    if (!saved) throw new Error(`live entry ${entryId} vanished as it was saved`);
    return { result: saved, audit: { entry: entryId, version: patch.version + 1 } };
  });
}

/** Deletes an entry for good (a mistaken update is taken down, not kept hidden). */
export async function removeLiveEntry(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
  entryId: number,
): Promise<void> {
  const change = entryChange('live.entry-delete');
  await changeCoverage(newsroom, actor, articleId, change, async (trx) => {
    if (!(await deleteLiveEntry(trx, articleId, entryId)))
      throw new DomainError('not_found', `there is no live entry ${entryId}`);
    return { result: undefined, audit: { entry: entryId } };
  });
}
