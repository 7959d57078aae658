// npm run bench:import [-- 10000] — how fast, and in how much memory, a
// WordPress export (WXR 1.2) of N posts imports. The export is generated into a
// temp directory, streamed to disk, with what real newsroom exports hold:
// Gutenberg and classic posts, images bound to attachments, quotes, lists, a
// few tables and [gallery] shortcodes, nested categories, tags, authors,
// drafts and scheduled posts. It is then imported through the real path
// (importSource over a file stream, as `masthead import` does) into a fresh
// SQLite database. Printed: the time of each pass, articles per second, the
// process's peak RSS, and a reference measured in the same run on the same
// file: the WXR reader (saxes) alone, no database; the ratio import/parse-only
// says what the database work costs on top of reading the XML. Last, the same
// file is imported again: the time of an import that changes nothing.
//
// With several sizes (`-- 2000 10000`) each runs in a process of its own, so
// their peak RSS can be compared, and the growth per 1000 posts is printed.
//
// On SQLite an import lets go of the write lock for a while between batches so
// the servers can write (store/write-batches.ts): with BENCH_IMPORT_PAUSES=off
// those pauses are left out, which says how much of the time is theirs. With
// BENCH_IMPORT_WRITER=on another process writes to the database every 200 ms
// during the import, as a server's saves would: printed, how long its writes
// waited for the lock, and how many were refused (after write-retry.ts's 3 s).
//
// The machine may be busy with other work: the import's CPU time (user and
// system, this process) is printed beside its wall time.
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDomainError } from '../src/core/errors.js';
import { WxrReader } from '../src/formats/wxr-reader.js';
import { importSource } from '../src/newsroom/import-file.js';
import type { ImportResult, ImportSource } from '../src/newsroom/import-report.js';
import type { Newsroom } from '../src/newsroom/newsroom.js';
import { openSqliteStore } from '../src/store/database.js';
import { mediaFilesAt } from '../src/store/media-files.js';
import { batchTiming } from '../src/store/write-batches.js';
import { writeExport } from './lib/wxr-generator.js';

const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const CHUNK = 256 * 1024; // as the CLI reads files
const isWithoutPauses = process.env.BENCH_IMPORT_PAUSES === 'off';
const isWithWriter = process.env.BENCH_IMPORT_WRITER === 'on';
/** How often the concurrent writer writes. */
const WRITER_EVERY_MS = 200;
if (isWithoutPauses) batchTiming.pauseMs = 0;
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------
// Measuring

/** global.gc, when node runs with --expose-gc: then the live heap is measured too. */
const forceGc = (globalThis as { gc?: () => void }).gc;

/**
 * The process's peak RSS in a phase, sampled every 50 ms and at each progress
 * report; and its peak heap: live objects only (after a forced full GC, once a
 * second) under --expose-gc, otherwise heapUsed, garbage not yet collected included.
 */
class MemoryPeak {
  private rss = 0;
  private heap = 0;
  private lastGc = 0n;
  private timer: NodeJS.Timeout | null = null;

  start(): void {
    this.rss = 0;
    this.heap = 0;
    this.lastGc = 0n;
    this.sample();
    this.timer = setInterval(() => this.sample(), 50);
  }

  sample(): void {
    const collect = forceGc !== undefined && process.hrtime.bigint() - this.lastGc > 1_000_000_000n;
    if (collect) {
      forceGc();
      this.lastGc = process.hrtime.bigint();
    }
    const usage = process.memoryUsage();
    this.rss = Math.max(this.rss, usage.rss);
    if (collect || forceGc === undefined) this.heap = Math.max(this.heap, usage.heapUsed);
  }

  stop(): { rss: number; heap: number } {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return { rss: this.rss, heap: this.heap };
  }
}

/** maxRSS so far over the life of the process (the kernel's figure), in bytes. */
const maxRss = (): number => process.resourceUsage().maxRSS * 1024;

const seconds = (from: bigint, to: bigint = process.hrtime.bigint()): number =>
  Number(to - from) / 1e9;

function fileSource(path: string, size: number): ImportSource {
  return {
    name: 'bench.xml',
    size,
    open: () => createReadStream(path, { highWaterMark: CHUNK }),
  };
}

type Phase = {
  label: string;
  seconds: number;
  items?: number;
  articles?: number;
  rss?: number;
  heap?: number;
  maxRss?: number;
};

