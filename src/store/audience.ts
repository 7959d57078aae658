import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

// Audience numbers: counts added up per hour (or minute, or day), never a
// row per view. Every writer adds to what is there (`views = views + n`), so
// several server processes counting at once add up on either database.

type Db = Kysely<Database>;

export type ViewRow = Database['audience_view'];
export type MinuteRow = Database['audience_minute'];
export type EventRow = Database['audience_event'];

// Rows per statement: well under SQLite's limit of bound values.
const CHUNK = 200;

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += CHUNK) yield rows.slice(start, start + CHUNK);
}

/** The ids among `ids` that are still articles: views of one deleted since keep no id. */
async function existingArticles(db: Db, ids: Iterable<number>): Promise<Set<number>> {
  const wanted = [...new Set(ids)];
  const found = new Set<number>();
  for (const part of chunks(wanted)) {
    const rows = await db.selectFrom('article').select('id').where('id', 'in', part).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

async function withLiveArticles<T extends { article_id: number | null }>(
  db: Db,
  rows: readonly T[],
): Promise<T[]> {
  const ids = rows.flatMap((row) => (row.article_id === null ? [] : [row.article_id]));
  if (ids.length === 0) return [...rows];
  const live = await existingArticles(db, ids);
  return rows.map((row) =>
    row.article_id === null || live.has(row.article_id) ? row : { ...row, article_id: null },
  );
}

/** Adds views to their hours. */
export async function addViews(db: Db, rows: readonly ViewRow[]): Promise<void> {
  for (const part of chunks(await withLiveArticles(db, rows))) {
    await db
      .insertInto('audience_view')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['hour', 'path', 'channel', 'referrer', 'language', 'device'])
          .doUpdateSet((eb) => ({
            views: eb('audience_view.views', '+', eb.ref('excluded.views')),
          })),
      )
      .execute();
  }
}

/** Adds views to their minutes ("right now") and forgets minutes before `keepFrom`. */
export async function addMinuteViews(
  db: Db,
  rows: readonly MinuteRow[],
  keepFrom: string,
): Promise<void> {
  for (const part of chunks(await withLiveArticles(db, rows))) {
    await db
      .insertInto('audience_minute')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['minute', 'path']).doUpdateSet((eb) => ({
          views: eb('audience_minute.views', '+', eb.ref('excluded.views')),
        })),
      )
      .execute();
  }
  await db.deleteFrom('audience_minute').where('minute', '<', keepFrom).execute();
}

/**
 * The salt reader hashes of `day` are made with: random, the same for every
 * process (the first to ask makes it), and gone with the day — earlier days'
 * salts and hashes are deleted here.
 */
export async function daySalt(db: Db, day: string): Promise<string> {
  await db
    .insertInto('audience_salt')
    .values({ day, salt: randomBytes(32).toString('base64') })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  await forgetSaltsBefore(db, day);
  const row = await db
    .selectFrom('audience_salt')
    .select('salt')
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
  return row.salt;
}

/** Deletes the salts and reader hashes of days before `day` (all, when null). */
export async function forgetSaltsBefore(db: Db, day: string | null): Promise<void> {
  let salts = db.deleteFrom('audience_salt');
  let seen = db.deleteFrom('audience_seen');
  if (day !== null) {
    salts = salts.where('day', '<', day);
    seen = seen.where('day', '<', day);
  }
  await salts.execute();
  await seen.execute();
}

/**
 * Notes the day's reader hashes and adds those not seen before (by any
 * process) to the day's count of readers.
 */
export async function addReaders(db: Db, day: string, hashes: readonly string[]): Promise<void> {
  let added = 0;
  for (const part of chunks(hashes)) {
    const result = await db
      .insertInto('audience_seen')
      .values(part.map((hash) => ({ day, hash })))
      .onConflict((oc) => oc.columns(['day', 'hash']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  if (added === 0) return;
  await db
    .insertInto('audience_reader')
    .values({ day, readers: added })
    .onConflict((oc) =>
      oc.column('day').doUpdateSet((eb) => ({
        readers: eb('audience_reader.readers', '+', eb.ref('excluded.readers')),
      })),
    )
    .execute();
}

/** Adds to the day's counts of sign-ups, follows, Telegram posts. */
export async function addEvents(db: Db, rows: readonly EventRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db
      .insertInto('audience_event')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['day', 'kind', 'subject']).doUpdateSet((eb) => ({
          count: eb('audience_event.count', '+', eb.ref('excluded.count')),
        })),
      )
      .execute();
  }
}

