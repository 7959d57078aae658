import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError } from './core/errors.js';
import type { NewsletterList } from './core/newsletters.js';
import {
  readNewsletterSend,
  scheduleNewsletter,
  sendDueNewsletters,
} from './newsroom/newsletter-sends.js';
import { readNewsletterLists } from './newsroom/newsletters.js';
import { type Newsroom, SYSTEM_ACTOR } from './newsroom/newsroom.js';
import { exportSubscribers, importSubscribers } from './newsroom/subscribers.js';

// `masthead newsletter …`: newsletters from scripts. Whoever runs the CLI
// has the server's shell and data, and acts as the system (audited as such).

type Output = { out: (line: string) => void; err: (line: string) => void };
type WithNewsroom = <T>(fn: (newsroom: Newsroom) => Promise<T>) => Promise<T>;

export const NEWSLETTER_HELP = `  masthead newsletter lists          list the newsletters, with their confirmed readers
  masthead newsletter send <list> <article-id>... [--subject S] [--intro T] [--at ISO-TIME] [--wait]
                                      send published articles to a list (one in full,
                                      several as a digest), now or at --at; the running
                                      server sends it, or this command with --wait
  masthead newsletter subscribers import <list> <file.csv>
                                      add readers from a CSV (Ghost, Substack, or any
                                      file with an email column); reports what it skipped
  masthead newsletter subscribers export <list> [<file.csv>]
                                      write a list's readers as CSV (stdout without a file)`;

async function findList(newsroom: Newsroom, slug: string): Promise<NewsletterList> {
  const lists = await readNewsletterLists(newsroom);
  const list = lists.find((item) => item.slug === slug || String(item.id) === slug);
  if (!list)
    throw new DomainError(
      'not_found',
      `there is no newsletter "${slug}"; the lists are: ${lists.map((item) => item.slug).join(', ') || 'none yet'}`,
    );
  return list;
}

export async function newsletterCommand(
  args: string[],
  output: Output,
  withNewsroom: WithNewsroom,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'lists') {
    const lists = await withNewsroom((newsroom) => readNewsletterLists(newsroom));
    for (const list of lists)
      output.out(`${list.slug}\t${list.language}\t${list.activeCount} readers\t${list.name}`);
    if (lists.length === 0)
      output.out('no newsletters yet: the editor-in-chief adds them in the admin');
    return 0;
  }
  if (sub === 'send') return await send(rest, output, withNewsroom);
  if (sub === 'subscribers') return await subscribers(rest, output, withNewsroom);
  output.err(
    `masthead newsletter: unknown subcommand "${sub ?? ''}"; use lists, send or subscribers\n\n${NEWSLETTER_HELP}`,
  );
  return 2;
}

async function send(args: string[], output: Output, withNewsroom: WithNewsroom): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      subject: { type: 'string' },
      intro: { type: 'string' },
      at: { type: 'string' },
      wait: { type: 'boolean' },
    },
  });
  const [slug, ...ids] = positionals;
  const articleIds = ids.map(Number);
  if (!slug || articleIds.length === 0 || articleIds.some((id) => !Number.isSafeInteger(id))) {
    output.err('masthead newsletter send: give a list and one or more article ids');
    return 2;
  }
  return await withNewsroom(async (newsroom) => {
    const list = await findList(newsroom, slug);
    const at = values.at ? new Date(values.at) : null;
    if (at && Number.isNaN(at.getTime())) {
      output.err(`masthead newsletter send: --at ${values.at} is not a date and time`);
      return 2;
    }
    const queued = await scheduleNewsletter(newsroom, SYSTEM_ACTOR, {
      listId: list.id,
      articleIds,
      subject: values.subject ?? '',
      intro: values.intro ?? '',
      sendAt: at ? at.toISOString() : null,
    });
    output.out(
      `queued send ${queued.id} of ${articleIds.length === 1 ? 'article' : 'a digest of'} ${articleIds.join(', ')} to ${list.name} (${list.activeCount} readers) for ${queued.sendAt}`,
    );
    if (!values.wait) {
      output.out('the running server sends it (or run this command with --wait)');
      return 0;
    }
    for (;;) {
      const round = await sendDueNewsletters(newsroom);
      const state = await readNewsletterSend(newsroom, SYSTEM_ACTOR, queued.id);
      if (!state) throw new Error(`send ${queued.id} vanished`);
      const { sent, failed, queued: waiting } = state.counts;
      if (state.state === 'done' || state.state === 'cancelled' || state.state === 'held') {
        output.out(
          `${state.state}: ${sent} sent, ${failed} failed${state.reason ? ` (${state.reason})` : ''}`,
        );
        for (const problem of state.problems) output.out(`  ${problem}`);
        return failed > 0 || state.state !== 'done' ? 1 : 0;
      }
      if (round.settled > 0) output.out(`${sent} sent, ${failed} failed, ${waiting} to go`);
      // Nothing due yet (a later time, or retries waiting): look again shortly.
      if (round.settled === 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
}

async function subscribers(
  args: string[],
  output: Output,
  withNewsroom: WithNewsroom,
): Promise<number> {
  const [action, slug, file, ...extra] = args;
  if (action === 'import') {
    if (!slug || !file || extra.length > 0) {
      output.err('masthead newsletter subscribers import: give a list and a CSV file');
      return 2;
    }
    const csv = await readFile(file, 'utf8');
    const report = await withNewsroom(async (newsroom) =>
      importSubscribers(newsroom, SYSTEM_ACTOR, {
        listId: (await findList(newsroom, slug)).id,
        csv,
        fileName: basename(file),
      }),
    );
    output.out(
      `${report.added} added, ${report.alreadySubscribed} already subscribed, ${report.skipped.length} skipped`,
    );
    for (const row of report.skipped)
      output.out(`  ${basename(file)}:${row.line}: ${row.value || '(empty)'}: ${row.reason}`);
    return 0;
  }
  if (action === 'export') {
    if (!slug || extra.length > 0) {
      output.err('masthead newsletter subscribers export: give a list (and a file to write)');
      return 2;
    }
    const exported = await withNewsroom(async (newsroom) =>
      exportSubscribers(newsroom, SYSTEM_ACTOR, (await findList(newsroom, slug)).id),
    );
    if (file) {
      // Readers' addresses: readable by the owner only.
      await writeFile(file, exported.csv, { mode: 0o600 });
      output.err(`wrote ${exported.count} addresses to ${file}`);
    } else {
      output.out(exported.csv.trimEnd());
    }
    return 0;
  }
  output.err(
    `masthead newsletter subscribers: unknown subcommand "${action ?? ''}"; use import or export`,
  );
  return 2;
}
