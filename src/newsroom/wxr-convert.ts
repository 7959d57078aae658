import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { plainText } from '../core/document.js';
import { validateDoc } from '../core/document-extensions.js';
import { DomainError, type ErrorCode, isDomainError } from '../core/errors.js';
import { stemmedText } from '../core/search-text.js';
import { mapPost, type WxrPost } from '../formats/wxr-map.js';
import type { WxrItem } from '../formats/wxr-reader.js';

// Turning a WordPress post's HTML into Masthead's document is most of an
// import's work that needs no database. A worker thread does it for the
// posts a chunk of the file holds while the import writes the ones before
// them: on two cores, the conversion and the writing run side by side.

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

export type ConvertRequest = { id: number; item: WxrItem; attached: readonly number[] };
export type ConvertAnswer =
  | { id: number; converted: { post: WxrPost; bodyStems: string } }
  | { id: number; problem: { code: ErrorCode; message: string } }
  /** Something other than the item's content went wrong: converted again in the import's thread, where the error is the import's. */
  | { id: number; failed: string };

/**
 * unusedMs: how long a thread started while its file is checked waits, once
 * the check is over, for its first post before it stops: a checked file that
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
 * Converts items ahead of their turn in a worker thread. Whatever happens to
 * the thread (it cannot start, fails, is stopped), every promise it gave
 * settles: what the thread did not answer is converted in the caller's
 * thread instead, where an error other than the item's is the import's.
 */
export class ConvertAhead {
  private readonly worker: Worker | null;
  private readonly waiting = new Map<
    number,
    {
      request: ConvertRequest;
      resolve: (converted: Converted) => void;
      reject: (error: unknown) => void;
    }
  >();
  private nextId = 1;
  private isBroken = false;
  /** How many items the thread converted (the rest were converted in the caller's). */
  threadAnswers = 0;
  /** How many items the caller converted itself while it waited for the thread (counted by the caller). */
  helped = 0;
  /** Settles once the thread has loaded and takes posts, or has stopped. */
  readonly ready: Promise<void>;
  private isLoaded: () => void = () => {};
  /** Until the first post is sent: the timer that stops a thread nobody uses. */
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
    // Started while the file is checked, it may wait for a while for its first
    // post, or for none (the caller gave up): it keeps the process alive only
    // from the first post on (writeWxr stops it when the import ends, failed or not).
    worker.unref();
    worker.on('message', (answer: ConvertAnswer | 'ready') => {
      if (answer === 'ready') this.isLoaded();
      else this.answered(answer);
    });
    worker.on('messageerror', () => this.broke());
    worker.on('error', () => this.broke());
    worker.on('exit', () => this.broke());
  }

  convert(item: WxrItem, attached: readonly number[]): Promise<Converted> {
    if (this.unused) clearTimeout(this.unused);
    this.unused = null;
    const request: ConvertRequest = { id: this.nextId++, item, attached };
    const converted = new Promise<Converted>((resolve, reject) => {
      if (this.isBroken || !this.worker) {
        this.here(request, resolve, reject);
        return;
      }
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(request.id, { request, resolve, reject });
      this.worker.postMessage(request);
    });
    // An item sent ahead may never be asked for (the import failed first):
    // its error must not count as unhandled. Whoever awaits it still gets it.
    converted.catch(() => {});
    return converted;
  }

  /**
   * Its file is checked and it waits for the write: a thread sent no post
   * within unusedMs from now stops (a checked file nobody writes leaves none behind).
   */
  awaitPosts(): void {
    if (this.isBroken || this.threadAnswers > 0 || this.waiting.size > 0) return;
    this.unused = setTimeout(() => void this.close(), threadTiming.unusedMs);
    this.unused.unref();
  }

  /** Its import is about to write: the thread no longer stops for want of posts (see awaitPosts). */
  claim(): void {
    if (this.unused) clearTimeout(this.unused);
    this.unused = null;
  }

  /** Whether the thread takes items (else they are converted in the caller's thread as asked). */
  get isWorking(): boolean {
    return !this.isBroken;
  }

  /** How many items the thread has been sent and not answered. */
  get inFlight(): number {
    return this.waiting.size;
  }

  async close(): Promise<void> {
    if (this.unused) clearTimeout(this.unused);
    this.unused = null;
    this.isBroken = true;
    await this.worker?.terminate();
  }

  private answered(answer: ConvertAnswer): void {
    const waiting = this.waiting.get(answer.id);
    if (!waiting) return;
    this.waiting.delete(answer.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (!('failed' in answer)) this.threadAnswers++;
    if ('converted' in answer) waiting.resolve(answer.converted);
    else if ('problem' in answer)
      waiting.resolve(new DomainError(answer.problem.code, answer.problem.message));
    else this.here(waiting.request, waiting.resolve, waiting.reject);
  }

  /** The thread is gone: what it had not answered is converted here. */
  private broke(): void {
    this.isBroken = true;
    this.isLoaded();
    const left = [...this.waiting.values()];
    this.waiting.clear();
    for (const { request, resolve, reject } of left) this.here(request, resolve, reject);
  }

  private here(
    request: ConvertRequest,
    resolve: (converted: Converted) => void,
    reject: (error: unknown) => void,
  ): void {
    try {
      resolve(convertWxrItem(request.item, request.attached));
    } catch (error) {
      reject(error);
    }
  }
}