/** Deletes numbers older than the retention: hours before `hour`, days before `day`. */
export async function pruneAudience(db: Db, hour: string, day: string): Promise<void> {
  await db.deleteFrom('audience_view').where('hour', '<', hour).execute();
  await db.deleteFrom('audience_reader').where('day', '<', day).execute();
  await db.deleteFrom('audience_event').where('day', '<', day).execute();
}

/** A span of hours, from inclusive to exclusive ("2026-12-07T00" to "2026-12-08T00"). */
export type HourSpan = { from: string; to: string; articleId?: number };

function viewsIn(db: Db, span: HourSpan) {
  let query = db
    .selectFrom('audience_view')
    .where('audience_view.hour', '>=', span.from)
    .where('audience_view.hour', '<', span.to);
  if (span.articleId !== undefined)
    query = query.where('audience_view.article_id', '=', span.articleId);
  return query;
}

/** Views per hour over a span. */
export async function viewsByHour(
  db: Db,
  span: HourSpan,
): Promise<{ bucket: string; views: number }[]> {
  const rows = await viewsIn(db, span)
    .select(['hour as bucket', (eb) => eb.fn.sum<number | string>('views').as('views')])
    .groupBy('hour')
    .execute();
  return rows.map((row) => ({ bucket: row.bucket, views: Number(row.views) }));
}

/** Views over a span in all. */
export async function totalViews(db: Db, span: HourSpan): Promise<number> {
  const row = await viewsIn(db, span)
    .select((eb) => eb.fn.sum<number | string | null>('views').as('views'))
    .executeTakeFirst();
  return Number(row?.views ?? 0);
}

/** Views over a span by one of the kept dimensions, most first. */
export async function viewsBy(
  db: Db,
  column: 'channel' | 'referrer' | 'language' | 'device',
  span: HourSpan,
  limit: number,
): Promise<{ key: string; views: number }[]> {
  let query = viewsIn(db, span)
    .select([`${column} as key`, (eb) => eb.fn.sum<number | string>('views').as('views')])
    .groupBy(column);
  if (column === 'referrer') query = query.where('referrer', '!=', '');
  const rows = await query.orderBy('views', 'desc').orderBy('key').limit(limit).execute();
  return rows.map((row) => ({ key: row.key, views: Number(row.views) }));
}

/** The most viewed articles of a span, with their headline and address parts. */
export async function topArticles(
  db: Db,
  span: HourSpan,
  limit: number,
): Promise<
  { articleId: number; title: string; slug: string; sectionPath: string; views: number }[]
> {
  const rows = await viewsIn(db, span)
    .innerJoin('article', 'article.id', 'audience_view.article_id')
    .innerJoin('section', 'section.id', 'article.section_id')
    .select([
      'article.id as articleId',
      'article.title',
      'article.slug',
      'section.path as sectionPath',
      (eb) => eb.fn.sum<number | string>('audience_view.views').as('views'),
    ])
    .groupBy(['article.id', 'article.title', 'article.slug', 'section.path'])
    .orderBy('views', 'desc')
    .orderBy('article.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, views: Number(row.views) }));
}

/** The most viewed pages of a span that are not articles. */
export async function topPages(
  db: Db,
  span: HourSpan,
  limit: number,
): Promise<{ path: string; views: number }[]> {
  const rows = await viewsIn(db, span)
    .where('article_id', 'is', null)
    .where('channel', '!=', 'unknown')
    .select(['path', (eb) => eb.fn.sum<number | string>('views').as('views')])
    .groupBy('path')
    .orderBy('views', 'desc')
    .orderBy('path')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ path: row.path, views: Number(row.views) }));
}

/** Article views of a span by the article's section. */
export async function viewsBySection(
  db: Db,
  span: HourSpan,
): Promise<{ id: number; name: string; views: number }[]> {
  const rows = await viewsIn(db, span)
    .innerJoin('article', 'article.id', 'audience_view.article_id')
    .innerJoin('section', 'section.id', 'article.section_id')
    .select([
      'section.id',
      'section.name',
      (eb) => eb.fn.sum<number | string>('audience_view.views').as('views'),
    ])
    .groupBy(['section.id', 'section.name'])
    .orderBy('views', 'desc')
    .orderBy('section.name')
    .execute();
  return rows.map((row) => ({ ...row, views: Number(row.views) }));
}

