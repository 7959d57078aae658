import { createHash } from 'node:crypto';
import {
  type AudienceSettings,
  addressHost,
  DEFAULT_RETENTION_DAYS,
  dayBefore,
  type EventKind,
  hourOf,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
  minuteOf,
  type OwnHosts,
  startOfDay,
  type ViewRequest,
  viewSource,
} from '../core/audience.js';
import { MOST_READ_TAG } from '../core/cache-tags.js';
import { dayIn } from '../core/dates.js';
import { MIRROR_LIST_SETTING, parseStoredMirrorList } from '../core/mirror-list.js';
import {
  addEvents,
  addMinuteViews,
  addReaders,
  addViews,
  daySalt,
  type EventRow,
  forgetSaltsBefore,
  type MinuteRow,
  pruneAudience,
  type ViewRow,
} from '../store/audience.js';
import { readSettings } from '../store/settings.js';
import type { Newsroom } from './newsroom.js';
import { readSiteSettings, siteSettingsOf } from './read-site.js';

/** How often counts leave memory for the database. */
const FLUSH_EVERY_MS = 5_000;
/** How often pages with a "most read" list are refreshed when reads were written. */
const MOST_READ_EVERY_MS = 5 * 60_000;
/** Minutes kept for "right now". */
const RECENT_MINUTES = 60;
// Bounds whatever a flood of requests with made-up referrers, languages or
// addresses sends: past MAX_ROWS_PER_HOUR kinds of view in an hour (a row
// each), a view is still counted but without its referring domain and
// language; past MAX_PENDING_READERS in one interval, readers are not told apart.
const MAX_ROWS_PER_HOUR = 5_000;
const MAX_PENDING_READERS = 50_000;
const MAX_SEEN_TODAY = 500_000;

export const AUDIENCE_READERS_SETTING = 'audience.count_readers';
export const AUDIENCE_RETENTION_SETTING = 'audience.retention_days';

/** The editor-in-chief's audience settings as stored (defaults when unset). */
export function audienceSettingsOf(settings: ReadonlyMap<string, string>): AudienceSettings {
  const days = Number(settings.get(AUDIENCE_RETENTION_SETTING));
  return {
    countReaders: settings.get(AUDIENCE_READERS_SETTING) !== 'off',
    retentionDays:
      Number.isInteger(days) && days >= MIN_RETENTION_DAYS && days <= MAX_RETENTION_DAYS
        ? days
        : DEFAULT_RETENTION_DAYS,
  };
}

/** A reader's page view as the page routes see it. */
export type PageView = {
  /** The page's address without its query ("/news/politics/vote"). */
  path: string;
  /** The article the page shows, if it is one. */
  articleId: number | null;
  request: ViewRequest;
  /** The reader's network address: only ever part of the day's salted hash. */
  address: string | undefined;
};

export type AudienceCounter = {
  /** One more view (a reader's GET answered with the page). */
  count: (view: PageView) => void;
  /** Writes what was counted so far (also on stop). */
  flush: () => Promise<void>;
  stop: () => Promise<void>;
};

/** What a process learned from the settings, read again at each flush. */
type Known = {
  own: OwnHosts;
  timeZone: string;
  settings: AudienceSettings;
};

function ownHostsOf(publicUrl: string, settings: ReadonlyMap<string, string>): OwnHosts {
  const mirrors = parseStoredMirrorList(settings.get(MIRROR_LIST_SETTING));
  return {
    site: new Set([addressHost(publicUrl)].filter(Boolean)),
    mirrors: new Set(mirrors.map((mirror) => addressHost(mirror.url)).filter(Boolean)),
  };
}

/**
 * Rows in the order of their keys (the tables' primary keys, joined by line
 * feeds): every process then locks rows in the same order, so two processes
 * adding to the same hot rows on PostgreSQL wait for each other instead of
 * deadlocking.
 */
function sortedRows<T>(rows: ReadonlyMap<string, T>): T[] {
  return [...rows.keys()].sort().map((key) => rows.get(key) as T);
}

/** The salted hash a reader is told apart by on one day: never stored past it. */
function readerHash(salt: string, identity: string): string {
  return createHash('sha256').update(salt).update('\n').update(identity).digest('base64url');
}

