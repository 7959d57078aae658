import { type ReactNode, useId } from 'react';
import type { ArticleAudience, Channel } from '../../core/audience.js';
import { type Article, api } from '../api.js';
import { ViewsChart } from '../audience-chart.js';
import { CHANNEL_LABELS } from '../audience-labels.js';
import { formatCount } from '../plural.js';
import { useLoad } from '../use-load.js';

/**
 * A published article's own numbers in its editor, for whoever may edit it:
 * views today, over 7 and 30 days and in all, a chart of the last 30 days,
 * and where its readers came from. Read again each time the article is opened.
 */
export function AudiencePanel({ article }: { article: Article }): ReactNode {
  const id = useId();
  // The editor page is made anew for each article: one load serves.
  const load = useLoad(
    () => api<ArticleAudience>('GET', `/articles/${article.id}/audience`),
    String(article.id),
  );
  const { data: numbers, error } = load;
  if (load.isForbidden) return null;
  return (
    <section aria-labelledby={id} className="audience-panel">
      <h2 id={id}>Views</h2>
      {error ? <p className="error">The numbers did not load: {error}</p> : null}
      {numbers ? (
        <>
          <dl className="audience-totals compact">
            <div>
              <dt>Today</dt>
              <dd>{formatCount(numbers.today)}</dd>
            </div>
            <div>
              <dt>7 days</dt>
              <dd>{formatCount(numbers.last7Days)}</dd>
            </div>
            <div>
              <dt>30 days</dt>
              <dd>{formatCount(numbers.last30Days)}</dd>
            </div>
            <div>
              <dt>In all</dt>
              <dd>{formatCount(numbers.total)}</dd>
            </div>
          </dl>
          <ViewsChart
            series={numbers.series}
            step="day"
            timeZone={numbers.timeZone}
            label="Views per day, last 30 days"
            height={120}
          />
          {numbers.channels.length > 0 ? (
            <ul className="plain-list">
              {numbers.channels.map((row) => (
                <li key={row.key}>
                  {CHANNEL_LABELS[row.key as Channel] ?? row.label}: {formatCount(row.views)}
                </li>
              ))}
            </ul>
          ) : null}
          {numbers.referrers.length > 0 ? (
            <p className="hint">
              Sites:{' '}
              {numbers.referrers
                .map((row) => `${row.label} (${formatCount(row.views)})`)
                .join(', ')}
            </p>
          ) : null}
        </>
      ) : error ? null : (
        <p className="hint">Loading…</p>
      )}
    </section>
  );
}