/** Article views of a span by author (an article by two counts for both). */
export async function viewsByAuthor(
  db: Db,
  span: HourSpan,
  limit: number,
): Promise<{ id: number; name: string; views: number }[]> {
  const rows = await viewsIn(db, span)
    .innerJoin('article_author', 'article_author.article_id', 'audience_view.article_id')
    .innerJoin('person', 'person.id', 'article_author.person_id')
    .select([
      'person.id',
      'person.name',
      (eb) => eb.fn.sum<number | string>('audience_view.views').as('views'),
    ])
    .groupBy(['person.id', 'person.name'])
    .orderBy('views', 'desc')
    .orderBy('person.name')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, views: Number(row.views) }));
}

/** Views per minute from `from` (inclusive), and the most viewed pages in them. */
export async function recentMinutes(
  db: Db,
  from: string,
  limit: number,
): Promise<{
  minutes: { bucket: string; views: number }[];
  pages: { path: string; articleId: number | null; views: number }[];
}> {
  const minutes = await db
    .selectFrom('audience_minute')
    .where('minute', '>=', from)
    .select(['minute as bucket', (eb) => eb.fn.sum<number | string>('views').as('views')])
    .groupBy('minute')
    .execute();
  const pages = await db
    .selectFrom('audience_minute')
    .where('minute', '>=', from)
    .select([
      'path',
      'article_id as articleId',
      (eb) => eb.fn.sum<number | string>('views').as('views'),
    ])
    .groupBy(['path', 'article_id'])
    .orderBy('views', 'desc')
    .orderBy('path')
    .limit(limit)
    .execute();
  return {
    minutes: minutes.map((row) => ({ bucket: row.bucket, views: Number(row.views) })),
    pages: pages.map((row) => ({ ...row, views: Number(row.views) })),
  };
}

/** Approximate readers over some days (a reader on two days counts twice). */
export async function readersOn(db: Db, days: readonly string[]): Promise<number> {
  if (days.length === 0) return 0;
  const row = await db
    .selectFrom('audience_reader')
    .select((eb) => eb.fn.sum<number | string | null>('readers').as('readers'))
    .where('day', 'in', [...days])
    .executeTakeFirst();
  return Number(row?.readers ?? 0);
}

/** Channel events of some days, added up by kind and subject. */
export async function eventsOn(
  db: Db,
  days: readonly string[],
): Promise<{ kind: string; subject: string; count: number }[]> {
  if (days.length === 0) return [];
  const rows = await db
    .selectFrom('audience_event')
    .select(['kind', 'subject', (eb) => eb.fn.sum<number | string>('count').as('count')])
    .where('day', 'in', [...days])
    .groupBy(['kind', 'subject'])
    .execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

/** Every stored view row of a span, in order, for a CSV export. */
export async function viewRows(db: Db, span: HourSpan): Promise<ViewRow[]> {
  return await viewsIn(db, span)
    .selectAll()
    .orderBy('hour')
    .orderBy('path')
    .orderBy('channel')
    .orderBy('referrer')
    .orderBy('language')
    .orderBy('device')
    .execute();
}

/** The most read published articles of a span, most read first ("most read" on fronts). */
export async function mostReadArticleIds(
  db: Db,
  fromHour: string,
  options: { limit: number; language?: string; sectionIds?: number[] },
): Promise<number[]> {
  if (options.sectionIds?.length === 0) return [];
  let query = db
    .selectFrom('audience_view')
    .innerJoin('article', 'article.id', 'audience_view.article_id')
    .select(['article.id', (eb) => eb.fn.sum<number | string>('audience_view.views').as('reads')])
    .where('audience_view.hour', '>=', fromHour)
    .where('article.status', '=', 'published');
  if (options.language) query = query.where('article.language', '=', options.language);
  if (options.sectionIds) query = query.where('article.section_id', 'in', options.sectionIds);
  const rows = await query
    .groupBy('article.id')
    .orderBy('reads', 'desc')
    .orderBy('article.id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => row.id);
}