/**
 * Counts page views in memory and writes them every few seconds as sums per
 * hour (and per minute, for "right now"): what is kept of a view is its
 * page, channel, referring domain, language and device class
 * (core/audience.ts). When the editor-in-chief has not turned it off, a
 * reader's address and user agent are hashed with the day's random salt to
 * count distinct readers; the pairs stay in memory until the next write, and
 * the salt and the day's hashes are deleted when the day ends. Pages with a
 * "most read" list are purged at most every five minutes. A failed write is
 * reported and its counts are dropped.
 */
export function startAudience(
  newsroom: Newsroom,
  onError: (error: unknown) => void,
  everyMs: number = FLUSH_EVERY_MS,
): AudienceCounter {
  const db = newsroom.store.db;
  let known: Known = {
    own: ownHostsOf(newsroom.publicUrl, new Map()),
    timeZone: 'UTC',
    settings: audienceSettingsOf(new Map()),
  };
  let views = new Map<string, ViewRow>();
  let minutes = new Map<string, MinuteRow>();
  // Reader identities (address + user agent) per day, until the next write.
  let readers = new Map<string, Set<string>>();
  // Hashes this process already wrote today: not sent again.
  let seen = { day: '', hashes: new Set<string>() };
  // The kinds of view (rows) this process counted in the current hour.
  let rowsThisHour = { hour: '', keys: new Set<string>() };
  // The day a view falls on in the newsroom's zone, worked out once per day.
  let today = { day: '', endsAt: 0 };
  let readsSincePurge = false;
  let lastPurge = 0;
  let lastPrune = 0;
  let writing: Promise<void> = Promise.resolve();

  const dayOf = (at: Date): string => {
    if (at.getTime() >= today.endsAt || today.day === '') {
      const day = dayIn(at, known.timeZone);
      today = { day, endsAt: startOfDay(dayBefore(day, -1), known.timeZone).getTime() };
    }
    return today.day;
  };

  const count = (view: PageView): void => {
    const at = newsroom.now();
    const source = viewSource(view.request, known.own);
    const hour = hourOf(at);
    if (rowsThisHour.hour !== hour) rowsThisHour = { hour, keys: new Set() };
    let key = `${hour}\n${view.path}\n${source.channel}\n${source.referrer}\n${source.language}\n${source.device}`;
    if (!rowsThisHour.keys.has(key)) {
      if (rowsThisHour.keys.size >= MAX_ROWS_PER_HOUR) {
        source.referrer = '';
        source.language = '';
        key = `${hour}\n${view.path}\n${source.channel}\n\n\n${source.device}`;
      } else rowsThisHour.keys.add(key);
    }
    const row = views.get(key);
    if (row) row.views += 1;
    else views.set(key, { hour, path: view.path, article_id: view.articleId, ...source, views: 1 });
    const minute = minuteOf(at);
    const minuteKey = `${minute}\n${view.path}`;
    const recent = minutes.get(minuteKey);
    if (recent) recent.views += 1;
    else minutes.set(minuteKey, { minute, path: view.path, article_id: view.articleId, views: 1 });
    if (view.articleId !== null) readsSincePurge = true;
    if (known.settings.countReaders && view.address) {
      const day = dayOf(at);
      let identities = readers.get(day);
      if (!identities) {
        identities = new Set();
        readers.set(day, identities);
      }
      if (identities.size < MAX_PENDING_READERS)
        identities.add(`${view.address}\n${view.request.userAgent ?? ''}`);
    }
  };

  const learn = async (): Promise<void> => {
    const settings = await readSettings(db);
    const { timeZone } = siteSettingsOf(settings);
    if (timeZone !== known.timeZone) today = { day: '', endsAt: 0 };
    known = {
      own: ownHostsOf(newsroom.publicUrl, settings),
      timeZone,
      settings: audienceSettingsOf(settings),
    };
  };

  const writeReaders = async (pending: Map<string, Set<string>>): Promise<void> => {
    const current = dayOf(newsroom.now());
    if (!known.settings.countReaders) {
      seen = { day: '', hashes: new Set() };
      await forgetSaltsBefore(db, null);
      return;
    }
    for (const [day, identities] of pending) {
      // A day that ended since is not counted further: its salt is gone.
      if (day !== current) continue;
      if (seen.day !== day) seen = { day, hashes: new Set() };
      const salt = await daySalt(db, day);
      // Past the day's ceiling this process tells no more readers apart
      // (whatever a flood of made-up browsers sends).
      const fresh = [...new Set([...identities].map((identity) => readerHash(salt, identity)))]
        .filter((hash) => !seen.hashes.has(hash))
        .slice(0, Math.max(0, MAX_SEEN_TODAY - seen.hashes.size));
      await addReaders(db, day, fresh);
      for (const hash of fresh) seen.hashes.add(hash);
    }
    // Past days' salts and hashes go even when nobody read today.
    await forgetSaltsBefore(db, current);
  };

  const write = async (
    pendingViews: ViewRow[],
    pendingMinutes: MinuteRow[],
    pendingReaders: Map<string, Set<string>>,
  ): Promise<void> => {
    try {
      await learn();
      const now = newsroom.now();
      await db.transaction().execute(async (trx) => {
        await addViews(trx, pendingViews);
        await addMinuteViews(
          trx,
          pendingMinutes,
          minuteOf(new Date(now.getTime() - RECENT_MINUTES * 60_000)),
        );
      });
      await writeReaders(pendingReaders);
      if (now.getTime() - lastPrune >= 3_600_000) {
        lastPrune = now.getTime();
        const days = known.settings.retentionDays;
        await pruneAudience(
          db,
          hourOf(new Date(now.getTime() - days * 86_400_000)),
          dayBefore(dayOf(now), days),
        );
      }
      if (readsSincePurge && now.getTime() - lastPurge >= MOST_READ_EVERY_MS) {
        readsSincePurge = false;
        lastPurge = now.getTime();
        newsroom.changed?.([MOST_READ_TAG]);
      }
    } catch (error) {
      onError(error);
    }
  };

  // One write at a time: while one is under way (a slow database), counts
  // stay in the same maps and go with the next, rather than queueing up.
  let isWriting = false;
  const flush = async (): Promise<void> => {
    if (isWriting) return await writing;
    isWriting = true;
    const pendingViews = sortedRows(views);
    const pendingMinutes = sortedRows(minutes);
    const pendingReaders = readers;
    views = new Map();
    minutes = new Map();
    readers = new Map();
    writing = writing
      .then(() => write(pendingViews, pendingMinutes, pendingReaders))
      .finally(() => {
        isWriting = false;
      });
    return await writing;
  };

  // Settings are known before the first view where possible, and a salt left
  // from a day no process counted to its end goes now.
  writing = learn()
    .then(() => forgetSaltsBefore(db, dayOf(newsroom.now())))
    .catch(onError);
  const timer = setInterval(() => void flush(), everyMs);
  timer.unref();
  return {
    count,
    flush,
    stop: async () => {
      clearInterval(timer);
      await writing;
      await flush();
    },
  };
}

