import {
  type ChangeEvent,
  type FormEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { MAX_SEND_ARTICLES } from '../../core/newsletters.js';
import { can } from '../../core/policy.js';
import {
  type Article,
  api,
  messageOf,
  type NewsletterList,
  type NewsletterLists,
  type NewsletterSend,
  type Section,
  type Session,
  type Subscriber,
  type SubscriberImportReport,
  sectionLabel,
} from '../api.js';
import { formatDateTime, fromZonedInputValue, shownTimeZone, toZonedInputValue } from '../dates.js';
import { DialogButtons } from '../dialog-buttons.js';
import { LANGUAGE_NAMES, languageName } from '../languages.js';
import { Pager } from '../pager.js';
import { countOf, formatCount } from '../plural.js';
import { TableScroll } from '../table-scroll.js';
import { useLoad } from '../use-load.js';
import { useModal } from '../use-modal.js';

// Newsletters (editors and up): the lists and how many confirmed readers each
// has, sending an article or a digest to one (now, later, or a test to
// oneself), and following each send. The editor-in-chief also adds lists and,
// alone, sees readers' addresses: searching, importing, exporting, deleting.

const READERS = { one: 'reader', other: 'readers' };
const ARTICLES = { one: 'article', other: 'articles' };
const SUBSCRIBERS_PAGE = 50;
/** How often the sends are read again while one is scheduled or going out. */
const SENDS_REFRESH_MS = 3000;
/** The newest published articles offered for a newsletter. */
const PICKABLE_ARTICLES = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

type ArticlePage = { articles: Article[]; total: number };

/**
 * A question asked before something that cannot be undone. `run` answers the
 * id of what takes the focus once the dialog has closed, when the button that
 * opened it is gone (a deleted reader's row), or null to give it back there.
 */
type Confirmation = {
  heading: string;
  body: ReactNode;
  action: string;
  run: () => Promise<string | null>;
};
type Ask = (confirmation: Confirmation) => void;

/** The newsletters screen: lists, the send form, recent sends and (editor-in-chief) readers. */
export function NewslettersPage({ session }: { session: Session }): ReactNode {
  const isChief = can(session.user, 'settings.manage');
  const lists = useLoad(() => api<NewsletterLists>('GET', '/newsletters'), 'newsletters');
  const sends = useLoad(
    () => api<{ sends: NewsletterSend[] }>('GET', '/newsletter-sends'),
    'newsletter-sends',
  );
  const articles = useLoad(
    () =>
      api<ArticlePage>(
        'GET',
        `/articles?status=published&sort=published&order=desc&pageSize=${PICKABLE_ARTICLES}`,
      ),
    'published-articles',
  );
  const sections = useLoad(() => api<{ sections: Section[] }>('GET', '/sections'), 'sections');
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const focusAfter = useRef<string | null>(null);
  // Once the dialog is gone (the page behind it takes the focus again).
  useEffect(() => {
    if (confirmation !== null || !focusAfter.current) return;
    document.getElementById(focusAfter.current)?.focus();
    focusAfter.current = null;
  }, [confirmation]);

  if (lists.error) return <p role="alert">{lists.error}</p>;
  if (!lists.data) return <p>Loading…</p>;
  const { canSend } = lists.data;
  const listItems = lists.data.lists;
  return (
    <>
      <h1 tabIndex={-1}>Newsletters</h1>
      <p>
        Readers sign up on the site’s <a href="/newsletters">newsletters page</a> and confirm by
        e-mail; only confirmed readers are sent to. Send one article in full, or several as a
        digest, now or at a set time.
      </p>
      {canSend ? null : (
        <p className="newsletter-notice" role="note">
          <strong>This server sends no e-mail yet.</strong> Whoever runs it sets{' '}
          <code>MASTHEAD_SMTP_URL</code> (the mail server to send through) and{' '}
          <code>MASTHEAD_MAIL_FROM</code> (the address newsletters come from), as{' '}
          <code>docs/deploy.md</code> describes, and starts it again. Until then nothing can be
          sent, not even a test.
        </p>
      )}
      <ListsSection lists={listItems} isChief={isChief} onAdded={lists.reload} />
      <SendForm
        lists={listItems}
        canSend={canSend}
        articles={articles.data?.articles}
        articlesError={articles.error}
        sections={sections.data?.sections ?? []}
        ask={setConfirmation}
        onSent={sends.reload}
      />
      <SendsSection
        sends={sends.data?.sends}
        error={sends.error}
        articles={articles.data?.articles ?? []}
        reload={sends.reload}
        ask={setConfirmation}
      />
      {isChief ? (
        <ReadersSection lists={listItems} ask={setConfirmation} onChanged={lists.reload} />
      ) : null}
      {confirmation ? (
        <ConfirmDialog
          confirmation={confirmation}
          onClose={(focus) => {
            focusAfter.current = focus;
            setConfirmation(null);
          }}
        />
      ) : null}
    </>
  );
}

/** The confirmation before sending, stopping a send or deleting an address. */
function ConfirmDialog({
  confirmation,
  onClose,
}: {
  confirmation: Confirmation;
  onClose: (focus: string | null) => void;
}): ReactNode {
  const dialog = useModal();
  const [isBusy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    let focus: string | null = null;
    try {
      focus = await confirmation.run();
    } finally {
      onClose(focus);
    }
  };
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby="newsletter-confirm-heading"
      onCancel={(event) => {
        event.preventDefault();
        if (!isBusy) onClose(null);
      }}
    >
      <h2 id="newsletter-confirm-heading">{confirmation.heading}</h2>
      {confirmation.body}
      <DialogButtons
        action={confirmation.action}
        onAction={() => void go()}
        onCancel={() => onClose(null)}
        isActionDisabled={isBusy}
        isCancelDisabled={isBusy}
      />
    </dialog>
  );
}

