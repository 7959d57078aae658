// npm run bench:coediting [-- --short] [-- 200] — co-editing on one server
// process: how long a keystroke takes to reach another editor, and how much
// memory open articles cost, against Yjs alone applying the same updates in
// the same run.
//
// The real server (`masthead serve --sample-content`) runs as a child process
// on 127.0.0.1 with a fresh data directory; 20 editor accounts are made with
// the CLI and signed in over HTTP, and N draft articles (200 unless told) of
// 20 paragraphs each are created through the API. Then, from this process,
// over y-websocket's provider as the newsroom app uses it (test/shared-text.ts):
// - memory: the server's RSS (/proc/<pid>/status) before any shared text is
//   open, and after each of the N articles is open on one connection (spread
//   over the editors' sessions) and synced; they stay open for what follows;
// - typing: 20 more connections, one per editor, on the first article, plus
//   an observer. Each editor types one character every 100 ms (±50 %) for
//   10 s (3 s with --short) into a paragraph of its own, mostly at its caret,
//   now and then moving the caret elsewhere in that paragraph. A change's
//   latency runs from just before the sender's insert to the observer's
//   document holding it (matched by the Yjs id, client and clock, of the
//   inserted character); "stored" runs to the server saying the database
//   holds it (its `stored` message).
// - Yjs alone: the updates the observer received, in order, applied to a
//   fresh Y.Doc in this process (starting from the observer's state before
//   the typing), each timed; and N documents holding the open articles'
//   states, measured on this process's heap.
// Printed: latency p50/p95 of each side and the ratio of the p50s, the
// server's RSS before and after the N open articles and per article, and the
// Yjs documents' own size; also, while typing, how busy the server's main
// thread and this process were, the slowest change, and where stalls were:
// the server's /healthz answer time (sampled every 100 ms) and this
// process's event loop delay (it plays 22 clients, and its own queueing is
// in the latency). Figures are printed, not asserted; lost changes or
// editors whose text differs at the end fail the run.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { SHARED_BODY_FIELD, SHARED_DOC_MESSAGES } from '../src/core/shared-doc.js';
import type { Client } from '../test/admin.js';
import { connectSharedText, type SharedTextClient } from '../test/shared-text.js';
import { freePort, waitFor } from './lib/server-process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'bin', 'masthead.js');
const EDITORS = 20;
const PARAGRAPHS = 20;
const PASSWORD = 'a trustworthy password that is long';
const KB = 1024;
const MB = 1024 * 1024;

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const isShort = args.includes('--short');
const openCount = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 200);
const typingMs = isShort ? 3_000 : 10_000;

// A full collection before each heap reading, or the Yjs-alone figure is
// mostly garbage not yet collected. The npm script runs tsx without
// --expose-gc, so the flag is set here and `gc` read from a fresh context.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of `values` (p in 0..100); NaN when there are none. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

/**
 * Runs `work` over `items`, at most `limit` at a time, answers in order. On a
 * failure nothing new starts, and what runs is waited for before the error
 * is thrown: a CLI run still going would otherwise write into the data
 * directory after the clean-up removed it.
 */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  return results;
}

// ---------------------------------------------------------------------------
// The server

type Server = {
  baseUrl: string;
  child: ChildProcess;
  env: NodeJS.ProcessEnv;
  /** What the server printed (LOG_LEVEL=warn: warnings and errors only). */
  output: () => string;
  stop: () => Promise<void>;
};

