import { type ReactNode, useEffect, useState } from 'react';
import { channelTakes, sectionAncestry } from '../../core/channel-rules.js';
import { slugify } from '../../core/slug.js';
import { TRASH_DAYS } from '../../core/workflow.js';
import {
  type Article,
  api,
  type Channel,
  type MediaItem,
  messageOf,
  type Section,
  sectionLabel,
} from '../api.js';
import { formatDateTime, fromZonedInputValue, shownTimeZone } from '../dates.js';
import { DialogButtons } from '../dialog-buttons.js';
import type { Draft } from '../pages/article-editor-page.js';
import { useModal } from '../use-modal.js';
import { usePhoto } from '../use-photo.js';

type TransitionName = Article['transitions'][number];

/** Runs a transition with the edits on screen; resolves to an error message, or null when done. */
export type RunTransition = (name: TransitionName, extra: object) => Promise<string | null>;

const LABELS: Record<TransitionName, string> = {
  submit: 'Submit for review',
  publish: 'Publish',
  schedule: 'Schedule',
  unschedule: 'Cancel the schedule',
  unpublish: 'Unpublish',
  correct: 'Add a correction',
  update: 'Update',
  'send-back': 'Send back to the writer',
  withdraw: 'Withdraw the submission',
  trash: 'Move to the trash',
  restore: 'Restore from the trash',
};

const DONE: Record<TransitionName, string> = {
  submit: 'Submitted for review.',
  publish: 'Published.',
  schedule: 'Scheduled.',
  unschedule: 'The schedule is cancelled: the article is a draft again.',
  unpublish: 'Unpublished: readers no longer see it.',
  correct: 'The correction is published.',
  update: 'Updated: readers now see your edits.',
  'send-back': 'Sent back to the writer, with your note.',
  withdraw: 'Withdrawn: it is your draft again.',
  trash: `In the trash: it can be restored for ${TRASH_DAYS} days.`,
  restore: 'Restored from the trash.',
};

/** These put text in front of readers: each asks once, showing what will go out. */
const CONFIRMED: ReadonlySet<TransitionName> = new Set(['publish', 'schedule', 'update']);

/**
 * The workflow buttons the user may press now. Each sends the edits on screen
 * with it (one request, under the version check), so what is published is
 * what the person sees; refusals are shown in plain words.
 */
