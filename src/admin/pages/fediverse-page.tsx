import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiFailure, api, type FediverseStatus, messageOf, type ReceivedPost } from '../api.js';
import { formatDateTime } from '../dates.js';
import { countOf, formatCount } from '../plural.js';

// The fediverse (editor-in-chief): the handle people follow the publication
// by, who follows it, following other newsrooms, and what those publish. The
// publication becomes an actor when a channel of the kind "fediverse" names
// its handle (Channels); this screen only reads and follows.

const FOLLOWERS = { one: 'follower', other: 'followers' };
const ACCOUNTS = { one: 'account', other: 'accounts' };
/** How many followers are named; the rest are counted. */
const FOLLOWERS_SHOWN = 200;
/** How often the screen reads again while a follow waits for its answer, and otherwise. */
const PENDING_REFRESH_MS = 3000;
const REFRESH_MS = 60_000;

const FOLLOW_STATES: Record<FediverseStatus['following'][number]['state'], string> = {
  accepted: 'Following',
  pending: 'Waiting for them to accept',
};

/** Newest first, by when each was published (when it came in, for those that do not say). */
function newestFirst(posts: ReceivedPost[]): ReceivedPost[] {
  const at = (post: ReceivedPost) => (post.publishedAt ? Date.parse(post.publishedAt) : 0);
  return [...posts].sort((a, b) => at(b) - at(a) || b.id - a.id);
}

/**
 * The fediverse screen. It reads itself again every few seconds while a
 * follow waits for its answer, and every minute otherwise, so that what
 * comes in shows up without a reload.
 */
export function FediversePage(): ReactNode {
  const [shown, setShown] = useState<FediverseStatus>();
  const [error, setError] = useState('');
  // Each reading or follow answer is numbered: an older one never replaces a newer.
  const generation = useRef(0);
  const show = useCallback((status: FediverseStatus) => {
    generation.current += 1;
    setShown(status);
    setError('');
  }, []);
  const read = useCallback(async () => {
    const asked = generation.current;
    try {
      const status = await api<FediverseStatus>('GET', '/fediverse');
      if (asked === generation.current) show(status);
    } catch (failure) {
      if (asked === generation.current) setError(messageOf(failure));
    }
  }, [show]);
  const isWaiting = shown?.following.some((account) => account.state === 'pending') ?? false;
  useEffect(() => {
    void read();
  }, [read]);
  useEffect(() => {
    const timer = setInterval(() => void read(), isWaiting ? PENDING_REFRESH_MS : REFRESH_MS);
    return () => clearInterval(timer);
  }, [isWaiting, read]);

  if (error && !shown) return <p role="alert">{error}</p>;
  if (!shown) return <p>Loading…</p>;
  const names = new Map(shown.following.map((account) => [account.iri, account.name]));
  return (
    <>
      <h1 tabIndex={-1}>Fediverse</h1>
      {error ? <p role="alert">The screen could not be read again: {error}</p> : null}
      <p>
        On the fediverse (Mastodon and other apps that speak ActivityPub) people follow the
        publication as they follow a person: each article its fediverse channel takes reaches them
        in full, and corrections update it in the apps that show articles (Mastodon shows the
        headline and a link). Likes, boosts and replies are counted in each article’s editor. The
        publication can also follow other newsrooms and read what they publish here.
      </p>
      <HandleSection status={shown} />
      <FollowersSection followers={shown.followers} />
      <FollowSection status={shown} onFollowed={show} />
      <ReceivedSection posts={shown.received} names={names} onRefresh={() => void read()} />
    </>
  );
}

function HandleSection({ status }: { status: FediverseStatus }): ReactNode {
  const [message, setMessage] = useState('');
  const copy = async (handle: string) => {
    try {
      await navigator.clipboard.writeText(handle);
      setMessage('Handle copied.');
    } catch {
      setMessage('Select the handle and copy it.');
    }
  };
  return (
    <section className="newsletter-section" aria-labelledby="handle-heading">
      <h2 id="handle-heading">The publication’s handle</h2>
      {status.handle ? (
        <>
          <p className="fediverse-handle">
            <code className="fediverse-handle-text">{status.handle}</code>
            <button type="button" onClick={() => void copy(status.handle ?? '')}>
              Copy the handle
            </button>
          </p>
          <p className="hint">
            Share it on the site, in newsletters and on social media: people search for it in their
            app and follow.
            {status.actorUrl ? (
              <>
                {' '}
                Its address, for apps that ask for one:{' '}
                <code className="fediverse-actor-url">{status.actorUrl}</code>
              </>
            ) : null}
          </p>
          <p role="status">{message}</p>
        </>
      ) : (
        <p className="list-empty">
          The publication is not on the fediverse yet. Add a channel of the kind “The fediverse”
          under <a href="#/channels">Channels</a>: its handle is the name people follow it by.
        </p>
      )}
    </section>
  );
}

function FollowersSection({ followers }: { followers: FediverseStatus['followers'] }): ReactNode {
  const shown = followers.slice(0, FOLLOWERS_SHOWN);
  return (
    <section className="newsletter-section" aria-labelledby="followers-heading">
      <h2 id="followers-heading">
        Followers <span className="newsletter-count">{countOf(followers.length, FOLLOWERS)}</span>
      </h2>
      {followers.length === 0 ? (
        <p className="list-empty">No one follows the publication yet.</p>
      ) : (
        <ul className="fediverse-accounts">
          {shown.map((follower) => (
            <li key={follower.iri}>
              <a href={follower.iri} target="_blank" rel="noopener noreferrer">
                {follower.name || follower.iri}
              </a>{' '}
              <span className="hint">since {formatDateTime(follower.since)}</span>
            </li>
          ))}
        </ul>
      )}
      {followers.length > shown.length ? (
        <p className="hint">And {formatCount(followers.length - shown.length)} more.</p>
      ) : null}
    </section>
  );
}

