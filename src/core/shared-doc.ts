import type { Snapshot } from 'yjs';

// Co-editing an article's body: what the newsroom app and the server agree
// on besides Yjs's own sync and awareness messages (y-protocols, as
// y-websocket speaks them).

/** The Yjs XML fragment holding the body, in every article's shared document. */
export const SHARED_BODY_FIELD = 'body';

/**
 * Message types after y-websocket's own (0 sync, 1 awareness, 2 auth, 3
 * awareness query). Each is the type as a varUint, then its content.
 */
export const SHARED_DOC_MESSAGES = {
  /**
   * Server → client: a Yjs snapshot (state vector and deletions) of what the
   * database holds: every change it covers is safe.
   */
  stored: 100,
  /** Server → client: JSON `{ generation }`, the document's lineage, sent first. */
  hello: 101,
  /** Server → client: JSON `{ version }`, the article was saved (its other fields may have changed). */
  saved: 102,
  /**
   * Server → client: the database could not take the latest words yet (busy
   * with an import); the server tries again, and `stored` follows once it did.
   */
  busy: 103,
  /** Server → client: JSON `{}`, the article's notes changed: read them again. */
  notes: 104,
} as const;

/** Close codes a server ends a connection with, and why. */
export const SHARED_DOC_CLOSE = {
  /** Not signed in, or the session ended. */
  signedOut: 4401,
  /** The person may not edit this article (now). */
  forbidden: 4403,
  /** No such article. */
  notFound: 4404,
} as const;

/**
 * How many colours people's carets and names take (classes `person-colour-0`
 * to `-6` in the admin's stylesheet: the CSP allows no inline styles).
 */
export const PERSON_COLOURS = 7;

/** One person's colour, the same on every screen. */
export function personColour(userId: number): number {
  return Math.abs(userId) % PERSON_COLOURS;
}

/** What each editor's awareness state carries: who they are and which field they are in. */
export type SharedDocPresence = {
  user: { id: number; name: string; colour: number };
  /** The field they are typing in ('body', 'title', 'standfirst'…), or null. */
  field: string | null;
};

/**
 * Whether the snapshot `holder` covers every change `wanted` has: each
 * insertion (its state vector) and each deletion (its delete set). A state
 * vector alone would miss deletions, which do not move it: a sentence deleted
 * a moment ago would count as saved.
 */
export function snapshotCovers(holder: Snapshot, wanted: Snapshot): boolean {
  for (const [client, clock] of wanted.sv) if ((holder.sv.get(client) ?? 0) < clock) return false;
  for (const [client, deletions] of wanted.ds.clients) {
    const held = holder.ds.clients.get(client) ?? [];
    for (const { clock, len } of deletions) {
      if (!rangeCovered(held, clock, clock + len)) return false;
    }
  }
  return true;
}

/** Whether ranges (sorted by clock, as Yjs keeps them, possibly touching) cover [from, to). */
function rangeCovered(
  ranges: readonly { clock: number; len: number }[],
  from: number,
  to: number,
): boolean {
  let reached = from;
  for (const { clock, len } of ranges) {
    if (clock > reached) break;
    reached = Math.max(reached, clock + len);
    if (reached >= to) return true;
  }
  return reached >= to;
}
