import { describe, expect, it } from 'vitest';
import { createSemaphore, createSingleFlight } from './concurrency.js';

type Deferred<T> = {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
};

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise that can settle do so. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * A fake encoder: each call waits until the test finishes it, and it counts
 * how many calls there were and how many ran at the same time at most.
 */
function fakeEncoder() {
  const pending: Deferred<string>[] = [];
  const counts = { calls: 0, running: 0, peak: 0 };
  const encode = async (): Promise<string> => {
    counts.calls++;
    counts.running++;
    counts.peak = Math.max(counts.peak, counts.running);
    const call = deferred<string>();
    pending.push(call);
    try {
      return await call.promise;
    } finally {
      counts.running--;
    }
  };
  return { encode, pending, counts };
}

describe('a semaphore', () => {
  it('runs at most its limit of tasks at once, and the others in the order they came', async () => {
    const pipelines = createSemaphore(2);
    const encoder = fakeEncoder();
    const started: number[] = [];
    const results = Array.from({ length: 6 }, (_, index) =>
      pipelines.run(async () => {
        started.push(index);
        return `${await encoder.encode()} ${index}`;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect([pipelines.running, pipelines.waiting]).toEqual([2, 4]);

    encoder.pending[1]?.resolve('encoded');
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (let finished = 0; finished < 6; finished++) {
      encoder.pending[finished]?.resolve('encoded');
      await settle();
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `encoded ${i}`));
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(encoder.counts).toEqual({ calls: 6, running: 0, peak: 2 });
    expect([pipelines.running, pipelines.waiting]).toEqual([0, 0]);
  });

  it('gives the place of a task that fails to the next, and the error to its caller', async () => {
    const pipelines = createSemaphore(1);
    const failing = pipelines.run(async () => {
      throw new Error('not an image');
    });
    const next = pipelines.run(async () => 'next');
    await expect(failing).rejects.toThrow('not an image');
    await expect(next).resolves.toBe('next');
    expect(pipelines.running).toBe(0);
  });

  it('needs at least one place', () => {
    expect(() => createSemaphore(0)).toThrow(RangeError);
    expect(() => createSemaphore(Number.NaN)).toThrow(RangeError);
    expect(createSemaphore(Number.POSITIVE_INFINITY).running).toBe(0);
  });
});

describe('single-flight', () => {
  it('calls the encoder once for ten concurrent requests of one key, and gives all its result', async () => {
    const flights = createSingleFlight<string>();
    const encoder = fakeEncoder();
    const requests = Array.from({ length: 10 }, () => flights('abc-640.webp', encoder.encode));
    await settle();
    expect(encoder.counts.calls).toBe(1);
    encoder.pending[0]?.resolve('webp bytes');
    expect(await Promise.all(requests)).toEqual(Array(10).fill('webp bytes'));
  });

  it('starts afresh once the flight has settled, and runs different keys apart', async () => {
    const flights = createSingleFlight<string>();
    const encoder = fakeEncoder();
    const first = flights('abc-640.webp', encoder.encode);
    const other = flights('abc-320.webp', encoder.encode);
    await settle();
    expect(encoder.counts.calls).toBe(2);
    encoder.pending[0]?.resolve('640');
    encoder.pending[1]?.resolve('320');
    expect([await first, await other]).toEqual(['640', '320']);

    const again = flights('abc-640.webp', encoder.encode);
    await settle();
    expect(encoder.counts.calls).toBe(3);
    encoder.pending[2]?.resolve('640 again');
    expect(await again).toBe('640 again');
  });

  it('gives every waiting caller the error, then tries again on the next call', async () => {
    const flights = createSingleFlight<string>();
    const encoder = fakeEncoder();
    const requests = [1, 2, 3].map(() => flights('abc-640.avif', encoder.encode));
    await settle();
    encoder.pending[0]?.reject(new Error('disk unreadable'));
    for (const request of requests) await expect(request).rejects.toThrow('disk unreadable');
    const retry = flights('abc-640.avif', encoder.encode);
    await settle();
    encoder.pending[1]?.resolve('avif bytes');
    expect(await retry).toBe('avif bytes');
    expect(encoder.counts.calls).toBe(2);
  });

  it('with a limit of two: one encode per rendition, never more than two at once', async () => {
    const pipelines = createSemaphore(2);
    const flights = createSingleFlight<string>();
    const encoder = fakeEncoder();
    const names = ['a-320.jpg', 'a-640.jpg', 'a-960.jpg', 'a-1280.jpg', 'a-1600.jpg'];
    // Ten readers for each of five renditions, all at once.
    const requests = names.flatMap((name) =>
      Array.from({ length: 10 }, () => flights(name, () => pipelines.run(encoder.encode))),
    );
    for (let finished = 0; finished < names.length; finished++) {
      await settle();
      expect(encoder.counts.running).toBeLessThanOrEqual(2);
      encoder.pending[finished]?.resolve(`rendition ${finished}`);
    }
    const results = await Promise.all(requests);
    expect(new Set(results).size).toBe(5);
    expect(encoder.counts).toEqual({ calls: 5, running: 0, peak: 2 });
  });
});
