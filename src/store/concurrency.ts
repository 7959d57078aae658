/**
 * Bounds on work that costs memory: a semaphore (at most `limit` tasks at
 * once, the rest wait their turn) and single-flight (one task per key however
 * many ask while it runs). Image decodes and encodes go through both, so a
 * burst of uploads or rendition requests queues instead of decoding all at once.
 */

export type Semaphore = {
  /** Runs `task` when a place is free, in the order callers came; its result or error is the caller's. */
  run: <T>(task: () => Promise<T>) => Promise<T>;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks waiting for a place. */
  readonly waiting: number;
};

/** A semaphore with `limit` places (at least 1; Infinity for no limit). */
export function createSemaphore(limit: number): Semaphore {
  if (!(limit >= 1)) throw new RangeError(`a semaphore needs at least one place, not ${limit}`);
  let running = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    const next = queue.shift();
    // The place passes straight to the next in line, so none can jump the queue.
    if (next) next();
    else running--;
  };
  return {
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
    async run(task) {
      if (running < limit) running++;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

/**
 * Calls for a key while an earlier call for it runs share that call's result
 * (or error) instead of starting the task again; once it settles, the next
 * call starts afresh.
 */
export type SingleFlight<T> = (key: string, task: () => Promise<T>) => Promise<T>;

export function createSingleFlight<T>(): SingleFlight<T> {
  const flights = new Map<string, Promise<T>>();
  return (key, task) => {
    const current = flights.get(key);
    if (current) return current;
    // Started on the next tick, so a task that throws at once still settles through the map.
    const flight = Promise.resolve()
      .then(task)
      .finally(() => flights.delete(key));
    flights.set(key, flight);
    return flight;
  };
}
