import type { Kysely } from 'kysely';
import type { Snapshot } from 'yjs';
import { type ArticleDetail, type ArticleSnapshot, pickSnapshot } from '../core/article-detail.js';
import type { ArticleChanges, ArticlePatch, NewArticleInput } from '../core/article-input.js';
import {
  type ArticleSortKey,
  DEFAULT_ARTICLE_SORT,
  DEFAULT_PAGE_SIZE,
  defaultSortDirection,
  type SortDirection,
} from '../core/article-list.js';
import { articleChangeTags } from '../core/cache-tags.js';
import { withoutTrailingEmptyLine } from '../core/document.js';
import { validateDoc } from '../core/document-extensions.js';
import { DomainError } from '../core/errors.js';
import { changedBetween, type FieldValues, listFields, mergeFields } from '../core/field-merge.js';
import { can, isOwnWork, mayOpenArticle } from '../core/policy.js';
import { articleUrl, sectionAndDescendantIds } from '../core/section-path.js';
import { snapshotCovers } from '../core/shared-doc.js';
import { isSlugOfTitle, slugify } from '../core/slug.js';
import type { Article, Byline, Section } from '../core/types.js';
import {
  applyTransition,
  availableTransitions,
  editRefusal,
  TRASH_DAYS,
  type TransitionRequest,
} from '../core/workflow.js';
import { agencyState } from '../store/agency.js';
import {
  type ArticleFilter,
  countArticlesForStaff,
  deleteTrashedBefore,
  freeSlug,
  getArticle,
  getArticleSources,
  getBylines,
  getPendingChanges,
  getTrashedAt,
  insertArticle,
  listArticlesForStaff,
  listDueScheduledArticles,
  listTranslationGroup,
  lockArticle,
  replaceArticleAuthors,
  replaceArticleSources,
  setArticleWorkflow,
  setPendingChangesIfVersion,
  setTranslationGroup,
  updateArticleIfVersion,
} from '../store/articles.js';
import { latestAuditEntry, recordAudit } from '../store/audit.js';
import { insertCorrection, listCorrections } from '../store/corrections.js';
import { withLease } from '../store/leases.js';
import { getMediaByIds } from '../store/media.js';
import { existingPersonIds, listPeople } from '../store/people.js';
import {
  insertRevision,
  listRevisions as listRevisionRows,
  revisionSnapshotAt,
} from '../store/revisions.js';
import type { Database } from '../store/schema.js';
import { reindexArticles } from '../store/search-index.js';
import { listSections } from '../store/sections.js';
import { getArticleTags, replaceArticleTags } from '../store/tags.js';
import { listUsers } from '../store/users.js';
import { queueForTransition } from './distribution.js';
import { type Newsroom, type StaffActor, SYSTEM_ACTOR } from './newsroom.js';
import { notify, type PendingMail, sendNotificationMail } from './notifications.js';
import {
  adoptBodyIntoSharedDoc,
  hasUnsavedSharedText,
  isSameBody,
  markSharedBodySaved,
  readSharedBody,
  type SharedBody,
} from './shared-docs.js';
import { feedsOfArticle } from './websub.js';

export type { ArticleDetail } from '../core/article-detail.js';

/** What a snapshot written before search and social fields (and labels) existed lacks. */
type Presentation = Pick<
  ArticleSnapshot,
  'metaTitle' | 'metaDescription' | 'socialImageId' | 'label'
>;

/**
 * A snapshot as stored: revisions written before tags existed have no `tags`,
 * those before search and social fields none of those, and those before
 * labels no `label`.
 */
type StoredSnapshot = Omit<ArticleSnapshot, 'tags' | keyof Presentation> & {
  tags?: string[];
} & Partial<Presentation>;

/** The held-back edits as a whole snapshot: what an older one lacks is the live article's. */
function pendingSnapshot(
  stored: StoredSnapshot,
  article: Article,
  tags: string[],
): ArticleSnapshot {
  return {
    metaTitle: article.metaTitle,
    metaDescription: article.metaDescription,
    socialImageId: article.socialImageId,
    label: article.label,
    ...stored,
    tags: stored.tags ?? tags,
  };
}

async function sectionsByPath(
  db: Kysely<Database>,
): Promise<{ byPath: Map<string, Section>; byId: Map<number, Section> }> {
  const sections = await listSections(db);
  return {
    byPath: new Map(sections.map((section) => [section.path, section])),
    byId: new Map(sections.map((section) => [section.id, section])),
  };
}

function sectionFor(byPath: Map<string, Section>, path: string): Section {
  const section = byPath.get(path.replace(/^\/+|\/+$/g, ''));
  if (!section) throw new DomainError('not_found', `there is no section "${path}"`, 'section');
  return section;
}

/** Where a draft started without a section goes: the site's first top-level section. */
function firstSection(byPath: Map<string, Section>): Section {
  const first = [...byPath.values()].find((section) => section.parentId === null);
  if (!first)
    throw new DomainError(
      'invalid_input',
      'the site has no sections yet: add one first',
      'section',
    );
  return first;
}

/** An article is someone's own when their name is in its byline: rights follow the byline. */
function isOwnArticle(actor: StaffActor, bylines: Byline[]): boolean {
  return isOwnWork(
    actor,
    bylines.map((byline) => byline.person.id),
  );
}

/**
 * Refuses bylines and photos that do not exist, and, for contributors and
 * authors, a byline without themselves (nobody publishes under another's name).
 */
