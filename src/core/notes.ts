// Notes on drafts, as the server answers them and the newsroom app shows them.

/** A passage of the shared text, as two Yjs relative positions (JSON): it moves with the words. */
export type TextAnchor = { start: unknown; end: unknown };

export type Note = {
  id: number;
  /** The thread's first note for a reply; null for a thread's first note. */
  threadId: number | null;
  author: { userId: number | null; name: string | null };
  body: string;
  anchor: TextAnchor | null;
  /** The passage when the note was written. */
  quote: string;
  /** The passage now (it follows the words), or null when its words are gone. */
  passage: string | null;
  resolved: { at: string; by: string | null } | null;
  mentions: { userId: number; name: string }[];
  createdAt: string;
  updatedAt: string;
};

/**
 * The staff named in `body` as “@Full Name” (the longest name first, so
 * “@Ana Petrova” is not taken for an “Ana”).
 */
export function mentionedIn(body: string, staff: Map<number, string>): number[] {
  const found: number[] = [];
  let rest = body.toLocaleLowerCase();
  const byLength = [...staff.entries()].sort(([, a], [, b]) => b.length - a.length);
  for (const [userId, name] of byLength) {
    const tag = `@${name.toLocaleLowerCase()}`;
    if (rest.includes(tag)) {
      found.push(userId);
      rest = rest.split(tag).join(' ');
    }
  }
  return found.sort((a, b) => a - b);
}