function FollowSection({
  status,
  onFollowed,
}: {
  status: FediverseStatus;
  onFollowed: (answer: FediverseStatus) => void;
}): ReactNode {
  const [target, setTarget] = useState('');
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const [isBusy, setBusy] = useState(false);
  const follow = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    setMessage('');
    try {
      const answer = await api<FediverseStatus>('POST', '/fediverse/follow', { handle: target });
      setMessage(`Asked to follow ${target.trim()}.`);
      setTarget('');
      onFollowed(answer);
    } catch (failure) {
      setError(
        failure instanceof ApiFailure && failure.status === 409
          ? `Not followed: ${messageOf(failure)} (under Channels).`
          : `Not followed: ${messageOf(failure)}`,
      );
    } finally {
      setBusy(false);
    }
  };
  const following = status.following;
  return (
    <section className="newsletter-section" aria-labelledby="follow-heading">
      <h2 id="follow-heading">
        Following <span className="newsletter-count">{countOf(following.length, ACCOUNTS)}</span>
      </h2>
      {following.length === 0 ? (
        <p className="list-empty">The publication follows no one yet.</p>
      ) : (
        <ul className="fediverse-accounts">
          {following.map((account) => (
            <li key={account.iri}>
              <a href={account.iri} target="_blank" rel="noopener noreferrer">
                {account.name || account.handle}
              </a>{' '}
              {/* As it was typed: a handle says more than the address the link already holds. */}
              {account.handle !== account.iri ? (
                <>
                  <code className="fediverse-address">{account.handle}</code>{' '}
                </>
              ) : null}
              <span className={`status follow-${account.state}`}>
                {FOLLOW_STATES[account.state]}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form
        className="newsletter-list-form fediverse-follow-form"
        onSubmit={(event) => void follow(event)}
        aria-labelledby="follow-form-heading"
      >
        <h3 id="follow-form-heading">Follow another newsroom</h3>
        <label className="wide">
          Handle or address
          <input
            required
            minLength={3}
            maxLength={500}
            autoComplete="off"
            spellCheck={false}
            placeholder="@news@example.org"
            aria-describedby="follow-hint follow-error"
            aria-invalid={error ? true : undefined}
            value={target}
            onChange={(e) => setTarget(e.target.value)}
          />
        </label>
        <p id="follow-hint" className="hint field-hint">
          Their handle, such as @news@example.org, or the address of their profile. Their new posts
          come in below once they accept.
        </p>
        <p className="button-row wide">
          <button type="submit" className="primary" disabled={isBusy}>
            {isBusy ? 'Asking…' : 'Follow'}
          </button>
        </p>
        <p id="follow-error" className="form-error wide" role="alert">
          {error}
        </p>
        <p className="wide" role="status">
          {message}
        </p>
      </form>
    </section>
  );
}

function ReceivedSection({
  posts,
  names,
  onRefresh,
}: {
  posts: ReceivedPost[];
  names: Map<string, string>;
  onRefresh: () => void;
}): ReactNode {
  return (
    <section className="newsletter-section" aria-labelledby="received-heading">
      <h2 id="received-heading">From those you follow</h2>
      <p className="button-row">
        <span className="hint">The newest first. Links open the original on its own site.</span>
        <button type="button" onClick={onRefresh}>
          Check for new posts
        </button>
      </p>
      {posts.length === 0 ? (
        <p className="list-empty">Nothing has come in yet.</p>
      ) : (
        <ul className="received-list">
          {newestFirst(posts).map((post) => (
            <Received key={post.id} post={post} author={names.get(post.actorIri) ?? ''} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Received({ post, author }: { post: ReceivedPost; author: string }): ReactNode {
  const headingId = `received-${post.id}`;
  const title = post.name || (post.type === 'Note' ? 'A post' : 'An article');
  const from = author || post.actorIri;
  return (
    <li className="newsletter-item received-post">
      <article aria-labelledby={headingId}>
        <h3 id={headingId} className="received-title">
          {title}
          {post.deletedAt ? <span className="status received-deleted">Deleted</span> : null}
        </h3>
        <p className="hint received-meta">
          {post.type === 'Note' ? 'Post' : 'Article'} by{' '}
          <a href={post.actorIri} target="_blank" rel="noopener noreferrer">
            {from}
          </a>
          {post.publishedAt ? ` · ${formatDateTime(post.publishedAt)}` : ''}
          {post.updatedAt && post.updatedAt !== post.publishedAt
            ? ` · updated ${formatDateTime(post.updatedAt)}`
            : ''}
          {post.deletedAt ? ` · deleted ${formatDateTime(post.deletedAt)}` : ''}
          {/* Once deleted, the original is gone too. */}
          {post.url && !post.deletedAt ? (
            <>
              {' · '}
              <a href={post.url} target="_blank" rel="noopener noreferrer">
                Read the original<span className="visually-hidden"> of “{title}”</span>
              </a>
            </>
          ) : null}
        </p>
        {/* Plain text, never markup: the summary is shown as it came. */}
        {post.summary ? <p className="received-summary">{post.summary}</p> : null}
        {post.deletedAt ? (
          <p className="hint">Its author deleted it; its text is no longer kept.</p>
        ) : post.content ? (
          <div
            className="received-content"
            // The server sanitized this HTML from another server when it came in
            // (core/archived-html.ts sanitizeArchivedHtml: no scripts, styles,
            // event handlers, frames or images; links only to the web or mail).
            // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the server, see above
            dangerouslySetInnerHTML={{ __html: post.content }}
          />
        ) : null}
      </article>
    </li>
  );
}