type Summary = {
  posts: number;
  fileMb: number;
  parseSeconds: number;
  importSeconds: number;
  reimportSeconds: number;
  /** The import's own figures: sampled peak RSS, kernel maxRSS at its end, peak heap. */
  importRss: number;
  importMaxRss: number;
  importHeap: number;
  /** maxRSS at the end of the unchanged re-import (the whole run). */
  runMaxRss: number;
};

function counted(result: ImportResult) {
  const count = (action: string, entity?: string) =>
    result.lines.filter(
      (line) => line.action === action && (entity === undefined || line.entity === entity),
    ).length;
  return {
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    articles: count('created', 'article'),
  };
}

// ---------------------------------------------------------------------------
// A concurrent writer (BENCH_IMPORT_WRITER=on)

type WriterReport = { writes: number; refused: number; waits: number[] };

/**
 * In a process of its own, as a server is: opens the database (before the
 * import begins, while it is consistent), then on 'start' writes a setting
 * every WRITER_EVERY_MS, timing each write, until 'stop'.
 */
async function runWriter(file: string): Promise<void> {
  const store = await openSqliteStore(file);
  let stopped = false;
  const report: WriterReport = { writes: 0, refused: 0, waits: [] };
  process.on('message', (message) => {
    if (message === 'stop') stopped = true;
  });
  await new Promise<void>((resolve) => {
    process.on('message', (message) => {
      if (message === 'start') resolve();
    });
    process.send?.('ready');
  });
  while (!stopped) {
    const started = performance.now();
    try {
      await store.db
        .insertInto('setting')
        .values({ key: 'bench.writer', value: String(report.writes) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(report.writes) }))
        .execute();
      report.waits.push(performance.now() - started);
    } catch (error) {
      if (!isDomainError(error, 'database_busy')) throw error;
      report.refused++;
    }
    report.writes++;
    await new Promise((resolve) => setTimeout(resolve, WRITER_EVERY_MS));
  }
  await store.close();
  // Sent, then the channel closed: it would keep this process alive.
  await new Promise<void>((resolve, reject) =>
    process.send?.(report, (error: Error | null) => (error ? reject(error) : resolve())),
  );
  process.disconnect?.();
}

/** Starts the writer process on `file`; `stop` ends it and answers what it saw. */
async function startWriter(file: string): Promise<{ stop: () => Promise<WriterReport> }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_IMPORT_ROLE: 'writer', BENCH_IMPORT_FILE: file },
  });
  let report: WriterReport | null = null;
  const ready = new Promise<void>((resolve) => {
    child.on('message', (message) => {
      if (message === 'ready') resolve();
      else report = message as WriterReport;
    });
  });
  const exited = once(child, 'exit');
  await ready;
  child.send('start');
  return {
    stop: async () => {
      child.send('stop');
      const [code] = (await exited) as [number | null];
      if (code !== 0 || report === null) throw new Error(`the writer failed (exit ${code})`);
      return report;
    },
  };
}

function describeWaits(report: WriterReport): string {
  const waits = [...report.waits].sort((a, b) => a - b);
  const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? 0;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  return (
    `${report.writes} writes, ${report.refused} refused; waited: median ${ms(at(0.5))}, ` +
    `p90 ${ms(at(0.9))}, p99 ${ms(at(0.99))}, max ${ms(waits.at(-1) ?? 0)}`
  );
}