async function checkReferences(
  db: Kysely<Database>,
  actor: StaffActor,
  references: {
    authors?: { personId: number }[] | undefined;
    leadMediaId?: number | null | undefined;
    socialImageId?: number | null | undefined;
  },
): Promise<void> {
  if (references.authors) {
    const ids = references.authors.map((author) => author.personId);
    const isInByline = actor.personId !== null && ids.includes(actor.personId);
    if (!can(actor, 'article.view-drafts') && !isInByline) {
      throw new DomainError(
        'not_allowed_for_role',
        'your own name must be among the bylines of an article you write',
        'authors',
      );
    }
    const existing = await existingPersonIds(db, ids);
    const missing = ids.find((id) => !existing.has(id));
    if (missing !== undefined)
      throw new DomainError(
        'invalid_input',
        `there is no person ${missing} to put in the byline`,
        'authors',
      );
  }
  for (const field of ['leadMediaId', 'socialImageId'] as const) {
    const mediaId = references[field];
    if (
      mediaId !== undefined &&
      mediaId !== null &&
      !(await getMediaByIds(db, [mediaId])).has(mediaId)
    ) {
      throw new DomainError('invalid_input', `there is no photo ${mediaId} in the library`, field);
    }
  }
}

async function loadDetail(
  db: Kysely<Database>,
  actor: StaffActor,
  id: number,
): Promise<{ article: Article; detail: ArticleDetail; isOwn: boolean }> {
  const article = await getArticle(db, id);
  if (!article) throw new DomainError('not_found', `there is no article ${id}`);
  const [bylines, sources, tags, corrections, { byId }, translations, agency, pending, extra] =
    await Promise.all([
      getBylines(db, [id]),
      getArticleSources(db, id),
      getArticleTags(db, [id]),
      listCorrections(db, [id]),
      sectionsByPath(db),
      article.translationGroup === null
        ? Promise.resolve([])
        : listTranslationGroup(db, article.translationGroup),
      agencyState(db, id),
      getPendingChanges(db, id),
      workflowFacts(db, article),
    ]);
  const authors = bylines.get(id) ?? [];
  const isOwn = isOwnArticle(actor, authors);
  if (!mayOpenArticle(actor, article.status, { isOwn })) {
    // Not "forbidden": a contributor need not learn that someone else's draft exists.
    throw new DomainError('not_found', `there is no article ${id}`);
  }
  const section = byId.get(article.sectionId);
  if (!section) throw new Error(`article ${id} is in a missing section`);
  return {
    article,
    isOwn,
    detail: {
      id: article.id,
      uuid: article.uuid,
      version: article.version,
      status: article.status,
      title: article.title,
      standfirst: article.standfirst,
      section: section.path,
      language: article.language,
      slug: article.slug,
      isSlugEditable: article.publishedAt === null,
      body: article.body,
      authors: authors.map((byline) => ({
        personId: byline.person.id,
        name: byline.person.name,
        label: byline.label,
      })),
      sources,
      tags: (tags.get(id) ?? []).map((tag) => tag.name),
      leadMediaId: article.leadMediaId,
      metaTitle: article.metaTitle,
      metaDescription: article.metaDescription,
      socialImageId: article.socialImageId,
      label: article.label,
      publishedAt: article.publishedAt,
      scheduledAt: article.scheduledAt,
      updatedAt: article.updatedAt,
      url: articleUrl(section, article.slug),
      corrections: corrections.map((c) => ({ type: c.type, text: c.text, createdAt: c.createdAt })),
      translations: translations
        .filter((other) => other.id !== id)
        .map((other) => ({
          id: other.id,
          title: other.title,
          language: other.language,
          status: other.status,
        })),
      readOnlyReason: editRefusal(article.status, actor, isOwn)?.message ?? null,
      transitions: availableTransitions(article.status, actor, isOwn),
      agency: agency ?? null,
      pending:
        pending === null
          ? null
          : pendingSnapshot(
              pending as StoredSnapshot,
              article,
              (tags.get(id) ?? []).map((tag) => tag.name),
            ),
      ...extra,
    },
  };
}

/** Why a draft came back from the desk, and when a trashed article was thrown away. */
async function workflowFacts(
  db: Kysely<Database>,
  article: Article,
): Promise<Pick<ArticleDetail, 'sentBack' | 'trashedAt'>> {
  const [sentBack, trashedAt] = await Promise.all([
    article.status === 'draft'
      ? latestAuditEntry(db, `article:${article.id}`, 'article.send-back')
      : Promise.resolve(null),
    article.status === 'trashed' ? getTrashedAt(db, article.id) : Promise.resolve(null),
  ]);
  return {
    sentBack: sentBack
      ? { note: String(sentBack.detail.note ?? ''), by: sentBack.userName, at: sentBack.at }
      : null,
    trashedAt,
  };
}

function snapshotOf(detail: ArticleDetail): ArticleSnapshot {
  return pickSnapshot(detail);
}