export function TransitionsPanel({
  article,
  draft,
  sections,
  media,
  run,
}: {
  article: Article;
  draft: Draft;
  sections: Section[];
  media: MediaItem[];
  run: RunTransition;
}): ReactNode {
  const [message, setMessage] = useState('');
  const [at, setAt] = useState('');
  const [correctionType, setCorrectionType] = useState('correction');
  const [correctionText, setCorrectionText] = useState('');
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState<TransitionName | null>(null);

  const extraFor = (name: TransitionName): object | string => {
    if (name === 'schedule') {
      if (!at) return 'Choose the publication time first.';
      // The field shows the newsroom's clock, wherever the browser is.
      const moment = fromZonedInputValue(at);
      if (!moment) return 'The publication time is not a date and time: choose it again.';
      return { at: moment.toISOString() };
    }
    if (name === 'correct') return { type: correctionType, text: correctionText };
    if (name === 'send-back') {
      if (!note.trim()) return 'Write a note for the writer first: what should change?';
      return { note };
    }
    return {};
  };

  const start = (name: TransitionName) => {
    const extra = extraFor(name);
    if (typeof extra === 'string') return setMessage(extra);
    if (CONFIRMED.has(name)) return setConfirming(name);
    void go(name, extra);
  };

  const go = async (name: TransitionName, extra: object) => {
    setConfirming(null);
    setMessage(`${LABELS[name]}…`);
    const problem = await run(name, extra);
    setMessage(
      problem === null ? DONE[name] : `${LABELS[name]}: not done. ${capitalize(problem)}.`,
    );
    if (problem === null && name === 'correct') setCorrectionText('');
    if (problem === null && name === 'send-back') setNote('');
  };

  return (
    <section aria-labelledby="workflow-heading">
      <h2 id="workflow-heading">Workflow</h2>
      {article.scheduledAt ? <p>Scheduled for {formatDateTime(article.scheduledAt)}.</p> : null}
      {article.transitions.includes('schedule') ? (
        <>
          <label>
            Publication time
            <input
              type="datetime-local"
              value={at}
              aria-describedby="publication-time-zone"
              onChange={(e) => setAt(e.target.value)}
            />
          </label>
          <p id="publication-time-zone" className="hint schedule-zone">
            Time in {shownTimeZone()}, the newsroom’s time zone
          </p>
        </>
      ) : null}
      {article.transitions.includes('correct') ? (
        <>
          <label>
            Kind of correction
            <select value={correctionType} onChange={(e) => setCorrectionType(e.target.value)}>
              <option value="correction">Correction</option>
              <option value="clarification">Clarification</option>
              <option value="retraction">Retraction</option>
            </select>
          </label>
          <label>
            Correction text, as readers will see it
            <textarea
              rows={3}
              value={correctionText}
              onChange={(e) => setCorrectionText(e.target.value)}
            />
          </label>
        </>
      ) : null}
      {article.transitions.includes('send-back') ? (
        <label>
          Note for the writer (sent back with the article)
          <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
      ) : null}
      {article.trashedAt ? (
        <p>
          In the trash since {formatDateTime(article.trashedAt)}: deleted for good {TRASH_DAYS} days
          later unless restored.
        </p>
      ) : null}
      <div className="transition-buttons">
        {article.transitions.map((name) => (
          <button
            key={name}
            type="button"
            className={
              name === 'publish' || name === 'update' || name === 'submit' || name === 'restore'
                ? 'primary'
                : name === 'unpublish' || name === 'trash'
                  ? 'destructive'
                  : undefined
            }
            onClick={() => start(name)}
          >
            {LABELS[name]}
          </button>
        ))}
      </div>
      {article.transitions.length === 0 ? (
        <p className="hint">Nothing to do here for your role.</p>
      ) : null}
      <p role="status">{message}</p>
      {confirming ? (
        <ConfirmDialog
          name={confirming}
          article={article}
          draft={draft}
          sections={sections}
          media={media}
          at={confirming === 'schedule' ? at : null}
          onConfirm={(channels) => {
            const extra = extraFor(confirming);
            if (typeof extra !== 'string')
              void go(confirming, channels ? { ...extra, channels } : extra);
          }}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
      {article.corrections.length > 0 ? (
        <>
          <h3>Published corrections</h3>
          <ul>
            {article.corrections.map((correction) => (
              <li key={correction.createdAt}>
                {correction.type}: {correction.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The address the article will have: it follows the headline until first published, unless set by hand. */
function addressOf(article: Article, draft: Draft): string {
  if (!article.isSlugEditable) return article.url;
  const slug = draft.slug !== article.slug ? draft.slug : slugify(draft.title) || article.slug;
  return `/${draft.section || article.section}/${slug}`;
}

/** Which channels take an article in `sectionPath` (a section's path) and `language`, by default. */
function takesOf(sectionPath: string, language: string, sections: Section[]) {
  const path = sectionAncestry(sections, sectionPath);
  return (channel: Channel) => channelTakes(channel, { language, sectionPath: path });
}

/**
 * The channels publishing may post to, those that take the article as it is
 * on screen ticked (its section and language may have changed since it was
 * saved); `isReady` once read (until then the server picks the defaults).
 */
function useChannelPicks(isWanted: boolean, takes: (channel: Channel) => boolean) {
  const [all, setAll] = useState<Channel[]>([]);
  const [picked, setPicked] = useState<number[]>([]);
  const [isReady, setIsReady] = useState(false);
  const [error, setError] = useState('');
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once, when the dialog opens
  useEffect(() => {
    if (!isWanted) return;
    let isCurrent = true;
    api<{ channels: Channel[] }>('GET', '/channels').then(
      (list) => {
        if (!isCurrent) return;
        setAll(list.channels);
        setPicked(list.channels.filter(takes).map((channel) => channel.id));
        setIsReady(true);
      },
      (failure: unknown) => {
        if (isCurrent)
          setError(
            `The channels could not be read (${messageOf(failure)}): those that take the article get it.`,
          );
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [isWanted]);
  const pick = (id: number, isPicked: boolean) =>
    setPicked((current) =>
      isPicked
        ? [...current.filter((other) => other !== id), id]
        : current.filter((other) => other !== id),
    );
  return { all, picked, pick, isReady, error };
}

/** Asks once before text goes to readers, with what matters at a glance. */
function ConfirmDialog({
  name,
  article,
  draft,
  sections,
  media,
  at,
  onConfirm,
  onCancel,
}: {
  name: TransitionName;
  article: Article;
  draft: Draft;
  sections: Section[];
  media: MediaItem[];
  at: string | null;
  /** With the channels picked, when publishing offers a choice. */
  onConfirm: (channels?: number[]) => void;
  onCancel: () => void;
}): ReactNode {
  const dialog = useModal();
  const channels = useChannelPicks(
    name === 'publish' || name === 'schedule',
    takesOf(draft.section || article.section, draft.language, sections),
  );
  // Also a lead photo older than the library's newest 200.
  const lead = usePhoto(draft.leadMediaId, media);
  const moment = at ? fromZonedInputValue(at) : null;
  const when = moment ? formatDateTime(moment) : 'now';
  const heading =
    name === 'update'
      ? 'Update the published article?'
      : name === 'schedule'
        ? 'Schedule this article?'
        : 'Publish this article?';
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby="confirm-heading"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-heading">{heading}</h2>
      <dl className="confirm-facts">
        <dt>Headline</dt>
        <dd>{draft.title || <em>no headline yet</em>}</dd>
        <dt>Section</dt>
        <dd>{sectionLabel(draft.section || article.section, sections)}</dd>
        <dt>Address</dt>
        <dd>
          <code>{addressOf(article, draft)}</code>
        </dd>
        <dt>When</dt>
        <dd>{moment ? `${when} (${shownTimeZone()})` : when}</dd>
        <dt>Lead photo</dt>
        <dd>
          {lead ? (
            <>
              {lead.alt || lead.caption || `Photo ${lead.id}`} —{' '}
              {lead.creditLine ? (
                `credit: ${lead.creditLine}`
              ) : lead.isOwnPhoto ? (
                'the newsroom’s own photo'
              ) : (
                <strong>no credit</strong>
              )}
            </>
          ) : (
            'none'
          )}
        </dd>
        <dt>Goes to</dt>
        <dd>
          The site (home, section, tag and author pages), its RSS, Atom and JSON feeds, the sitemaps
          and search; mirrors with their next build.
        </dd>
      </dl>
      {channels.error ? <p role="alert">{channels.error}</p> : null}
      {(name === 'publish' || name === 'schedule') && channels.all.length > 0 ? (
        <fieldset className="channel-picks">
          <legend>
            {name === 'schedule' ? 'When it is published, also post to' : 'Also post to'}
          </legend>
          {channels.all.map((channel) => (
            <label key={channel.id} className="checkbox">
              <input
                type="checkbox"
                checked={channels.picked.includes(channel.id)}
                onChange={(event) => channels.pick(channel.id, event.target.checked)}
              />
              {channel.name} <span className="hint">({channel.chatId})</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <DialogButtons
        action={
          name === 'update'
            ? 'Update now'
            : name === 'schedule'
              ? `Schedule for ${when}`
              : 'Publish now'
        }
        onAction={() =>
          onConfirm(
            (name === 'publish' || name === 'schedule') && channels.isReady
              ? channels.picked
              : undefined,
          )
        }
        cancel="Not yet"
        onCancel={onCancel}
      />
    </dialog>
  );
}
