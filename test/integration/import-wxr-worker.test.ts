import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeExport } from '../../scripts/lib/wxr-generator.js';
import { WxrReader } from '../../src/formats/wxr-reader.js';
import { bytesSource, importSource, prepareImport } from '../../src/newsroom/import-file.js';
import type { ImportSource } from '../../src/newsroom/import-report.js';
import { convertAhead } from '../../src/newsroom/import-wxr.js';
import {
  AheadPicker,
  ConvertAhead,
  convertWxrItem,
  ThreadStopped,
  threadTiming,
} from '../../src/newsroom/wxr-convert.js';
import { ON_POSTGRES } from '../databases.js';
import {
  openTestNewsroom,
  searchIndexAndRebuilt,
  type TestNewsroom,
  tableChecksums,
} from '../newsroom.js';
import { buildWxr, type TestPost } from '../wxr-builder.js';

// A large WordPress import maps its posts' HTML in a worker thread while it
// writes the posts before them (newsroom/wxr-convert.ts). What it writes must
// not depend on where the HTML was converted, and the thread failing must
// not lose a post.

const WPTEST = new URL('../../../shared/fixtures/wordpress/wptest.xml', import.meta.url);
const usual = { ...convertAhead };
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  Object.assign(convertAhead, usual);
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function newsroom(): Promise<TestNewsroom> {
  const opened = await openTestNewsroom();
  cleanup.push(() => opened.dispose());
  return opened;
}

/** The conversion threads imports start from now on, in order. */
function threadsStarted(): ConvertAhead[] {
  const started: ConvertAhead[] = [];
  convertAhead.start = () => {
    const ahead = new ConvertAhead();
    started.push(ahead);
    return ahead;
  };
  return started;
}

/** A generated WordPress export of `posts` posts (scripts/lib/wxr-generator.ts): its path, removed after the test. */
async function generatedExport(posts: number): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'masthead-wxr-worker-'));
  cleanup.push(() => rm(directory, { recursive: true, force: true }));
  const generated = join(directory, 'generated.xml');
  await writeExport(generated, posts);
  return generated;
}

/**
 * bytesSource over what `bytes` answers each time the file is opened (a file
 * that changes between passes), counting how many times it is: each pass
 * over it, and a format sniff.
 */
function countedSource(name: string, bytes: () => Uint8Array) {
  let opens = 0;
  const source: ImportSource = {
    ...bytesSource(name, bytes()),
    open: () => {
      opens++;
      return bytesSource(name, bytes()).open();
    },
  };
  return { source, opens: () => opens };
}

/** The first thread of `started` stops once it has been sent `chunks` chunks of a file to read. */
function stopsAfterChunks(started: ConvertAhead[], chunks: number): void {
  const start = convertAhead.start;
  convertAhead.start = () => {
    const ahead = start();
    const read = ahead.read.bind(ahead);
    ahead.read = (name, plan) => {
      const reading = read(name, plan);
      let sent = 0;
      return {
        write: (chunk) => {
          const answer = reading.write(chunk);
          if (++sent === chunks && ahead === started[0]) void ahead.close();
          return answer;
        },
        close: () => reading.close(),
      };
    };
    return ahead;
  };
}

/**
 * Imports `bytes` converting posts in this thread ('here') or in the worker,
 * which reads the file too ('thread', as large imports run). `stopAfter`:
 * the worker stops once it has been sent that many chunks of the file, and
 * this thread reads the rest. Answers the report and every table's checksum.
 */
