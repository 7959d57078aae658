// Mirror build speed: a full build of a generated archive, then an incremental
// build after one edit, in one run on this machine. The reference is the
// cost of rendering the same number of pages through the site without
// writing anything (one inject per article page), measured in the same run,
// so the ratio says what the mirror adds on top of rendering.
//
//   npm run bench:mirror [-- 10000]        (default 10 000 articles; targets:
//                                            full build < 60 s, incremental < 2 s)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { loadAssets } from '../src/http/assets.js';
import { buildServer } from '../src/http/server.js';
import { openNewsroom } from '../src/main.js';
import { buildMirror } from '../src/mirror/build.js';
import { createSigningKey } from '../src/mirror/keys.js';
import { updateArticle } from '../src/newsroom/articles.js';
import { bytesSource, importSource } from '../src/newsroom/import-file.js';
import { SYSTEM_ACTOR } from '../src/newsroom/newsroom.js';
import { writeExport } from './lib/wxr-generator.js';

const POSTS = Number(process.argv[2] ?? 10_000);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'masthead-bench-mirror-'));
  try {
    const wxr = join(dir, 'archive.xml');
    await writeExport(wxr, POSTS);
    const newsroom = await openNewsroom(
      loadConfig({ MASTHEAD_DATA: join(dir, 'data'), LOG_LEVEL: 'silent' }),
    );
    let clock = Date.now();
    newsroom.now = () => new Date(clock);
    await importSource(newsroom, bytesSource('archive.xml', await readFile(wxr)));
    const key = await createSigningKey(join(dir, 'data'), false);
    const articles = await newsroom.store.db
      .selectFrom('article')
      .innerJoin('section', 'section.id', 'article.section_id')
      .select(['article.id', 'article.version', 'article.slug', 'section.path'])
      .where('article.status', '=', 'published')
      .orderBy('article.id')
      .execute();
    console.log(`${articles.length} published articles (${POSTS} posts generated)\n`);

    // Reference: the article pages rendered through the site, nothing written.
    const app = await buildServer({
      newsroom,
      assets: await loadAssets(),
      logLevel: 'silent',
      isMirror: true,
    });
    let started = performance.now();
    for (const article of articles) await app.inject(`/${article.path}/${article.slug}`);
    const renderOnly = (performance.now() - started) / 1000;
    await app.close();

    clock += 60_000;
    const mirror = join(dir, 'mirror');
    started = performance.now();
    const full = await buildMirror(newsroom, {
      directory: mirror,
      baseUrl: null,
      key,
      progress: (m) => console.log(`    ${m}`),
    });
    const fullSeconds = (performance.now() - started) / 1000;

    clock += 60_000;
    const first = articles[Math.floor(articles.length / 2)];
    if (!first) throw new Error('no article to edit');
    await updateArticle(newsroom, SYSTEM_ACTOR, first.id, {
      version: first.version,
      title: 'A headline changed for the incremental build',
    });
    clock += 60_000;
    started = performance.now();
    const incremental = await buildMirror(newsroom, { directory: mirror, baseUrl: null, key });
    const incrementalSeconds = (performance.now() - started) / 1000;
    await newsroom.store.close();

    console.log(
      `  reference: render ${articles.length} article pages, write nothing    ${renderOnly.toFixed(1)} s`,
    );
    console.log(
      `  full build:        ${full.files} files, ${full.rendered} rendered, ${full.written.length} written    ${fullSeconds.toFixed(1)} s (target < 60 s; ${(fullSeconds / renderOnly).toFixed(2)}× the reference)`,
    );
    console.log(
      `  incremental build: ${incremental.rendered} rendered, ${incremental.written.length} written    ${incrementalSeconds.toFixed(2)} s (target < 2 s)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
