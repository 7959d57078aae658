import { publishDueArticles } from './articles.js';
import type { Newsroom } from './newsroom.js';

const INTERVAL_MS = 30_000;

/**
 * Publishes scheduled articles when their time comes: once at start, which
 * catches up on anything due while the server was down, then every 30 seconds.
 */
export function startScheduler(
  newsroom: Newsroom,
  onError: (error: unknown) => void,
): { stop: () => void } {
  let isRunning = false;
  const tick = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      await publishDueArticles(newsroom);
    } catch (error) {
      onError(error);
    } finally {
      isRunning = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
