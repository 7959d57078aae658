import type { Doc } from '../core/document.js';
import type { Status } from '../core/workflow.js';
import type { ImageRef } from './html-to-doc.js';

/**
 * A post of another system (a WordPress or a Ghost item) as Masthead will
 * store it: what every archive format's mapping gives, before the importer
 * binds its pictures and files it.
 */
export type MappedPost = {
  title: string;
  standfirst: string;
  slug: string;
  status: Status;
  /** ISO 8601 UTC. */
  publishedAt: string | null;
  scheduledAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** Image nodes carry placeholders into `images` (see html-to-doc.ts bindImages). */
  body: Doc;
  images: ImageRef[];
  /** What was not converted one to one, with counts, for the report. */
  notes: Map<string, number>;
  /** Said about the mapping, for the report ("private post imported as a draft"). */
  remarks: string[];
};
