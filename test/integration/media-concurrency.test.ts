import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { renditionName } from '../../src/core/renditions.js';
import { openNewsroom } from '../../src/main.js';
import { createSemaphore, type Semaphore } from '../../src/store/concurrency.js';
import { mediaFilesAt } from '../../src/store/media-files.js';
import { buildTestServer, signIn } from '../admin.js';
import { postUpload } from '../multipart.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Issue 14: images must not take the server's memory. Every sharp pipeline
// (an upload's decode, a rendition's encode) queues for a few places, and many
// readers asking for one rendition that is not made yet share one encode.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let pipelines: ReturnType<typeof countingPipelines>;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  pipelines = countingPipelines(2);
  newsroom.mediaFiles = mediaFilesAt(
    join(newsroom.dataDir, 'media'),
    join(newsroom.dataDir, 'originals'),
    undefined,
    pipelines.semaphore,
  );
  app = await buildTestServer(newsroom, { sample: false });
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

/** A semaphore that counts the pipelines run through it, and how many ran at once at most. */
function countingPipelines(limit: number) {
  const inner = createSemaphore(limit);
  const counts = { runs: 0, peak: 0 };
  const semaphore: Semaphore = {
    get running() {
      return inner.running;
    },
    get waiting() {
      return inner.waiting;
    },
    run: (task) =>
      inner.run(async () => {
        counts.runs++;
        counts.peak = Math.max(counts.peak, inner.running);
        return await task();
      }),
  };
  return { semaphore, counts };
}

/** A photo with real detail (encoders are quick on flat colour), distinct by `seed`. */
async function photo(seed: number): Promise<Buffer> {
  const width = 1200;
  const height = 800;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + seed * 104_729) % 251;
  return await sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}

describe('image work under a burst', () => {
  it('makes a rendition asked for by ten readers at once with one encode, into one file', async () => {
    const { file } = await newsroom.mediaFiles.storeImage(await photo(1));
    pipelines.counts.runs = 0;
    const name = renditionName(file, 640, 'webp');

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => app.inject(`/media/${name}`)),
    );

    expect(responses.map((response) => response.statusCode)).toEqual(Array(10).fill(200));
    const first = responses[0]?.rawPayload ?? Buffer.alloc(0);
    expect((await sharp(first).metadata()).width).toBe(640);
    for (const response of responses) expect(response.rawPayload.equals(first)).toBe(true);
    expect(pipelines.counts.runs).toBe(1);
    const names = await readdir(join(newsroom.dataDir, 'media'));
    expect(names.filter((stored) => stored !== file).sort()).toEqual([name]);
  });

  it('queues four uploads at once for two pipelines, and stores them all', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const photos = await Promise.all([1, 2, 3, 4].map(photo));

    const responses = await Promise.all(
      photos.map((bytes, index) =>
        postUpload(app, editor, [
          { name: 'alt', value: `Harbour cranes, view ${index + 1}` },
          { name: 'credit', value: 'Masthead staff' },
          { name: 'file', filename: `cranes-${index + 1}.jpg`, contentType: 'image/jpeg', bytes },
        ]),
      ),
    );

    expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201, 201]);
    expect(pipelines.counts.runs).toBe(4);
    expect(pipelines.counts.peak).toBeLessThanOrEqual(2);
    expect(await readdir(join(newsroom.dataDir, 'originals'))).toHaveLength(4);
  });
});

describe("a server's image settings", () => {
  it("turn sharp's operation cache off and give each pipeline one thread", async () => {
    sharp.cache(true);
    sharp.concurrency(2);
    const dataDir = await mkdtemp(join(tmpdir(), 'masthead-test-'));
    try {
      const opened = await openNewsroom(loadConfig({ MASTHEAD_DATA: dataDir }));
      await opened.store.close();
      // Renditions are kept on disk: a cache of decoded images would only hold memory.
      expect(sharp.cache()).toMatchObject({ memory: { max: 0 }, items: { max: 0 } });
      expect(sharp.concurrency()).toBe(1);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