/** One article and whether the actor is among its writers (their own work). */
export async function getArticleWithRelation(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<{ detail: ArticleDetail; isOwn: boolean }> {
  const { detail, isOwn } = await loadDetail(newsroom.store.db, actor, id);
  return { detail, isOwn };
}

/** One article for the editor; drafts of others only for editors. */
export async function getArticleForStaff(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<ArticleDetail> {
  // The saved body, which goes with `version` (the shared text's latest words
  // are saved as the body a second or so after the typing): a save naming
  // this version is merged against exactly this content.
  return (await getArticleWithRelation(newsroom, actor, id)).detail;
}

/**
 * Creates a draft. Its creator is its first author unless authors are given;
 * the slug comes from the headline. Revision 1 records the first content.
 */
export async function createArticle(
  newsroom: Newsroom,
  actor: StaffActor,
  input: NewArticleInput,
): Promise<ArticleDetail> {
  if (!can(actor, 'article.create'))
    throw new DomainError('not_allowed_for_role', 'you may not write articles');
  const body = withoutTrailingEmptyLine(validateDoc(input.body, 'body'));
  const now = newsroom.now().toISOString();
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const { byPath } = await sectionsByPath(trx);
    const section =
      input.section === undefined ? firstSection(byPath) : sectionFor(byPath, input.section);
    const slug = await freeSlug(trx, section.id, input.slug ?? slugify(input.title));
    await checkReferences(trx, actor, {
      authors: input.authors,
      leadMediaId: input.leadMediaId,
      socialImageId: input.socialImageId,
    });
    const created = await insertArticle(trx, {
      uuid: newsroom.newId(),
      slug,
      sectionId: section.id,
      language: input.language,
      status: 'draft',
      title: input.title,
      standfirst: input.standfirst,
      body,
      leadMediaId: input.leadMediaId,
      metaTitle: input.metaTitle ?? '',
      metaDescription: input.metaDescription ?? '',
      socialImageId: input.socialImageId ?? null,
      label: input.label ?? null,
      publishedAt: null,
      createdAt: now,
      updatedAt: now,
      createdByUserId: actor.userId,
    });
    const authors =
      input.authors ?? (actor.personId === null ? [] : [{ personId: actor.personId, label: null }]);
    await replaceArticleAuthors(trx, created.id, authors);
    await replaceArticleSources(trx, created.id, input.sources);
    await replaceArticleTags(trx, created.id, input.tags);
    const { detail } = await loadDetail(trx, actor, created.id);
    await insertRevision(trx, {
      articleId: created.id,
      version: 1,
      snapshot: snapshotOf(detail),
      userId: actor.userId,
      createdAt: now,
    });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'article.create',
      subject: `article:${created.id}`,
      detail: { title: input.title },
      at: now,
    });
    return detail;
  });
}

/** Drops the keys a patch leaves out, so spreading it over another keeps what it does not name. */
function namedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** A snapshot (held-back edits, an old revision) as an edit of the content; the address is left out. */
function patchOfSnapshot(snapshot: StoredSnapshot): Omit<ArticlePatch, 'version'> {
  return {
    title: snapshot.title,
    standfirst: snapshot.standfirst,
    language: snapshot.language,
    body: snapshot.body,
    authors: snapshot.authors.map(({ personId, label }) => ({ personId, label })),
    sources: snapshot.sources,
    // A revision from before tags existed says nothing about them: keep today's.
    ...(snapshot.tags ? { tags: snapshot.tags } : {}),
    leadMediaId: snapshot.leadMediaId,
    // Likewise a revision from before search and social fields.
    ...(snapshot.metaTitle === undefined ? {} : { metaTitle: snapshot.metaTitle }),
    ...(snapshot.metaDescription === undefined
      ? {}
      : { metaDescription: snapshot.metaDescription }),
    ...(snapshot.socialImageId === undefined ? {} : { socialImageId: snapshot.socialImageId }),
    // And one from before labels.
    ...(snapshot.label === undefined ? {} : { label: snapshot.label }),
  };
}

/** Where a save comes from, besides the person: a transition going live, the shared document. */
type SaveFrom = {
  /** A published article's edits go live with this save (a transition) rather than wait. */
  goLive: boolean;
  /** The save carries the shared document's text (co-editing), up to this update. */
  sharedBody?: SharedBody;
};

/**
 * Saves changes against the version they were made on, inside `trx`. A save
 * made on an older version is merged field by field over what others changed
 * since (`rebaseOnCurrent`); when both changed one field differently it is
 * refused with `version_conflict`, carrying the current article, so no one's
 * edit is ever silently overwritten. Every save is a new revision. On a
 * published article the changes are held back from readers (`pending`)
 * unless `goLive`: then the held-back edits and these replace the live text.
 * A body saved any other way than from the shared document is written into
 * it, so everyone editing sees it.
 */
