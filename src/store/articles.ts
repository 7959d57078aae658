import { type Kysely, sql } from 'kysely';
import type { ArticleSort } from '../core/article-list.js';
import { articleLabelSchema } from '../core/labels.js';
import { sectionIdsInTreeOrder } from '../core/section-path.js';
import { UNTITLED_SLUG } from '../core/slug.js';
import type { Article, Byline, Source } from '../core/types.js';
import { STATUSES } from '../core/workflow.js';
import { dialectOf } from './dialect.js';
import { toArticle, toPerson } from './rows.js';
import type { Database } from './schema.js';
import { listSections } from './sections.js';

/**
 * The search and social presentation and the label: new articles take the
 * page's own (and no label) unless told otherwise.
 */
type Presentation = 'metaTitle' | 'metaDescription' | 'socialImageId' | 'label';

export type NewArticle = Omit<
  Article,
  'id' | 'version' | 'scheduledAt' | 'translationGroup' | Presentation
> &
  Partial<Pick<Article, Presentation>> & {
    createdAt: string;
    createdByUserId?: number | null;
  };

/** The row of a new article, as first written (version 1, not scheduled, in no translation group). */
function newArticleRow(article: NewArticle) {
  return {
    uuid: article.uuid,
    slug: article.slug,
    section_id: article.sectionId,
    language: article.language,
    translation_group: null,
    status: article.status,
    title: article.title,
    standfirst: article.standfirst,
    body_json: JSON.stringify(article.body),
    lead_media_id: article.leadMediaId,
    meta_title: article.metaTitle ?? '',
    meta_description: article.metaDescription ?? '',
    social_media_id: article.socialImageId ?? null,
    label: article.label ?? null,
    published_at: article.publishedAt,
    scheduled_at: null,
    created_by_user_id: article.createdByUserId ?? null,
    created_at: article.createdAt,
    updated_at: article.updatedAt,
    version: 1,
  };
}

export async function insertArticle(db: Kysely<Database>, article: NewArticle): Promise<Article> {
  const row = await db
    .insertInto('article')
    .values(newArticleRow(article))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toArticle(row);
}

/**
 * Writes a new article and answers only its id (its version is 1). For a
 * writer that has just validated the body itself (an import): reading the
 * article back, as insertArticle does, would parse and check the body again,
 * which for a large import costs as much as the insert.
 */
