import { isbot } from 'isbot';
import { dayIn, zonedTime } from './dates.js';

/**
 * Audience numbers without watching readers: what a page view is reduced to
 * before it is counted. A view keeps where it came from (a channel and, for
 * links from other sites, their domain), the reader's language and a device
 * class; never an address, a user agent, a full referring address or anything
 * else that tells one reader from another.
 */

/** Where a reader came from. */
export const CHANNELS = [
  'direct',
  'search',
  'social',
  'telegram',
  'newsletter',
  'fediverse',
  'mirror',
  'website',
  'internal',
  // Views counted before sources were (the old "most read" counts).
  'unknown',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const DEVICES = ['phone', 'tablet', 'desktop', 'unknown'] as const;
export type Device = (typeof DEVICES)[number];

/** What is kept of one page view. */
export type ViewSource = {
  channel: Channel;
  /** The referring site's domain ("google.com"), "" when none or our own. */
  referrer: string;
  /** The reader's preferred language's primary tag ("ru"), "" when unsaid. */
  language: string;
  device: Device;
};

/** What a request says that counting looks at. */
export type ViewRequest = {
  userAgent: string | undefined;
  referer: string | undefined;
  acceptLanguage: string | undefined;
  /** The address's query ("utm_source=telegram&…"), without "?", or "". */
  query: string;
  /** The host the reader asked for (the Host header): a link from it is from our own pages. */
  host?: string | undefined;
};

/** The domains that are this site and its mirrors (lower case, no "www."). */
export type OwnHosts = { site: ReadonlySet<string>; mirrors: ReadonlySet<string> };

/**
 * Visitors that are not readers: crawlers, link-preview fetchers and tools,
 * by isbot's maintained list; a request with no user agent is not a browser.
 */
export function isReaderAgent(userAgent: string | undefined): boolean {
  return userAgent !== undefined && userAgent !== '' && !isbot(userAgent);
}

/** Pages a browser fetches ahead in case they are opened are not views. */
export function isPrefetch(secPurpose: string | undefined, purpose: string | undefined): boolean {
  return /prefetch|prerender/i.test(`${secPurpose ?? ''} ${purpose ?? ''}`);
}

const SEARCH = [
  /(^|\.)google\.[a-z.]+$/,
  /(^|\.)bing\.com$/,
  /(^|\.)duckduckgo\.com$/,
  /(^|\.)yandex\.[a-z.]+$/,
  /(^|\.)ya\.ru$/,
  /(^|\.)baidu\.com$/,
  /(^|\.)ecosia\.org$/,
  /(^|\.)startpage\.com$/,
  /(^|\.)qwant\.com$/,
  /^search\.brave\.com$/,
  /(^|\.)search\.yahoo\.com$/,
  /(^|\.)naver\.com$/,
  /(^|\.)seznam\.cz$/,
  /(^|\.)kagi\.com$/,
];
const SOCIAL = [
  /(^|\.)facebook\.com$/,
  /(^|\.)fb\.com$/,
  /(^|\.)instagram\.com$/,
  /^t\.co$/,
  /(^|\.)twitter\.com$/,
  /(^|\.)x\.com$/,
  /(^|\.)linkedin\.com$/,
  /^lnkd\.in$/,
  /(^|\.)reddit\.com$/,
  /(^|\.)vk\.com$/,
  /(^|\.)ok\.ru$/,
  /(^|\.)threads\.net$/,
  /(^|\.)bsky\.app$/,
  /(^|\.)youtube\.com$/,
  /(^|\.)tiktok\.com$/,
  /(^|\.)pinterest\.[a-z.]+$/,
  /(^|\.)whatsapp\.com$/,
  /^wa\.me$/,
  /^news\.ycombinator\.com$/,
];
const TELEGRAM = [/(^|\.)t\.me$/, /(^|\.)telegram\.(org|me)$/];
// Web mail: a reader who clicked a link in one of our newsletters.
const WEBMAIL = [
  /^mail\.google\.com$/,
  /^outlook\.(live|office|office365)\.com$/,
  /^mail\.yahoo\.com$/,
  /^mail\.yandex\.[a-z.]+$/,
  /^e\.mail\.ru$/,
  /^mail\.proton\.me$/,
  /^(mail|webmail)\./,
];
// Fediverse servers have no list; these are the names most of them go by.
const FEDIVERSE = [
  /^(mastodon|mstdn|masto|toot|social|fedi|pleroma|akkoma|misskey|lemmy|pixelfed)\./,
  /\.social$/,
  /(^|\.)(mastodon|mstdn)\.[a-z.]+$/,
  /^(fosstodon\.org|hachyderm\.io|infosec\.exchange|chaos\.social|troet\.cafe)$/,
];

const matches = (patterns: readonly RegExp[], host: string) =>
  patterns.some((pattern) => pattern.test(host));

/** The channel a campaign marker names (`utm_source`, `utm_medium` or `ref`), if any. */
function markedChannel(query: string): Channel | null {
  if (query === '' || !/(?:^|&)(?:utm_source|utm_medium|ref)=/i.test(query)) return null;
  const params = new URLSearchParams(query);
  const said = ['utm_source', 'utm_medium', 'ref']
    .map((name) => params.get(name)?.toLowerCase() ?? '')
    .join(' ');
  if (/telegram/.test(said)) return 'telegram';
  if (/newsletter|e-?mail|\bmail\b/.test(said)) return 'newsletter';
  if (/fediverse|mastodon|activitypub/.test(said)) return 'fediverse';
  if (/\bmirror\b/.test(said)) return 'mirror';
  return null;
}

/** A web address's host (a referrer's, a mirror's), lower case and without "www.", or "" when it is none. */
export function addressHost(referer: string | undefined): string {
  if (!referer) return '';
  try {
    const { protocol, hostname } = new URL(referer);
    if (protocol !== 'http:' && protocol !== 'https:') return '';
    const host = hostname.toLowerCase().replace(/^www\./, '');
    return /^[a-z0-9.-]{1,253}$/.test(host) || /^\[[0-9a-f:.]+\]$/.test(host) ? host : '';
  } catch {
    return '';
  }
}

/**
 * Whether a referring host may be kept: a domain name, not an IP address or
 * a name without a dot (a reader's own router, NAS or intranet could point
 * at the reader).
 */
function isKeptDomain(host: string): boolean {
  return (
    host.includes('.') && !/^[\d.]+$/.test(host) && !/\.\d+$/.test(host) && !host.startsWith('[')
  );
}

/** Where a reader came from: a campaign marker first, then the referring domain. */
export function channelOf(
  host: string,
  query: string,
  own: OwnHosts,
  askedHost = '',
): { channel: Channel; referrer: string } {
  const marked = markedChannel(query);
  // Our own pages: the site's address, or whatever address the reader asked us by.
  if (host === '' || own.site.has(host) || host === askedHost) {
    if (marked) return { channel: marked, referrer: '' };
    return { channel: host === '' ? 'direct' : 'internal', referrer: '' };
  }
  if (!isKeptDomain(host)) return { channel: marked ?? 'website', referrer: '' };
  if (own.mirrors.has(host)) return { channel: 'mirror', referrer: host };
  if (marked) return { channel: marked, referrer: host };
  // Web mail before search: mail.google.com is Google's too.
  if (matches(WEBMAIL, host)) return { channel: 'newsletter', referrer: host };
  if (matches(SEARCH, host)) return { channel: 'search', referrer: host };
  if (matches(TELEGRAM, host)) return { channel: 'telegram', referrer: host };
  if (matches(SOCIAL, host)) return { channel: 'social', referrer: host };
  if (matches(FEDIVERSE, host)) return { channel: 'fediverse', referrer: host };
  return { channel: 'website', referrer: host };
}

/** Phone, tablet or desktop, from the user agent's own words. */
export function deviceOf(userAgent: string): Device {
  if (/iPad|Tablet|PlayBook|Silk|Kindle/i.test(userAgent)) return 'tablet';
  if (/Android/i.test(userAgent) && !/Mobile/i.test(userAgent)) return 'tablet';
  if (/Mobi|iPhone|iPod|Android|Windows Phone|Opera Mini/i.test(userAgent)) return 'phone';
  return 'desktop';
}

// Language tags Intl knows: a made-up tag ("qzx") is not kept, so a flood of
// them cannot make rows. Answers are remembered (a few hundred real tags).
const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const knownLanguages = new Map<string, boolean>();

function isKnownLanguage(code: string): boolean {
  const known = knownLanguages.get(code);
  if (known !== undefined) return known;
  let isKnown = false;
  try {
    isKnown = LANGUAGE_NAMES.of(code) !== undefined;
  } catch {
    isKnown = false;
  }
  // Unknown codes are not remembered: the map only grows with real languages.
  if (isKnown) knownLanguages.set(code, true);
  return isKnown;
}

/** The primary tag of the reader's first language ("ru" of "ru-RU,ru;q=0.9"), or "". */
export function languageOf(acceptLanguage: string | undefined): string {
  const first = /^\s*([a-z]{2,3})(?:[-_][a-z0-9]+)*\s*(?:[;,]|$)/i.exec(acceptLanguage ?? '');
  const code = first?.[1]?.toLowerCase() ?? '';
  return code !== '' && isKnownLanguage(code) ? code : '';
}

/** What is kept of a reader's view. */
export function viewSource(request: ViewRequest, own: OwnHosts): ViewSource {
  const asked = (request.host ?? '')
    .toLowerCase()
    .replace(/:\d+$/, '')
    .replace(/^www\./, '');
  return {
    ...channelOf(addressHost(request.referer), request.query, own, asked),
    language: languageOf(request.acceptLanguage),
    device: request.userAgent ? deviceOf(request.userAgent) : 'unknown',
  };
}

/** "2026-12-07T14": the UTC hour views are added up in. */
export function hourOf(at: Date): string {
  return at.toISOString().slice(0, 13);
}

/** "2026-12-07T14:05": the UTC minute of "right now" counts. */
export function minuteOf(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/** The instant an "hour" or "minute" string starts. */
export function instantOf(hourOrMinute: string): Date {
  return new Date(hourOrMinute.length === 13 ? `${hourOrMinute}:00Z` : `${hourOrMinute}Z`);
}

/** The instant the calendar day `day` ("2026-12-07") starts in `timeZone`. */
export function startOfDay(day: string, timeZone: string): Date {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return zonedTime({ year, month, day: date, hour: 0, minute: 0, second: 0 }, timeZone);
}

/** The day before `day`, "2026-12-06" for "2026-12-07". */
export function dayBefore(day: string, days = 1): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** How a chart is divided. */
export type Step = 'minute' | 'hour' | 'day';

/** The periods the dashboard shows. */
export const PERIODS = ['realtime', 'today', '7d', '30d'] as const;
export type Period = (typeof PERIODS)[number];

/**
 * The span a period covers, and how its chart is divided: the last 30
 * minutes by minute, today by hour, 7 and 30 days by day in the newsroom's
 * time zone (days end with today).
 */
export function periodSpan(
  period: Period,
  now: Date,
  timeZone: string,
): { from: Date; to: Date; step: Step; days: string[] } {
  const today = dayIn(now, timeZone);
  if (period === 'realtime') {
    const to = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
    return { from: new Date(to.getTime() - 30 * 60_000), to, step: 'minute', days: [today] };
  }
  const count = period === 'today' ? 1 : period === '7d' ? 7 : 30;
  const days = Array.from({ length: count }, (_, index) => dayBefore(today, count - 1 - index));
  return {
    from: startOfDay(days[0] ?? today, timeZone),
    to: startOfDay(dayBefore(today, -1), timeZone),
    step: period === 'today' ? 'hour' : 'day',
    days,
  };
}

/** One point of a chart: its start and the views in it. */
export type SeriesPoint = { at: string; views: number };

/**
 * Views per step over a span, every step present (zero when nothing was
 * read): hour rows folded into the newsroom's days, or hours and minutes as
 * they are.
 */
export function viewSeries(
  rows: readonly { bucket: string; views: number }[],
  span: ReturnType<typeof periodSpan>,
  timeZone: string,
): SeriesPoint[] {
  if (span.step === 'day') {
    const byDay = new Map(span.days.map((day) => [day, 0]));
    for (const row of rows) {
      const day = dayIn(instantOf(row.bucket), timeZone);
      const known = byDay.get(day);
      if (known !== undefined) byDay.set(day, known + row.views);
    }
    return [...byDay].map(([day, views]) => ({ at: day, views }));
  }
  const stepMs = span.step === 'hour' ? 3_600_000 : 60_000;
  const keyOf = span.step === 'hour' ? hourOf : minuteOf;
  const byKey = new Map<string, number>();
  for (const row of rows) byKey.set(row.bucket, (byKey.get(row.bucket) ?? 0) + row.views);
  const points: SeriesPoint[] = [];
  for (let at = span.from.getTime(); at < span.to.getTime(); at += stepMs) {
    const key = keyOf(new Date(at));
    points.push({ at: new Date(at).toISOString(), views: byKey.get(key) ?? 0 });
  }
  return points;
}

/** How long audience numbers are kept unless the editor-in-chief says otherwise. */
export const DEFAULT_RETENTION_DAYS = 730;
export const MIN_RETENTION_DAYS = 31;
export const MAX_RETENTION_DAYS = 3650;

/** Audience settings the editor-in-chief chooses. */
export type AudienceSettings = {
  /** Count approximate distinct readers a day (a salted hash, discarded daily). */
  countReaders: boolean;
  /** Days the numbers are kept. */
  retentionDays: number;
};

/** The kinds of channel events counted per day. */
export const EVENT_KINDS = [
  'subscribed',
  'unsubscribed',
  'followed',
  'unfollowed',
  'telegram_sent',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** A row of a breakdown: what it is and its views. */
export type Share<K extends string = string> = { key: K; label: string; views: number };

/** What the dashboard shows for a period (GET /api/audience). */
export type AudienceReport = {
  period: Period;
  timeZone: string;
  step: Step;
  views: number;
  /** Approximate distinct readers over the period's days; null when not counted. */
  readers: number | null;
  series: SeriesPoint[];
  articles: { articleId: number; title: string; path: string; views: number }[];
  /** Pages that are not articles: home, sections, tags, authors, pages. */
  pages: { path: string; views: number }[];
  channels: Share<Channel>[];
  referrers: Share[];
  languages: Share[];
  devices: Share<Device>[];
  sections: Share[];
  authors: Share[];
  newsletters: { listId: number; name: string; subscribed: number; unsubscribed: number }[];
  fediverse: { followed: number; unfollowed: number; followers: number };
  telegram: { sent: number };
};

/** One article's numbers (GET /api/articles/:id/audience). */
export type ArticleAudience = {
  articleId: number;
  timeZone: string;
  today: number;
  last7Days: number;
  last30Days: number;
  total: number;
  /** Views per day over the last 30 days. */
  series: SeriesPoint[];
  channels: Share<Channel>[];
  referrers: Share[];
};

/**
 * An article's address as a channel's post links it: "?ref=telegram" tells
 * the counting where the reader came from when their app sends no referrer
 * (Telegram's and mail programs never do). It names the channel, never the
 * reader.
 */
export function channelLink(url: string, channel: 'telegram' | 'newsletter'): string {
  return `${url}${url.includes('?') ? '&' : '?'}ref=${channel}`;
}
