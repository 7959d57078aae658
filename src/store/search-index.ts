import { type Kysely, sql } from 'kysely';
import { formatCreditChain } from '../core/credit.js';
import { articleCaptions, articleMediaIds, plainText } from '../core/document.js';
import {
  ftsMatchExpression,
  type SearchQuery,
  stemmedText,
  tsQueryExpression,
} from '../core/search-text.js';
import type { Article } from '../core/types.js';
import { getBylines } from './articles.js';
import { dialectOf } from './dialect.js';
import { articlesUsingMedia, getMediaByIds } from './media.js';
import { toArticle } from './rows.js';
import type { Database } from './schema.js';
import { getArticleTags } from './tags.js';

// The search index: one row per published article, its fields as stems. Every
// write that changes what a published article says (its text, bylines, tags,
// photo captions and credits, its state) calls reindexArticles inside its own
// transaction, so the index never disagrees with the pages.

/**
 * What a writer already knows of an article's body as it is stored, so that
 * the index need not read it back and parse it again (an import of thousands
 * of posts): its text as stems, the captions it writes itself, the photos it
 * shows (lead photo first).
 */
export type KnownBody = { stems: string; captions: string[]; mediaIds: number[] };

/**
 * Rebuilds the index rows of these articles: published ones are (re)written,
 * others removed. `known`: bodies the caller holds (see KnownBody); the
 * others are read from the database.
 */
export async function reindexArticles(
  db: Kysely<Database>,
  ids: readonly number[],
  known: ReadonlyMap<number, KnownBody> = new Map(),
): Promise<void> {
  const unique = [...new Set(ids)];
  // In batches: a large import must neither hold every article in memory at
  // once nor bind more SQL parameters than SQLite allows (32 766).
  for (let start = 0; start < unique.length; start += REINDEX_BATCH) {
    await reindexBatch(db, unique.slice(start, start + REINDEX_BATCH), known);
  }
}

const REINDEX_BATCH = 500;

// The index row's key: FTS5's rowid on SQLite, a column on PostgreSQL.
function keyColumn(db: Kysely<Database>) {
  return sql.raw(dialectOf(db) === 'postgres' ? 'article_id' : 'rowid');
}

async function reindexBatch(
  db: Kysely<Database>,
  unique: number[],
  known: ReadonlyMap<number, KnownBody>,
): Promise<void> {
  if (unique.length === 0) return;
  const key = keyColumn(db);
  await sql`delete from article_search where ${key} in (${sql.join(unique)})`.execute(db);
  const isAllKnown = unique.every((id) => known.has(id));
  const rows: { id: number; stems: string[] }[] = isAllKnown
    ? await knownSearchStems(db, unique, known)
    : (await publishedSearchTexts(db, unique)).map(({ article, fields }) => ({
        id: article.id,
        stems: fields.map(stemmedText),
      }));
  for (const { id, stems } of rows) {
    await sql`insert into article_search (${key}, headline, standfirst, body, authors, tags, captions)
      values (${id}, ${sql.join(stems)})`.execute(db);
  }
}

/** What an article shows, for its index row: the fields a body gives, without the body itself. */
type Shown = {
  id: number;
  title: string;
  standfirst: string;
  /** The captions its text writes itself. */
  captions: string[];
  /** Its photos, lead photo first. */
  mediaIds: number[];
};

/**
 * The fields of these articles' index rows besides the body's text, in
 * core's SEARCH_FIELDS order with the body's place left empty: headline,
 * standfirst, authors' names, tag names, and the captions, alt text and
 * credits of the photos shown.
 */
async function fieldsBesideBody(
  db: Kysely<Database>,
  articles: readonly Shown[],
): Promise<Map<number, string[]>> {
  const articleIds = articles.map((article) => article.id);
  const [bylines, tags, media] = await Promise.all([
    getBylines(db, articleIds),
    getArticleTags(db, articleIds),
    getMediaByIds(db, [...new Set(articles.flatMap((article) => article.mediaIds))]),
  ]);
  const fields = new Map<number, string[]>();
  for (const article of articles) {
    // Each photo once, in the order the article shows them.
    const shown = [...new Set(article.mediaIds)].flatMap((id) => media.get(id) ?? []);
    const captions = shown.map((item) =>
      [item.caption, item.alt, formatCreditChain(item.credit), item.creator].join(' '),
    );
    fields.set(article.id, [
      article.title,
      article.standfirst,
      '',
      (bylines.get(article.id) ?? []).map((byline) => byline.person.name).join(' '),
      (tags.get(article.id) ?? []).map((tag) => tag.name).join(' '),
      [...article.captions, ...captions].join(' '),
    ]);
  }
  return fields;
}

