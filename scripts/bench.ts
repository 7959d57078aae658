// npm run bench [-- --short] — how close Masthead's reader pages come to a
// static file server. In one run, on one machine, three servers answer the
// same article page and autocannon loads each at 1 and 50 connections:
//   (a) a bare Node http server sending, from memory, the same response bytes
//       Masthead sends (status, headers, body): the ceiling. On a 2-core
//       machine the load generator shares the CPU with the server and parses
//       every header, so the ceiling must send the same headers to be one;
//   (a') the same body with only two headers, printed for comparison;
//   (b) Masthead with its page cache (what readers get);
//   (c) Masthead with the cache off (MASTHEAD_PAGE_CACHE_MB=0): a render per request;
//   (b') as (b) with audience counting off (MASTHEAD_AUDIENCE=off): the cost of
//       counting, (b)/(b') (the target is ≥ 0.95). Every load sends a reader
//       browser's user agent, referrer and language, so the counting works.
// Printed: requests per second and p50/p99 latency of each, and (b)/(a) at 50
// connections (the target is ≥ 0.8). Then (b)'s memory after serving every
// article once (10 000 distinct URLs), and the time from a publish call to the
// new page being served. --short (CI) loads each for a second over 200
// articles: the figures are printed, never asserted.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { openNewsroom } from '../src/main.js';
import { bytesSource, importSource } from '../src/newsroom/import-file.js';
import { SYSTEM_ACTOR } from '../src/newsroom/newsroom.js';
import { addUser } from '../src/newsroom/staff.js';
import { freePort, waitFor } from './lib/server-process.js';
import { writeExport } from './lib/wxr-generator.js';

const SHORT = process.argv.includes('--short');
const POSTS = SHORT ? 200 : 10_000;
const SECONDS = SHORT ? 1 : 10;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PASSWORD = 'bench password that is long enough';

type Load = { rps: number; p50: number; p99: number; errors: number };

function startMasthead(
  dataDir: string,
  port: number,
  cacheMb: number,
  audience: 'on' | 'off' = 'on',
): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'bin', 'masthead.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MASTHEAD_DATA: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MASTHEAD_PAGE_CACHE_MB: String(cacheMb),
      MASTHEAD_AUDIENCE: audience,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** (a) and (a'): the body from memory with the given headers, nothing else. */
function startBare(bodyFile: string, headers: Record<string, string>, port: number): ChildProcess {
  const script = `
    const body = require('node:fs').readFileSync(${JSON.stringify(bodyFile)});
    const headers = { ...${JSON.stringify(headers)}, 'content-length': body.length };
    require('node:http').createServer((request, response) => {
      response.writeHead(200, headers);
      response.end(body);
    }).listen(${port}, '127.0.0.1');`;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A response's headers as a server would send them again (not the ones Node adds itself). */
function resentHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name))
      headers[name] = value;
  });
  return headers;
}

// Every load asks as a reader's browser does, so that the audience counting
// (which leaves out requests without a browser's user agent) does its work.
const READER_HEADERS = {
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  referer: 'https://www.google.com/search?q=ferry+fares',
  'accept-language': 'en-GB,en;q=0.9',
};

