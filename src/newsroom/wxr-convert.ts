import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { plainText } from '../core/document.js';
import { validateDoc } from '../core/document-extensions.js';
import { DomainError, type ErrorCode, isDomainError } from '../core/errors.js';
import { stemmedText } from '../core/search-text.js';
import { mapPost, skipReason, type WxrPost } from '../formats/wxr-map.js';
import type { WxrEvent, WxrItem } from '../formats/wxr-reader.js';

// Reading a WordPress file and turning its posts' HTML into Masthead's
// documents is most of an import's work that needs no database. In the
// import's second pass a worker thread does it for the next few chunks of
// the file while the import's own thread writes the posts before them: on
// two cores, the reading and the writing run side by side.

/**
 * A post or page mapped from its HTML, with its text as the search index
 * stores it (a post's; '' for a page), or the DomainError that says why it
 * cannot be.
 */
export type Converted = { post: WxrPost; bodyStems: string } | DomainError;

/** Where an item is in the file, for messages: "post #12 (line 340)". */
export function itemPlace(item: WxrItem): string {
  return `${item.postType} #${item.postId} (line ${item.line})`;
}

/** Why an item is not imported, or null when it is (a page must be public, as Masthead pages are). */
export function ownSkipReason(item: WxrItem): string | null {
  const reason = skipReason(item);
  if (reason) return reason;
  if (item.postType === 'page' && item.status !== 'publish') {
    return `${item.status} in WordPress, and Masthead pages are public: add it when it is ready`;
  }
  return null;
}

/** Whether an item is a post or page the import maps from its HTML (not skipped for itself). */
export function isConvertible(item: WxrItem): boolean {
  return (item.postType === 'post' || item.postType === 'page') && ownSkipReason(item) === null;
}

/** The photos attached to a post, which it shows where its [gallery] names none (pages show none). */
export function photosAttached(
  item: WxrItem,
  attached: ReadonlyMap<number, readonly number[]>,
): readonly number[] {
  return item.postType === 'page' ? [] : (attached.get(item.postId) ?? []);
}

/**
 * What converting a file's posts ahead of their turn needs from its first
 * pass: the photos attached to each post (shown where a [gallery] names
 * none), and for each post id the file holds more than once, which copy
 * (0: the first) is imported, null for none.
 */
export type AheadPlan = {
  attached: ReadonlyMap<number, readonly number[]>;
  chosen: ReadonlyMap<number, number | null>;
};

/**
 * Picks, in file order, the posts and pages converted ahead: those imported
 * as they are (a copy of a repeated id that is not the one imported is not,
 * nor kept for it; one imported after all is converted in its turn).
 */
export class AheadPicker {
  private readonly occurrences = new Map<number, number>();

  constructor(private readonly plan: AheadPlan) {}

  /** The photos attached to `item` when it is to be converted ahead, else null. Asked once per item, in file order. */
  pick(item: WxrItem): readonly number[] | null {
    if (this.plan.chosen.has(item.postId)) {
      const occurrence = this.occurrences.get(item.postId) ?? 0;
      this.occurrences.set(item.postId, occurrence + 1);
      if (occurrence !== this.plan.chosen.get(item.postId)) return null;
    }
    return isConvertible(item) ? photosAttached(item, this.plan.attached) : null;
  }
}

/**
 * Maps a post or page, its body checked as Masthead stores documents (with
 * its pictures' placeholder ids, which the import binds to records).
 * `attached`: the ids of the photos attached to a post, which it shows where
 * its [gallery] names none.
 */
export function convertWxrItem(item: WxrItem, attached: readonly number[]): Converted {
  try {
    const post = mapPost(item, () =>
      attached.map((id) => ({ src: null, attachmentId: id, alt: '', caption: '' })),
    );
    const body = validateDoc(post.body, `${itemPlace(item)}: body`);
    // Binding its pictures later changes no word of it.
    const bodyStems = item.postType === 'post' ? stemmedText(plainText(body)) : '';
    return { post: { ...post, body }, bodyStems };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return error;
  }
}

