// npm run bench:newsletter [-- 100000] — how fast, and in how much memory, a
// newsletter reaches N subscribers through Masthead's queue, against the raw
// SMTP client sending the same message to the same number of addresses in
// the same run.
//
// An SMTP sink (smtp-server, in a process of its own on 127.0.0.1) takes every
// message and throws it away. Each side then runs in a fresh process of its
// own, so neither's memory counts in the other's peak:
// - reference: nodemailer's pooled transport, configured as Masthead's mailer
//   (4 connections), sending one message N times, 50 in flight;
// - Masthead: N confirmed subscribers on a fresh SQLite database, one
//   published article, `scheduleNewsletter` and the queue worked by
//   `sendDueNewsletters` as the server does: recipients claimed and settled
//   in the database a batch at a time, each message with the reader's own
//   signed unsubscribe link and RFC 8058 headers, rendered once per send.
// Printed: messages per second and peak RSS of each, and the ratio.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/config.js';
import { openNewsroom } from '../src/main.js';
import { scheduleNewsletter, sendDueNewsletters } from '../src/newsroom/newsletter-sends.js';
import { addNewsletterList } from '../src/newsroom/newsletters.js';
import { SYSTEM_ACTOR } from '../src/newsroom/newsroom.js';
import { installSampleContent } from '../src/newsroom/sample-content.js';

const MB = 1024 * 1024;
const mode = process.env.BENCH_NEWSLETTER_CHILD ?? 'main';
const args = process.argv.slice(2).filter((arg) => arg !== '--');

/** peakRss: the highest RSS while sending; startRss: before the first message. */
type Result = { messages: number; seconds: number; peakRss: number; startRss: number };

