import { emptyTrash, publishDueArticles } from './articles.js';
import { takeOutAbandonedImports } from './import-file.js';
import type { Newsroom } from './newsroom.js';
import { tidySharedDocs } from './shared-docs.js';
import { forgetOldSignInAttempts } from './staff.js';

const INTERVAL_MS = 30_000;

/**
 * Publishes scheduled articles when their time comes, empties the trash of
 * what has been there too long, forgets old sign-in attempts, takes back out an
 * import whose process died half-way (store/write-batches.ts) and tidies the
 * shared texts' stored updates (newsroom/shared-docs.ts): once at start, which
 * catches up on anything due while the server was down, then every 30 seconds.
 */
export function startScheduler(
  newsroom: Newsroom,
  onError: (error: unknown) => void,
): { stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= publishDueArticles(newsroom)
      .then(() => emptyTrash(newsroom))
      .then(() => forgetOldSignInAttempts(newsroom))
      .then(() => takeOutAbandonedImports(newsroom))
      .then(() => tidySharedDocs(newsroom.store.db, newsroom.now()))
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => {
        running = null;
      });
    return running;
  };
  void tick();
  const timer = setInterval(() => void tick(), INTERVAL_MS);
  timer.unref();
  // Stopping waits for a run under way: the store may close right after.
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
