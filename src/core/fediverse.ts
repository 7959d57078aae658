import { z } from 'zod';

// The fediverse (ActivityPub): the publication as an actor others follow,
// what they do with its articles, and what comes in from those it follows.
// Pure: the protocol is Fedify's (newsroom/fediverse.ts), the rows store's.

/** A fediverse handle's user part: `news` in @news@your.domain. */
export const fediverseHandleSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{1,30}$/, 'lower-case letters, digits and _ (the part before @your.domain)');

/** What an ActivityPub actor calls a like, a boost and a reply. */
export const INTERACTION_KINDS = ['like', 'announce', 'reply'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** A reply is kept from readers until staff approve it (never shown on the site by itself). */
export const REPLY_STATES = ['pending', 'approved', 'hidden'] as const;
export type ReplyState = (typeof REPLY_STATES)[number];

export type FediverseReply = {
  id: number;
  actorIri: string;
  actorName: string;
  /** Sanitized HTML. */
  content: string;
  url: string | null;
  state: ReplyState;
  createdAt: string;
};

/** What the fediverse did with one article, for its editors. */
export type ArticleReactions = { likes: number; boosts: number; replies: FediverseReply[] };

/** An article or post from an actor the publication follows. */
export type ReceivedPost = {
  id: number;
  objectIri: string;
  actorIri: string;
  type: string;
  name: string;
  summary: string;
  /** Sanitized HTML. */
  content: string;
  url: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  deletedAt: string | null;
};

/** The publication's standing on the fediverse, for the editor-in-chief. */
export type FediverseStatus = {
  /** `@news@your.domain`, or null until a fediverse channel names the handle. */
  handle: string | null;
  actorUrl: string | null;
  followers: { iri: string; name: string; since: string }[];
  following: { iri: string; handle: string; name: string; state: 'pending' | 'accepted' }[];
  received: ReceivedPost[];
};
