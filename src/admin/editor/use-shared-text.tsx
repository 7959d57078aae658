import { type ReactNode, useEffect, useState, useSyncExternalStore } from 'react';
import type { SharedDocPresence } from '../../core/shared-doc.js';
import type { Session } from '../api.js';
import { type Colleague, SharedText, type SharedTextState } from './shared-text.js';

/** How long the first connection may take before the editor says it works alone (a network that blocks WebSockets). */
const REACHABLE_MS = 8000;

export type SharedTextView = {
  /** The shared text, once it was in step with the server at least once; null while editing alone. */
  shared: SharedText | null;
  state: SharedTextState;
  /** Whether the server has stored every word this browser holds. */
  isStored: boolean;
  /** The server's database could not take the latest words yet (it tries again). */
  isServerBusy: boolean;
  colleagues: Colleague[];
  /** The connection could not be made: the body is saved with the other fields instead. */
  isUnreachable: boolean;
};

const CONNECTING: SharedTextState = { kind: 'connecting' };

/**
 * The shared text of article `articleId` for the signed-in person (null: no
 * article yet, or one they may not edit), connecting with the session's
 * `csrf` token (a new one after signing in again connects anew). `mayBegin`
 * holds the switch to the shared text back while the editor on screen has
 * unsaved words of its own.
 */
export function useSharedText(
  articleId: number | null,
  user: Session['user'],
  csrf: string,
  mayBegin: boolean,
): SharedTextView {
  const [text, setText] = useState<SharedText | null>(null);
  const [isUnreachable, setUnreachable] = useState(false);
  const [hasBegun, setBegun] = useState(false);
  const userId = user.id;
  const name = user.name;
  useEffect(() => {
    if (articleId === null || typeof WebSocket === 'undefined') return;
    const shared = new SharedText(articleId, csrf, { id: userId, name });
    setText(shared);
    setBegun(false);
    setUnreachable(false);
    const timer = setTimeout(() => {
      if (shared.state.kind === 'connecting') setUnreachable(true);
    }, REACHABLE_MS);
    return () => {
      clearTimeout(timer);
      shared.destroy();
      setText(null);
    };
  }, [articleId, userId, name, csrf]);
  const snapshot = useSyncExternalStore(
    (listener) => text?.subscribe(listener) ?? (() => {}),
    () =>
      text
        ? `${text.state.kind}|${text.isStored}|${text.isServerBusy}|${presenceKey(text.colleagues())}`
        : '',
  );
  const state = text?.state ?? CONNECTING;
  // A connection that comes late (a slow network, a busy server) is taken
  // too: the editor that began alone switches once its words are saved and
  // the writer is out of the text, as at the first connection.
  useEffect(() => {
    if (!hasBegun && state.kind === 'live' && mayBegin) setBegun(true);
  }, [hasBegun, state.kind, mayBegin]);
  return {
    shared: hasBegun ? text : null,
    state,
    isStored: snapshot === '' || (text?.isStored ?? true),
    isServerBusy: text?.isServerBusy ?? false,
    colleagues: text?.colleagues() ?? [],
    isUnreachable: isUnreachable && !hasBegun,
  };
}

function presenceKey(colleagues: Colleague[]): string {
  return colleagues.map((c) => `${c.user.id}:${c.field ?? ''}`).join(',');
}

/** What a field is called in “Ada is in the headline”. */
const FIELD_WORDS: Record<string, string> = {
  title: 'the headline',
  standfirst: 'the standfirst',
  body: 'the text',
  settings: 'the settings',
};

/** Who else is in the article, each in their colour, and where. */
export function PresenceBar({ colleagues }: { colleagues: Colleague[] }): ReactNode {
  if (colleagues.length === 0) return null;
  return (
    <p className="presence-bar" aria-live="polite">
      <span className="presence-label">Also here:</span>{' '}
      {colleagues.map((colleague) => (
        <span
          key={colleague.user.id}
          className={`presence-person person-colour-${colleague.user.colour}`}
        >
          <span className="presence-dot" aria-hidden="true" />
          {colleague.user.name}
          {colleague.field ? (
            <span className="presence-field">
              {' '}
              · in {FIELD_WORDS[colleague.field] ?? colleague.field}
            </span>
          ) : null}
        </span>
      ))}
    </p>
  );
}

/** “Ada is editing” beside a field someone else is in. */
export function FieldPresence({
  colleagues,
  field,
}: {
  colleagues: Colleague[];
  field: SharedDocPresence['field'];
}): ReactNode {
  const here = colleagues.filter((colleague) => colleague.field === field);
  if (here.length === 0) return null;
  return (
    <span className="field-presence">
      {here.map((colleague) => (
        <span
          key={colleague.user.id}
          className={`presence-person person-colour-${colleague.user.colour}`}
        >
          <span className="presence-dot" aria-hidden="true" />
          {colleague.user.name} is editing
        </span>
      ))}
    </span>
  );
}