/** The index rows' stems of the published ones among articles whose bodies the caller knows. */
async function knownSearchStems(
  db: Kysely<Database>,
  ids: readonly number[],
  known: ReadonlyMap<number, KnownBody>,
): Promise<{ id: number; stems: string[] }[]> {
  const rows = await db
    .selectFrom('article')
    .select(['id', 'title', 'standfirst'])
    .where('id', 'in', [...ids])
    .where('status', '=', 'published')
    .orderBy('id')
    .execute();
  const articles = rows.flatMap((row) => {
    const body = known.get(row.id);
    return body ? [{ ...row, captions: body.captions, mediaIds: body.mediaIds }] : [];
  });
  const fields = await fieldsBesideBody(db, articles);
  return articles.map((article) => ({
    id: article.id,
    stems: (fields.get(article.id) ?? []).map((field, index) =>
      index === BODY_FIELD ? (known.get(article.id)?.stems ?? '') : stemmedText(field),
    ),
  }));
}

/** Where the body's text is among an index row's fields. */
const BODY_FIELD = 2;

/** What search reads of a published article, field by field (in core's SEARCH_FIELDS order). */
export type SearchTexts = { article: Article; fields: string[] };

/**
 * The text search reads of these articles (the published ones among them):
 * headline, standfirst, body, authors' names, tag names, and photos'
 * captions, alt text and credits. The index stores their stems; a static
 * mirror builds its in-browser index from the same text. In id order.
 */
export async function publishedSearchTexts(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<SearchTexts[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('article')
    .selectAll()
    .where('id', 'in', [...ids])
    .where('status', '=', 'published')
    .orderBy('id')
    .execute();
  if (rows.length === 0) return [];
  const articles = rows.map(toArticle);
  const fields = await fieldsBesideBody(
    db,
    articles.map((article) => ({
      ...article,
      captions: articleCaptions(article.body),
      mediaIds: articleMediaIds(article),
    })),
  );
  return articles.map((article) => ({
    article,
    fields: (fields.get(article.id) ?? []).map((field, index) =>
      index === BODY_FIELD ? plainText(article.body) : field,
    ),
  }));
}

/**
 * Every published article's search text, in id order, read 500 at a time;
 * only ids from `first` to `last` when given.
 */
export async function* allPublishedSearchTexts(
  db: Kysely<Database>,
  { first = 0, last = null }: { first?: number; last?: number | null } = {},
): AsyncGenerator<SearchTexts> {
  let after = first - 1;
  for (;;) {
    const ids = await db
      .selectFrom('article')
      .select('id')
      .where('status', '=', 'published')
      .where('id', '>', after)
      .$if(last !== null, (query) => query.where('id', '<=', last ?? 0))
      .orderBy('id')
      .limit(500)
      .execute();
    if (ids.length === 0) return;
    after = ids.at(-1)?.id ?? after;
    yield* await publishedSearchTexts(
      db,
      ids.map((row) => row.id),
    );
  }
}

/**
 * Fills the index when it does not hold every published article: after
 * migration 006 on an existing site, or when a backfill was interrupted.
 * Runs at every start; counting both tables is cheap.
 */
export async function ensureSearchIndex(db: Kysely<Database>): Promise<void> {
  const [published, indexed] = await Promise.all([
    db
      .selectFrom('article')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow(),
    sql<{ n: number }>`select count(*) as n from article_search`.execute(db),
  ]);
  if (Number(published.n) !== Number(indexed.rows[0]?.n ?? 0)) await reindexAllArticles(db);
}

/** Rebuilds the whole index, in batches, in one transaction. */
export async function reindexAllArticles(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`delete from article_search`.execute(trx);
    const rows = await trx
      .selectFrom('article')
      .select('id')
      .where('status', '=', 'published')
      .execute();
    for (let at = 0; at < rows.length; at += 200)
      await reindexArticles(
        trx,
        rows.slice(at, at + 200).map((row) => row.id),
      );
  });
}