/** A conversion's result as it crosses between threads (a DomainError does not survive the crossing as one). */
export type ConvertedAnswer =
  | { converted: { post: WxrPost; bodyStems: string } }
  | { problem: { code: ErrorCode; message: string } };

export function convertedAnswer(converted: Converted): ConvertedAnswer {
  return isDomainError(converted)
    ? { problem: { code: converted.code, message: converted.message } }
    : { converted };
}

function fromAnswer(answer: ConvertedAnswer): Converted {
  return 'converted' in answer
    ? answer.converted
    : new DomainError(answer.problem.code, answer.problem.message);
}

/** What the thread is asked: to read a file, sent in chunks after `open`, parsing each and converting the posts it completes. */
export type ReadRequest =
  | { kind: 'open'; name: string; plan: AheadPlan }
  | { kind: 'chunk'; id: number; bytes: Uint8Array }
  | { kind: 'close'; id: number };

/** A chunk read in the thread: its events, and its posts converted ahead (by their index in `events`). */
export type ThreadRead = { events: WxrEvent[]; converted: [number, ConvertedAnswer][] };

export type ReadAnswer =
  | { id: number; read: ThreadRead }
  /** The file cannot be read (a DomainError of the reader's: broken XML, not UTF-8). */
  | { id: number; unreadable: { code: ErrorCode; message: string } }
  /** Something else went wrong: the import reads the file itself, where the error is its own. */
  | { id: number; failed: string };

/** The thread stopped while it read a file: the caller reads the rest itself. */
export class ThreadStopped extends Error {}

/** A chunk's events, and those of its posts converted in the thread. */
export type ChunkRead = { events: WxrEvent[]; converted: Map<WxrItem, Converted> };

/** A file read and its posts converted in the thread, chunk by chunk (see ConvertAhead.read). */
export type ThreadReading = {
  write(chunk: Uint8Array): Promise<ChunkRead>;
  close(): Promise<ChunkRead>;
};

/**
 * unusedMs: how long a thread started while its file is checked waits, once
 * the check is over, for its file before it stops: a checked file that
 * is never written leaves no thread behind. Checking the other files of a
 * directory may come in between.
 */
export const threadTiming = { unusedMs: 10 * 60_000 };

/**
 * Starts a worker thread on a TypeScript module: the thread registers tsx
 * first, as bin/masthead.js does in the main one (workers do not inherit it).
 */
function startTypeScriptWorker(entry: URL): Worker {
  // tsx's ES module API, as its package names it (a bare name cannot be
  // resolved from the thread's evaluated code).
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const api = exports['./esm/api']?.import?.default;
  if (!api) throw new Error('tsx names no ES module API');
  const tsx = new URL(api, pathToFileURL(manifest)).href;
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true });
}

/**
 * Reads a WordPress file and converts its posts ahead of their turn in a
 * worker thread (see read). Whatever happens to the thread (it cannot
 * start, fails, is stopped), every chunk it was given settles: what it did
 * not answer fails with ThreadStopped, and the caller reads on itself.
 */
export class ConvertAhead {
  private readonly worker: Worker | null;
  /** The chunks of a file sent to be read and not answered yet. */
  private readonly reading = new Map<
    number,
    { resolve: (read: ThreadRead) => void; reject: (error: unknown) => void }
  >();
  private nextId = 1;
  private isBroken = false;
  /** How many posts the thread converted. */
  threadAnswers = 0;
  /** Settles once the thread has loaded and takes work, or has stopped. */
  readonly ready: Promise<void>;
  private isLoaded: () => void = () => {};
  /** Until the first chunk is sent: the timer that stops a thread nobody uses. */
  private unused: NodeJS.Timeout | null = null;

