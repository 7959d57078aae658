import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { newestDate } from '../core/dates.js';
import { plainText } from '../core/document.js';
import {
  arrangeLiveEntries,
  LIVE_UPDATE_ENTRIES,
  type LiveEntry,
  type LiveView,
} from '../core/live.js';
import { authorUrl } from '../core/section-path.js';
import type { Media } from '../core/types.js';
import { DocumentBody } from './components.js';
import { formatDateTime, labelText, localeOf, pluralForms, uiText } from './i18n.js';

// Live coverage on the reader's page (core/live.ts): a badge by the headline
// while it runs, the key events, the pinned entry, then every entry newest
// first. All of it is in the HTML: without JavaScript a reload shows what is
// new; site.js asks the live endpoint for more and offers it with a button.

/** The "Live" kicker by the headline, only while coverage runs. */
export function LiveBadge({
  live,
  language,
}: {
  live: LiveView | null;
  language: string;
}): ReactNode {
  return live?.state === 'live' ? (
    <p className="live-badge">{labelText('live', language)}</p>
  ) : null;
}

/** The address of an article's live endpoint (newest entries as HTML) and of its Atom feed. */
export function liveUrls(articleUrl: string): { json: string; atom: string } {
  return { json: `${articleUrl}/live.json`, atom: `${articleUrl}/live.atom` };
}

/**
 * When an entry was written, as a live page says it: the time of day and zone
 * ("14:05 GMT"), with the date too when it is not the day of the newest entry
 * (coverage that runs over several days).
 */
export function entryTime(iso: string, newestIso: string, language: string, timeZone: string) {
  const day = (value: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(new Date(value));
  if (day(iso) !== day(newestIso)) return formatDateTime(iso, language, timeZone);
  return new Intl.DateTimeFormat(localeOf(language), {
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  }).format(new Date(iso));
}

/** When the newest entry was written (coverage without entries: when it started). */
function newestEntryAt(live: LiveView): string {
  return newestDate(live.entries.map((entry) => entry.createdAt)) ?? live.startedAt ?? '';
}

/** A line for an entry without a title (the key events list): the start of its text. */
function entrySummary(entry: LiveEntry): string {
  if (entry.title) return entry.title;
  const words = plainText(entry.body).replace(/\s+/g, ' ').trim();
  return words.length > 120 ? `${words.slice(0, 119).trimEnd()}…` : words;
}

type EntryContext = {
  language: string;
  timeZone: string;
  /** When the newest entry was written: entries of other days show their date. */
  newestAt: string;
  media: Media[];
};

/** One entry: `<article id="entry-N">` with its time, author, title and body. */
export function LiveEntryArticle({
  entry,
  context,
  isPinned = false,
}: {
  entry: LiveEntry;
  context: EntryContext;
  isPinned?: boolean;
}): ReactNode {
  const { language, timeZone } = context;
  const text = uiText(language);
  const classes = [
    'live-entry',
    entry.isKeyEvent ? 'live-key-event' : '',
    isPinned ? 'live-pinned' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <article className={classes} id={`entry-${entry.id}`} data-entry-id={entry.id}>
      <p className="live-entry-meta">
        {isPinned ? <strong className="live-pinned-label">{text.livePinned} · </strong> : null}
        <a href={`#entry-${entry.id}`} className="live-entry-time">
          <time dateTime={entry.createdAt}>
            {entryTime(entry.createdAt, context.newestAt, language, timeZone)}
          </time>
        </a>
        {entry.author ? (
          <>
            {' · '}
            <a href={authorUrl(entry.author.slug)} className="live-entry-author">
              {entry.author.name}
            </a>
          </>
        ) : null}
      </p>
      {entry.title ? <h3 className="live-entry-title">{entry.title}</h3> : null}
      <DocumentBody doc={entry.body} media={context.media} language={language} />
    </article>
  );
}

/**
 * The live part of an article page, below its body. While coverage runs and
 * the page is the site's own (not a mirror's static copy), it names the live
 * endpoint site.js polls; once ended it is the record, with when it ended.
 */
export function LiveBlog({
  live,
  articleUrl,
  language,
  timeZone,
  isMirror,
}: {
  live: LiveView;
  articleUrl: string;
  language: string;
  timeZone: string;
  isMirror: boolean;
}): ReactNode {
  const text = uiText(language);
  const { pinned, keyEvents, stream } = arrangeLiveEntries(live.entries);
  const newest = newestEntryAt(live);
  const context: EntryContext = { language, timeZone, newestAt: newest, media: live.media };
  const isPolling = live.state === 'live' && !isMirror;
  // "Show 3 new updates" for site.js: the pack's forms, chosen by its locale's plural rules.
  const newUpdates = pluralForms('newUpdates', language);
  return (
    <section
      className={`live-blog live-blog-${live.state}`}
      aria-labelledby="live-heading"
      data-live-url={isPolling ? liveUrls(articleUrl).json : undefined}
      data-live-locale={isPolling ? newUpdates.locale : undefined}
      data-live-forms={isPolling ? JSON.stringify(newUpdates.forms) : undefined}
    >
      <h2 id="live-heading">{live.state === 'live' ? text.liveHeading : text.liveEndedHeading}</h2>
      {live.state === 'ended' && live.endedAt ? (
        <p className="live-ended">
          {text.liveEndedAt}:{' '}
          <time dateTime={live.endedAt}>{formatDateTime(live.endedAt, language, timeZone)}</time>
        </p>
      ) : null}
      {keyEvents.length > 0 ? (
        <nav className="live-key-events" aria-labelledby="live-key-events-heading">
          <h3 id="live-key-events-heading">{text.liveKeyEvents}</h3>
          <ul>
            {keyEvents.map((entry) => (
              <li key={entry.id}>
                <a href={`#entry-${entry.id}`}>
                  <time dateTime={entry.createdAt}>
                    {entryTime(entry.createdAt, newest, language, timeZone)}
                  </time>{' '}
                  {entrySummary(entry)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {pinned ? <LiveEntryArticle entry={pinned} context={context} isPinned /> : null}
      {isPolling ? (
        <>
          <p className="live-reload">{text.liveReload}</p>
          {/* site.js shows the button here when updates arrive; the region announces it. */}
          <div className="live-notice" aria-live="polite">
            <button type="button" className="live-new" data-live-new hidden />
          </div>
        </>
      ) : null}
      <div className="live-entries" data-live-entries>
        {stream.map((entry) => (
          <LiveEntryArticle key={entry.id} entry={entry} context={context} />
        ))}
      </div>
    </section>
  );
}

/** What the live endpoint answers: the coverage state and the newest entries as HTML fragments. */
export type LiveUpdate = {
  state: LiveView['state'];
  entries: { id: number; html: string }[];
};

/**
 * The newest entries, each rendered exactly as on the page (our own
 * server-rendered, escaped HTML), for site.js to put at the top on request.
 * The pinned entry has its own place on the page and is left out.
 */
export function liveUpdate(live: LiveView, language: string, timeZone: string): LiveUpdate {
  const { stream } = arrangeLiveEntries(live.entries);
  const newest = newestEntryAt(live);
  const context: EntryContext = { language, timeZone, newestAt: newest, media: live.media };
  return {
    state: live.state,
    entries: stream.slice(0, LIVE_UPDATE_ENTRIES).map((entry) => ({
      id: entry.id,
      html: renderToStaticMarkup(<LiveEntryArticle entry={entry} context={context} />),
    })),
  };
}