async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const env = {
    ...process.env,
    MASTHEAD_DATA: dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  const child = spawn(process.execPath, [CLI, 'serve', '--sample-content'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // Should this process end without stop() (a crash, Ctrl-C), take the server along.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${baseUrl}/healthz`, child);
  } catch (error) {
    await stop();
    const ended = child.signalCode ?? `exit code ${child.exitCode}`;
    throw new Error(`${(error as Error).message} (the server ended: ${ended})\n${output}`);
  }
  return { baseUrl, child, env, output: () => output, stop };
}

/** The server process's resident memory, in bytes. */
async function serverRss(server: Server): Promise<number> {
  const status = await readFile(`/proc/${server.child.pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error('no VmRSS in /proc/<pid>/status');
  return Number(kb) * KB;
}

/** CPU time of the server's main thread (where JavaScript runs), in ns. */
async function serverCpuNs(server: Server): Promise<number> {
  const schedstat = await readFile(`/proc/${server.child.pid}/schedstat`, 'utf8');
  return Number(schedstat.split(' ')[0]);
}

/** Runs `sample` every `ms` while `work` runs. */
async function sampleDuring<T>(
  work: () => Promise<T>,
  ms: number,
  sample: () => Promise<void>,
): Promise<T> {
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sample();
      await sleep(ms);
    }
  })();
  try {
    return await work();
  } finally {
    sampling = false;
    await sampler;
  }
}

/** How long /healthz takes to answer, in ms: a server whose main thread stalls answers late. */
async function healthzMs(server: Server): Promise<number> {
  const from = performance.now();
  const response = await fetch(`${server.baseUrl}/healthz`);
  await response.arrayBuffer();
  return performance.now() - from;
}

// ---------------------------------------------------------------------------
// Accounts and articles, as staff make them

/** The CLI runs going on now (to kill when this process is interrupted). */
const runningCli = new Set<ChildProcess>();

/** `masthead user add` against the server's data, the password on stdin. */
function addEditor(server: Server, email: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cli = execFile(
      process.execPath,
      [
        CLI,
        'user',
        'add',
        '--email',
        email,
        '--name',
        name,
        '--role',
        'editor',
        '--password-stdin',
      ],
      { cwd: ROOT, env: server.env },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`user add ${email}: ${error.message}\n${stderr}`)) : resolve(),
    );
    runningCli.add(cli);
    cli.once('exit', () => runningCli.delete(cli));
    cli.stdin?.end(PASSWORD);
  });
}

/** What connectSharedText reads of a signed-in staff member. */
type Session = Pick<Client, 'cookie' | 'csrf' | 'userId'>;

async function signIn(server: Server, email: string): Promise<Session> {
  const response = await fetch(`${server.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in ${email}: ${response.status} ${await response.text()}`);
  const answer = (await response.json()) as { user: { id: number }; csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('masthead_session='));
  if (!cookie) throw new Error(`sign-in ${email}: no session cookie`);
  return { cookie, csrf: answer.csrfToken, userId: answer.user.id };
}

/** The test client's type, for connectSharedText: it never sends over `fastify.inject` here. */
function asClient(session: Session): Client {
  return {
    ...session,
    personId: 0,
    send: () => Promise.reject(new Error('not a fastify.inject client')),
  };
}

/** A news story of some 800 words: 20 paragraphs of two or three sentences. */
function storyBody(n: number) {
  const sentences = [
    'The council met on Tuesday evening to settle the budget for the coming year.',
    'Residents filled the gallery, and several asked to speak about the ferry.',
    'The harbour master said repairs to the landing would take at least a month.',
    'Shopkeepers on the quay fear a quiet summer if the crossing stays closed.',
    'A spokesperson for the operator declined to give a date for the reopening.',
  ];
  return {
    type: 'doc',
    content: Array.from({ length: PARAGRAPHS }, (_, p) => ({
      type: 'paragraph',
      content: [
        {
          type: 'text',
          text: `${sentences[(n + p) % 5]} ${sentences[(n + p + 2) % 5]} ${sentences[(p * 3) % 5]}`,
        },
      ],
    })),
  };
}

async function createDraft(server: Server, as: Session, n: number): Promise<number> {
  const response = await fetch(`${server.baseUrl}/api/articles`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: as.cookie,
      'x-csrf-token': as.csrf,
    },
    body: JSON.stringify({
      title: `Ferry crossing closed, story ${n}`,
      section: 'news',
      language: 'en',
      body: storyBody(n),
    }),
  });
  if (response.status !== 201)
    throw new Error(`create article ${n}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: number }).id;
}

/** Every connection made, for the clean-up to close (a provider left open reconnects for ever). */
const connections: SharedTextClient[] = [];

/** Opens an article's shared text and waits for the first sync (or the server's refusal). */
async function openSharedText(
  server: Server,
  articleId: number,
  as: Session,
  name: string,
): Promise<SharedTextClient> {
  const client = connectSharedText(server.baseUrl, articleId, asClient(as), { name });
  connections.push(client);
  const refused = new Promise<never>((_, reject) => {
    void client.closed.then(({ code, reason }) =>
      reject(
        new Error(`article ${articleId}: the server closed the connection, ${code} ${reason}`),
      ),
    );
  });
  // Only the race below listens: a close after the sync shows as lost changes instead.
  refused.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`article ${articleId}: no sync within 15 s`)),
      15_000,
    );
  });
  try {
    await Promise.race([client.synced, refused, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return client;
}

// ---------------------------------------------------------------------------
// Typing

type Typing = {
  /** Sender's insert → observer's document holds it, in ms, one per change. */
  latencies: number[];
  /** Sender's insert → the server's `stored` message covering it, in ms. */
  storedLatencies: number[];
  /** The observer's state just before the typing started. */
  start: Uint8Array;
  /** Every update the observer's document took during the typing, in order. */
  updates: Uint8Array[];
  typed: number;
  /** Changes the observer never received. */
  lost: number;
  /** Changes the server never said it stored. */
  unstored: number;
  /** Whether every editor and the observer ended with the same text. */
  converged: boolean;
};

const PROSE =
  'Councillors agreed to fund the repairs from the reserve, and the vote was seven to two. ';

/**
 * Calls `onStored(vector)` with the state vector of each snapshot the server
 * says it has stored (src/core/shared-doc.ts), besides the client's own
 * handling. Typing only inserts, so the state vector says which keystrokes
 * are stored.
 */
function onStoredMessages(
  client: SharedTextClient,
  onStored: (vector: Map<number, number>) => void,
) {
  const handlers = client.provider.messageHandlers;
  const own = handlers[SHARED_DOC_MESSAGES.stored];
  if (!own) throw new Error('the shared-text client has no handler for `stored`');
  handlers[SHARED_DOC_MESSAGES.stored] = (encoder, decoder, provider, emitSynced, type) => {
    // Read a copy: the client's own handler reads the same bytes after.
    const snapshot = Y.decodeSnapshot(decoding.readVarUint8Array(decoding.clone(decoder)));
    own(encoder, decoder, provider, emitSynced, type);
    onStored(snapshot.sv);
  };
}

async function typeTogether(
  editors: SharedTextClient[],
  observer: SharedTextClient,
  ms: number,
): Promise<Typing> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const storedLatencies: number[] = [];
  const updates: Uint8Array[] = [];
  const start = Y.encodeStateAsUpdate(observer.doc);
  observer.doc.on('update', (update: Uint8Array) => {
    const at = performance.now();
    updates.push(update);
    // A struct covers clocks [clock, clock + length): a typed character is
    // one clock, and neighbouring ones may arrive merged into one struct.
    for (const struct of Y.decodeUpdate(update).structs) {
      for (let clock = struct.id.clock; clock < struct.id.clock + struct.length; clock++) {
        const key = `${struct.id.client}:${clock}`;
        const sent = sentAt.get(key);
        if (sent === undefined) continue;
        latencies.push(at - sent);
        sentAt.delete(key);
      }
    }
  });

  const unstored = editors.map((editor) => {
    const waiting: { clock: number; at: number }[] = [];
    onStoredMessages(editor, (vector) => {
      const at = performance.now();
      const holds = vector.get(editor.doc.clientID) ?? 0;
      while (waiting.length > 0 && (waiting[0]?.clock ?? 0) < holds) {
        storedLatencies.push(at - (waiting.shift()?.at ?? at));
      }
    });
    return waiting;
  });

  let typed = 0;
  const until = performance.now() + ms;
  const paragraphLength = (editor: SharedTextClient, paragraph: number) => {
    const element = editor.doc.getXmlFragment(SHARED_BODY_FIELD).get(paragraph) as Y.XmlElement;
    return (element.get(0) as Y.XmlText).length;
  };
  await Promise.all(
    editors.map(async (editor, paragraph) => {
      // Each editor writes in a paragraph of its own, from its end.
      let caret = paragraphLength(editor, paragraph);
      let next = 0;
      // Start at a random moment of the first interval, as people do not type in step.
      await sleep(Math.random() * 100);
      while (performance.now() < until) {
        // Now and then the caret moves: a word corrected earlier in the paragraph.
        if (Math.random() < 0.05)
          caret = Math.floor(Math.random() * paragraphLength(editor, paragraph));
        const clock = Y.getState(editor.doc.store, editor.doc.clientID);
        const at = performance.now();
        sentAt.set(`${editor.doc.clientID}:${clock}`, at);
        unstored[paragraph]?.push({ clock, at });
        editor.type(PROSE[next % PROSE.length] ?? ' ', paragraph, caret);
        caret++;
        next++;
        typed++;
        await sleep(50 + Math.random() * 100);
      }
    }),
  );
  // What is still on its way gets 10 s to arrive and be stored.
  const deadline = performance.now() + 10_000;
  while (
    (sentAt.size > 0 || unstored.some((waiting) => waiting.length > 0)) &&
    performance.now() < deadline
  )
    await sleep(20);
  const text = observer.text();
  return {
    latencies,
    storedLatencies,
    start,
    updates,
    typed,
    lost: sentAt.size,
    unstored: unstored.reduce((sum, waiting) => sum + waiting.length, 0),
    converged: editors.every((editor) => editor.text() === text),
  };
}

// ---------------------------------------------------------------------------
// Yjs alone

/** Applies `updates` in order to a fresh document holding `start`; µs per update. */
function applyAlone(start: Uint8Array, updates: readonly Uint8Array[]) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, start);
  const micros: number[] = [];
  for (const update of updates) {
    const from = process.hrtime.bigint();
    Y.applyUpdate(doc, update);
    micros.push(Number(process.hrtime.bigint() - from) / 1e3);
  }
  return { micros, doc };
}