async function saveContent(
  trx: Kysely<Database>,
  actor: StaffActor,
  id: number,
  sent: ArticlePatch,
  now: string,
  from: SaveFrom,
): Promise<ArticleDetail> {
  // A body from outside the shared text (an editor working alone, an API
  // client) while others' words there are not saved yet: those are saved
  // first, so the merge below sees them and refuses rather than delete them.
  if (sent.body !== undefined && !from.sharedBody && (await hasUnsavedSharedText(trx, id))) {
    const shared = await readSharedBody(trx, id);
    if (shared) await saveSharedBodyIn(trx, actor, id, shared, now);
  }
  const { article, detail, isOwn } = await loadDetail(trx, actor, id);
  const refusal = editRefusal(article.status, actor, isOwn);
  if (refusal) throw refusal;
  const patch = await rebaseOnCurrent(trx, id, sent, detail);
  const goLive = from.goLive;
  const conflict = () =>
    new DomainError(
      'version_conflict',
      'this article was changed by someone else a moment ago',
      'version',
    );
  const isHeldBack = article.status === 'published' && !goLive;
  // Going live: the edits held back are the base, these are on top of them.
  const edit: ArticlePatch =
    !isHeldBack && detail.pending
      ? { ...patchOfSnapshot(detail.pending), ...namedOnly(patch), version: patch.version }
      : patch;
  const body =
    edit.body === undefined ? undefined : withoutTrailingEmptyLine(validateDoc(edit.body, 'body'));
  await checkReferences(trx, actor, {
    authors: edit.authors,
    leadMediaId: edit.leadMediaId,
    socialImageId: edit.socialImageId,
  });
  const { byPath } = await sectionsByPath(trx);
  const section = edit.section === undefined ? undefined : sectionFor(byPath, edit.section);
  if (
    article.publishedAt !== null &&
    ((edit.slug && edit.slug !== article.slug) || (section && section.id !== article.sectionId))
  ) {
    throw new DomainError(
      'invalid_input',
      'a published article keeps its address: its slug and section cannot change',
      edit.slug ? 'slug' : 'section',
    );
  }
  let held: ArticleSnapshot | null = null;
  if (isHeldBack) {
    const base = detail.pending ?? snapshotOf(detail);
    const names = edit.authors ? new Map((await listPeople(trx)).map((p) => [p.id, p.name])) : null;
    held = {
      ...base,
      title: edit.title ?? base.title,
      standfirst: edit.standfirst ?? base.standfirst,
      language: edit.language ?? base.language,
      body: body ?? base.body,
      authors:
        edit.authors?.map(({ personId, label }) => ({
          personId,
          label,
          name: names?.get(personId) ?? '',
        })) ?? base.authors,
      sources: edit.sources ?? base.sources,
      tags: edit.tags ?? base.tags,
      leadMediaId: edit.leadMediaId === undefined ? base.leadMediaId : edit.leadMediaId,
      metaTitle: edit.metaTitle ?? base.metaTitle,
      metaDescription: edit.metaDescription ?? base.metaDescription,
      socialImageId: edit.socialImageId === undefined ? base.socialImageId : edit.socialImageId,
      label: edit.label === undefined ? base.label : edit.label,
    };
    if (!(await setPendingChangesIfVersion(trx, id, edit.version, held, now))) throw conflict();
  } else {
    const sectionId = section?.id ?? article.sectionId;
    // Until the article is first published its address follows the headline,
    // unless someone chose the slug by hand.
    const followsHeadline =
      article.publishedAt === null &&
      edit.slug === undefined &&
      edit.title !== undefined &&
      edit.title !== article.title &&
      isSlugOfTitle(article.slug, article.title);
    const wantedSlug = followsHeadline ? slugify(edit.title ?? '') : edit.slug || article.slug;
    // A new slug, or the old one in a new section, must be free there.
    const slug =
      wantedSlug !== article.slug || sectionId !== article.sectionId
        ? await freeSlug(trx, sectionId, wantedSlug, id)
        : article.slug;
    const isSaved = await updateArticleIfVersion(trx, id, edit.version, {
      title: edit.title ?? article.title,
      standfirst: edit.standfirst ?? article.standfirst,
      body: body ?? article.body,
      language: edit.language ?? article.language,
      leadMediaId: edit.leadMediaId === undefined ? article.leadMediaId : edit.leadMediaId,
      metaTitle: edit.metaTitle ?? article.metaTitle,
      metaDescription: edit.metaDescription ?? article.metaDescription,
      socialImageId: edit.socialImageId === undefined ? article.socialImageId : edit.socialImageId,
      label: edit.label === undefined ? article.label : edit.label,
      slug,
      sectionId,
      updatedAt: now,
    });
    if (!isSaved) throw conflict();
    if (edit.authors) await replaceArticleAuthors(trx, id, edit.authors);
    if (edit.sources) await replaceArticleSources(trx, id, edit.sources);
    if (edit.tags) await replaceArticleTags(trx, id, edit.tags);
    await reindexArticles(trx, [id]);
  }
  const updated = (await loadDetail(trx, actor, id)).detail;
  const editors = from.sharedBody?.editors ?? [];
  await insertRevision(trx, {
    articleId: id,
    version: updated.version,
    // The revision holds the held-back snapshot, or the live article as it now is.
    snapshot: held ?? snapshotOf(updated),
    userId: actor.userId,
    editors: editors.length > 1 || (editors[0] ?? actor.userId) !== actor.userId ? editors : null,
    createdAt: now,
  });
  if (from.sharedBody) await markSharedBodySaved(trx, id, from.sharedBody.throughUpdateId);
  else if (body !== undefined) await adoptBodyIntoSharedDoc(trx, id, body, actor.userId, now);
  const changed = changedBetween(
    isHeldBack ? (detail.pending ?? snapshotOf(detail)) : snapshotOf(detail),
    held ?? snapshotOf(updated),
  );
  await recordAudit(trx, {
    userId: actor.userId,
    action: 'article.edit',
    subject: `article:${id}`,
    detail: { version: updated.version, changed, ...(isHeldBack ? { pending: true } : {}) },
    at: now,
  });
  return updated;
}

/** The editable content: the held-back edits when there are any, else the article. */
function editableSnapshot(detail: ArticleDetail): ArticleSnapshot {
  return detail.pending ?? snapshotOf(detail);
}

/**
 * A save made on the current version as it is; one made on an older version
 * keeps only the fields its sender changed, refused when someone else changed
 * one of those differently since (core/field-merge.ts).
 */