/** Ids of the articles that show this photo or carry this tag (whose change must reach the index). */
export async function articlesShowing(
  db: Kysely<Database>,
  what: { mediaId?: number; tagSlug?: string },
): Promise<number[]> {
  const ids = new Set<number>();
  if (what.mediaId !== undefined) {
    for (const article of await articlesUsingMedia(db, what.mediaId)) ids.add(article.id);
  }
  if (what.tagSlug !== undefined) {
    const rows = await db
      .selectFrom('article_tag')
      .innerJoin('tag', 'tag.id', 'article_tag.tag_id')
      .select('article_tag.article_id')
      .where('tag.slug', '=', what.tagSlug)
      .execute();
    for (const row of rows) ids.add(row.article_id);
  }
  return [...ids];
}

// Column weights for bm25, in the table's column order: a match in the
// headline counts most, then standfirst, authors and tags, then body and captions.
const WEIGHTS = sql.raw('10.0, 5.0, 1.0, 4.0, 4.0, 1.5');
// Relevance is divided by (1 + age in days / 30): among equal matches the newer
// ranks first, and a month-old story needs about twice the relevance of today's.
const HALF_LIFE_DAYS = 30;

/** One page of matching published articles, best first, and how many match in all. */
export async function searchArticleIds(
  db: Kysely<Database>,
  query: SearchQuery,
  options: { limit: number; offset: number; now: string },
): Promise<{ ids: number[]; total: number }> {
  if (query.clauses.length === 0) return { ids: [], total: 0 };
  if (dialectOf(db) === 'postgres') return searchPostgres(db, query, options);
  const match = ftsMatchExpression(query);
  // One pass: the window count gives the total of the same matches being ranked.
  const ranked = await sql<{ id: number; total: number }>`
    select id, count(*) over () as total from (
      select article.id as id,
        bm25(article_search, ${WEIGHTS})
          / (1.0 + max(0, julianday(${options.now}) - julianday(article.published_at)) / ${HALF_LIFE_DAYS})
          as score
      from article_search
      join article on article.id = article_search.rowid
      where article_search match ${match} and article.status = 'published'
    )
    order by score
    limit ${options.limit} offset ${options.offset}`.execute(db);
  // A page past the end has no rows to carry the total: count it then.
  const total =
    ranked.rows[0]?.total ??
    (options.offset === 0
      ? 0
      : (
          await sql<{ total: number }>`
            select count(*) as total from article_search
            join article on article.id = article_search.rowid
            where article_search match ${match} and article.status = 'published'`.execute(db)
        ).rows[0]?.total);
  return { ids: ranked.rows.map((row) => Number(row.id)), total: Number(total ?? 0) };
}

// PostgreSQL: the generated tsvector over the same stems ('simple': they are
// stemmed already), ranked by ts_rank with weights in the spirit of SQLite's
// bm25 column weights, divided by the same age factor.
const PG_WEIGHTS = sql.raw("'{0.1, 0.15, 0.45, 1.0}'");

async function searchPostgres(
  db: Kysely<Database>,
  query: SearchQuery,
  options: { limit: number; offset: number; now: string },
): Promise<{ ids: number[]; total: number }> {
  const tsquery = tsQueryExpression(query);
  const ranked = await sql<{ id: number; total: string }>`
    select id, count(*) over () as total from (
      select article.id as id,
        ts_rank(${PG_WEIGHTS}, article_search.document, to_tsquery('simple', ${tsquery}))
          / (1.0 + greatest(0, extract(epoch from (${options.now}::timestamptz - article.published_at::timestamptz)) / 86400) / ${HALF_LIFE_DAYS})
          as score
      from article_search
      join article on article.id = article_search.article_id
      where article_search.document @@ to_tsquery('simple', ${tsquery}) and article.status = 'published'
    ) ranked
    order by score desc, id desc
    limit ${options.limit} offset ${options.offset}`.execute(db);
  const total =
    ranked.rows[0]?.total ??
    (options.offset === 0
      ? 0
      : (
          await sql<{ total: string }>`
            select count(*) as total from article_search
            join article on article.id = article_search.article_id
            where article_search.document @@ to_tsquery('simple', ${tsquery})
              and article.status = 'published'`.execute(db)
        ).rows[0]?.total);
  return { ids: ranked.rows.map((row) => Number(row.id)), total: Number(total ?? 0) };
}