async function bench(posts: number): Promise<Summary> {
  const baseline = process.memoryUsage().rss;
  const directory = await mkdtemp(join(tmpdir(), 'masthead-bench-import-'));
  try {
    const file = join(directory, 'bench.xml');
    const generating = process.hrtime.bigint();
    const made = await writeExport(file, posts);
    const size = (await stat(file)).size;
    console.log(
      `\nWXR import, ${posts} posts: ${made.published} published, ${made.drafts} drafts, ${made.scheduled} scheduled; ` +
        `${made.attachments} attachments, ${made.pages} pages, ${made.categories} categories, ${made.tags} tags, ` +
        `${made.authors} authors; ${made.tables} tables, ${made.galleries} galleries`,
    );
    console.log(
      `file: ${(size / 1e6).toFixed(1)} MB (${(size / MB).toFixed(1)} MiB), generated in ${seconds(generating).toFixed(1)} s; ` +
        `RSS of the process before it: ${(baseline / MB).toFixed(0)} MiB`,
    );
    if (isWithoutPauses) {
      console.log(
        'BENCH_IMPORT_PAUSES=off: no pauses between write batches (the servers would wait on the lock)',
      );
    }
    const phases: Phase[] = [];
    const peak = new MemoryPeak();

    // Reference 1: the bytes alone, off the disk (cached by now).
    let started = process.hrtime.bigint();
    let bytes = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK }))
      bytes += (chunk as Buffer).length;
    phases.push({ label: 'reference: read the file', seconds: seconds(started) });
    if (bytes !== size) throw new Error(`read ${bytes} bytes of ${size}`);

    // Reference 2: the WXR reader (saxes) over the same file, no database.
    peak.start();
    started = process.hrtime.bigint();
    let items = 0;
    const reader = new WxrReader('bench.xml');
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
      for (const event of reader.write(chunk as Buffer)) if (event.kind === 'item') items++;
    }
    for (const event of reader.close()) if (event.kind === 'item') items++;
    const parseSeconds = seconds(started);
    const parsePeak = peak.stop();
    phases.push({
      label: 'reference: parse only (WxrReader)',
      seconds: parseSeconds,
      items,
      rss: parsePeak.rss,
      heap: parsePeak.heap,
      maxRss: maxRss(),
    });

    const store = await openSqliteStore(join(directory, 'data', 'masthead.sqlite'));
    const now = new Date('2026-11-24T12:00:00.000Z');
    const newsroom: Newsroom = {
      store,
      mediaFiles: mediaFilesAt(
        join(directory, 'data', 'media'),
        join(directory, 'data', 'originals'),
      ),
      now: () => now,
      // As the servers and the command line make them (main.ts).
      newId: () => randomUUID(),
      newToken: () => randomBytes(32).toString('base64url'),
      publicUrl: 'https://bench.example',
    };
    const importOnce = async (label: string) => {
      const writer =
        isWithWriter && label === 'import'
          ? await startWriter(join(directory, 'data', 'masthead.sqlite'))
          : null;
      peak.start();
      const cpu = process.cpuUsage();
      const begin = process.hrtime.bigint();
      let pass1End = begin;
      let pass1Items = 0;
      let pass2Items = 0;
      const result = await importSource(newsroom, fileSource(file, size), {
        onProgress: (progress) => {
          peak.sample();
          if (progress.pass === 1) {
            pass1End = process.hrtime.bigint();
            pass1Items = progress.items;
          } else pass2Items = progress.items;
        },
      });
      const end = process.hrtime.bigint();
      const cpuUsed = process.cpuUsage(cpu);
      const memory = peak.stop();
      const total = seconds(begin, end);
      const tally = counted(result);
      phases.push(
        { label: `${label}: pass 1 (check)`, seconds: seconds(begin, pass1End), items: pass1Items },
        { label: `${label}: pass 2 (write)`, seconds: seconds(pass1End, end), items: pass2Items },
        {
          label: `${label}: total`,
          seconds: total,
          items: pass2Items,
          articles: label === 'import' ? tally.articles : posts,
          rss: memory.rss,
          heap: memory.heap,
          maxRss: maxRss(),
        },
      );
      console.log(
        `${label}: ${tally.created} created, ${tally.updated} updated, ${tally.unchanged} unchanged, ${tally.skipped} skipped; ${result.redirects} redirects`,
      );
      const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
      console.log(
        `${label}: CPU ${cpuSeconds.toFixed(2)} s of ${total.toFixed(2)} s (${Math.round(pass2Items / cpuSeconds)} items per CPU second)`,
      );
      if (writer) console.log(`${label}: concurrent writer: ${describeWaits(await writer.stop())}`);
      return total;
    };
    let importSeconds = 0;
    let reimportSeconds = 0;
    try {
      importSeconds = await importOnce('import');
      reimportSeconds = await importOnce('re-import, unchanged');
    } finally {
      await store.close();
    }
    const database = (await stat(join(directory, 'data', 'masthead.sqlite'))).size;

    const mb = (value: number | undefined) =>
      value === undefined ? '' : `${(value / MB).toFixed(0)} MiB`;
    const rate = (count: number | undefined, time: number) =>
      count === undefined ? '' : `${Math.round(count / time)}/s`;
    console.log('');
    console.log(
      `  ${'phase'.padEnd(38)}${'time'.padStart(9)}${'items/s'.padStart(10)}${'articles/s'.padStart(12)}${'peak RSS'.padStart(11)}${(forceGc ? 'live heap' : 'heap used').padStart(11)}${'maxRSS'.padStart(10)}`,
    );
    for (const phase of phases) {
      console.log(
        `  ${phase.label.padEnd(38)}${`${phase.seconds.toFixed(2)} s`.padStart(9)}${rate(phase.items, phase.seconds).padStart(10)}${rate(phase.articles, phase.seconds).padStart(12)}${mb(phase.rss).padStart(11)}${mb(phase.heap).padStart(11)}${mb(phase.maxRss).padStart(10)}`,
      );
    }
    console.log('');
    console.log(
      `  ratio import/parse-only: ${(importSeconds / parseSeconds).toFixed(1)}× (the database work on top of reading the XML)`,
    );
    console.log(
      `  ratio re-import/parse-only: ${(reimportSeconds / parseSeconds).toFixed(1)}× (an import that changes nothing)`,
    );
    console.log(
      forceGc
        ? '  live heap: after a forced full GC, once a second (the times include those GCs)'
        : '  heap used includes garbage not collected yet; run with NODE_OPTIONS=--expose-gc for the live heap',
    );
    console.log('  maxRSS: the kernel’s peak for the whole process so far (generation included)');
    console.log(
      `  database after import: ${(database / MB).toFixed(1)} MiB; process maxRSS over the run: ${mb(maxRss())}`,
    );
    const importPhase = phases.find((phase) => phase.label === 'import: total');
    return {
      posts,
      fileMb: size / MB,
      parseSeconds,
      importSeconds,
      reimportSeconds,
      importRss: importPhase?.rss ?? 0,
      importMaxRss: importPhase?.maxRss ?? 0,
      importHeap: importPhase?.heap ?? 0,
      runMaxRss: maxRss(),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Each size in a process of its own, so one's memory does not count in another's peak. */
async function benchInChild(posts: number): Promise<Summary> {
  const child = fork(fileURLToPath(import.meta.url), [String(posts)], {
    env: { ...process.env, BENCH_IMPORT_CHILD: '1' },
  });
  let summary: Summary | null = null;
  child.on('message', (message) => {
    summary = message as Summary;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0 || summary === null)
    throw new Error(`the ${posts}-post run failed (exit ${code})`);
  return summary;
}

const sizes = SIZES.length > 0 ? SIZES : [10_000];
if (process.env.BENCH_IMPORT_ROLE === 'writer') {
  await runWriter(process.env.BENCH_IMPORT_FILE ?? '');
} else if (sizes.length === 1) {
  const summary = await bench(sizes[0] ?? 10_000);
  if (process.env.BENCH_IMPORT_CHILD && process.send) process.send(summary);
} else {
  const summaries: Summary[] = [];
  for (const size of sizes) summaries.push(await benchInChild(size));
  const heapLabel = forceGc ? 'live heap' : 'heap used';
  console.log('\nmemory by size (each in its own process):');
  for (const summary of summaries) {
    console.log(
      `  ${String(summary.posts).padStart(7)} posts  ${summary.fileMb.toFixed(1).padStart(6)} MiB file  import ${summary.importSeconds.toFixed(1).padStart(6)} s:  ` +
        `sampled peak RSS ${(summary.importRss / MB).toFixed(0).padStart(5)} MiB, maxRSS ${(summary.importMaxRss / MB).toFixed(0).padStart(5)} MiB, ` +
        `${heapLabel} ${(summary.importHeap / MB).toFixed(0).padStart(5)} MiB;  with the re-import, maxRSS ${(summary.runMaxRss / MB).toFixed(0).padStart(5)} MiB`,
    );
  }
  const first = summaries[0];
  const last = summaries[summaries.length - 1];
  if (first && last && last.posts > first.posts) {
    const per1000 = (a: number, b: number) =>
      (((b - a) / MB / (last.posts - first.posts)) * 1000).toFixed(1);
    console.log(
      `  growth per 1000 posts more (${first.posts} → ${last.posts}): import maxRSS ${per1000(first.importMaxRss, last.importMaxRss)} MiB, ` +
        `${heapLabel} ${per1000(first.importHeap, last.importHeap)} MiB, whole run maxRSS ${per1000(first.runMaxRss, last.runMaxRss)} MiB`,
    );
  }
}
