import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useState } from 'react';
import {
  type Assignment,
  byDeadlineDay,
  type Desk,
  type DeskItem,
  type NotificationView,
} from '../../core/desk.js';
import { can } from '../../core/policy.js';
import { api, messageOf, type Session, STATUS_LABELS } from '../api.js';
import { DESK_CHANGED_EVENT, navigate } from '../app.js';
import { formatDateTime, formatTime, fromZonedInputValue, shownTimeZone } from '../dates.js';
import { useLoad } from '../use-load.js';

// Each person's start screen: what needs them now. Editors: what waits for
// review, what goes out today, what was sent back, recent corrections, live
// coverage; writers: what was sent back to them with the note, their drafts;
// everyone: notes naming them, stories given to them, their notifications.
// Editors give stories to writers here and see the plan by day.

export function DeskPage({ session }: { session: Session }): ReactNode {
  const desk = useLoad(() => api<Desk>('GET', '/desk'), 'desk');
  const inbox = useLoad(
    () => api<{ notifications: NotificationView[]; unread: number }>('GET', '/notifications'),
    'notifications',
  );
  const isEditor = can(session.user, 'desk.assign');
  const { reload: reloadDesk } = desk;
  const { reload: reloadInbox } = inbox;
  const reload = useCallback(() => {
    reloadDesk();
    reloadInbox();
  }, [reloadDesk, reloadInbox]);
  // Read again whenever the app says the desk may have changed (the server's
  // word, the window's focus, now and then: app.tsx).
  useEffect(() => {
    window.addEventListener(DESK_CHANGED_EVENT, reload);
    return () => window.removeEventListener(DESK_CHANGED_EVENT, reload);
  }, [reload]);
  const data = desk.data;
  return (
    <>
      <h1 tabIndex={-1}>Your desk</h1>
      {desk.error ? <p role="alert">{desk.error}</p> : null}
      {!data ? <p>Loading…</p> : null}
      <div className="desk-columns">
        <div>
          <Notifications inbox={inbox.data} onRead={reload} />
          {data ? (
            <>
              <MyStories assignments={data.assignments} onChanged={reload} />
              {data.forReview ? (
                <ItemList
                  title="Waiting for review"
                  items={data.forReview}
                  empty="Nothing waits for review."
                />
              ) : null}
              <ItemList
                title={isEditor ? 'Sent back' : 'Sent back to you'}
                items={data.sentBack}
                empty="Nothing was sent back."
              />
              <ItemList
                title="Notes naming you"
                items={data.mentions}
                empty="No open note names you."
              />
              {data.scheduledToday ? (
                <ItemList
                  title="Going out today"
                  items={data.scheduledToday}
                  empty="Nothing is scheduled for today."
                  timed
                />
              ) : null}
              {data.live.length > 0 ? (
                <ItemList title="Live coverage now" items={data.live} empty="" />
              ) : null}
              {data.recentCorrections ? (
                <ItemList
                  title="Corrections this week"
                  items={data.recentCorrections}
                  empty="No corrections this week."
                />
              ) : null}
              {!isEditor ? (
                <ItemList title="Your drafts" items={data.myDrafts} empty="No drafts." />
              ) : null}
            </>
          ) : null}
        </div>
        {isEditor ? <Planning onChanged={reload} /> : null}
      </div>
    </>
  );
}

