import {
  type ArticleAudience,
  type AudienceReport,
  type AudienceSettings,
  CHANNELS,
  type Channel,
  DEVICES,
  type Device,
  hourOf,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
  minuteOf,
  type Period,
  periodSpan,
  viewSeries,
} from '../core/audience.js';
import { csvText } from '../core/csv.js';
import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import { articleUrl } from '../core/section-path.js';
import {
  eventsOn,
  forgetSaltsBefore,
  type HourSpan,
  readersOn,
  recentMinutes,
  topArticles,
  topPages,
  totalViews,
  viewRows,
  viewsBy,
  viewsByAuthor,
  viewsByHour,
  viewsBySection,
} from '../store/audience.js';
import { recordAudit } from '../store/audit.js';
import { listNewsletterLists } from '../store/newsletters.js';
import { readSettings, writeSetting } from '../store/settings.js';
import { getArticleWithRelation } from './articles.js';
import {
  AUDIENCE_READERS_SETTING,
  AUDIENCE_RETENTION_SETTING,
  audienceSettingsOf,
} from './audience.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { readSiteSettings, siteSettingsOf } from './read-site.js';

// What editors see of the audience: the numbers the counting added up
// (newsroom/audience.ts), read back for a period. Nothing here can name a
// reader: the tables hold none.

const TOP = 10;

const sumOf = (series: readonly { views: number }[]) =>
  series.reduce((total, point) => total + point.views, 0);

function checkViewer(actor: StaffActor): void {
  if (!can(actor, 'audience.view'))
    throw new DomainError('not_allowed_for_role', 'only editors see the audience numbers');
}

function hourSpan(span: { from: Date; to: Date }, articleId?: number): HourSpan {
  return {
    from: hourOf(span.from),
    to: hourOf(span.to),
    ...(articleId === undefined ? {} : { articleId }),
  };
}

const labelled = <K extends string>(rows: { key: string; views: number }[], keys?: readonly K[]) =>
  rows.flatMap((row) =>
    keys && !keys.includes(row.key as K)
      ? []
      : [{ key: row.key as K, label: row.key, views: row.views }],
  );

/** Sign-ups and leavings per list, follows and unfollows, Telegram posts over some days. */
async function channelNumbers(
  newsroom: Newsroom,
  days: readonly string[],
): Promise<Pick<AudienceReport, 'newsletters' | 'fediverse' | 'telegram'>> {
  const db = newsroom.store.db;
  const [events, lists, followers] = await Promise.all([
    eventsOn(db, days),
    listNewsletterLists(db),
    db
      .selectFrom('fedi_follower')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirst(),
  ]);
  const sum = (kind: string, subject?: string) =>
    events
      .filter(
        (event) => event.kind === kind && (subject === undefined || event.subject === subject),
      )
      .reduce((total, event) => total + event.count, 0);
  return {
    newsletters: lists.map((list) => ({
      listId: list.id,
      name: list.name,
      subscribed: sum('subscribed', String(list.id)),
      unsubscribed: sum('unsubscribed', String(list.id)),
    })),
    fediverse: {
      followed: sum('followed'),
      unfollowed: sum('unfollowed'),
      followers: Number(followers?.count ?? 0),
    },
    telegram: { sent: sum('telegram_sent') },
  };
}

/** The dashboard's numbers for a period (editors and the editor-in-chief). */
export async function readAudience(
  newsroom: Newsroom,
  actor: StaffActor,
  period: Period,
): Promise<AudienceReport> {
  checkViewer(actor);
  const db = newsroom.store.db;
  const settings = await readSettings(db);
  const { timeZone } = siteSettingsOf(settings);
  const span = periodSpan(period, newsroom.now(), timeZone);
  const channels = await channelNumbers(newsroom, span.days);
  if (span.step === 'minute') {
    // Right now: the minutes of the last half hour, and what they read.
    // Enough pages that the articles among them fill their list.
    const recent = await recentMinutes(db, minuteOf(span.from), TOP * 5);
    const titles = await articleTitles(
      newsroom,
      recent.pages.flatMap((page) => (page.articleId === null ? [] : [page.articleId])),
    );
    const series = viewSeries(recent.minutes, span, timeZone);
    return {
      period,
      timeZone,
      step: span.step,
      views: sumOf(series),
      readers: null,
      series,
      articles: recent.pages
        .flatMap((page) => {
          const known = page.articleId === null ? undefined : titles.get(page.articleId);
          return known ? [{ ...known, views: page.views }] : [];
        })
        .slice(0, TOP),
      pages: recent.pages
        .filter((page) => page.articleId === null)
        .map(({ path, views }) => ({ path, views }))
        .slice(0, TOP),
      channels: [],
      referrers: [],
      languages: [],
      devices: [],
      sections: [],
      authors: [],
      ...channels,
    };
  }
  const hours = hourSpan(span);
  const [byHour, articles, pages, byChannel, referrers, languages, devices, sections, authors] =
    await Promise.all([
      viewsByHour(db, hours),
      topArticles(db, hours, TOP),
      topPages(db, hours, TOP),
      viewsBy(db, 'channel', hours, CHANNELS.length),
      viewsBy(db, 'referrer', hours, TOP),
      viewsBy(db, 'language', hours, TOP),
      viewsBy(db, 'device', hours, DEVICES.length),
      viewsBySection(db, hours),
      viewsByAuthor(db, hours, TOP),
    ]);
  const countsReaders = audienceSettingsOf(settings).countReaders;
  const series = viewSeries(byHour, span, timeZone);
  return {
    period,
    timeZone,
    step: span.step,
    // The chart's sum, so that the total and the chart always agree.
    views: sumOf(series),
    readers: countsReaders ? await readersOn(db, span.days) : null,
    series,
    articles: articles.map((article) => ({
      articleId: article.articleId,
      title: article.title,
      path: articleUrl({ path: article.sectionPath }, article.slug),
      views: article.views,
    })),
    pages,
    channels: labelled<Channel>(byChannel, CHANNELS),
    referrers: labelled(referrers),
    languages: labelled(languages),
    devices: labelled<Device>(devices, DEVICES),
    sections: sections.map((row) => ({ key: String(row.id), label: row.name, views: row.views })),
    authors: authors.map((row) => ({ key: String(row.id), label: row.name, views: row.views })),
    ...channels,
  };
}