export async function insertArticleForId(
  db: Kysely<Database>,
  article: NewArticle,
): Promise<number> {
  const row = await db
    .insertInto('article')
    .values(newArticleRow(article))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Rewrites an article's content and bumps its version (every save is a new version). */
export async function updateArticleContent(
  db: Kysely<Database>,
  id: number,
  article: Pick<
    Article,
    'title' | 'standfirst' | 'body' | 'language' | 'leadMediaId' | 'updatedAt'
  > & {
    publishedAt?: string | null;
  },
): Promise<void> {
  await db
    .updateTable('article')
    .set((eb) => ({
      title: article.title,
      standfirst: article.standfirst,
      body_json: JSON.stringify(article.body),
      language: article.language,
      lead_media_id: article.leadMediaId,
      updated_at: article.updatedAt,
      version: eb('version', '+', 1),
      ...(article.publishedAt ? { published_at: article.publishedAt } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

export async function getArticle(db: Kysely<Database>, id: number): Promise<Article | null> {
  const row = await db.selectFrom('article').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toArticle(row) : null;
}

/**
 * Holds the article's row for the rest of the transaction, so that two
 * processes changing its state at once (two editors, two schedulers) take
 * turns and the second sees what the first did. SQLite transactions already
 * take turns (one writer), so only PostgreSQL needs the row lock.
 */
export async function lockArticle(trx: Kysely<Database>, id: number): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await trx.selectFrom('article').select('id').where('id', '=', id).forUpdate().execute();
}

export async function findArticleBySlug(
  db: Kysely<Database>,
  sectionId: number,
  slug: string,
): Promise<Article | null> {
  const row = await db
    .selectFrom('article')
    .selectAll()
    .where('section_id', '=', sectionId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row ? toArticle(row) : null;
}

/** Published articles, newest first, optionally only in the given sections. */
/** Which published articles a listing holds (see newsroom/read-site.ts listingFilter). */
export type PublishedFilter = {
  sectionIds?: number[];
  language?: string;
  authorPersonId?: number;
  tagSlug?: string;
  /** Only articles published at or after this instant (ISO). */
  publishedSince?: string;
};

/** The published articles matching `filter`, as a query to select from; null when none can match. */
function publishedWhere(db: Kysely<Database>, filter: PublishedFilter) {
  let query = db.selectFrom('article').where('status', '=', 'published');
  if (filter.sectionIds) {
    if (filter.sectionIds.length === 0) return null;
    query = query.where('section_id', 'in', filter.sectionIds);
  }
  if (filter.language) query = query.where('language', '=', filter.language);
  if (filter.publishedSince) query = query.where('published_at', '>=', filter.publishedSince);
  if (filter.authorPersonId !== undefined) {
    const personId = filter.authorPersonId;
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('article_author').select('article_id').where('person_id', '=', personId),
    );
  }
  if (filter.tagSlug !== undefined) {
    const slug = filter.tagSlug;
    query = query.where('id', 'in', (eb) =>
      eb
        .selectFrom('article_tag')
        .innerJoin('tag', 'tag.id', 'article_tag.tag_id')
        .select('article_tag.article_id')
        .where('tag.slug', '=', slug),
    );
  }
  return query;
}

export async function listPublishedArticles(
  db: Kysely<Database>,
  options: PublishedFilter & { limit: number; offset?: number },
): Promise<Article[]> {
  const query = publishedWhere(db, options);
  if (!query) return [];
  const rows = await query
    .selectAll()
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toArticle);
}

/**
 * Published articles related to `article`: those sharing the most topics with
 * it first (newest first among equals), then the newest of its section; in its
 * language, never itself or its translations. Computed here, from the
 * newsroom's own tags: no recommendation service sees the reader.
 */
export async function listRelatedArticles(
  db: Kysely<Database>,
  article: Pick<Article, 'id' | 'sectionId' | 'language' | 'translationGroup'>,
  limit: number,
): Promise<ArticleSummary[]> {
  // Ids first, from narrow rows (an article's body is large, and grouping or
  // sorting whole rows made every uncached article page half as fast), then
  // the few articles themselves.
  let candidates = db
    .selectFrom('article')
    .where('article.status', '=', 'published')
    .where('article.language', '=', article.language)
    .where('article.id', '!=', article.id);
  if (article.translationGroup !== null)
    candidates = candidates.where((eb) =>
      eb.or([
        eb('article.translation_group', 'is', null),
        eb('article.translation_group', '!=', article.translationGroup),
      ]),
    );
  // From the article's few topics to the articles that share them (the
  // article_tag_tag index), not from every article to its topics.
  const tagIds = (
    await db
      .selectFrom('article_tag')
      .select('tag_id')
      .where('article_id', '=', article.id)
      .execute()
  ).map((row) => row.tag_id);
  const byTopic =
    tagIds.length === 0
      ? []
      : await candidates
          .innerJoin('article_tag as shared', 'shared.article_id', 'article.id')
          .where('shared.tag_id', 'in', tagIds)
          .select('article.id')
          .groupBy(['article.id', 'article.published_at'])
          .orderBy((eb) => eb.fn.countAll(), 'desc')
          .orderBy('article.published_at', 'desc')
          .orderBy('article.id', 'desc')
          .limit(limit)
          .execute();
  const ids = byTopic.map((row) => row.id);
  if (ids.length < limit) {
    const bySection = await candidates
      .where('article.section_id', '=', article.sectionId)
      .select('article.id')
      .orderBy('article.published_at', 'desc')
      .orderBy('article.id', 'desc')
      .limit(limit + ids.length)
      .execute();
    for (const row of bySection) if (ids.length < limit && !ids.includes(row.id)) ids.push(row.id);
  }
  return await getPublishedSummariesByIds(db, ids);
}

/**
 * What a teaser needs of an article, without its body: parsing and checking
 * a stored document is the costly part of reading an article.
 */
export type ArticleSummary = Pick<
  Article,
  | 'id'
  | 'slug'
  | 'sectionId'
  | 'language'
  | 'title'
  | 'standfirst'
  | 'leadMediaId'
  | 'label'
  | 'publishedAt'
>;

/** The published ones among `ids` as summaries, in the order of `ids`. */
export async function getPublishedSummariesByIds(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<ArticleSummary[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('article')
    .select([
      'id',
      'slug',
      'section_id',
      'language',
      'title',
      'standfirst',
      'lead_media_id',
      'label',
      'published_at',
    ])
    .where('id', 'in', [...ids])
    .where('status', '=', 'published')
    .execute();
  const byId = new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        slug: row.slug,
        sectionId: row.section_id,
        language: row.language,
        title: row.title,
        standfirst: row.standfirst,
        leadMediaId: row.lead_media_id,
        label: articleLabelSchema.parse(row.label),
        publishedAt: row.published_at,
      },
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** How many published articles match `filter` (a listing's "12 articles"). */
export async function countPublishedArticles(
  db: Kysely<Database>,
  filter: PublishedFilter,
): Promise<number> {
  const query = publishedWhere(db, filter);
  if (!query) return 0;
  const row = await query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** What a sitemap needs of a published article, newest first (no bodies: a whole archive is read). */
export type ArticleStub = Pick<
  Article,
  'id' | 'sectionId' | 'slug' | 'title' | 'language' | 'publishedAt' | 'updatedAt'
>;

export async function listPublishedArticleStubs(db: Kysely<Database>): Promise<ArticleStub[]> {
  const rows = await db
    .selectFrom('article')
    .select(['id', 'section_id', 'slug', 'title', 'language', 'published_at', 'updated_at'])
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    sectionId: row.section_id,
    slug: row.slug,
    title: row.title,
    language: row.language,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
  }));
}

export async function replaceArticleAuthors(
  db: Kysely<Database>,
  articleId: number,
  authors: { personId: number; label: string | null }[],
): Promise<void> {
  await db.deleteFrom('article_author').where('article_id', '=', articleId).execute();
  if (authors.length === 0) return;
  await db
    .insertInto('article_author')
    .values(
      authors.map((author, position) => ({
        article_id: articleId,
        person_id: author.personId,
        position,
        label: author.label,
      })),
    )
    .execute();
}

/**
 * Adds bylines to articles that have none yet (new ones, in an import),
 * several articles in one statement: `position` orders an article's bylines.
 */
export async function insertArticleAuthors(
  db: Kysely<Database>,
  rows: readonly { articleId: number; personId: number; position: number; label: string | null }[],
): Promise<void> {
  // Four parameters a row: well under SQLite's limit (32 766) and PostgreSQL's (65 535).
  for (let start = 0; start < rows.length; start += AUTHOR_ROWS_PER_STATEMENT) {
    await db
      .insertInto('article_author')
      .values(
        rows.slice(start, start + AUTHOR_ROWS_PER_STATEMENT).map((row) => ({
          article_id: row.articleId,
          person_id: row.personId,
          position: row.position,
          label: row.label,
        })),
      )
      .execute();
  }
}

const AUTHOR_ROWS_PER_STATEMENT = 1000;

export async function replaceArticleSources(
  db: Kysely<Database>,
  articleId: number,
  sources: Source[],
): Promise<void> {
  await db.deleteFrom('article_source').where('article_id', '=', articleId).execute();
  if (sources.length === 0) return;
  await db
    .insertInto('article_source')
    .values(sources.map((source, position) => ({ article_id: articleId, position, ...source })))
    .execute();
}

/** Bylines of the given articles, keyed by article id, in byline order. */
export async function getBylines(
  db: Kysely<Database>,
  articleIds: number[],
): Promise<Map<number, Byline[]>> {
  const out = new Map<number, Byline[]>();
  if (articleIds.length === 0) return out;
  const rows = await db
    .selectFrom('article_author')
    .innerJoin('person', 'person.id', 'article_author.person_id')
    .selectAll('person')
    .select(['article_author.article_id', 'article_author.label'])
    .where('article_author.article_id', 'in', articleIds)
    .orderBy('article_author.position')
    .execute();
  for (const row of rows) {
    const list = out.get(row.article_id) ?? [];
    list.push({ person: toPerson(row), label: row.label });
    out.set(row.article_id, list);
  }
  return out;
}

/** Every article's sources, in their order, by article id (for an export of the whole site). */
export async function listArticleSources(db: Kysely<Database>): Promise<Map<number, Source[]>> {
  const rows = await db
    .selectFrom('article_source')
    .select(['article_id', 'name', 'url'])
    .orderBy('article_id')
    .orderBy('position')
    .execute();
  const byArticle = new Map<number, Source[]>();
  for (const row of rows) {
    const list = byArticle.get(row.article_id) ?? [];
    list.push({ name: row.name, url: row.url });
    byArticle.set(row.article_id, list);
  }
  return byArticle;
}

export async function getArticleSources(
  db: Kysely<Database>,
  articleId: number,
): Promise<Source[]> {
  const rows = await db
    .selectFrom('article_source')
    .select(['name', 'url'])
    .where('article_id', '=', articleId)
    .orderBy('position')
    .execute();
  return rows;
}

/** Sets the workflow columns after a transition. */
export async function setArticleWorkflow(
  db: Kysely<Database>,
  id: number,
  state: {
    status: string;
    publishedAt: string | null;
    scheduledAt: string | null;
    updatedAt: string;
  },
): Promise<void> {
  await db
    .updateTable('article')
    .set({
      status: state.status,
      trashed_at: state.status === 'trashed' ? state.updatedAt : null,
      published_at: state.publishedAt,
      scheduled_at: state.scheduledAt,
      updated_at: state.updatedAt,
    })
    .where('id', '=', id)
    .execute();
}

/** Rewrites the editable fields and bumps the version, only if the version is still `version`. */
export async function updateArticleIfVersion(
  db: Kysely<Database>,
  id: number,
  version: number,
  fields: Pick<
    Article,
    | 'title'
    | 'standfirst'
    | 'body'
    | 'language'
    | 'leadMediaId'
    | Presentation
    | 'slug'
    | 'sectionId'
    | 'updatedAt'
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('article')
    .set((eb) => ({
      title: fields.title,
      standfirst: fields.standfirst,
      body_json: JSON.stringify(fields.body),
      language: fields.language,
      lead_media_id: fields.leadMediaId,
      meta_title: fields.metaTitle,
      meta_description: fields.metaDescription,
      social_media_id: fields.socialImageId,
      label: fields.label,
      slug: fields.slug,
      section_id: fields.sectionId,
      updated_at: fields.updatedAt,
      // The live text is now the latest: nothing waits any more.
      pending_json: null,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type ArticleFilter = {
  status?: string;
  sectionIds?: number[];
  authorPersonId?: number;
  language?: string;
  titleContains?: string;
  /** 'agency' for wire copy, '' for the newsroom's own. */
  origin?: string;
  /** Only articles this person writes or this user created (contributors and authors). */
  ownedBy?: { personId: number | null; userId: number | null };
};

/** One page of the list: which order, how many, from where. */
export type ArticlePageRequest = {
  limit: number;
  offset?: number;
  /** Most recently changed first when not given. */
  sort?: ArticleSort;
};

/** The articles matching `filter` (trashed ones only when asked for), before ordering and paging. */
function filteredArticles(db: Kysely<Database>, filter: ArticleFilter) {
  let query = db.selectFrom('article');
  // The trash is its own list: other lists never show what was thrown away.
  query = query.where('article.status', filter.status ? '=' : '!=', filter.status ?? 'trashed');
  if (filter.sectionIds) query = query.where('article.section_id', 'in', filter.sectionIds);
  if (filter.language) query = query.where('article.language', '=', filter.language);
  if (filter.origin !== undefined) query = query.where('article.origin', '=', filter.origin);
  if (filter.titleContains) {
    const pattern = `%${filter.titleContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(article.title) like lower(${pattern}) escape '\\'`);
  }
  if (filter.authorPersonId !== undefined) {
    const personId = filter.authorPersonId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_author')
          .select('article_author.article_id')
          .whereRef('article_author.article_id', '=', 'article.id')
          .where('article_author.person_id', '=', personId),
      ),
    );
  }
  if (filter.ownedBy) {
    const { personId, userId } = filter.ownedBy;
    query = query.where((eb) =>
      eb.or([
        eb('article.created_by_user_id', '=', userId ?? -1),
        eb.exists(
          eb
            .selectFrom('article_author')
            .select('article_author.article_id')
            .whereRef('article_author.article_id', '=', 'article.id')
            .where('article_author.person_id', '=', personId ?? -1),
        ),
      ]),
    );
  }
  return query;
}

// Statuses sort in workflow order (draft first), not by their codes' spelling.
const statusRank = sql<number>`case article.status ${sql.join(
  STATUSES.map((status, rank) => sql`when ${status} then ${sql.lit(rank)}`),
  sql` `,
)} else ${sql.lit(STATUSES.length)} end`;

/**
 * Articles in any state for the newsroom's list, one page of them, most
 * recently changed first unless `page.sort` says otherwise. Every order ends
 * on the id, so pages neither repeat nor skip an article.
 */
export async function listArticlesForStaff(
  db: Kysely<Database>,
  filter: ArticleFilter & ArticlePageRequest,
): Promise<Article[]> {
  if (filter.sectionIds?.length === 0) return [];
  const { by, direction } = filter.sort ?? { by: 'updated', direction: 'desc' };
  let query = filteredArticles(db, filter).selectAll('article');
  switch (by) {
    case 'updated':
      query = query.orderBy('article.updated_at', direction);
      break;
    case 'published':
      // Never published (null) goes last either way: PostgreSQL and SQLite disagree where nulls go.
      query = query
        .orderBy(sql`case when article.published_at is null then 1 else 0 end`)
        .orderBy('article.published_at', direction);
      break;
    case 'title':
      // lower() folds all of Unicode on both databases (database.ts gives SQLite one that does).
      query = query.orderBy(sql`lower(article.title)`, direction);
      break;
    case 'status':
      query = query.orderBy(statusRank, direction).orderBy('article.updated_at', 'desc');
      break;
    case 'section': {
      // In the newsroom's order of sections (as its navigation and menus show
      // them), each followed by its subsections: not by the slugs' spelling.
      const order = sectionIdsInTreeOrder(await listSections(db));
      const rank = sql`case article.section_id ${sql.join(
        order.map((id, index) => sql`when ${id} then ${index}`),
        sql` `,
      )} else ${order.length} end`;
      query = query.orderBy(rank, direction).orderBy('article.updated_at', 'desc');
      break;
    }
  }
  const rows = await query
    .orderBy('article.id', direction)
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map(toArticle);
}

/** How many articles `listArticlesForStaff` would list with no limit: counted in SQL. */
export async function countArticlesForStaff(
  db: Kysely<Database>,
  filter: ArticleFilter,
): Promise<number> {
  if (filter.sectionIds?.length === 0) return 0;
  const row = await filteredArticles(db, filter)
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  // PostgreSQL answers count(*) as a bigint, which pg hands over as a string.
  return Number(row.count);
}

/** Scheduled articles whose time has come. */
export async function listDueScheduledArticles(
  db: Kysely<Database>,
  now: string,
): Promise<Article[]> {
  const rows = await db
    .selectFrom('article')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('scheduled_at', '<=', now)
    .orderBy('scheduled_at')
    .execute();
  return rows.map(toArticle);
}

/** The articles of a translation group, by language: all of them, or only the published ones. */
export async function listTranslationGroup(
  db: Kysely<Database>,
  group: string,
  options: { publishedOnly: boolean } = { publishedOnly: false },
): Promise<Article[]> {
  let query = db.selectFrom('article').selectAll().where('translation_group', '=', group);
  if (options.publishedOnly) query = query.where('status', '=', 'published');
  const rows = await query.orderBy('language').execute();
  return rows.map(toArticle);
}

/** Puts articles into a translation group (null takes them out). */
export async function setTranslationGroup(
  db: Kysely<Database>,
  ids: number[],
  group: string | null,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('article')
    .set({ translation_group: group })
    .where('id', 'in', ids)
    .execute();
}

/**
 * `wanted` if no other article in the section has it, else the first free
 * "wanted-2", "wanted-3"… (`ownId`: the article being moved or renamed).
 */
export async function freeSlug(
  db: Kysely<Database>,
  sectionId: number,
  wanted: string,
  ownId?: number,
): Promise<string> {
  const base = wanted || UNTITLED_SLUG;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const taken = await findArticleBySlug(db, sectionId, candidate);
    if (!taken || taken.id === ownId) return candidate;
  }
}

/** The edits waiting on a published article (a snapshot as stored), or null. */
export async function getPendingChanges(db: Kysely<Database>, id: number): Promise<unknown> {
  const row = await db
    .selectFrom('article')
    .select('pending_json')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.pending_json ? (JSON.parse(row.pending_json) as unknown) : null;
}

/**
 * Stores (or, with null, drops) the edits waiting on a published article and
 * bumps its version, only if the version is still `version`: a pending save is
 * a save like any other under the version check.
 */
export async function setPendingChangesIfVersion(
  db: Kysely<Database>,
  id: number,
  version: number,
  pending: object | null,
  updatedAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable('article')
    .set((eb) => ({
      pending_json: pending === null ? null : JSON.stringify(pending),
      updated_at: updatedAt,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** When a trashed article went to the trash (null if it is not in the trash). */
export async function getTrashedAt(db: Kysely<Database>, id: number): Promise<string | null> {
  const row = await db
    .selectFrom('article')
    .select('trashed_at')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.trashed_at ?? null;
}

/**
 * Deletes for good the articles trashed before `before`; their authors,
 * sources, tags, revisions and corrections go with them (foreign keys cascade).
 * Answers the ids deleted.
 */
export async function deleteTrashedBefore(db: Kysely<Database>, before: string): Promise<number[]> {
  const rows = await db
    .selectFrom('article')
    .select('id')
    .where('status', '=', 'trashed')
    .where('trashed_at', '<', before)
    .execute();
  const ids = rows.map((row) => row.id);
  if (ids.length > 0) await db.deleteFrom('article').where('id', 'in', ids).execute();
  return ids;
}