async function rebaseOnCurrent(
  trx: Kysely<Database>,
  id: number,
  sent: ArticlePatch,
  detail: ArticleDetail,
): Promise<ArticlePatch> {
  if (sent.version === detail.version) return sent;
  const base =
    sent.version < detail.version ? await snapshotAtVersion(trx, id, sent.version) : null;
  if (!base) {
    throw new DomainError(
      'version_conflict',
      `this article was changed by someone else since you opened it (you edited version ${sent.version}, it is now at ${detail.version})`,
      'version',
      detail,
    );
  }
  const { version: _, ...mine } = sent;
  const { apply, conflicts } = mergeFields(base, editableSnapshot(detail), mine);
  if (conflicts.length > 0) {
    throw new DomainError(
      'version_conflict',
      `someone else changed ${listFields(conflicts)} since you opened this article (you edited version ${sent.version}, it is now at ${detail.version})`,
      'version',
      detail,
    );
  }
  return {
    version: detail.version,
    ...Object.fromEntries(apply.map((field) => [field, sent[field]])),
  };
}

/** The content at `version`: the newest revision written at or before it (a transition alone writes none). */
async function snapshotAtVersion(
  db: Kysely<Database>,
  id: number,
  version: number,
): Promise<FieldValues | null> {
  const snapshot = await revisionSnapshotAt(db, id, version);
  return snapshot === null ? null : (snapshot as FieldValues);
}

/** Saves an edit in its own transaction (see saveContent). */
async function writeArticleUpdate(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  patch: ArticlePatch,
): Promise<ArticleDetail> {
  const now = newsroom.now().toISOString();
  return await newsroom.store.db
    .transaction()
    .execute((trx) => saveContent(trx, actor, id, patch, now, { goLive: false }));
}

/** Applies a named workflow transition (publish, schedule, correct…), with its audit entry. */
async function writeTransition(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  request: TransitionRequest,
  reviewedVersion?: number,
  changes?: ArticleChanges,
  bodyState?: Snapshot,
): Promise<ArticleDetail> {
  const now = newsroom.now().toISOString();
  let isQueued = false;
  let mails: PendingMail[] = [];
  // The text on the person's screen must have reached the shared document.
  if (bodyState) await sharedDocHolds(newsroom, id, bodyState);
  const detail = await newsroom.store.db.transaction().execute(async (trx) => {
    await lockArticle(trx, id);
    // The shared document's latest text is the body the transition acts on.
    const shared = await readSharedBody(trx, id);
    if (shared) await saveSharedBodyIn(trx, actor, id, shared, now);
    const read = await loadDetail(trx, actor, id);
    if (reviewedVersion !== undefined && reviewedVersion !== read.article.version) {
      // Others' edits since: only the shared text may have changed, and only
      // with the person's screen holding every word of it.
      const base = await snapshotAtVersion(trx, id, reviewedVersion);
      const sawText =
        shared !== null && bodyState !== undefined && snapshotCovers(bodyState, shared.snapshot);
      const unseen = base
        ? changedBetween(base, editableSnapshot(read.detail)).filter(
            (field) => !(field === 'body' && sawText),
          )
        : [];
      if (!base || unseen.length > 0) {
        throw new DomainError(
          'version_conflict',
          `the article changed since you read it (you read version ${reviewedVersion}, it is now at ${read.article.version}${unseen.length > 0 ? `: ${listFields(unseen)}` : ''}): read it again first`,
          'version',
          read.detail,
        );
      }
    }
    const hasChanges = changes !== undefined && Object.keys(namedOnly(changes)).length > 0;
    if (hasChanges && reviewedVersion === undefined) {
      throw new DomainError(
        'invalid_input',
        'version: name the version the changes were made on',
        'version',
      );
    }
    // The edits on screen and those held back from readers are saved first, in
    // this transaction: what the transition publishes is what the person saw,
    // and if the transition is refused nothing is written.
    if (hasChanges || read.detail.pending) {
      await saveContent(
        trx,
        actor,
        id,
        { ...changes, version: reviewedVersion ?? read.article.version },
        now,
        { goLive: true },
      );
    }
    const { article, detail, isOwn } =
      hasChanges || read.detail.pending ? await loadDetail(trx, actor, id) : read;
    const lead =
      article.leadMediaId === null
        ? null
        : (await getMediaByIds(trx, [article.leadMediaId])).get(article.leadMediaId);
    const result = applyTransition(
      {
        status: article.status,
        title: article.title,
        authorCount: detail.authors.length,
        leadPhoto: lead ? { hasCredit: lead.credit.length > 0, isOwnPhoto: lead.isOwnPhoto } : null,
        publishedAt: article.publishedAt,
        agency: await agencyState(trx, id),
      },
      request,
      actor,
      { isOwn, now },
    );
    await setArticleWorkflow(trx, id, {
      status: result.status,
      publishedAt: result.publishedAt,
      scheduledAt: result.scheduledAt,
      updatedAt: now,
    });
    if (result.correction) {
      await insertCorrection(trx, {
        articleId: id,
        ...result.correction,
        userId: actor.userId,
        createdAt: now,
      });
    }
    await recordAudit(trx, {
      userId: actor.userId,
      action: `article.${request.name}`,
      subject: `article:${id}`,
      detail: {
        from: article.status,
        to: result.status,
        ...('at' in request ? { at: request.at } : {}),
        ...('note' in request ? { note: request.note.trim() } : {}),
        ...(result.correction ?? {}),
      },
      at: now,
    });
    await reindexArticles(trx, [id]);
    mails = await tellTheDesk(trx, actor, request, detail, now);
    // Its channels (Telegram…) hear of it in the same transaction: nothing is
    // sent for a transition that did not happen.
    isQueued = await queueForTransition(trx, {
      article,
      from: article.status,
      to: result.status,
      picked:
        request.name === 'publish' || request.name === 'schedule' ? request.channels : undefined,
      now,
    });
    return (await loadDetail(trx, actor, id)).detail;
  });
  if (isQueued) newsroom.distribute?.();
  void sendNotificationMail(newsroom, mails);
  if (request.name === 'send-back' || request.name === 'submit') newsroom.deskChanged?.();
  // Subscribers learn of a publication or a correction at once. The change is
  // committed by now: failing to announce it must not report it as failed.
  const announce = newsroom.announce;
  if (announce && (request.name === 'publish' || request.name === 'correct')) {
    await feedsOfArticle(newsroom, id).then(announce, () => undefined);
  }
  return detail;
}