// ---------------------------------------------------------------------------
// Lists

type ListForm = {
  name: string;
  slug: string;
  isSlugTyped: boolean;
  language: string;
  senderName: string;
  description: string;
};

const EMPTY_LIST: ListForm = {
  name: '',
  slug: '',
  isSlugTyped: false,
  language: 'en',
  senderName: '',
  description: '',
};

/** "Morning Brief" → "morning-brief": the list's name in its addresses, until one is typed. */
function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

function ListsSection({
  lists,
  isChief,
  onAdded,
}: {
  lists: NewsletterList[];
  isChief: boolean;
  onAdded: () => void;
}): ReactNode {
  const [form, setForm] = useState<ListForm>(EMPTY_LIST);
  const [message, setMessage] = useState('');
  const set = <K extends keyof ListForm>(key: K, value: ListForm[K]) =>
    setForm((current) => ({ ...current, [key]: value }));

  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const added = await api<NewsletterList>('POST', '/newsletters', {
        name: form.name,
        slug: form.slug,
        language: form.language,
        senderName: form.senderName,
        description: form.description,
      });
      setMessage(`Added the list ${added.name}.`);
      setForm(EMPTY_LIST);
      onAdded();
    } catch (failure) {
      setMessage(`Not added: ${messageOf(failure)}`);
    }
  };

  return (
    <section className="newsletter-section" aria-labelledby="lists-heading">
      <h2 id="lists-heading">Lists</h2>
      {lists.length === 0 ? (
        <p className="list-empty">
          No list yet.{' '}
          {isChief
            ? 'Add one below: readers can sign up as soon as it exists.'
            : 'The editor-in-chief adds them.'}
        </p>
      ) : (
        <ul className="newsletter-lists">
          {lists.map((list) => (
            <li key={list.id} className="newsletter-item">
              <p className="newsletter-list-name">
                <strong>{list.name}</strong>{' '}
                <span className="newsletter-count">{countOf(list.activeCount, READERS)}</span>
              </p>
              <p className="hint">
                In {languageName(list.language)}, from “{list.senderName}”; address name{' '}
                <code>{list.slug}</code>
              </p>
              {list.description ? (
                <p className="newsletter-description">{list.description}</p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {isChief ? (
        <form
          className="newsletter-list-form"
          onSubmit={(event) => void add(event)}
          aria-labelledby="add-list-heading"
        >
          <h3 id="add-list-heading">Add a list</h3>
          <label>
            Name, as readers will see it
            <input
              required
              maxLength={120}
              value={form.name}
              onChange={(e) => {
                const name = e.target.value;
                setForm((current) => ({
                  ...current,
                  name,
                  slug: current.isSlugTyped ? current.slug : slugOf(name),
                }));
              }}
            />
          </label>
          <label>
            Address name
            <input
              required
              pattern="[a-z0-9][a-z0-9\-]{0,59}"
              aria-describedby="list-slug-hint"
              value={form.slug}
              onChange={(e) => setForm((c) => ({ ...c, slug: e.target.value, isSlugTyped: true }))}
            />
          </label>
          <p id="list-slug-hint" className="hint field-hint">
            Lower-case letters, digits and hyphens; it names the list in its e-mails’ headers.
          </p>
          <label>
            Language of its e-mails
            <select value={form.language} onChange={(e) => set('language', e.target.value)}>
              {Object.entries(LANGUAGE_NAMES).map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Sender name in inboxes
            <input
              required
              maxLength={120}
              placeholder="The Lantern"
              value={form.senderName}
              onChange={(e) => set('senderName', e.target.value)}
            />
          </label>
          <label className="wide">
            What readers get (shown where they sign up)
            <textarea
              rows={2}
              maxLength={500}
              value={form.description}
              onChange={(e) => set('description', e.target.value)}
            />
          </label>
          <p className="button-row wide">
            <button type="submit" className="primary">
              Add the list
            </button>
          </p>
          <p role="status" className="wide">
            {message}
          </p>
        </form>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------------------
// Sending

/**
 * The articles ticked to begin with: those published in the last 24 hours (a
 * rolling day rather than the calendar day in the newsroom's zone, so that a
 * digest sent early in the morning still carries last evening's stories).
 */
function recentIds(articles: Article[], now: number): number[] {
  return articles
    .filter((article) => article.publishedAt && now - Date.parse(article.publishedAt) < DAY_MS)
    .map((article) => article.id);
}

function SendForm({
  lists,
  canSend,
  articles,
  articlesError,
  sections,
  ask,
  onSent,
}: {
  lists: NewsletterList[];
  canSend: boolean;
  articles: Article[] | undefined;
  articlesError: string;
  sections: Section[];
  ask: Ask;
  onSent: () => void;
}): ReactNode {
  const [listId, setListId] = useState<number | null>(null);
  const [picked, setPicked] = useState<number[] | null>(null);
  const [subject, setSubject] = useState('');
  const [intro, setIntro] = useState('');
  const [isLater, setLater] = useState(false);
  const [at, setAt] = useState('');
  const [message, setMessage] = useState('');
  const [isBusy, setBusy] = useState(false);

  // The last 24 hours' articles are ticked once the list of articles arrives.
  useEffect(() => {
    if (articles && picked === null) setPicked(recentIds(articles, Date.now()));
  }, [articles, picked]);

  const list = lists.find((item) => item.id === listId) ?? lists[0];
  const chosen = (articles ?? []).filter((article) => picked?.includes(article.id));
  const isDigest = chosen.length > 1;
  const readers = list ? countOf(list.activeCount, READERS) : '';
  const moment = isLater && at ? fromZonedInputValue(at) : null;

  if (lists.length === 0) {
    return (
      <section className="newsletter-section" aria-labelledby="send-heading">
        <h2 id="send-heading">Send a newsletter</h2>
        <p>There is no list to send to yet.</p>
      </section>
    );
  }

  /** The request both buttons send, or what is missing in words. */
  const request = (): string | Record<string, unknown> => {
    if (!list) return 'Choose a list first.';
    if (chosen.length === 0) return 'Tick at least one article.';
    if (chosen.length > MAX_SEND_ARTICLES)
      return `A newsletter carries at most ${MAX_SEND_ARTICLES} articles: untick ${chosen.length - MAX_SEND_ARTICLES}.`;
    if (isLater && !at) return 'Choose when it goes out, or choose Now.';
    if (isLater && !moment) return 'The time is not a date and time: choose it again.';
    return {
      listId: list.id,
      articleIds: chosen.map((article) => article.id),
      subject,
      intro,
      // The field reads the newsroom's clock, like the article schedule field.
      sendAt: moment ? moment.toISOString() : null,
    };
  };

  const test = async () => {
    const body = request();
    if (typeof body === 'string') return setMessage(body);
    setBusy(true);
    setMessage('Sending a test to you…');
    try {
      const sent = await api<{ to: string }>('POST', '/newsletter-sends/test', body);
      setMessage(`Sent to ${sent.to}. Only you got it; its subject starts with [Test].`);
    } catch (failure) {
      setMessage(`The test was not sent: ${messageOf(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  const send = (event: FormEvent) => {
    event.preventDefault();
    const body = request();
    if (typeof body === 'string' || !list) return setMessage(typeof body === 'string' ? body : '');
    setMessage('');
    const when = moment ? `${formatDateTime(moment)} (${shownTimeZone()})` : 'now';
    ask({
      heading: moment ? 'Schedule this newsletter?' : 'Send this newsletter now?',
      action: moment ? `Schedule for ${readers}` : `Send to ${readers}`,
      body: (
        <>
          <dl className="confirm-facts">
            <dt>List</dt>
            <dd>{list.name}</dd>
            <dt>Readers</dt>
            <dd>
              {moment
                ? `${readers} today; whoever is confirmed when it goes out gets it`
                : `${readers} will get it`}
            </dd>
            <dt>Articles</dt>
            <dd>
              {isDigest
                ? `${formatCount(chosen.length)}, as a digest`
                : `${chosen[0]?.title ?? ''}, in full`}
            </dd>
            <dt>Subject</dt>
            <dd>{subject.trim() || automaticSubject(list, chosen)}</dd>
            <dt>When</dt>
            <dd>{when}</dd>
          </dl>
          <p>An e-mail cannot be taken back once it has gone.</p>
        </>
      ),
      run: async () => {
        try {
          await api<NewsletterSend>('POST', '/newsletter-sends', body);
          setMessage(
            moment
              ? `Scheduled for ${when}: see Recent sends.`
              : `Sending to ${readers}: follow it under Recent sends.`,
          );
          setSubject('');
          setIntro('');
          setLater(false);
          setAt('');
          onSent();
        } catch (failure) {
          setMessage(`Not sent: ${messageOf(failure)}`);
        }
        return null;
      },
    });
  };

  const toggle = (id: number, isTicked: boolean) =>
    setPicked((current) => {
      const without = (current ?? []).filter((item) => item !== id);
      return isTicked ? [...without, id] : without;
    });

  return (
    <section className="newsletter-section" aria-labelledby="send-heading">
      <h2 id="send-heading">Send a newsletter</h2>
      <form className="send-form" onSubmit={send}>
        <label>
          List
          <select value={list?.id ?? ''} onChange={(e) => setListId(Number(e.target.value))}>
            {lists.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name} ({countOf(item.activeCount, READERS)})
              </option>
            ))}
          </select>
        </label>
        <fieldset className="article-picks">
          <legend>Articles</legend>
          <p className="hint" id="article-picks-hint">
            One article goes in full; several make a digest of headlines and standfirsts, in this
            order. Those published in the last 24 hours are ticked.{' '}
            <span className="picked-count">
              {chosen.length === 0
                ? 'None chosen.'
                : `${countOf(chosen.length, ARTICLES)} chosen: ${isDigest ? 'a digest' : 'the article in full'}.`}
            </span>
          </p>
          {articlesError ? (
            <p role="alert">The articles could not be read: {articlesError}</p>
          ) : null}
          {!articles && !articlesError ? <p>Loading the published articles…</p> : null}
          {articles?.length === 0 ? <p>Nothing is published yet.</p> : null}
          {articles && articles.length > 0 ? (
            <ul className="article-pick-list">
              {articles.map((article) => (
                <li key={article.id} className="article-pick-item">
                  <label className="article-pick">
                    <input
                      type="checkbox"
                      className="article-pick-box"
                      checked={picked?.includes(article.id) ?? false}
                      onChange={(e) => toggle(article.id, e.target.checked)}
                    />
                    <span className="article-pick-text">
                      <span className="article-pick-title">{article.title}</span>
                      <span className="hint">
                        {sectionLabel(article.section, sections)}
                        {article.publishedAt ? ` · ${formatDateTime(article.publishedAt)}` : ''}
                        {list && article.language !== list.language
                          ? ` · in ${languageName(article.language)}`
                          : ''}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          ) : null}
        </fieldset>
        <label>
          Subject
          <input
            value={subject}
            maxLength={200}
            aria-describedby="subject-hint"
            placeholder={
              list && chosen.length > 0 ? `Automatic: ${automaticSubject(list, chosen)}` : ''
            }
            onChange={(e) => setSubject(e.target.value)}
          />
        </label>
        <p id="subject-hint" className="hint field-hint">
          Left empty, it is the headline for one article, or the list’s name and the date for a
          digest.
        </p>
        <label>
          Introduction (optional)
          <textarea
            rows={4}
            maxLength={5000}
            aria-describedby="intro-hint"
            value={intro}
            onChange={(e) => setIntro(e.target.value)}
          />
        </label>
        <p id="intro-hint" className="hint field-hint">
          A few words above the articles; an empty line starts a new paragraph.
        </p>
        <fieldset className="send-when">
          <legend>When</legend>
          <label className="choice">
            <input
              type="radio"
              name="send-when"
              checked={!isLater}
              onChange={() => setLater(false)}
            />
            Now
          </label>
          <label className="choice">
            <input
              type="radio"
              name="send-when"
              checked={isLater}
              onChange={() => setLater(true)}
            />
            At a set time
          </label>
          {isLater ? (
            <>
              <label>
                Date and time
                <input
                  type="datetime-local"
                  value={at}
                  min={toZonedInputValue(new Date())}
                  aria-describedby="send-time-zone"
                  onChange={(e) => setAt(e.target.value)}
                />
              </label>
              <p id="send-time-zone" className="hint schedule-zone">
                Time in {shownTimeZone()}, the newsroom’s time zone
              </p>
            </>
          ) : null}
        </fieldset>
        <p className="button-row">
          <button type="button" disabled={!canSend || isBusy} onClick={() => void test()}>
            Send test to me
          </button>
          <button
            type="submit"
            className="primary"
            disabled={!canSend || isBusy || !list || (!isLater && list.activeCount === 0)}
          >
            {isLater ? `Schedule for ${readers}` : `Send to ${readers}`}
          </button>
        </p>
        {list && list.activeCount === 0 ? (
          <p className="hint">
            Nobody has confirmed a subscription to {list.name} yet: there is no one to send to now.
          </p>
        ) : null}
        <p role="status" className="send-message">
          {message}
        </p>
      </form>
    </section>
  );
}

/** What the server will call a message with no subject typed (site/newsletter-mail.ts). */
function automaticSubject(list: NewsletterList, chosen: Article[]): string {
  if (chosen.length === 1) return chosen[0]?.title ?? '';
  return `${list.name} — the date it goes out`;
}

// ---------------------------------------------------------------------------
// Recent sends

const SEND_STATES: Record<NewsletterSend['state'], string> = {
  scheduled: 'Scheduled',
  sending: 'Sending',
  held: 'Held',
  done: 'Done',
  cancelled: 'Cancelled',
};

function SendsSection({
  sends,
  error,
  articles,
  reload,
  ask,
}: {
  sends: NewsletterSend[] | undefined;
  error: string;
  articles: Article[];
  reload: () => void;
  ask: Ask;
}): ReactNode {
  const [message, setMessage] = useState('');
  const isMoving = (sends ?? []).some(
    (send) => send.state === 'scheduled' || send.state === 'sending',
  );
  useEffect(() => {
    if (!isMoving) return;
    const timer = setInterval(reload, SENDS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [isMoving, reload]);

  const titleOf = (send: NewsletterSend) => {
    if (send.subject) return send.subject;
    if (send.articleIds.length === 1) {
      const id = send.articleIds[0];
      return articles.find((article) => article.id === id)?.title ?? `Article ${id}`;
    }
    return `${send.listName}: a digest of ${countOf(send.articleIds.length, ARTICLES)}`;
  };

  const cancel = (send: NewsletterSend) =>
    ask({
      heading: send.state === 'sending' ? 'Stop this send?' : 'Cancel this send?',
      action: send.state === 'sending' ? 'Stop sending' : 'Cancel the send',
      body: (
        <p>
          “{titleOf(send)}” to {send.listName}.{' '}
          {send.state === 'sending'
            ? `${countOf(send.counts.sent, READERS)} got it already and keep it; the rest will not get it.`
            : 'Nobody has got it yet.'}{' '}
          A cancelled send cannot be started again: send the newsletter anew instead.
        </p>
      ),
      run: async () => {
        try {
          await api('POST', `/newsletter-sends/${send.id}/cancel`);
          setMessage(`Cancelled “${titleOf(send)}”.`);
        } catch (failure) {
          setMessage(`Not cancelled: ${messageOf(failure)}`);
        }
        reload();
        // Its Cancel button is gone.
        return 'sends-heading';
      },
    });

  const retry = async (send: NewsletterSend) => {
    try {
      await api('POST', `/newsletter-sends/${send.id}/retry`);
      setMessage(`Sending “${titleOf(send)}” again to the readers it did not reach.`);
      // The Retry button goes once they are queued again.
      document.getElementById('sends-heading')?.focus();
    } catch (failure) {
      setMessage(`Not retried: ${messageOf(failure)}`);
    }
    reload();
  };

  return (
    <section className="newsletter-section" aria-labelledby="sends-heading">
      <h2 id="sends-heading" tabIndex={-1}>
        Recent sends
      </h2>
      {error ? <p role="alert">The sends could not be read: {error}</p> : null}
      {sends && sends.length === 0 ? <p className="list-empty">Nothing sent yet.</p> : null}
      {sends && sends.length > 0 ? (
        <ul className="send-list">
          {sends.map((send) => {
            const title = titleOf(send);
            return (
              <li key={send.id} className={`newsletter-item send-${send.state}`}>
                <p className="send-title">
                  <strong>{title}</strong>{' '}
                  <span
                    className={`status send-state-${send.state}${send.counts.failed > 0 ? ' send-state-with-failures' : ''}`}
                  >
                    {SEND_STATES[send.state]}
                  </span>
                </p>
                <p className="hint">
                  To {send.listName} · {countOf(send.articleIds.length, ARTICLES)} ·{' '}
                  {send.state === 'scheduled' ? 'goes out' : 'due'} {formatDateTime(send.sendAt)}
                  {send.finishedAt ? ` · finished ${formatDateTime(send.finishedAt)}` : ''}
                </p>
                {send.state === 'scheduled' ? null : (
                  <p className="send-counts">
                    <span>{formatCount(send.counts.sent)} sent</span>
                    <span className={send.counts.failed > 0 ? 'send-failed' : undefined}>
                      {formatCount(send.counts.failed)} failed
                    </span>
                    <span>{formatCount(send.counts.queued)} queued</span>
                    {send.counts.sending > 0 ? (
                      <span>{formatCount(send.counts.sending)} being sent</span>
                    ) : null}
                    {send.counts.refused > 0 ? (
                      <span className="send-failed">
                        {formatCount(send.counts.refused)} refused by their mail server
                      </span>
                    ) : null}
                    {send.counts.skipped > 0 ? (
                      <span>{formatCount(send.counts.skipped)} left the list first</span>
                    ) : null}
                  </p>
                )}
                {send.reason ? (
                  <p className={send.state === 'held' ? 'warning' : 'send-reason'}>
                    {send.state === 'held'
                      ? `Held: ${send.reason}. Fix the mail settings, then press Retry.`
                      : `Why it stopped: ${send.reason}`}
                  </p>
                ) : null}
                {send.problems.length > 0 ? (
                  <div className="send-problems">
                    <p>What mail servers answered:</p>
                    <ul className="send-problem-list">
                      {send.problems.map((problem) => (
                        <li key={problem}>{problem}</li>
                      ))}
                    </ul>
                  </div>
                ) : null}
                <p className="button-row">
                  {send.state === 'scheduled' || send.state === 'sending' ? (
                    <button type="button" className="destructive" onClick={() => cancel(send)}>
                      Cancel<span className="visually-hidden"> the send “{title}”</span>
                    </button>
                  ) : null}
                  {send.state === 'held' ||
                  (send.state !== 'cancelled' && send.counts.failed > 0) ? (
                    <button type="button" onClick={() => void retry(send)}>
                      Retry<span className="visually-hidden"> the send “{title}”</span>
                    </button>
                  ) : null}
                </p>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p role="status">{message}</p>
    </section>
  );
}

// ---------------------------------------------------------------------------
// Readers (editor-in-chief)

const SUBSCRIPTION_WORDS: Record<Subscriber['subscriptions'][number]['state'], string> = {
  active: 'confirmed',
  pending: 'not confirmed yet',
  unsubscribed: 'left',
};

/** How many skipped lines an import report lists (the rest are counted). */
const SKIPPED_SHOWN = 200;

type ImportResult = { listName: string; fileName: string; report: SubscriberImportReport };

function ReadersSection({
  lists,
  ask,
  onChanged,
}: {
  lists: NewsletterList[];
  ask: Ask;
  onChanged: () => void;
}): ReactNode {
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [listFilter, setListFilter] = useState('');
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState('');
  const [imported, setImported] = useState<ImportResult | null>(null);
  const [importMessage, setImportMessage] = useState('');

  // Searching as one types, once the typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(typed.trim());
      setPage(1);
    }, 300);
    return () => clearTimeout(timer);
  }, [typed]);

  const params = new URLSearchParams({ q: query, offset: String((page - 1) * SUBSCRIBERS_PAGE) });
  if (listFilter) params.set('list', listFilter);
  const key = params.toString();
  const readers = useLoad(
    () => api<{ total: number; subscribers: Subscriber[] }>('GET', `/subscribers?${key}`),
    key,
  );
  const { reload } = readers;
  const changed = useCallback(() => {
    reload();
    onChanged();
  }, [reload, onChanged]);

  const listName = (id: number) => lists.find((list) => list.id === id)?.name ?? `List ${id}`;

  const importInto = async (list: NewsletterList, event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const file = input.files?.[0];
    // Cleared, so that the same file can be chosen again after it is corrected.
    input.value = '';
    if (!file) return;
    setImported(null);
    setImportMessage(`Importing ${file.name} into ${list.name}…`);
    try {
      const csv = await file.text();
      const report = await api<SubscriberImportReport>(
        'POST',
        `/newsletters/${list.id}/subscribers/import`,
        { csv, fileName: file.name },
      );
      setImported({ listName: list.name, fileName: file.name, report });
      setImportMessage('');
      changed();
    } catch (failure) {
      setImportMessage(`${file.name} was not imported: ${messageOf(failure)}`);
    }
  };

  const remove = (subscriber: Subscriber) =>
    ask({
      heading: 'Delete this address?',
      action: 'Delete the address',
      body: (
        <>
          <p>
            <strong className="reader-address">{subscriber.email}</strong>
          </p>
          <p>
            The address, its subscriptions to every list and the record of what was sent to it are
            removed for good. This cannot be undone; to keep it from being mailed, the reader can
            also unsubscribe.
          </p>
        </>
      ),
      run: async () => {
        try {
          await api('DELETE', `/subscribers/${subscriber.id}`);
          setMessage(`Deleted ${subscriber.email}.`);
          changed();
          // Its row, and the button that was pressed, are gone.
          return 'readers-heading';
        } catch (failure) {
          setMessage(`Not deleted: ${messageOf(failure)}`);
          return null;
        }
      },
    });

  const total = readers.data?.total ?? 0;
  return (
    <section className="newsletter-section" aria-labelledby="readers-heading">
      <h2 id="readers-heading" tabIndex={-1}>
        Readers
      </h2>
      <p className="hint">
        Only the editor-in-chief sees readers’ addresses: being known as a subscriber can put a
        reader in danger. Exports, imports and deletions are in the audit log.
      </p>
      {lists.length > 0 ? (
        <>
          <h3>Import and export</h3>
          <p className="hint">
            Import a CSV exported by another service (Ghost, Substack, or any file with an “email”
            column): its readers are added as confirmed, as they opted in there. Addresses that left
            a list here are not put back.
          </p>
          <ul className="reader-files">
            {lists.map((list) => (
              <li key={list.id} className="newsletter-item reader-file">
                <strong>{list.name}</strong>
                <span className="button-row">
                  <a
                    className="button"
                    href={`/api/newsletters/${list.id}/subscribers.csv`}
                    download
                  >
                    Export<span className="visually-hidden"> the readers of {list.name}</span> (CSV)
                  </a>
                  <label className="file-button">
                    Import<span className="visually-hidden"> readers into {list.name}</span> (CSV)
                    <input
                      type="file"
                      className="file-input"
                      accept=".csv,text/csv"
                      onChange={(event) => void importInto(list, event)}
                    />
                  </label>
                </span>
              </li>
            ))}
          </ul>
          <div role="status" className="import-status">
            {importMessage ? <p>{importMessage}</p> : null}
            {imported ? <ImportReport result={imported} /> : null}
          </div>
        </>
      ) : null}
      <h3>Find readers</h3>
      <div className="filters">
        <label>
          Address contains
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <label>
          On the list
          <select
            value={listFilter}
            onChange={(e) => {
              setListFilter(e.target.value);
              setPage(1);
            }}
          >
            <option value="">Any list</option>
            {lists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p role="status">{message}</p>
      {readers.error ? <p role="alert">Readers could not be read: {readers.error}</p> : null}
      {readers.data && readers.data.subscribers.length === 0 ? (
        <p className="list-empty">
          {query || listFilter ? 'No reader matches.' : 'No reader yet.'}
        </p>
      ) : null}
      {readers.data && readers.data.subscribers.length > 0 ? (
        <TableScroll label="Table of readers">
          <table className="reader-table">
            <caption className="visually-hidden">
              Readers’ addresses, A to Z, with the lists each is on
            </caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Lists</th>
                <th scope="col">Refusals</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="visually-hidden">Delete</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {readers.data.subscribers.map((subscriber) => (
                <tr key={subscriber.id}>
                  <td className="reader-address">{subscriber.email}</td>
                  <td>
                    {subscriber.subscriptions.length === 0 ? (
                      <span className="hint">none</span>
                    ) : (
                      <ul className="reader-lists">
                        {subscriber.subscriptions.map((subscription) => (
                          <li key={subscription.listId}>
                            {listName(subscription.listId)}:{' '}
                            <span className={`subscription-${subscription.state}`}>
                              {SUBSCRIPTION_WORDS[subscription.state]}
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    {formatCount(subscriber.failureCount)}
                    {subscriber.lastFailure ? (
                      <span className="hint reader-failure">{subscriber.lastFailure}</span>
                    ) : null}
                  </td>
                  <td className="reader-date">{formatDateTime(subscriber.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="destructive"
                      onClick={() => remove(subscriber)}
                    >
                      Delete<span className="visually-hidden"> {subscriber.email}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {readers.data && total > 0 ? (
        <Pager
          page={page}
          pageSize={SUBSCRIBERS_PAGE}
          total={total}
          noun={READERS}
          label="Pages of readers"
          onPage={setPage}
        />
      ) : null}
    </section>
  );
}

function ImportReport({ result }: { result: ImportResult }): ReactNode {
  const { report } = result;
  const shown = report.skipped.slice(0, SKIPPED_SHOWN);
  return (
    <div className="import-report">
      <p>
        <strong>
          {result.fileName} into {result.listName}:
        </strong>{' '}
        {formatCount(report.added)} added, {formatCount(report.alreadySubscribed)} already on the
        list, {formatCount(report.skipped.length)} skipped.
      </p>
      {shown.length > 0 ? (
        <TableScroll label="Lines skipped">
          <table>
            <caption>Lines skipped</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Value</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={`${row.line}:${row.value}`}>
                  <td>{row.line}</td>
                  <td className="reader-address">{row.value || <em>empty</em>}</td>
                  <td>{row.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {report.skipped.length > shown.length ? (
        <p className="hint">
          And {formatCount(report.skipped.length - shown.length)} more lines skipped.
        </p>
      ) : null}
    </div>
  );
}