/** Heap bytes per document of `states.length` Y.Docs each holding one state. */
function heapPerDoc(states: readonly Uint8Array[]): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const docs = states.map((state) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return doc;
  });
  gc();
  const after = process.memoryUsage().heapUsed;
  // Destroyed only now, so the documents are alive for the reading.
  for (const doc of docs) doc.destroy();
  return (after - before) / states.length;
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!(openCount >= 1)) throw new Error('the number of open articles must be at least 1');
  const dataDir = await mkdtemp(join(tmpdir(), 'masthead-bench-coediting-'));
  let server: Server | null = null;
  // Stopped by a signal (Ctrl-C, a SIGTERM), the clean-up in `finally` does
  // not run: the processes started here are killed (the server by its exit
  // listener) and the data directory goes, after them so none writes it again.
  const interrupted = (signal: NodeJS.Signals) => {
    for (const cli of runningCli) cli.kill('SIGKILL');
    server?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    let phaseStart = performance.now();
    /** Seconds since the previous call (how long each step of the set-up took). */
    const lap = () => {
      const now = performance.now();
      const seconds = (now - phaseStart) / 1000;
      phaseStart = now;
      return seconds.toFixed(1);
    };
    server = await startServer(dataDir);
    const startSeconds = lap();
    const running = server;
    console.log(
      `co-editing: ${EDITORS} editors typing into one article for ${typingMs / 1000} s, ${openCount} articles open, server on ${running.baseUrl} (pid ${running.child.pid})`,
    );

    // Accounts, as an administrator makes them: one CLI run each, as many at once as there are cores.
    const emails = Array.from(
      { length: EDITORS },
      (_, i) => `editor${String(i + 1).padStart(2, '0')}@bench.example`,
    );
    await inParallel(emails, Math.max(2, availableParallelism()), (email, i) =>
      addEditor(running, email, `Bench Editor ${i + 1}`),
    );
    const accountSeconds = lap();
    const sessions = await inParallel(emails, 4, (email) => signIn(running, email));
    const sessionOf = (i: number) => sessions[i % EDITORS] as Session;
    const articleIds = await inParallel(
      Array.from({ length: openCount }, (_, i) => i),
      4,
      (i) => createDraft(running, sessionOf(i), i),
    );
    const draftSeconds = lap();

    // y-websocket's provider listens for this process's exit (to take its
    // caret away): one listener per connection is expected here, not a leak.
    process.setMaxListeners(openCount + EDITORS + 10);

    // Memory: the server settled, then every article open once and synced.
    await sleep(1000);
    const rssBefore = await serverRss(running);
    lap();
    const open = await inParallel(articleIds, EDITORS, (id, i) =>
      openSharedText(running, id, sessionOf(i), `reader ${i}`),
    );
    const openSeconds = lap();
    // Awareness and `stored` messages follow the sync: let them pass before reading.
    await sleep(1000);
    const rssAfter = await serverRss(running);

    // Typing, with all those articles still open.
    const articleId = articleIds[0] as number;
    const editors = await Promise.all(
      sessions.map((session, i) => openSharedText(running, articleId, session, `Editor ${i + 1}`)),
    );
    const observer = await openSharedText(running, articleId, sessionOf(0), 'observer');
    // How busy each side was: the latency includes this process's own work
    // as 22 clients, which matters when its event loop is near full.
    const cpuBefore = await serverCpuNs(running);
    const eluBefore = performance.eventLoopUtilization();
    const typingFrom = performance.now();
    // Stalls, and on which side: the server's RSS and /healthz answer time
    // sampled every 100 ms, and this process's event loop delay.
    let rssPeak = await serverRss(running);
    const healthTimes: number[] = [];
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const typing = await sampleDuring(
      () => typeTogether(editors, observer, typingMs),
      100,
      async () => {
        const [rss, health] = await Promise.all([serverRss(running), healthzMs(running)]);
        rssPeak = Math.max(rssPeak, rss);
        healthTimes.push(health);
      },
    );
    loopDelay.disable();
    const typingNs = (performance.now() - typingFrom) * 1e6;
    const serverBusy = ((await serverCpuNs(running)) - cpuBefore) / typingNs;
    const benchBusy = performance.eventLoopUtilization(eluBefore).utilization;

    // Yjs alone, on the same updates and the same open articles.
    const alone = applyAlone(typing.start, typing.updates);
    const sameState =
      Buffer.compare(Y.encodeStateVector(alone.doc), Y.encodeStateVector(observer.doc)) === 0;
    const articleBytes = Y.encodeStateAsUpdate(alone.doc).byteLength;
    const openStates = open.map((client) => Y.encodeStateAsUpdate(client.doc));
    const openStateBytes =
      openStates.reduce((sum, state) => sum + state.byteLength, 0) / open.length;
    const docHeap = heapPerDoc(openStates);

    const serverP50 = percentile(typing.latencies, 50);
    const aloneP50 = percentile(alone.micros, 50) / 1000;
    const rows: [string, string, string][] = [
      ['', 'Masthead server', 'Yjs alone (this process)'],
      ['editors / changes typed', `${EDITORS} / ${typing.typed}`, ''],
      [
        'updates (observer received / applied)',
        String(typing.updates.length),
        `${alone.micros.length}${sameState ? '' : ' (end state differs!)'}`,
      ],
      [
        'change latency p50 / p95',
        `${serverP50.toFixed(2)} / ${percentile(typing.latencies, 95).toFixed(2)} ms`,
        `${percentile(alone.micros, 50).toFixed(1)} / ${percentile(alone.micros, 95).toFixed(1)} µs`,
      ],
      ['ratio of the p50s', `${(serverP50 / aloneP50).toFixed(0)}×`, ''],
      [
        'stored p50 / p95',
        `${percentile(typing.storedLatencies, 50).toFixed(1)} / ${percentile(typing.storedLatencies, 95).toFixed(1)} ms`,
        '',
      ],
      [
        `RSS before / after ${openCount} open`,
        `${(rssBefore / MB).toFixed(1)} / ${(rssAfter / MB).toFixed(1)} MB`,
        '',
      ],
      [
        'CPU busy while typing',
        `${(serverBusy * 100).toFixed(0)}% (main thread)`,
        `bench process event loop ${(benchBusy * 100).toFixed(0)}%`,
      ],
      [
        'slowest change / over 100 ms',
        `${Math.max(...typing.latencies).toFixed(0)} ms / ${typing.latencies.filter((ms) => ms > 100).length}`,
        '',
      ],
      [
        'stalls while typing (max)',
        `/healthz answer ${Math.max(...healthTimes).toFixed(0)} ms (p50 ${percentile(healthTimes, 50).toFixed(1)})`,
        `event loop delay ${(loopDelay.max / 1e6).toFixed(0)} ms`,
      ],
      ['RSS peak while typing', `${(rssPeak / MB).toFixed(1)} MB`, ''],
      [
        'memory per open article',
        `${((rssAfter - rssBefore) / openCount / KB).toFixed(0)} KB RSS`,
        `${(docHeap / KB).toFixed(0)} KB heap (state ${(openStateBytes / KB).toFixed(1)} KB)`,
      ],
      ['typed article state', '', `${(articleBytes / KB).toFixed(1)} KB`],
    ];
    const widths = [0, 1, 2].map((column) =>
      Math.max(...rows.map((row) => (row[column] ?? '').length)),
    );
    console.log(
      `set-up: server ${startSeconds} s, ${EDITORS} accounts (CLI) ${accountSeconds} s, sign-ins and ${openCount} drafts ${draftSeconds} s; ${openCount} articles opened and synced in ${openSeconds} s`,
    );
    for (const row of rows)
      console.log(
        row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('   ')
          .trimEnd(),
      );
    if (typing.lost > 0 || typing.unstored > 0 || !typing.converged || !sameState) {
      console.log(
        `PROBLEM: ${typing.lost} changes never reached the observer, ${typing.unstored} never reported stored, texts ${typing.converged ? 'agree' : 'differ'}`,
      );
      process.exitCode = 1;
    }
  } finally {
    for (const client of connections) client.destroy();
    if (server) {
      const stopping = performance.now();
      const hadExited = server.child.exitCode !== null || server.child.signalCode !== null;
      await server.stop();
      // A server that needed SIGKILL, exited with an error or ended before it
      // was told to (exit code 0 is its SIGINT/SIGTERM handler) is a finding of its own.
      const { exitCode, signalCode } = server.child;
      const ended = signalCode ?? `exit code ${exitCode}`;
      console.log(
        hadExited
          ? `the server had ended before the benchmark stopped it (${ended})`
          : `server stopped in ${((performance.now() - stopping) / 1000).toFixed(1)} s (${ended})`,
      );
      const printed = server.output().trim();
      if (printed) console.log(`the server printed (LOG_LEVEL=warn):\n${printed}`);
    }
    await rm(dataDir, { recursive: true, force: true });
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}

await main();