/**
 * Who hears of a transition: the writers of an article sent back (with the
 * note), the editors of one submitted for review.
 */
async function tellTheDesk(
  trx: Kysely<Database>,
  actor: StaffActor,
  request: TransitionRequest,
  article: ArticleDetail,
  now: string,
): Promise<PendingMail[]> {
  if (request.name !== 'send-back' && request.name !== 'submit') return [];
  const users = (await listUsers(trx)).filter((user) => !user.disabledAt);
  const who = users.find((user) => user.id === actor.userId)?.name ?? 'The desk';
  const title = article.title || 'an untitled article';
  if (request.name === 'send-back') {
    const writers = new Set(article.authors.map((author) => author.personId));
    return await notify(
      trx,
      {
        userIds: users.filter((user) => writers.has(user.personId)).map((user) => user.id),
        kind: 'sent-back',
        articleId: article.id,
        actorId: actor.userId,
        text: `${who} sent “${title}” back to you: ${request.note.trim()}`,
      },
      now,
    );
  }
  return await notify(
    trx,
    {
      userIds: users.filter((user) => can(user, 'article.view-drafts')).map((user) => user.id),
      kind: 'submitted',
      articleId: article.id,
      actorId: actor.userId,
      text: `${who} submitted “${title}” for review`,
    },
    now,
  );
}

/**
 * Saves the shared document's text as the body, inside `trx`, when it differs
 * (a revision naming who typed it); notes it saved either way.
 */
async function saveSharedBodyIn(
  trx: Kysely<Database>,
  actor: StaffActor,
  id: number,
  shared: SharedBody,
  now: string,
): Promise<ArticleDetail | null> {
  const { detail } = await loadDetail(trx, actor, id);
  if (isSameBody(editableSnapshot(detail).body, shared.body)) {
    await markSharedBodySaved(trx, id, shared.throughUpdateId);
    return null;
  }
  return await saveContent(trx, actor, id, { version: detail.version, body: shared.body }, now, {
    goLive: false,
    sharedBody: shared,
  });
}

/**
 * Saves what was typed into the article's shared document as its body, on
 * behalf of `actor` (the last of the people who typed); null when the body
 * held it already. Run a moment after the typing (http/shared-doc-rooms.ts).
 */
