import { type ReactNode, useEffect, useId, useState } from 'react';
import {
  type AudienceReport,
  type AudienceSettings,
  type Channel,
  type Device,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
  PERIODS,
  type Period,
  type Share,
} from '../../core/audience.js';
import { can } from '../../core/policy.js';
import { ApiFailure, api, messageOf, type Session } from '../api.js';
import { ViewsChart } from '../audience-chart.js';
import { CHANNEL_LABELS } from '../audience-labels.js';
import { formatCount } from '../plural.js';
import { useLoad } from '../use-load.js';

const PERIOD_LABELS: Record<Period, string> = {
  realtime: 'Right now',
  today: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

const DEVICE_LABELS: Record<Device, string> = {
  phone: 'Phones',
  tablet: 'Tablets',
  desktop: 'Computers',
  unknown: 'Unknown',
};

/** "Russian" for "ru", in English as the app is. */
function languageName(code: string): string {
  if (code === '') return 'Not said';
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The share of the whole a number is, as a whole percentage ("42%"). */
function percentOf(views: number, total: number): string {
  return total > 0 ? `${Math.round((views / total) * 100)}%` : '–';
}

/** How often "right now" reads again. */
const REALTIME_EVERY_MS = 15_000;

/**
 * What readers read (editors and the editor-in-chief): views and
 * approximate readers for a period, a chart of them, the most read articles,
 * where readers came from, sections, authors, languages and devices, and
 * what the channels did. Nothing here can tell one reader from another: the
 * server keeps none of that.
 */
export function AudiencePage({ route, session }: { route: string[]; session: Session }): ReactNode {
  const period = PERIODS.find((candidate) => candidate === route[0]) ?? 'today';
  const [tick, setTick] = useState(0);
  const report = useLoad(
    () => api<AudienceReport>('GET', `/audience?period=${period}`),
    `${period}:${tick}`,
  );
  // Right now moves: read again while it is shown (not while the tab is hidden).
  useEffect(() => {
    if (period !== 'realtime') return;
    const timer = setInterval(() => {
      if (!document.hidden) setTick((n) => n + 1);
    }, REALTIME_EVERY_MS);
    return () => clearInterval(timer);
  }, [period]);
  const data = report.data?.period === period ? report.data : undefined;

  return (
    <>
      <h1 tabIndex={-1}>Audience</h1>
      <p className="hint">
        Page views counted on our own server. Nobody is tracked: no cookie, no script, no address or
        browser is kept, and crawlers are left out.
      </p>
      <nav className="period-tabs" aria-label="Period">
        {PERIODS.map((candidate) => (
          <a
            key={candidate}
            href={`#/audience/${candidate}`}
            className="tab"
            aria-current={candidate === period ? 'page' : undefined}
          >
            {PERIOD_LABELS[candidate]}
          </a>
        ))}
        {period !== 'realtime' ? (
          <a className="button" href={`/api/audience.csv?period=${period}`} download>
            Download<span className="visually-hidden"> {PERIOD_LABELS[period]}</span> (CSV)
          </a>
        ) : null}
      </nav>
      {report.error ? (
        <p role="alert" className="error">
          The numbers did not load: {report.error}
        </p>
      ) : null}
      {data ? <Report report={data} /> : report.error ? null : <p>Loading the numbers…</p>}
      {can(session.user, 'settings.manage') ? <CountingSettings /> : null}
    </>
  );
}

function Report({ report }: { report: AudienceReport }): ReactNode {
  const isNow = report.period === 'realtime';
  const label = `Views ${isNow ? 'per minute' : report.step === 'hour' ? 'per hour' : 'per day'}`;
  return (
    <>
      <dl className="audience-totals">
        <div>
          <dt>{isNow ? 'Views in the last 30 minutes' : 'Views'}</dt>
          <dd>{formatCount(report.views)}</dd>
        </div>
        {report.readers !== null ? (
          <div>
            <dt>
              Readers{' '}
              <span className="hint">(about{report.step === 'day' ? ', a day each' : ''})</span>
            </dt>
            <dd>{formatCount(report.readers)}</dd>
          </div>
        ) : null}
        {!isNow ? (
          <div>
            <dt>Telegram posts</dt>
            <dd>{formatCount(report.telegram.sent)}</dd>
          </div>
        ) : null}
        {!isNow ? (
          <div>
            <dt>Fediverse followers</dt>
            <dd>
              {formatCount(report.fediverse.followers)}
              {report.fediverse.followed + report.fediverse.unfollowed > 0 ? (
                <span className="hint">
                  {' '}
                  +{formatCount(report.fediverse.followed)} −
                  {formatCount(report.fediverse.unfollowed)}
                </span>
              ) : null}
            </dd>
          </div>
        ) : null}
      </dl>
      <section aria-labelledby="audience-chart">
        <h2 id="audience-chart">{label}</h2>
        <ViewsChart
          series={report.series}
          step={report.step}
          timeZone={report.timeZone}
          label={label}
        />
      </section>
      <div className="audience-grid">
        <NumbersTable
          title="Most read articles"
          columns={['Article', 'Views']}
          empty="No article was read in this period."
          rows={report.articles.map((article) => ({
            key: String(article.articleId),
            name: <a href={`#/articles/${article.articleId}`}>{article.title}</a>,
            cells: [formatCount(article.views)],
          }))}
        />
        {isNow ? null : (
          <>
            <ShareTable
              title="Where readers came from"
              column="Source"
              rows={report.channels}
              total={report.views}
              name={(row) => CHANNEL_LABELS[row.key as Channel] ?? row.label}
            />
            <ShareTable
              title="Sites that sent readers"
              column="Site"
              rows={report.referrers}
              total={report.views}
              empty="No other site sent readers in this period."
            />
            <ShareTable
              title="Sections"
              column="Section"
              rows={report.sections}
              total={report.views}
            />
            <ShareTable
              title="Authors"
              column="Author"
              rows={report.authors}
              total={report.views}
            />
            <ShareTable
              title="Readers’ languages"
              column="Language"
              rows={report.languages}
              total={report.views}
              name={(row) => languageName(row.key)}
            />
            <ShareTable
              title="Devices"
              column="Device"
              rows={report.devices}
              total={report.views}
              name={(row) => DEVICE_LABELS[row.key as Device] ?? row.label}
            />
            <NumbersTable
              title="Newsletters"
              columns={['List', 'Signed up', 'Left']}
              empty={null}
              rows={report.newsletters.map((list) => ({
                key: String(list.listId),
                name: list.name,
                cells: [formatCount(list.subscribed), formatCount(list.unsubscribed)],
              }))}
            />
          </>
        )}
        <NumbersTable
          title="Other pages"
          columns={['Page', 'Views']}
          empty={null}
          rows={report.pages.map((page) => ({
            key: page.path,
            name: (
              <a href={page.path} target="_blank" rel="noreferrer">
                {page.path === '/' ? 'Home page' : page.path}
              </a>
            ),
            cells: [formatCount(page.views)],
          }))}
        />
      </div>
    </>
  );
}

/** A row of a numbers table: what it is (its row heading) and its numbers. */
type NumbersRow = { key: string; name: ReactNode; cells: ReactNode[] };

/**
 * One table of the dashboard under its heading: a row heading and numbers per
 * row, or a line saying there is nothing (no table at all when `empty` is null).
 */
function NumbersTable({
  title,
  columns,
  rows,
  empty = 'Nothing counted in this period.',
}: {
  title: string;
  /** The column headings, the row headings' first. */
  columns: string[];
  rows: NumbersRow[];
  empty?: string | null;
}): ReactNode {
  const id = useId();
  if (rows.length === 0 && empty === null) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <table className="numbers">
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.name}</th>
                {row.cells.map((cell, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a row's cells are its columns, in order
                  <td key={index}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A breakdown: each row's name, views and share of the period's views. */
function ShareTable({
  title,
  column,
  rows,
  total,
  name = (row) => row.label,
  empty,
}: {
  title: string;
  /** The first column's heading: what each row is. */
  column: string;
  rows: Share[];
  total: number;
  name?: (row: Share) => string;
  empty?: string;
}): ReactNode {
  return (
    <NumbersTable
      title={title}
      columns={[column, 'Views', 'Share']}
      {...(empty === undefined ? {} : { empty })}
      rows={rows.map((row) => ({
        key: row.key,
        name: name(row),
        cells: [
          formatCount(row.views),
          <>
            <span
              className="share-bar"
              style={{ inlineSize: `${total > 0 ? (row.views / total) * 3 : 0}rem` }}
              aria-hidden="true"
            />
            {percentOf(row.views, total)}
          </>,
        ],
      }))}
    />
  );
}

/** What is counted, for the editor-in-chief to choose. */
function CountingSettings(): ReactNode {
  const loaded = useLoad(() => api<AudienceSettings>('GET', '/audience/settings'), 'settings');
  const [countReaders, setCountReaders] = useState<boolean | null>(null);
  // null until the field is touched: then what is typed, even nothing.
  const [retention, setRetention] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<{ message: string; field: string | undefined } | null>(null);
  const shownReaders = countReaders ?? loaded.data?.countReaders ?? true;
  const shownRetention = retention ?? String(loaded.data?.retentionDays ?? '');
  const errorId = useId();

  const save = async () => {
    setError(null);
    setStatus('');
    try {
      const saved = await api<AudienceSettings>('PUT', '/audience/settings', {
        countReaders: shownReaders,
        retentionDays: Number(shownRetention),
      });
      setCountReaders(saved.countReaders);
      setRetention(String(saved.retentionDays));
      setStatus('Saved.');
    } catch (failure) {
      setError({
        message: messageOf(failure),
        field: failure instanceof ApiFailure ? failure.error.field : undefined,
      });
    }
  };
  const isRetentionWrong = error?.field === 'retentionDays';

  return (
    <section aria-labelledby="audience-settings" className="audience-settings">
      <h2 id="audience-settings">What is counted</h2>
      <p className="hint">
        Views are counted per hour, page, source, language and kind of device. To tell readers apart
        for a day, the server mixes each reader’s address and browser with a random key that it
        throws away at midnight, with the day’s mixes; nothing else about a reader is kept.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label className="checkbox">
          <input
            type="checkbox"
            checked={shownReaders}
            onChange={(event) => setCountReaders(event.target.checked)}
          />
          Count readers a day (turning it off forgets today’s mixes at once)
        </label>
        <label>
          Keep the numbers for (days)
          <input
            type="number"
            min={MIN_RETENTION_DAYS}
            max={MAX_RETENTION_DAYS}
            value={shownRetention}
            onChange={(event) => setRetention(event.target.value)}
            aria-invalid={isRetentionWrong ? true : undefined}
            aria-describedby={isRetentionWrong ? errorId : undefined}
          />
        </label>
        <button type="submit" className="save-settings" disabled={!loaded.data}>
          Save
        </button>
        <p role="status">{status}</p>
        {error ? (
          <p role="alert" className="error" id={errorId}>
            {error.message}
          </p>
        ) : null}
        {loaded.error ? (
          <p role="alert" className="error">
            The settings did not load: {loaded.error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
