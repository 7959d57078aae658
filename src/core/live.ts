import { z } from 'zod';
import type { Doc } from './document.js';
import type { Media, Person } from './types.js';

// Live coverage (a live blog): an article that grows by short, timestamped
// entries while an event unfolds. Each entry is its own record with its own
// version, so the desk can write many at once; only two edits of one entry
// can conflict. Pure rules here; storage in store/live.ts, use cases in
// newsroom/live.ts, the reader's page in site/live-blog.tsx.

/** 'live' while coverage runs; 'ended' once it stopped (the entries stay as the record). */
export const LIVE_STATES = ['live', 'ended'] as const;
export type LiveState = (typeof LIVE_STATES)[number];

/** How many of the newest entries the page's live endpoint and feed carry (readers poll it). */
export const LIVE_UPDATE_ENTRIES = 20;

/** How many entries the page's JSON-LD lists: search engines want the recent ones, not all. */
export const LIVE_STRUCTURED_ENTRIES = 50;

/** How long a live entry's title may be: a line above the update, not an article. */
export const LIVE_TITLE_MAX = 300;

/** One entry as staff and readers see it. The body is a document like an article's. */
export type LiveEntry = {
  id: number;
  articleId: number;
  /** Who wrote it; null once the person was removed. */
  author: Person | null;
  title: string;
  body: Doc;
  isKeyEvent: boolean;
  isPinned: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** The coverage state an article carries; null for ordinary articles. */
export type LiveCoverage = {
  state: LiveState;
  startedAt: string | null;
  endedAt: string | null;
};

/** What a reader page shows of live coverage: the state, every entry newest first, their photos. */
export type LiveView = LiveCoverage & {
  entries: LiveEntry[];
  /** The media records of the pictures inside the entries. */
  media: Media[];
};

/** A new entry as staff send it; the body is checked by the use case (validateDoc). */
export const liveEntryInputSchema = z.object({
  title: z.string().trim().max(LIVE_TITLE_MAX).default(''),
  body: z.unknown(),
  isKeyEvent: z.boolean().default(false),
  isPinned: z.boolean().default(false),
});
export type LiveEntryInput = z.infer<typeof liveEntryInputSchema>;

/** Changes to an entry, against the version they were made on. */
export const liveEntryPatchSchema = z.object({
  version: z.number().int().min(1),
  title: z.string().trim().max(LIVE_TITLE_MAX).optional(),
  body: z.unknown().optional(),
  isKeyEvent: z.boolean().optional(),
  isPinned: z.boolean().optional(),
});
export type LiveEntryPatch = z.infer<typeof liveEntryPatchSchema>;

/** Whether a stored value names a coverage state (anything else reads as none). */
export function isLiveState(value: string | null): value is LiveState {
  return value !== null && (LIVE_STATES as readonly string[]).includes(value);
}

/** Newest first: by when each was written, the later id first on a tie. */
export function newestFirst<T extends { id: number; createdAt: string }>(
  entries: readonly T[],
): T[] {
  return [...entries].sort((a, b) =>
    a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1,
  );
}

/**
 * How the page lays the entries out: the pinned one first (at most one), the
 * key events as a summary linking to them, then the others newest first (the
 * pinned one is not repeated: each entry has one place, and one anchor).
 */
export function arrangeLiveEntries(entries: readonly LiveEntry[]): {
  pinned: LiveEntry | null;
  keyEvents: LiveEntry[];
  stream: LiveEntry[];
} {
  const ordered = newestFirst(entries);
  const pinned = ordered.find((entry) => entry.isPinned) ?? null;
  return {
    pinned,
    keyEvents: ordered.filter((entry) => entry.isKeyEvent),
    stream: ordered.filter((entry) => entry !== pinned),
  };
}