  constructor() {
    this.ready = new Promise((resolve) => {
      this.isLoaded = resolve;
    });
    let worker: Worker | null = null;
    try {
      worker = startTypeScriptWorker(new URL('./wxr-convert-worker.ts', import.meta.url));
    } catch (error) {
      process.emitWarning(`import: converting in one thread (${(error as Error).message})`);
    }
    this.worker = worker;
    this.isBroken = worker === null;
    if (!worker) {
      this.isLoaded();
      return;
    }
    // Started while the file is checked, it may wait for a while for its
    // file, or for none (the caller gave up): it keeps the process alive only
    // while it has chunks to answer (writeWxr stops it when the import ends, failed or not).
    worker.unref();
    worker.on('message', (answer: ReadAnswer | 'ready') => {
      if (answer === 'ready') this.isLoaded();
      else this.answered(answer);
    });
    worker.on('messageerror', () => this.broke());
    worker.on('error', () => this.broke());
    worker.on('exit', () => this.broke());
  }

  /**
   * Reads a file in the thread: each chunk written is parsed there and the
   * posts it completes converted (those `plan` picks), answered with its
   * events in file order. One file per thread.
   */
  read(name: string, plan: AheadPlan): ThreadReading {
    this.claim();
    const worker = this.isBroken ? null : this.worker;
    worker?.postMessage({ kind: 'open', name, plan } satisfies ReadRequest);
    const next = (request: (id: number) => ReadRequest, transfer: ArrayBuffer[] = []) => {
      const answer = new Promise<ThreadRead>((resolve, reject) => {
        if (this.isBroken || !worker) {
          reject(new ThreadStopped('import: the conversion thread has stopped'));
          return;
        }
        const id = this.nextId++;
        if (this.reading.size === 0) worker.ref();
        this.reading.set(id, { resolve, reject });
        worker.postMessage(request(id), transfer);
      });
      const read = answer.then(({ events, converted }) => ({
        events,
        converted: new Map(
          converted.flatMap(([at, result]) => {
            const event = events[at];
            return event?.kind === 'item' ? [[event.item, fromAnswer(result)] as const] : [];
          }),
        ),
      }));
      // Awaited in turn; one that fails meanwhile (the file is read here then) must not count as unhandled.
      read.catch(() => {});
      return read;
    };
    return {
      write: (chunk) => {
        // A copy of the chunk's own bytes, handed over: a view into a larger
        // buffer (a file held in memory) would otherwise send the whole buffer.
        const bytes = new Uint8Array(chunk);
        return next((id) => ({ kind: 'chunk', id, bytes }), [bytes.buffer]);
      },
      close: () => next((id) => ({ kind: 'close', id })),
    };
  }

  /**
   * Its file is checked and it waits for the write: a thread sent nothing
   * within unusedMs from now stops (a checked file nobody writes leaves none behind).
   */
  awaitFile(): void {
    if (this.isBroken || this.reading.size > 0) return;
    this.unused = setTimeout(() => void this.close(), threadTiming.unusedMs);
    this.unused.unref();
  }

  /** Its import is about to write: the thread no longer stops for want of work (see awaitFile). */
  claim(): void {
    if (this.unused) clearTimeout(this.unused);
    this.unused = null;
  }

  /** Whether the thread takes work. */
  get isWorking(): boolean {
    return !this.isBroken;
  }

  async close(): Promise<void> {
    this.claim();
    this.isBroken = true;
    await this.worker?.terminate();
  }

  private answered(answer: ReadAnswer): void {
    const reading = this.reading.get(answer.id);
    if (!reading) return;
    this.reading.delete(answer.id);
    if (this.reading.size === 0) this.worker?.unref();
    if ('read' in answer) {
      this.threadAnswers += answer.read.converted.length;
      reading.resolve(answer.read);
    } else if ('unreadable' in answer) {
      reading.reject(new DomainError(answer.unreadable.code, answer.unreadable.message));
    } else {
      // Its reader is in no known state: the thread stops, and the caller reads the file itself.
      reading.reject(new ThreadStopped(`import: reading in the conversion thread failed`));
      void this.close();
    }
  }

  /** The thread is gone: the chunks it had not answered fail, and the caller reads the rest itself. */
  private broke(): void {
    this.isBroken = true;
    this.isLoaded();
    const reads = [...this.reading.values()];
    this.reading.clear();
    for (const { reject } of reads) {
      reject(new ThreadStopped('import: the conversion thread has stopped'));
    }
  }
}
