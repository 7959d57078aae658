import { type ReactNode, useEffect, useState } from 'react';
import {
  ApiFailure,
  type Article,
  type ArticleReactions,
  api,
  type FediverseReply,
  messageOf,
  type ReplyState,
} from '../api.js';
import { formatDateTime } from '../dates.js';
import { countOf } from '../plural.js';

const LIKES = { one: 'like', other: 'likes' };
const BOOSTS = { one: 'boost', other: 'boosts' };
const REPLIES = { one: 'reply', other: 'replies' };

const STATE_WORDS: Record<ReplyState, string> = {
  pending: 'Not reviewed',
  approved: 'Approved',
  hidden: 'Hidden',
};

/** What a reply in each state can become: new ones either way; the others the opposite way. */
const NEXT_STATES: Record<ReplyState, { state: ReplyState; label: string }[]> = {
  pending: [
    { state: 'approved', label: 'Approve' },
    { state: 'hidden', label: 'Hide' },
  ],
  approved: [{ state: 'hidden', label: 'Hide' }],
  hidden: [{ state: 'approved', label: 'Approve' }],
};

/**
 * What the fediverse did with a published article (editors and up): its
 * likes and boosts, and the replies, which staff approve or hide. Replies are
 * never shown to readers. Nothing at all for those the server does not let
 * read them (it answers 403).
 */
export function FediversePanel({ article }: { article: Article }): ReactNode {
  const [reactions, setReactions] = useState<ArticleReactions | null>(null);
  const [error, setError] = useState('');
  const [isForbidden, setForbidden] = useState(false);
  const [message, setMessage] = useState('');

  useEffect(() => {
    let isCurrent = true;
    api<ArticleReactions>('GET', `/articles/${article.id}/reactions`).then(
      (answer) => {
        if (!isCurrent) return;
        setReactions(answer);
        setError('');
      },
      (failure: unknown) => {
        if (!isCurrent) return;
        if (failure instanceof ApiFailure && failure.status === 403) setForbidden(true);
        else setError(messageOf(failure));
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [article.id]);

  // Nothing until the server has answered, and nothing for those it does not let read this.
  if (isForbidden || (reactions === null && !error)) return null;
  const moderate = async (reply: FediverseReply, state: ReplyState) => {
    try {
      setReactions(
        await api<ArticleReactions>('POST', `/fediverse/replies/${reply.id}`, { state }),
      );
      setMessage(`${state === 'hidden' ? 'Hid' : 'Approved'} the reply from ${nameOf(reply)}.`);
    } catch (failure) {
      setMessage(`Not changed: ${messageOf(failure)}`);
    }
  };
  return (
    <section className="tool-panel fediverse-panel" aria-labelledby="fediverse-heading">
      <h2 id="fediverse-heading">Fediverse</h2>
      {error ? <p role="alert">What the fediverse said could not be read: {error}</p> : null}
      {reactions ? (
        <>
          <p className="fediverse-counts">
            {countOf(reactions.likes, LIKES)} · {countOf(reactions.boosts, BOOSTS)}
          </p>
          <p className="hint">
            {reactions.replies.length === 0
              ? 'No reply yet. '
              : `${countOf(reactions.replies.length, REPLIES)}. `}
            Replies are shown only here, to staff.
          </p>
          {reactions.replies.length > 0 ? (
            <ul className="fediverse-replies">
              {reactions.replies.map((reply) => (
                <li key={reply.id} className={`fediverse-reply reply-${reply.state}`}>
                  <p className="fediverse-reply-meta">
                    <a href={reply.actorIri} target="_blank" rel="noopener noreferrer">
                      {nameOf(reply)}
                    </a>{' '}
                    <span className="hint">{formatDateTime(reply.createdAt)}</span>{' '}
                    <span className={`status reply-state-${reply.state}`}>
                      {STATE_WORDS[reply.state]}
                    </span>
                  </p>
                  <div
                    className="received-content"
                    // Sanitized by the server when the reply came in
                    // (core/archived-html.ts sanitizeArchivedHtml).
                    // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the server, see above
                    dangerouslySetInnerHTML={{ __html: reply.content }}
                  />
                  <p className="button-row">
                    {reply.url ? (
                      <a href={reply.url} target="_blank" rel="noopener noreferrer">
                        Open<span className="visually-hidden"> the reply from {nameOf(reply)}</span>
                      </a>
                    ) : null}
                    {NEXT_STATES[reply.state].map((next) => (
                      <button
                        key={next.state}
                        type="button"
                        onClick={() => void moderate(reply, next.state)}
                      >
                        {next.label}
                        <span className="visually-hidden"> the reply from {nameOf(reply)}</span>
                      </button>
                    ))}
                  </p>
                </li>
              ))}
            </ul>
          ) : null}
          <p role="status">{message}</p>
        </>
      ) : null}
    </section>
  );
}

function nameOf(reply: FediverseReply): string {
  return reply.actorName || reply.actorIri;
}