/**
 * Deletes every salt and reader hash: for a server started with counting off
 * (MASTHEAD_AUDIENCE=off), so that none outlives its day.
 */
export async function forgetReaderHashes(newsroom: Newsroom): Promise<void> {
  await forgetSaltsBefore(newsroom.store.db, null);
}

/** A channel event to count: what happened and what it concerns (never who). */
export type AudienceEvent = { kind: EventKind; subject: string | number };

/**
 * Adds to today's counts of channel events: a reader signing up to or
 * leaving a newsletter list, a fediverse account following or leaving, a
 * post sent to Telegram. `subject` is a list's or channel's id or an actor's
 * handle. Called once the change itself is committed; never throws.
 */
export async function countAudienceEvents(
  newsroom: Newsroom,
  events: readonly AudienceEvent[],
): Promise<void> {
  if (events.length === 0) return;
  // Best effort: the change it counts is made (a post sent, a reader
  // subscribed); a failure here must not undo it or make it be done twice.
  try {
    const { timeZone } = await readSiteSettings(newsroom.store.db);
    const day = dayIn(newsroom.now(), timeZone);
    // One row per kind and subject: a statement may not update a row twice.
    const counts = new Map<string, EventRow>();
    for (const event of events) {
      const subject = String(event.subject);
      const key = `${event.kind}\n${subject}`;
      const row = counts.get(key);
      if (row) row.count += 1;
      else counts.set(key, { day, kind: event.kind, subject, count: 1 });
    }
    await addEvents(newsroom.store.db, [...counts.values()]);
  } catch (error) {
    process.emitWarning(`an audience event was not counted: ${String(error)}`);
  }
}