async function imported(
  name: string,
  bytes: Uint8Array,
  where: 'here' | 'thread',
  stopAfter?: number,
) {
  convertAhead.fromBytes = where === 'here' ? Number.POSITIVE_INFINITY : 0;
  const started = threadsStarted();
  if (stopAfter !== undefined) stopsAfterChunks(started, stopAfter);
  const site = await newsroom();
  const file = countedSource(name, () => bytes);
  const written: number[] = [];
  const prepared = await prepareImport(file.source, {
    onProgress: (progress) => {
      if (progress.pass === 2) written.push(progress.bytes);
    },
  });
  // Loaded before the write begins, or not (a small file is read before it has).
  if (stopAfter === undefined) await started[0]?.ready;
  const opensBefore = file.opens();
  const result = await prepared.write(site);
  // The write read the file once; a second time, in this thread, when the worker stopped.
  expect(file.opens() - opensBefore).toBe(stopAfter === undefined ? 1 : 2);
  // Its progress went forward only, to the whole file.
  expect(written).toEqual([...written].sort((a, b) => a - b));
  expect(written.at(-1)).toBe(bytes.length);
  // The search index, written from the bodies at hand, is what rebuilding it
  // from the stored articles gives.
  const index = await searchIndexAndRebuilt(site);
  expect(index.written).toBe(index.rebuilt);
  // The worker did the converting, or none was started.
  if (where === 'here') expect(started).toEqual([]);
  else if (stopAfter === undefined) expect(started[0]?.threadAnswers).toBeGreaterThan(20);
  // The import's own bookkeeping (its run's id and clock) is not what it
  // wrote, nor are the times the schema was made.
  const {
    import_run: _run,
    import_undo: _undo,
    kysely_migration: _migrations,
    ...tables
  } = await tableChecksums(site);
  return { lines: result.lines, notes: [...result.notes], tables };
}