export async function saveSharedBody(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<ArticleDetail | null> {
  const now = newsroom.now().toISOString();
  const saved = await newsroom.store.db.transaction().execute(async (trx) => {
    await lockArticle(trx, id);
    const shared = await readSharedBody(trx, id);
    return shared ? await saveSharedBodyIn(trx, actor, id, shared, now) : null;
  });
  if (saved) newsroom.articleSaved?.(id, saved.version);
  return saved;
}

/** How long a transition waits for the text on the person's screen to reach the server. */
const SHARED_TEXT_WAIT_MS = 5000;

/**
 * Waits until the shared document holds every change `wanted` names (the
 * state of the person's editor): refused if it does not arrive in time, as
 * publishing then would leave out words they can see.
 */
async function sharedDocHolds(newsroom: Newsroom, id: number, wanted: Snapshot): Promise<void> {
  const until = Date.now() + SHARED_TEXT_WAIT_MS;
  for (;;) {
    const shared = await readSharedBody(newsroom.store.db, id);
    if (shared === null || snapshotCovers(shared.snapshot, wanted)) return;
    if (Date.now() > until) {
      throw new DomainError(
        'text_not_saved',
        'the latest words on your screen have not reached the server yet: check your connection and try again',
        'bodyState',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One page of the newsroom's article list, with how many articles match in all. */
export type ArticleListPage = {
  articles: ArticleDetail[];
  total: number;
  page: number;
  pageSize: number;
};

/**
 * One page of the newsroom's article list, filtered and sorted, with the
 * count of all that match; contributors and authors see their own.
 */
export async function listArticlesForStaffMember(
  newsroom: Newsroom,
  actor: StaffActor,
  filter: {
    status?: string;
    section?: string;
    author?: number;
    language?: string;
    q?: string;
    origin?: 'agency' | 'newsroom';
    sort?: ArticleSortKey;
    order?: SortDirection;
    page?: number;
    pageSize?: number;
  },
): Promise<ArticleListPage> {
  const db = newsroom.store.db;
  const sections = await listSections(db);
  const root = filter.section?.replace(/^\/+|\/+$/g, '');
  const where: ArticleFilter = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(root
      ? {
          sectionIds: sectionAndDescendantIds({ path: root }, sections),
        }
      : {}),
    ...(filter.author ? { authorPersonId: filter.author } : {}),
    ...(filter.language ? { language: filter.language } : {}),
    ...(filter.q ? { titleContains: filter.q } : {}),
    ...(filter.origin ? { origin: filter.origin === 'agency' ? 'agency' : '' } : {}),
    ...(can(actor, 'article.view-drafts')
      ? {}
      : { ownedBy: { personId: actor.personId, userId: actor.userId } }),
  };
  const page = filter.page ?? 1;
  const pageSize = filter.pageSize ?? DEFAULT_PAGE_SIZE;
  const by = filter.sort ?? DEFAULT_ARTICLE_SORT.by;
  const [articles, total] = await Promise.all([
    listArticlesForStaff(db, {
      ...where,
      sort: { by, direction: filter.order ?? defaultSortDirection(by) },
      limit: pageSize,
      offset: (page - 1) * pageSize,
    }),
    countArticlesForStaff(db, where),
  ]);
  const details: ArticleDetail[] = [];
  for (const article of articles) details.push((await loadDetail(db, actor, article.id)).detail);
  return { articles: details, total, page, pageSize };
}

export type RevisionSummary = {
  id: number;
  version: number;
  createdAt: string;
  userName: string | null;
  /** Everyone whose typing it holds, when several typed into it together (co-editing). */
  editors?: string[];
  snapshot: StoredSnapshot;
};

/** Every revision of an article, newest first. */
export async function listRevisions(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<RevisionSummary[]> {
  const { isOwn } = await loadDetail(newsroom.store.db, actor, id);
  // Old versions may hold what was cut before publication (a source's name):
  // only the article's own authors and editors read its history.
  if (!isOwn && !can(actor, 'article.view-drafts')) {
    throw new DomainError(
      'not_allowed_for_role',
      "only the article's authors and editors read its history",
    );
  }
  const rows = await listRevisionRows(newsroom.store.db, id);
  const names = rows.some((row) => row.editorIds)
    ? new Map((await listUsers(newsroom.store.db)).map((user) => [user.id, user.name]))
    : new Map<number, string>();
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    createdAt: row.createdAt,
    userName: row.userName,
    ...(row.editorIds
      ? { editors: row.editorIds.map((userId) => names.get(userId) ?? 'a former colleague') }
      : {}),
    snapshot: row.snapshot as StoredSnapshot,
  }));
}

/** Restores an old revision's content as a new revision (history is never rewritten). */
export async function restoreRevision(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  revisionId: number,
  version: number,
): Promise<ArticleDetail> {
  const revision = (await listRevisionRows(newsroom.store.db, id)).find(
    (row) => row.id === revisionId,
  );
  if (!revision) throw new DomainError('not_found', `article ${id} has no revision ${revisionId}`);
  const snapshot = revision.snapshot as StoredSnapshot;
  const current = await getArticleForStaff(newsroom, actor, id);
  return await updateArticle(newsroom, actor, id, {
    version,
    ...patchOfSnapshot(snapshot),
    // A published article's address is fixed: restore content, not its place.
    ...(current.isSlugEditable ? { slug: snapshot.slug, section: snapshot.section } : {}),
  });
}

/**
 * Publishes every scheduled article whose time has come. Run by the server at
 * start (catching up after a restart) and then every half minute. An article
 * a rule now refuses (its photo credit was removed, the agency withheld it)
 * goes back to draft, with the refusal in the audit log, rather than being
 * tried again every half minute; other failures (the database away) leave it
 * scheduled for the next round.
 */
export async function publishDueArticles(newsroom: Newsroom): Promise<number[]> {
  // Processes sharing a PostgreSQL database take turns; one that finds another
  // at it skips this round, so an article is published once.
  const outcome = await withLease(newsroom.store.db, 'publish-due-articles', () =>
    publishDue(newsroom),
  );
  return outcome.ran ? outcome.value : [];
}

async function publishDue(newsroom: Newsroom): Promise<number[]> {
  const now = newsroom.now().toISOString();
  const due = await listDueScheduledArticles(newsroom.store.db, now);
  const published: number[] = [];
  for (const article of due) {
    try {
      await transitionArticle(newsroom, SYSTEM_ACTOR, article.id, { name: 'publish' });
      published.push(article.id);
    } catch (error) {
      const refused = error instanceof DomainError;
      await recordAudit(newsroom.store.db, {
        userId: null,
        action: 'article.publish-failed',
        subject: `article:${article.id}`,
        detail: { reason: refused ? error.code : 'error', message: (error as Error).message },
        at: now,
      });
      if (refused)
        await transitionArticle(newsroom, SYSTEM_ACTOR, article.id, { name: 'unschedule' });
    }
  }
  return published;
}

/**
 * Deletes for good what has been in the trash longer than TRASH_DAYS (run by
 * the scheduler). Each deletion is audited; the search index forgets them.
 */
export async function emptyTrash(newsroom: Newsroom): Promise<number[]> {
  const now = newsroom.now();
  const before = new Date(now.getTime() - TRASH_DAYS * 24 * 3600 * 1000).toISOString();
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const ids = await deleteTrashedBefore(trx, before);
    await reindexArticles(trx, ids);
    for (const id of ids) {
      await recordAudit(trx, {
        userId: null,
        action: 'article.delete',
        subject: `article:${id}`,
        detail: { reason: `in the trash for more than ${TRASH_DAYS} days` },
        at: now.toISOString(),
      });
    }
    return ids;
  });
}

