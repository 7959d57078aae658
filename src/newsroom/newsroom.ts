import type { CacheChange } from '../core/cache-tags.js';
import type { Role } from '../core/policy.js';
import type { Store } from '../store/database.js';
import type { MediaFiles } from '../store/media-files.js';
import type { EmbedThumbnailOptions } from './embed-thumbnails.js';
import type { FediverseOptions } from './fediverse.js';
import type { NewsletterTransport } from './newsletter-sends.js';
import type { Mailer } from './newsletters.js';

/**
 * What every use case needs, passed in rather than imported, so tests can fix
 * the clock and ids. Built once in main.ts.
 */
export type Newsroom = {
  store: Store;
  mediaFiles: MediaFiles;
  now: () => Date;
  newId: () => string;
  /** An unguessable token (sessions, password links): 32 random bytes, base64url. */
  newToken: () => string;
  /** Origin of the public site, for canonical and share URLs. */
  publicUrl: string;
  /**
   * Called after an article is published or corrected, once the change is
   * committed, with the feeds it changed (main.ts pings the WebSub hub).
   * Never awaited by the use case: a slow hub must not slow the newsroom.
   */
  announce?: (feedUrls: string[]) => void;
  /**
   * Called after a change readers can see is committed, with the cache tags
   * it touched (core/cache-tags.ts), or 'all': main.ts purges the page cache.
   */
  changed?: (change: CacheChange) => void;
  /**
   * Called once an article's content or state was saved and committed, with
   * its new version: the co-editing rooms tell the people editing it
   * (http/shared-doc-rooms.ts), and carry a body saved another way into
   * their shared document.
   */
  articleSaved?: (articleId: number, version: number) => void;
  /** Called once the desk changed for someone (a story given, a notification): their count is read again. */
  deskChanged?: () => void;
  /** Called once an article's notes changed: the co-editing rooms tell the people in it. */
  notesChanged?: (articleId: number) => void;
  /**
   * Called once someone's rights may have changed (an account disabled, a
   * role changed, a session ended, an article moved on in the workflow):
   * open co-editing connections are checked again.
   */
  rightsChanged?: () => void;
  /**
   * Called once something was queued for the channels (newsroom/distribution.ts),
   * so that it goes out now rather than at the queue's next round.
   */
  distribute?: () => void;
  /** Sends e-mail (newsletters), when the site has an SMTP server (MASTHEAD_SMTP_URL). */
  mailer?: Mailer;
  /** How newsletters are rendered and how refusals are counted, beside the mailer. */
  newsletters?: NewsletterTransport;
  /** The fediverse (ActivityPub on Fedify): how articles read there. */
  fediverse?: FediverseOptions;
  /** Where embeds' thumbnails are fetched from (the real providers when absent; a stand-in in tests). */
  embedThumbnails?: EmbedThumbnailOptions;
};

/**
 * Who is acting: a signed-in user, or the system (the CLI run by whoever has the
 * server's shell, and the scheduler), which has every right and no user id.
 */
export type StaffActor = { userId: number | null; personId: number | null; role: Role };

export const SYSTEM_ACTOR: StaffActor = { userId: null, personId: null, role: 'editor-in-chief' };