async function load(url: string, connections: number): Promise<Load> {
  const result = await autocannon({
    url,
    connections,
    duration: SECONDS,
    headers: READER_HEADERS,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function rssMiB(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'masthead-bench-'));
  const dataDir = join(dir, 'data');
  const children: ChildProcess[] = [];
  try {
    // A newsroom with POSTS published articles (a generated WordPress archive) and an editor.
    const wxr = join(dir, 'archive.xml');
    await writeExport(wxr, POSTS);
    const newsroom = await openNewsroom(loadConfig({ MASTHEAD_DATA: dataDir }));
    await importSource(newsroom, bytesSource('archive.xml', await readFile(wxr)));
    await addUser(newsroom, SYSTEM_ACTOR, {
      email: 'bench@news.example',
      name: 'Bench Editor',
      role: 'editor',
      password: PASSWORD,
    });
    const urls = (
      await newsroom.store.db
        .selectFrom('article')
        .innerJoin('section', 'section.id', 'article.section_id')
        .select(['article.slug', 'section.path'])
        .where('article.status', '=', 'published')
        .orderBy('article.id')
        .execute()
    ).map((row) => `/${row.path}/${row.slug}`);
    await newsroom.store.close();
    const article = urls[0];
    if (!article) throw new Error('the archive published nothing');

    const [cachedPort, uncachedPort, barePort, plainPort, uncountedPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const cached = startMasthead(dataDir, cachedPort, 512);
    const uncached = startMasthead(dataDir, uncachedPort, 0);
    const uncounted = startMasthead(dataDir, uncountedPort, 512, 'off');
    children.push(cached, uncached, uncounted);
    await waitFor(`http://127.0.0.1:${cachedPort}/healthz`, cached);
    await waitFor(`http://127.0.0.1:${uncachedPort}/healthz`, uncached);
    await waitFor(`http://127.0.0.1:${uncountedPort}/healthz`, uncounted);
    // Asked twice: the second answer is the cached one, with the headers every reader gets.
    // Without Accept-Encoding, as autocannon asks: the plain body and its headers.
    const plainly = { headers: { 'accept-encoding': 'identity' } };
    await fetch(`http://127.0.0.1:${cachedPort}${article}`, plainly).then((r) => r.arrayBuffer());
    const answer = await fetch(`http://127.0.0.1:${cachedPort}${article}`, plainly);
    const bytes = Buffer.from(await answer.arrayBuffer());
    const bodyFile = join(dir, 'article.html');
    await writeFile(bodyFile, bytes);
    const bare = startBare(bodyFile, resentHeaders(answer), barePort);
    const plain = startBare(bodyFile, { 'content-type': 'text/html; charset=utf-8' }, plainPort);
    children.push(bare, plain);
    await waitFor(`http://127.0.0.1:${barePort}/`, bare);
    await waitFor(`http://127.0.0.1:${plainPort}/`, plain);

    const targets = [
      ['(a) bare node http, same response', `http://127.0.0.1:${barePort}/`],
      ['(b) Masthead, page cache', `http://127.0.0.1:${cachedPort}${article}`],
      ['(c) Masthead, cache off', `http://127.0.0.1:${uncachedPort}${article}`],
      ["(a') bare node http, body + 2 headers", `http://127.0.0.1:${plainPort}/`],
    ] as const;
    console.log(
      `article page ${article}: ${bytes.length} bytes; ${POSTS} posts; ${SECONDS} s per load${SHORT ? ' (short mode)' : ''}\n`,
    );
    console.log(`  ${'server'.padEnd(40)} conns     req/s    p50 ms    p99 ms  errors`);
    const results = new Map<string, Load>();
    for (const [name, url] of targets) {
      for (const connections of [1, 50]) {
        const result = await load(url, connections);
        results.set(`${name}:${connections}`, result);
        console.log(
          `  ${name.padEnd(40)} ${String(connections).padStart(5)} ${result.rps.toFixed(0).padStart(9)} ${result.p50.toFixed(1).padStart(9)} ${result.p99.toFixed(1).padStart(9)} ${String(result.errors).padStart(7)}`,
        );
      }
    }
    const ceiling = results.get(`${targets[0][0]}:50`)?.rps ?? Number.NaN;
    const served = results.get(`${targets[1][0]}:50`)?.rps ?? Number.NaN;
    const rendered = results.get(`${targets[2][0]}:50`)?.rps ?? Number.NaN;
    const plainCeiling = results.get(`${targets[3][0]}:50`)?.rps ?? Number.NaN;
    console.log(
      `\n  ratio (b)/(a) at 50 connections: ${(served / ceiling).toFixed(2)} (target ≥ 0.80)`,
    );
    console.log(
      `  ratio (b)/(a') at 50 connections: ${(served / plainCeiling).toFixed(2)} (the headers' share: security, caching, Surrogate-Key)`,
    );
    console.log(
      `  ratio (b)/(c) at 50 connections: ${(served / rendered).toFixed(1)}× (what the cache saves)`,
    );

    // The cost of counting the audience on cached pages: (b) against the same
    // server with counting off, loaded in turn three times each (the best of
    // each kept, so a moment of noise on the machine does not decide).
    const countedUrl = `http://127.0.0.1:${cachedPort}${article}`;
    const uncountedUrl = `http://127.0.0.1:${uncountedPort}${article}`;
    await fetch(uncountedUrl, plainly).then((r) => r.arrayBuffer());
    const counted: number[] = [];
    const notCounted: number[] = [];
    for (let round = 0; round < 3; round++) {
      counted.push((await load(countedUrl, 50)).rps);
      notCounted.push((await load(uncountedUrl, 50)).rps);
    }
    const on = Math.max(...counted);
    const off = Math.max(...notCounted);
    console.log(
      `\n  (b) counting on:  ${counted.map((rps) => rps.toFixed(0)).join(', ')} req/s at 50 connections`,
    );
    console.log(
      `  (b') counting off (MASTHEAD_AUDIENCE=off): ${notCounted.map((rps) => rps.toFixed(0)).join(', ')} req/s`,
    );
    console.log(
      `  ratio counting on/off, best of three each: ${(on / off).toFixed(2)} (target ≥ 0.95)`,
    );

    // Memory of (b) after every article page has been served once.
    const before = await rssMiB(cached.pid);
    const origin = `http://127.0.0.1:${cachedPort}`;
    for (let start = 0; start < urls.length; start += 20) {
      await Promise.all(
        urls
          .slice(start, start + 20)
          .map((url) => fetch(`${origin}${url}`).then((r) => r.arrayBuffer())),
      );
    }
    const after = await rssMiB(cached.pid);
    console.log(
      `\n  (b) RSS: ${before.toFixed(0)} MiB before, ${after.toFixed(0)} MiB after serving ${urls.length} distinct article URLs`,
    );

    // Publish → served: an editor publishes a draft, and the page is polled until it answers.
    const session = await fetch(`${origin}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@news.example', password: PASSWORD }),
    });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
    const section = article.split('/')[1] ?? '';
    const created = await fetch(`${origin}/api/articles`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        title: 'Bench: the ferry runs again',
        standfirst: 'A timing article.',
        section,
        language: 'en',
        body: {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Text.' }] }],
        },
      }),
    });
    const { id, url } = (await created.json()) as { id: number; url: string };
    await fetch(`${origin}${url}`); // a 404, now: must not be what readers get after the publish
    await fetch(`${origin}/${section}`); // the section page, cached without the new article
    const started = performance.now();
    const published = await fetch(`${origin}/api/articles/${id}/transitions/publish`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    const publishMs = performance.now() - started;
    if (!published.ok)
      throw new Error(`publish failed: ${published.status} ${await published.text()}`);
    let visibleMs = Number.NaN;
    for (let attempt = 0; attempt < 1000; attempt++) {
      const page = await fetch(`${origin}${url}`);
      await page.arrayBuffer();
      if (page.ok) {
        visibleMs = performance.now() - started;
        break;
      }
    }
    const listing = await (await fetch(`${origin}/${section}`)).text();
    console.log(
      `  publish → served: ${visibleMs.toFixed(1)} ms (the publish call itself ${publishMs.toFixed(1)} ms); on its section page at once: ${listing.includes('Bench: the ferry runs again') ? 'yes' : 'NO'}`,
    );
  } finally {
    for (const child of children) child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