/**
 * Links two articles as translations of one story (editors). Groups merge: if
 * either is already linked, all of them end up in one group. Each language may
 * appear once per group.
 */
async function writeTranslationLink(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  otherId: number,
): Promise<ArticleDetail> {
  if (!can(actor, 'article.link-translations'))
    throw new DomainError('not_allowed_for_role', 'only editors link translations');
  if (id === otherId)
    throw new DomainError(
      'invalid_input',
      'articleId: an article is not its own translation',
      'articleId',
    );
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const [article, other] = await Promise.all([getArticle(trx, id), getArticle(trx, otherId)]);
    if (!article) throw new DomainError('not_found', `there is no article ${id}`);
    if (!other) throw new DomainError('not_found', `there is no article ${otherId}`, 'articleId');
    const members = new Map<number, Article>([
      [article.id, article],
      [other.id, other],
    ]);
    for (const group of [article.translationGroup, other.translationGroup]) {
      if (group)
        for (const member of await listTranslationGroup(trx, group)) members.set(member.id, member);
    }
    const byLanguage = new Map<string, Article>();
    for (const member of members.values()) {
      const taken = byLanguage.get(member.language);
      if (taken) {
        throw new DomainError(
          'translation_language_taken',
          `"${taken.title}" and "${member.title}" are both in ${member.language}: a story has one article per language`,
          'articleId',
        );
      }
      byLanguage.set(member.language, member);
    }
    const group = article.translationGroup ?? other.translationGroup ?? newsroom.newId();
    await setTranslationGroup(trx, [...members.keys()], group);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'article.link-translation',
      subject: `article:${id}`,
      detail: { with: otherId, group },
      at: newsroom.now().toISOString(),
    });
    return (await loadDetail(trx, actor, id)).detail;
  });
}

/** Takes an article out of its translation group (editors); a group left with one article dissolves. */
async function writeTranslationUnlink(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<ArticleDetail> {
  if (!can(actor, 'article.link-translations'))
    throw new DomainError('not_allowed_for_role', 'only editors link translations');
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const article = await getArticle(trx, id);
    if (!article) throw new DomainError('not_found', `there is no article ${id}`);
    if (article.translationGroup) {
      const rest = (await listTranslationGroup(trx, article.translationGroup)).filter(
        (member) => member.id !== id,
      );
      await setTranslationGroup(trx, [id], null);
      if (rest.length === 1)
        await setTranslationGroup(
          trx,
          rest.map((member) => member.id),
          null,
        );
      await recordAudit(trx, {
        userId: actor.userId,
        action: 'article.unlink-translation',
        subject: `article:${id}`,
        detail: { group: article.translationGroup },
        at: newsroom.now().toISOString(),
      });
    }
    return (await loadDetail(trx, actor, id)).detail;
  });
}

/**
 * Runs a write to these articles and then tells the page cache what readers
 * could see change: each article as it was and as it is (a listing it left
 * is purged too). Unpublished articles touch nothing.
 */
async function publicChange<T>(
  newsroom: Newsroom,
  ids: number[],
  write: () => Promise<T>,
): Promise<T> {
  const states = () =>
    Promise.all(
      ids.map((id) =>
        loadDetail(newsroom.store.db, SYSTEM_ACTOR, id).then(
          ({ detail }) => detail,
          () => null,
        ),
      ),
    );
  const before = newsroom.changed ? await states() : [];
  const result = await write();
  if (newsroom.changed) {
    const tags = articleChangeTags(...before, ...(await states()));
    if (tags.length > 0) newsroom.changed(tags);
  }
  return result;
}

/** Saves an edit (see writeArticleUpdate); a published article's pages are purged. */
export async function updateArticle(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  patch: ArticlePatch,
): Promise<ArticleDetail> {
  // A published article's edits are held back: readers see nothing new, so
  // nothing is purged (its autosaves would otherwise empty its cache every few seconds).
  const saved =
    (await getArticle(newsroom.store.db, id))?.status === 'published'
      ? await writeArticleUpdate(newsroom, actor, id, patch)
      : await publicChange(newsroom, [id], () => writeArticleUpdate(newsroom, actor, id, patch));
  newsroom.articleSaved?.(id, saved.version);
  return saved;
}

/** Applies a workflow transition (see writeTransition); what it shows or hides is purged. */
export async function transitionArticle(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  request: TransitionRequest,
  reviewedVersion?: number,
  changes?: ArticleChanges,
  bodyState?: Snapshot,
): Promise<ArticleDetail> {
  const done = await publicChange(newsroom, [id], () =>
    writeTransition(newsroom, actor, id, request, reviewedVersion, changes, bodyState),
  );
  newsroom.articleSaved?.(id, done.version);
  // Who may edit it changed with its state (a contributor's submitted article is the desk's).
  newsroom.rightsChanged?.();
  return done;
}

/** Links two articles as translations (see writeTranslationLink). */
export async function linkTranslation(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
  otherId: number,
): Promise<ArticleDetail> {
  return publicChange(newsroom, [id, otherId], () =>
    writeTranslationLink(newsroom, actor, id, otherId),
  );
}

/** Unlinks an article from its translations (see writeTranslationUnlink). */
export async function unlinkTranslation(
  newsroom: Newsroom,
  actor: StaffActor,
  id: number,
): Promise<ArticleDetail> {
  return publicChange(newsroom, [id], () => writeTranslationUnlink(newsroom, actor, id));
}