/** Peak RSS, sampled every 50 ms. */
function watchMemory(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

// ---------------------------------------------------------------------------
// The sink

async function sink(): Promise<void> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Many connections at once (defaults are fine), and no per-message size limit.
    onData(stream, _session, callback) {
      stream.on('end', () => {
        count++;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  process.send?.({ port });
  process.on('message', (message) => {
    if (message === 'count') process.send?.({ count });
    if (message === 'stop') server.close(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------
// The two sides

/** One message, as Masthead's mailer sends it, to `n` addresses through nodemailer alone. */
async function reference(n: number, port: number, html: string, text: string): Promise<Result> {
  const transport = nodemailer.createTransport({
    url: `smtp://127.0.0.1:${port}`,
    pool: true,
    maxConnections: 4,
    maxMessages: 1000,
  });
  const startRss = process.memoryUsage().rss;
  const peak = watchMemory();
  const started = process.hrtime.bigint();
  const inFlight = 50;
  for (let from = 0; from < n; from += inFlight) {
    const batch = Array.from({ length: Math.min(inFlight, n - from) }, (_, i) => from + i);
    await Promise.all(
      batch.map((i) =>
        transport.sendMail({
          from: { name: 'The Lantern', address: 'news@bench.example' },
          to: `reader${i}@readers.example`,
          subject: 'Ferry service resumes on the river',
          text,
          html,
          headers: {
            'List-Unsubscribe': '<https://news.example/newsletters/unsubscribe?t=x>',
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }),
      ),
    );
  }
  const result = { messages: n, seconds: seconds(started), peakRss: peak(), startRss };
  transport.close();
  return result;
}

async function masthead(n: number, port: number): Promise<Result & { html: string; text: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'masthead-bench-newsletter-'));
  try {
    const config = loadConfig({
      MASTHEAD_DATA: dataDir,
      MASTHEAD_PUBLIC_URL: 'https://news.example',
      MASTHEAD_SMTP_URL: `smtp://127.0.0.1:${port}`,
      MASTHEAD_MAIL_FROM: 'news@bench.example',
    });
    const newsroom = await openNewsroom(config);
    await installSampleContent(newsroom);
    const list = await addNewsletterList(newsroom, SYSTEM_ACTOR, {
      name: 'Daily',
      slug: 'daily',
      language: 'en',
      senderName: 'The Lantern',
      description: '',
    });
    const db = newsroom.store.db;
    const now = new Date().toISOString();
    for (let from = 0; from < n; from += 5000) {
      await db.transaction().execute(async (trx) => {
        const rows = Array.from({ length: Math.min(5000, n - from) }, (_, i) => ({
          email: `reader${from + i}@readers.example`,
          created_at: now,
        }));
        for (let at = 0; at < rows.length; at += 500) {
          const ids = await trx
            .insertInto('subscriber')
            .values(rows.slice(at, at + 500))
            .returning('id')
            .execute();
          await trx
            .insertInto('subscription')
            .values(
              ids.map(({ id }) => ({
                list_id: list.id,
                subscriber_id: id,
                state: 'active',
                created_at: now,
                confirmed_at: now,
              })),
            )
            .execute();
        }
      });
    }
    const article = await db
      .selectFrom('article')
      .select('id')
      .where('status', '=', 'published')
      .orderBy('published_at', 'desc')
      .executeTakeFirstOrThrow();
    // The message as it goes out, for the reference to send the same bytes.
    let sample: { html: string; text: string } | null = null;
    const mailer = newsroom.mailer;
    if (!mailer) throw new Error('no mailer');
    newsroom.mailer = {
      send: async (message) => {
        sample ??= { html: message.html, text: message.text };
        await mailer.send(message);
      },
      close: () => mailer.close?.(),
    };
    const startRss = process.memoryUsage().rss;
    const peak = watchMemory();
    const started = process.hrtime.bigint();
    await scheduleNewsletter(newsroom, SYSTEM_ACTOR, {
      listId: list.id,
      articleIds: [article.id],
      subject: '',
      intro: '',
      sendAt: null,
    });
    let sent = 0;
    for (;;) {
      const round = await sendDueNewsletters(newsroom);
      sent += round.settled;
      if (!round.hasMore && round.settled === 0) break;
    }
    const result = { messages: sent, seconds: seconds(started), peakRss: peak(), startRss };
    newsroom.mailer.close?.();
    await newsroom.store.close();
    const { html, text } = sample ?? { html: '', text: '' };
    return { ...result, html, text };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Orchestration

function child(childMode: string, childArgs: string[] = []) {
  return fork(fileURLToPath(import.meta.url), childArgs, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_NEWSLETTER_CHILD: childMode },
  });
}

async function firstMessage<T>(process: ReturnType<typeof child>): Promise<T> {
  const [message] = (await once(process, 'message')) as [T];
  return message;
}

async function main(): Promise<void> {
  const n = Number(args[0] ?? 100_000);
  const sinkProcess = child('sink');
  const { port } = await firstMessage<{ port: number }>(sinkProcess);
  console.log(`newsletter to ${n} subscribers, SMTP sink on 127.0.0.1:${port}`);

  const ours = child('masthead', [String(n), String(port)]);
  const mine = await firstMessage<Result & { html: string; text: string }>(ours);
  await once(ours, 'exit');
  const theirs = child('reference', [String(n), String(port)]);
  theirs.send({ html: mine.html, text: mine.text });
  const raw = await firstMessage<Result>(theirs);
  await once(theirs, 'exit');
  sinkProcess.send('count');
  const { count } = await firstMessage<{ count: number }>(sinkProcess);
  sinkProcess.send('stop');

  const rate = (result: Result) => result.messages / result.seconds;
  const line = (label: string, result: Result) =>
    `${label.padEnd(34)} ${result.messages} messages in ${result.seconds.toFixed(1)} s: ${rate(result).toFixed(0)}/s, peak RSS ${(result.peakRss / MB).toFixed(0)} MB (${(result.startRss / MB).toFixed(0)} MB before the first message)`;
  console.log(
    `message size: ${(Buffer.byteLength(mine.html) / 1024).toFixed(1)} KB HTML + ${(Buffer.byteLength(mine.text) / 1024).toFixed(1)} KB text`,
  );
  console.log(line('Masthead (queue, SQLite):', mine));
  console.log(line('nodemailer alone (reference):', raw));
  console.log(
    `Masthead sends at ${((rate(mine) / rate(raw)) * 100).toFixed(0)}% of the raw client's rate`,
  );
  console.log(`the sink received ${count} messages (expected ${mine.messages + raw.messages})`);
  if (count !== mine.messages + raw.messages || mine.messages !== n) process.exitCode = 1;
}

if (mode === 'sink') {
  await sink();
} else if (mode === 'masthead') {
  const result = await masthead(Number(args[0]), Number(args[1]));
  process.send?.(result);
} else if (mode === 'reference') {
  const [message] = (await once(process, 'message')) as [{ html: string; text: string }];
  process.send?.(await reference(Number(args[0]), Number(args[1]), message.html, message.text));
  process.disconnect();
} else {
  await main();
}
