import type { Store } from '../store/database.js';
import type { MediaFiles } from '../store/media-files.js';

/**
 * What every use case needs, passed in rather than imported, so tests can fix
 * the clock and ids. Built once in main.ts.
 */
export type Newsroom = {
  store: Store;
  mediaFiles: MediaFiles;
  now: () => Date;
  newId: () => string;
  /** Origin of the public site, for canonical and share URLs. */
  publicUrl: string;
};