async function articleTitles(
  newsroom: Newsroom,
  ids: readonly number[],
): Promise<Map<number, { articleId: number; title: string; path: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await newsroom.store.db
    .selectFrom('article')
    .innerJoin('section', 'section.id', 'article.section_id')
    .select(['article.id', 'article.title', 'article.slug', 'section.path'])
    .where('article.id', 'in', [...ids])
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      { articleId: row.id, title: row.title, path: articleUrl({ path: row.path }, row.slug) },
    ]),
  );
}

/** One article's numbers, for whoever may edit it. */
export async function readArticleAudience(
  newsroom: Newsroom,
  actor: StaffActor,
  articleId: number,
): Promise<ArticleAudience> {
  const { isOwn } = await getArticleWithRelation(newsroom, actor, articleId);
  if (!can(actor, 'article.edit', { isOwn }))
    throw new DomainError('not_allowed_for_role', 'you may not see this article’s numbers');
  const db = newsroom.store.db;
  const { timeZone } = await readSiteSettings(db);
  const now = newsroom.now();
  const month = periodSpan('30d', now, timeZone);
  const [byHour, total, channels, referrers] = await Promise.all([
    viewsByHour(db, hourSpan(month, articleId)),
    totalViews(db, { from: '', to: hourOf(month.to), articleId }),
    viewsBy(db, 'channel', hourSpan(month, articleId), CHANNELS.length),
    viewsBy(db, 'referrer', hourSpan(month, articleId), 5),
  ]);
  // Today, the week and the month from the one day series, so they agree with its chart.
  const series = viewSeries(byHour, month, timeZone);
  return {
    articleId,
    timeZone,
    today: series.at(-1)?.views ?? 0,
    last7Days: sumOf(series.slice(-7)),
    last30Days: sumOf(series),
    total,
    series,
    channels: labelled<Channel>(channels, CHANNELS),
    referrers: labelled(referrers),
  };
}

/**
 * A period's numbers as CSV, one line per hour, page and source as stored
 * (hours in UTC), with the article's headline: for a spreadsheet or another
 * tool. Editors only; the file holds nothing about readers.
 */
export async function exportAudience(
  newsroom: Newsroom,
  actor: StaffActor,
  period: Exclude<Period, 'realtime'>,
): Promise<{ fileName: string; csv: string }> {
  checkViewer(actor);
  const db = newsroom.store.db;
  const { timeZone } = await readSiteSettings(db);
  const span = periodSpan(period, newsroom.now(), timeZone);
  const rows = await viewRows(db, hourSpan(span));
  const titles = await articleTitles(newsroom, [
    ...new Set(rows.flatMap((row) => (row.article_id === null ? [] : [row.article_id]))),
  ]);
  const csv = csvText(
    [
      'hour_utc',
      'path',
      'article_id',
      'headline',
      'channel',
      'referrer',
      'language',
      'device',
      'views',
    ],
    rows.map((row) => [
      `${row.hour}:00Z`,
      row.path,
      row.article_id,
      row.article_id === null ? '' : (titles.get(row.article_id)?.title ?? ''),
      row.channel,
      row.referrer,
      row.language,
      row.device,
      row.views,
    ]),
  );
  return {
    fileName: `audience-${span.days[0]}-to-${span.days.at(-1)}.csv`,
    csv,
  };
}

/** What the editor-in-chief chose about counting. */
export async function readAudienceSettings(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<AudienceSettings> {
  checkViewer(actor);
  return audienceSettingsOf(await readSettings(newsroom.store.db));
}

/**
 * Changes the audience settings (editor-in-chief only), audited. Turning
 * distinct readers off deletes the day's salt and hashes at once.
 */
export async function changeAudienceSettings(
  newsroom: Newsroom,
  actor: StaffActor,
  change: Partial<AudienceSettings>,
): Promise<AudienceSettings> {
  if (!can(actor, 'settings.manage'))
    throw new DomainError(
      'not_allowed_for_role',
      'only the editor-in-chief changes what is counted',
    );
  const days = change.retentionDays;
  if (
    days !== undefined &&
    (!Number.isInteger(days) || days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS)
  )
    throw new DomainError(
      'invalid_input',
      `retentionDays: keep the numbers between ${MIN_RETENTION_DAYS} and ${MAX_RETENTION_DAYS} days`,
      'retentionDays',
    );
  const db = newsroom.store.db;
  await db.transaction().execute(async (trx) => {
    if (change.countReaders !== undefined) {
      await writeSetting(trx, AUDIENCE_READERS_SETTING, change.countReaders ? 'on' : 'off');
      if (!change.countReaders) await forgetSaltsBefore(trx, null);
    }
    if (days !== undefined) await writeSetting(trx, AUDIENCE_RETENTION_SETTING, String(days));
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'settings.audience',
      subject: 'settings',
      detail: change,
      at: newsroom.now().toISOString(),
    });
  });
  return audienceSettingsOf(await readSettings(db));
}
