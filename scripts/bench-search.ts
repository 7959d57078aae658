// npm run bench:search [-- 10000 100000] — query latency of the full-text
// search on generated corpora of English and Russian articles. For each size it
// prints p50/p95 of (a) the whole search use case (ranking, snippets, teasers),
// (b) the index query alone, and (c) a reference measured in the same run on
// the same database: a plain LIKE scan counting the article bodies that hold
// one word, the least a search without an index must do to rank and count. The ratio (c)/(a) says how much the
// index buys at that size.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parseSearchQuery } from '../src/core/search-text.js';
import type { Newsroom } from '../src/newsroom/newsroom.js';
import { searchSite } from '../src/newsroom/search-site.js';
import { insertArticle, replaceArticleAuthors } from '../src/store/articles.js';
import { openSqliteStore } from '../src/store/database.js';
import { mediaFilesAt } from '../src/store/media-files.js';
import { insertPerson } from '../src/store/people.js';
import { reindexAllArticles, searchArticleIds } from '../src/store/search-index.js';
import { searchCorpus } from '../test/search-corpus.js';

const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const QUERIES = [
  'strike',
  'embassies',
  'ports',
  'council budget',
  '"night shift"',
  'election court',
  'посольства',
  'забастовку',
  'порт',
  'бюджета суд',
  'выборы',
  '"night shift" port',
  'hospital',
  'больницей',
  'border',
  'границы',
];
const ROUNDS = 5;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function measure(label: string, runs: (() => Promise<unknown>)[]): Promise<number> {
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++)
    for (const run of runs) latencies.push(await time(run));
  const p50 = percentile(latencies, 50);
  console.log(
    `  ${label.padEnd(44)} p50 ${p50.toFixed(2).padStart(8)} ms   p95 ${percentile(latencies, 95).toFixed(2).padStart(8)} ms`,
  );
  return p50;
}

async function bench(size: number): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'masthead-bench-search-'));
  const store = await openSqliteStore(join(directory, 'masthead.sqlite'));
  try {
    const now = new Date('2026-11-24T12:00:00.000Z');
    const newsroom: Newsroom = {
      store,
      mediaFiles: mediaFilesAt(join(directory, 'media'), join(directory, 'originals')),
      now: () => now,
      newId: () => randomBytes(16).toString('hex'),
      newToken: () => randomBytes(32).toString('base64url'),
      publicUrl: 'https://bench.example',
    };
    const loading = process.hrtime.bigint();
    const corpus = searchCorpus(size, now);
    await store.db.transaction().execute(async (trx) => {
      const section = await trx
        .insertInto('section')
        .values({ parent_id: null, slug: 'news', path: 'news', name: 'News', position: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const person = await insertPerson(trx, {
        name: 'Corpus Desk',
        slug: 'corpus-desk',
        bio: '',
        mastheadRole: null,
        mastheadTitle: null,
        mastheadPosition: 0,
      });
      let n = 0;
      for (const item of corpus.bundle.articles) {
        const article = await insertArticle(trx, {
          uuid: newsroom.newId(),
          slug: `article-${n++}`,
          sectionId: section.id,
          language: item.language,
          status: 'published',
          title: item.title,
          standfirst: item.standfirst,
          body: item.body,
          leadMediaId: null,
          publishedAt: item.publishedAt,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        });
        await replaceArticleAuthors(trx, article.id, [{ personId: person.id, label: null }]);
      }
    });
    await reindexAllArticles(store.db);
    const loadSeconds = Number(process.hrtime.bigint() - loading) / 1e9;
    console.log(
      `\n${size} articles (generated, stored and indexed in ${loadSeconds.toFixed(1)} s)`,
    );

    const full = await measure(
      '(a) search use case (rank, page, snippets)',
      QUERIES.map((query) => () => searchSite(newsroom, query, 1)),
    );
    await measure(
      '(b) index query alone',
      QUERIES.map(
        (query) => () =>
          searchArticleIds(store.db, parseSearchQuery(query), {
            limit: 10,
            offset: 0,
            now: now.toISOString(),
          }),
      ),
    );
    const reference = await measure(
      '(c) reference: LIKE scan counting one word',
      QUERIES.map(
        (query) => () =>
          sql`select count(*) from article where status = 'published' and body_json like ${`%${query.replace(/"/g, '').split(' ')[0]}%`}`.execute(
            store.db,
          ),
      ),
    );
    console.log(
      `  ratio (c)/(a): ${(reference / full).toFixed(2)} (above 1: the search beats a bare scan)`,
    );
  } finally {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  }
}

for (const size of SIZES.length > 0 ? SIZES : [10_000, 100_000]) await bench(size);
