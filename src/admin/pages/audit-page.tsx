import { Fragment, type ReactNode, useEffect, useState } from 'react';
import { type AuditEntry, api, messageOf, type User } from '../api.js';
import {
  type AuditFilters,
  auditQuery,
  auditRoute,
  NO_FILTERS,
  readAuditFilters,
} from '../audit-route.js';
import {
  type AuditSentence,
  describeAuditEntry,
  hasItemHistory,
  itemName,
  KIND_LABELS,
  KINDS,
} from '../audit-sentences.js';
import { dayKey, formatDateTime, formatDay, formatTime, shownTimeZone } from '../dates.js';
import { useLoad } from '../use-load.js';

type AuditAnswer = { entries: AuditEntry[]; nextBefore: number | null };

/** Entries per request: a screenful or two to read, then "Older entries". */
const PAGE_SIZE = 50;

/** The filters in the hash route, read again whenever it changes (Back included). */
function useAuditFilters(): AuditFilters {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return readAuditFilters(hash);
}

/** Who did what, to which item, when (editor-in-chief), in sentences, filtered on the server. */
export function AuditPage(): ReactNode {
  const filters = useAuditFilters();
  const users = useLoad(() => api<{ users: User[] }>('GET', '/users'), 'users');
  const query = auditQuery(filters);
  const show = (change: Partial<AuditFilters>) => {
    window.location.hash = auditRoute({ ...filters, ...change });
  };

  return (
    <>
      <h1 tabIndex={-1}>Audit log</h1>
      <p className="hint">
        Who did what in the newsroom, newest first. Times are in {shownTimeZone()}, the newsroom’s
        time zone.
      </p>
      <form
        className="filters"
        aria-label="Filter the audit log"
        onSubmit={(event) => event.preventDefault()}
      >
        <label>
          Person
          <select value={filters.user} onChange={(event) => show({ user: event.target.value })}>
            <option value="">Anyone</option>
            <option value="system">The system (scheduler, server commands)</option>
            {users.data?.users.map((user) => (
              <option key={user.id} value={String(user.id)}>
                {user.name}
                {user.disabledAt ? ' (disabled)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind of action
          <select
            value={filters.kind}
            onChange={(event) => show({ kind: event.target.value as AuditFilters['kind'] })}
          >
            <option value="">Everything</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </label>
      </form>
      {/* A new set of filters starts again from the newest entries. */}
      <AuditEntries key={query} filters={filters} />
    </>
  );
}

/** The entries matching `query`, grouped by day in the newsroom's zone, with older pages on request. */
function AuditEntries({ filters }: { filters: AuditFilters }): ReactNode {
  const query = auditQuery(filters);
  const subject = filters.subject;
  const pageQuery = (before?: number) => {
    const params = new URLSearchParams(query);
    params.set('limit', String(PAGE_SIZE));
    if (before !== undefined) params.set('before', String(before));
    return `/audit?${params.toString()}`;
  };
  const first = useLoad(() => api<AuditAnswer>('GET', pageQuery()), query);
  const [older, setOlder] = useState<AuditAnswer[]>([]);
  const [isLoading, setIsLoading] = useState(false);
  const [status, setStatus] = useState('');
  const pages = first.data ? [first.data, ...older] : [];
  const entries = pages.flatMap((page) => page.entries);
  const nextBefore = pages.at(-1)?.nextBefore ?? null;

  const loadOlder = async () => {
    if (nextBefore === null) return;
    setIsLoading(true);
    try {
      const page = await api<AuditAnswer>('GET', pageQuery(nextBefore));
      setOlder((current) => [...current, page]);
      setStatus(`${page.entries.length} older entries shown.`);
    } catch (failure) {
      setStatus(`The older entries did not load: ${messageOf(failure)}.`);
    } finally {
      setIsLoading(false);
    }
  };

  const days: { key: string; entries: AuditEntry[] }[] = [];
  for (const entry of entries) {
    const key = dayKey(entry.at);
    const last = days.at(-1);
    if (last?.key === key) last.entries.push(entry);
    else days.push({ key, entries: [entry] });
  }
  const item = entries.find((entry) => entry.subject === subject);

  return (
    <>
      {subject ? (
        <p className="audit-item-filter">
          Only the history of <strong>{item ? itemName(item) : subject}</strong>.{' '}
          <a href={auditRoute({ ...filters, subject: '' })}>Show all items</a>
        </p>
      ) : null}
      {first.error ? <p role="alert">{first.error}</p> : null}
      {!first.data && !first.error ? <p>Loading…</p> : null}
      {first.data && entries.length === 0 ? <p>Nothing in the log matches these filters.</p> : null}
      {days.map((day) => (
        <section key={day.key} className="audit-day" aria-labelledby={`audit-day-${day.key}`}>
          <h2 id={`audit-day-${day.key}`} className="audit-day-heading">
            {formatDay(day.entries[0]?.at ?? day.key)}
          </h2>
          <ol className="audit-list">
            {day.entries.map((entry) => (
              <AuditLine key={entry.id} entry={entry} canFilter={subject === ''} />
            ))}
          </ol>
        </section>
      ))}
      {nextBefore !== null ? (
        <button type="button" disabled={isLoading} onClick={() => void loadOlder()}>
          {isLoading ? 'Loading older entries…' : 'Older entries'}
        </button>
      ) : entries.length > 0 ? (
        <p className="hint">That is the beginning of the log.</p>
      ) : null}
      <p role="status" className="visually-hidden">
        {status}
      </p>
    </>
  );
}

function Sentence({ sentence }: { sentence: AuditSentence }): ReactNode {
  return sentence.parts.map((part, index) =>
    typeof part === 'string' ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: a sentence's parts never move
      <Fragment key={index}>{part}</Fragment>
    ) : part.href ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: a sentence's parts never move
      <a key={index} href={part.href}>
        {part.text}
      </a>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: a sentence's parts never move
      <Fragment key={index}>{part.text}</Fragment>
    ),
  );
}

/** One entry: its time, its sentence, its details, and a link to the item's whole history. */
function AuditLine({ entry, canFilter }: { entry: AuditEntry; canFilter: boolean }): ReactNode {
  const sentence = describeAuditEntry(entry);
  return (
    <li className="audit-entry">
      <time className="audit-time" dateTime={entry.at} title={formatDateTime(entry.at)}>
        {formatTime(entry.at)}
      </time>
      <div className="audit-text">
        <p className="audit-sentence">
          <Sentence sentence={sentence} />
        </p>
        {sentence.details.length > 0 ? (
          <ul className="audit-details">
            {sentence.details.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : null}
      </div>
      {canFilter && hasItemHistory(entry.subject) ? (
        <a className="audit-history" href={auditRoute({ ...NO_FILTERS, subject: entry.subject })}>
          History<span className="visually-hidden"> of {itemName(entry)}</span>
        </a>
      ) : null}
    </li>
  );
}