function ItemList({
  title,
  items,
  empty,
  timed = false,
}: {
  title: string;
  items: DeskItem[];
  empty: string;
  timed?: boolean;
}): ReactNode {
  const id = useId();
  return (
    <section aria-labelledby={id} className="desk-section">
      <h2 id={id}>
        {title}
        {items.length > 0 ? ` (${items.length})` : ''}
      </h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="desk-list">
          {items.map((item) => (
            <li key={`${item.id}:${item.detail ?? ''}`}>
              <a href={`#/articles/${item.id}`}>{item.title}</a>{' '}
              <span className={`status status-${item.status}`}>{STATUS_LABELS[item.status]}</span>
              {item.detail ? (
                <span className="desk-detail">
                  {' '}
                  {timed ? `at ${formatDateTime(item.detail)}` : item.detail}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Notifications({
  inbox,
  onRead,
}: {
  inbox: { notifications: NotificationView[]; unread: number } | undefined;
  onRead: () => void;
}): ReactNode {
  const id = useId();
  const [problem, setProblem] = useState('');
  if (!inbox) return null;
  const recent = inbox.notifications.slice(0, 15);
  return (
    <section aria-labelledby={id} className="desk-section">
      <h2 id={id}>Notifications{inbox.unread > 0 ? ` (${inbox.unread} new)` : ''}</h2>
      {recent.length === 0 ? <p className="muted">Nothing yet.</p> : null}
      <ul className="desk-list">
        {recent.map((note) => (
          <li key={note.id} className={note.isRead ? 'read' : 'unread'}>
            {note.isRead ? null : <span className="visually-hidden">New: </span>}
            {note.articleId ? <a href={`#/articles/${note.articleId}`}>{note.text}</a> : note.text}{' '}
            <time className="desk-detail" dateTime={note.createdAt}>
              {formatDateTime(note.createdAt)}
            </time>
          </li>
        ))}
      </ul>
      {inbox.unread > 0 ? (
        <button
          type="button"
          onClick={() =>
            api('POST', '/notifications/read', {}).then(onRead, (failure: unknown) =>
              setProblem(messageOf(failure)),
            )
          }
        >
          Mark all as read
        </button>
      ) : null}
      {problem ? <p role="alert">{problem}</p> : null}
    </section>
  );
}

function MyStories({
  assignments,
  onChanged,
}: {
  assignments: Assignment[];
  onChanged: () => void;
}): ReactNode {
  const id = useId();
  const [problem, setProblem] = useState('');
  if (assignments.length === 0) return null;
  const start = async (assignment: Assignment) => {
    try {
      const { articleId } = await api<{ articleId: number }>(
        'POST',
        `/assignments/${assignment.id}/start`,
      );
      navigate(`/articles/${articleId}`);
    } catch (failure) {
      setProblem(messageOf(failure));
    }
  };
  return (
    <section aria-labelledby={id} className="desk-section">
      <h2 id={id}>Stories given to you ({assignments.length})</h2>
      <ul className="desk-list">
        {assignments.map((assignment) => (
          <li key={assignment.id}>
            <strong>{assignment.title}</strong>
            {assignment.deadline ? ` · due ${formatDateTime(assignment.deadline)}` : ''}
            {assignment.assignedBy ? ` · from ${assignment.assignedBy}` : ''}
            {assignment.note ? <span className="desk-detail"> “{assignment.note}”</span> : null}{' '}
            <button type="button" onClick={() => void start(assignment)}>
              {assignment.article ? 'Open' : 'Start writing'}
            </button>{' '}
            <button
              type="button"
              onClick={() =>
                api('POST', `/assignments/${assignment.id}/done`, {}).then(
                  onChanged,
                  (failure: unknown) => setProblem(messageOf(failure)),
                )
              }
            >
              Done
            </button>
          </li>
        ))}
      </ul>
      {problem ? <p role="alert">{problem}</p> : null}
    </section>
  );
}

/** Editors: give a story to a writer, and the plan by day. */
function Planning({ onChanged }: { onChanged: () => void }): ReactNode {
  const id = useId();
  const plan = useLoad(() => api<{ assignments: Assignment[] }>('GET', '/assignments'), 'plan');
  const staff = useLoad(
    () => api<{ staff: { userId: number; name: string }[] }>('GET', '/mentionable'),
    'staff',
  );
  const [assigneeId, setAssigneeId] = useState('');
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const [deadline, setDeadline] = useState('');
  const [message, setMessage] = useState('');
  const give = async (event: FormEvent) => {
    event.preventDefault();
    setMessage('');
    try {
      await api('POST', '/assignments', {
        assigneeId: Number(assigneeId),
        title,
        note,
        ...(deadline ? { deadline: fromZonedInputValue(deadline)?.toISOString() } : {}),
      });
      const name = staff.data?.staff.find((person) => String(person.userId) === assigneeId)?.name;
      setMessage(`“${title}” given to ${name ?? 'the writer'}.`);
      setTitle('');
      setNote('');
      setDeadline('');
      plan.reload();
      onChanged();
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  const days = byDeadlineDay(plan.data?.assignments ?? [], shownTimeZone());
  return (
    <section aria-labelledby={id} className="desk-section desk-planning">
      <h2 id={id}>Planning</h2>
      <form className="assign-form" onSubmit={give}>
        <h3>Give a story</h3>
        <label htmlFor={`${id}-title`}>Working title</label>
        <input
          id={`${id}-title`}
          className="assign-field"
          value={title}
          required
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
        />
        <label htmlFor={`${id}-writer`}>Writer</label>
        <select
          id={`${id}-writer`}
          className="assign-field"
          value={assigneeId}
          required
          onChange={(e) => setAssigneeId(e.target.value)}
        >
          <option value="">Choose a colleague</option>
          {(staff.data?.staff ?? []).map((person) => (
            <option key={person.userId} value={person.userId}>
              {person.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-note`}>Note for the writer</label>
        <textarea
          id={`${id}-note`}
          className="assign-field"
          rows={2}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.target.value)}
        />
        <label htmlFor={`${id}-deadline`}>Deadline (newsroom time)</label>
        <input
          id={`${id}-deadline`}
          className="assign-field"
          type="datetime-local"
          value={deadline}
          onChange={(e) => setDeadline(e.target.value)}
        />
        <p>
          <button type="submit" className="primary">
            Give the story
          </button>
        </p>
        <p role="status">{message}</p>
      </form>
      <h3>By day</h3>
      {days.length === 0 ? <p className="muted">No stories given out.</p> : null}
      {days.map(({ day, assignments }) => (
        <div key={day || 'undated'} className="plan-day">
          <h4>{day ? dayHeading(day) : 'No deadline'}</h4>
          <ul className="desk-list">
            {assignments.map((assignment) => (
              <li key={assignment.id}>
                {assignment.article ? (
                  <a href={`#/articles/${assignment.article.id}`}>{assignment.title}</a>
                ) : (
                  <strong>{assignment.title}</strong>
                )}{' '}
                · {assignment.assignee.name}
                {assignment.deadline ? ` · ${formatTime(assignment.deadline)}` : ''}
                {assignment.article ? '' : ' · not started'}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** “Monday 2 March” for the day key "2026-03-02" (a calendar day, whatever the zone). */
function dayHeading(day: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${day}T12:00:00Z`));
}