describe('a WordPress import converting posts in a worker thread', () => {
  it('writes exactly what it writes converting them in its own thread', async () => {
    // Galleries, tables, quotes, drafts and scheduled posts, several chunks of the file.
    const generated = await generatedExport(400);
    for (const [name, bytes] of [
      ['wptest.xml', await readFile(WPTEST)],
      ['generated.xml', await readFile(generated)],
    ] as const) {
      const here = await imported(name, bytes, 'here');
      expect(here.lines.length, name).toBeGreaterThan(100);
      expect(await imported(name, bytes, 'thread'), name).toEqual(here);
    }
  }, 120_000);

  it('converts in the thread the copies and pages the import writes, with the photos attached further on', async () => {
    const politics = { slug: 'politics', name: 'Politics' };
    const post = (id: number, slug: string, extra: Partial<TestPost> = {}): TestPost => ({
      id,
      title: slug.toUpperCase(),
      slug,
      link: `https://old.example/2024/05/${slug}/`,
      content: '<p>Short.</p>',
      categories: [politics],
      ...extra,
    });
    // Posts enough for the cases to fall in different chunks of the file.
    const filler = (from: number) =>
      Array.from({ length: 50 }, (_, at) =>
        post(from + at, `filler-${from + at}`, {
          content: `<p>${'A paragraph that fills the file. '.repeat(180)}</p>`,
        }),
      );
    const photo = (id: number, parent: number): TestPost => ({
      ...post(id, `photo-${id}`),
      type: 'attachment',
      status: 'inherit',
      content: '',
      attachmentUrl: `https://old.example/wp-content/uploads/photo-${id}.jpg`,
      parent,
      excerpt: `Photo ${id}`,
    });
    // More than a document holds: the first copy of #8 cannot be stored, the next one is imported.
    const rows = Array.from({ length: 80_000 }, (_, at) => `${at}\tdistrict ${at}`).join('\n');
    const bytes = Buffer.from(
      buildWxr({
        categories: [politics],
        posts: [
          { ...post(5, 'old-draft'), status: 'inherit', type: 'revision' },
          ...filler(1000),
          { ...post(5, 'about'), type: 'page', link: 'https://old.example/about/' },
          { ...post(6, 'gone'), status: 'trash' },
          post(7, 'kept'),
          ...filler(2000),
          { ...post(7, 'copy'), status: 'trash' },
          post(8, 'broken', { content: `<pre>${rows}</pre>` }),
          ...filler(3000),
          post(8, 'whole'),
          { ...post(11, 'draft-page'), type: 'page', status: 'draft' },
          { ...post(11, 'public-page'), type: 'page' },
          // A [gallery] naming no photos shows those attached to the post, further on in the file.
          post(12, 'album', { content: '<p>Before.</p>[gallery]' }),
          ...filler(4000),
          photo(13, 12),
          photo(14, 12),
        ],
      }),
    );
    expect(bytes.length).toBeGreaterThan(6 * 256 * 1024);
    const here = await imported('repeats.xml', bytes, 'here');
    const created = here.lines
      .filter((line) => line.action === 'created')
      .map((line) => line.target);
    for (const slug of ['kept', 'whole', 'album', 'public-page']) {
      expect(created.some((target) => target.endsWith(`/${slug}`))).toBe(true);
    }
    expect(await imported('repeats.xml', bytes, 'thread')).toEqual(here);
  }, 60_000);

  // Where the file is read does not depend on the store: SQLite alone.
  it.skipIf(ON_POSTGRES)(
    'reads the rest of the file itself when the worker stops while reading it',
    async () => {
      const generated = await generatedExport(400);
      const bytes = await readFile(generated);
      // Several chunks of the file, so that the thread stops half-way through it:
      // at its first chunk, and once this thread has written the first few.
      expect(bytes.length).toBeGreaterThan(8 * 256 * 1024);
      const here = await imported('generated.xml', bytes, 'here');
      for (const chunks of [1, 6]) {
        const stopped = await imported('generated.xml', bytes, 'thread', chunks);
        expect(stopped, `stopped after ${chunks} chunks`).toEqual(here);
      }
    },
    60_000,
  );

  it.skipIf(ON_POSTGRES)(
    'fails as reading it here would when the file is broken by the time it is written',
    async () => {
      const generated = await generatedExport(200);
      const bytes = await readFile(generated);
      // Checked whole, then cut short before the write reads it again.
      let isCut = false;
      const file = countedSource('changing.xml', () =>
        isCut ? bytes.subarray(0, 600_000) : bytes,
      );
      const failures: string[] = [];
      for (const fromBytes of [0, Number.POSITIVE_INFINITY]) {
        isCut = false;
        // Read in the thread, then here.
        convertAhead.fromBytes = fromBytes;
        const started = threadsStarted();
        const site = await newsroom();
        const prepared = await prepareImport(file.source);
        isCut = true;
        const opensBefore = file.opens();
        const failed = await prepared.write(site).then(
          () => 'written',
          (error: Error) => error.message,
        );
        failures.push(failed);
        expect(started).toHaveLength(fromBytes === 0 ? 1 : 0);
        // The thread's error is the import's: the file was not read again here.
        expect(file.opens() - opensBefore).toBe(1);
        // Nothing of it was kept.
        expect(await site.store.db.selectFrom('article').select('id').execute()).toEqual([]);
      }
      expect(failures[0]).toMatch(/changing\.xml.*(truncated|ends)/);
      expect(failures[0]).toBe(failures[1]);
    },
    60_000,
  );

  it('indexes the articles a re-import changes as a rebuild of the index would', async () => {
    const generated = await generatedExport(300);
    const first = await readFile(generated, 'utf8');
    convertAhead.fromBytes = 0;
    const site = await newsroom();
    await importSource(site, bytesSource('generated.xml', Buffer.from(first)));
    // The old site corrected many posts since: their paragraphs start anew.
    let corrected = 0;
    const second = first.replace(/<p>/g, (tag) => (corrected++ < 400 ? '<p>Corrected: ' : tag));
    const again = await importSource(site, bytesSource('generated.xml', Buffer.from(second)));
    expect(again.lines.filter((line) => line.action === 'updated').length).toBeGreaterThan(20);
    const index = await searchIndexAndRebuilt(site);
    expect(index.written).toBe(index.rebuilt);
  });

  // The thread's life does not depend on the store: SQLite alone.
  it.skipIf(ON_POSTGRES)(
    'starts the thread while the file is checked, and stops one nobody uses',
    async () => {
      const generated = await generatedExport(120);
      const bytes = await readFile(generated);
      convertAhead.fromBytes = 0;
      const started = threadsStarted();
      // Checked: the thread is there before anything is written, and the write uses it.
      const prepared = await prepareImport(bytesSource('generated.xml', bytes));
      expect(started).toHaveLength(1);
      await started[0]?.ready;
      await prepared.write(await newsroom());
      expect(started).toHaveLength(1);
      expect(started[0]?.threadAnswers).toBeGreaterThan(60);
      expect(started[0]?.isWorking).toBe(false);
      // Written again, the same check gets a thread of its own...
      await prepared.write(await newsroom());
      expect(started).toHaveLength(2);
      // ...when the file is large enough to pay for the thread's loading then.
      convertAhead.fromBytes = Math.floor(bytes.length / 2);
      await prepared.write(await newsroom());
      expect(started).toHaveLength(2);
      convertAhead.fromBytes = 0;
      // A file that fails its check stops its thread.
      const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
      await expect(prepareImport(bytesSource('cut.xml', cut))).rejects.toThrow(/cut\.xml/);
      expect(started).toHaveLength(3);
      expect(started[2]?.isWorking).toBe(false);
      // Files checked before any is written (a directory's): one thread waits, not one each.
      const first = await prepareImport(bytesSource('first.xml', bytes));
      const second = await prepareImport(bytesSource('second.xml', bytes));
      expect(started).toHaveLength(4);
      await first.write(await newsroom());
      await second.write(await newsroom());
      expect(started).toHaveLength(5);
      expect(started[4]?.threadAnswers).toBeGreaterThan(0);
      // Checked and never written: the thread stops on its own.
      const unused = { ...threadTiming };
      threadTiming.unusedMs = 50;
      cleanup.push(async () => Object.assign(threadTiming, unused));
      await prepareImport(bytesSource('generated.xml', bytes));
      expect(started).toHaveLength(6);
      expect(started[5]?.isWorking).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(started[5]?.isWorking).toBe(false);
    },
    60_000,
  );

  it.skipIf(ON_POSTGRES)(
    'answers each chunk as reading and converting it here does, and fails those left when it stops',
    async () => {
      const bytes = await readFile(WPTEST);
      const size = Math.ceil(bytes.length / 8);
      const chunks = Array.from({ length: 8 }, (_, at) =>
        bytes.subarray(at * size, (at + 1) * size),
      );
      const plan = { attached: new Map(), chosen: new Map() };
      const ahead = new ConvertAhead();
      const reading = ahead.read('wptest.xml', plan);
      // wptest.xml's posts are in its last three eighths.
      const answered = await Promise.all(chunks.slice(0, 7).map((chunk) => reading.write(chunk)));
      const reader = new WxrReader('wptest.xml');
      const picker = new AheadPicker(plan);
      let posts = 0;
      chunks.slice(0, 7).forEach((chunk, at) => {
        const events = reader.write(chunk);
        expect(answered[at]?.events).toEqual(events);
        const converted = [...(answered[at]?.converted.values() ?? [])];
        const expected = events.flatMap((event) => {
          const attached = event.kind === 'item' ? picker.pick(event.item) : null;
          return event.kind === 'item' && attached ? [convertWxrItem(event.item, attached)] : [];
        });
        expect(converted).toEqual(expected);
        posts += converted.length;
      });
      expect(posts).toBeGreaterThan(10);
      expect(ahead.threadAnswers).toBe(posts);
      // Stopped: the chunks sent after, and the end of the file, fail for the caller to read them.
      await ahead.close();
      await expect(reading.write(chunks[7] as Uint8Array)).rejects.toBeInstanceOf(ThreadStopped);
      await expect(reading.close()).rejects.toBeInstanceOf(ThreadStopped);
    },
  );
});
