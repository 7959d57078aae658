import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plainText } from '../../src/core/document.js';
import { isDomainError } from '../../src/core/errors.js';
import type { ImportBundle } from '../../src/core/import-bundle.js';
import {
  applyImportBundle,
  formatReportLine,
  importFile,
} from '../../src/newsroom/import-items.js';
import { resolvePublicPath } from '../../src/newsroom/read-site.js';
import { sampleBundle } from '../../src/newsroom/sample-content.js';
import { readSeed, SEED_ARTICLE_PATH } from '../fixtures.js';
import { countRows, FIXED_NOW, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
});
afterEach(async () => {
  await newsroom.dispose();
});

const seedFile = () => ({ name: '000_987c6400eb76061d.txt', bytes: readSeed() });

describe('importing the seed page', () => {
  it('reports every created item, ending with its public path', async () => {
    const lines = (await importFile(newsroom, seedFile())).map(formatReportLine);
    expect(lines).toEqual([
      'created person Kirill Martynov (Editor in chief)',
      'created page /masthead (linked from the footer; placeholder text until an editor writes it)',
      'created page /terms-of-use (linked from the footer; placeholder text until an editor writes it)',
      'created page /privacy-policy (linked from the footer; placeholder text until an editor writes it)',
      'created section /news',
      'created section /news/politics',
      'created media #1 (photo named by the file, without its image)',
      `created article ${SEED_ARTICLE_PATH} (published at ${FIXED_NOW.toISOString()}, the import time: the file carries no date; pass --published-at to set one)`,
    ]);
  });

  it('stores the structure the page shows, readable on the public path', async () => {
    await importFile(newsroom, seedFile(), { publishedAt: '2026-02-15T12:00:00.000Z' });
    const found = await resolvePublicPath(newsroom, SEED_ARTICLE_PATH);
    if (found?.kind !== 'article') throw new Error(`expected an article, got ${found?.kind}`);
    const { article, trail, lead } = found.view;
    expect(trail.map((section) => section.name)).toEqual(['News', 'Politics']);
    expect(article.status).toBe('published');
    expect(article.publishedAt).toBe('2026-02-15T12:00:00.000Z');
    expect(article.body.content).toHaveLength(6);
    expect(plainText(article.body)).toContain('Moscow was “puzzled” by the accusations');
    expect(lead?.caption).toMatch(/^Azerbaijani President Ilham Aliyev meets with Vladimir Putin/);
    expect(lead?.credit.map((part) => part.name)).toEqual([
      'EPA',
      'Grigory Sysoev',
      'Sputnik',
      'Kremlin',
    ]);
    expect(lead?.file).toBeNull();

    const masthead = await resolvePublicPath(newsroom, '/masthead');
    if (masthead?.kind !== 'page') throw new Error('expected the masthead page');
    expect(masthead.view.staff.map((person) => [person.name, person.mastheadRole])).toEqual([
      ['Kirill Martynov', 'editor-in-chief'],
    ]);
    expect((await resolvePublicPath(newsroom, '/terms-of-use'))?.kind).toBe('page');
    expect((await resolvePublicPath(newsroom, '/privacy-policy'))?.kind).toBe('page');
    expect((await resolvePublicPath(newsroom, '/news/politics'))?.kind).toBe('section');
  });

  it('creates nothing twice: a second import reports every item unchanged', async () => {
    await importFile(newsroom, seedFile());
    const before = await countRows(newsroom);
    const lines = await importFile(newsroom, seedFile());
    expect(lines.map((line) => line.action)).toEqual(Array(lines.length).fill('unchanged'));
    expect(lines.at(-1)).toEqual({
      action: 'unchanged',
      entity: 'article',
      target: SEED_ARTICLE_PATH,
    });
    expect(await countRows(newsroom)).toEqual(before);
  });

  it('updates the article in place when the file changes, bumping its version', async () => {
    await importFile(newsroom, seedFile());
    const edited = readSeed()
      .toString('utf8')
      .replace('killing 38 people', 'killing 38 of the 67 people on board');
    const lines = await importFile(newsroom, { name: 'seed.txt', bytes: Buffer.from(edited) });
    expect(lines.filter((line) => line.action !== 'unchanged').map(formatReportLine)).toEqual([
      'updated media #1',
      `updated article ${SEED_ARTICLE_PATH}`,
    ]);
    const found = await resolvePublicPath(newsroom, SEED_ARTICLE_PATH);
    if (found?.kind !== 'article') throw new Error('expected the article');
    expect(found.view.article.version).toBe(2);
    expect(plainText(found.view.article.body)).toContain('38 of the 67 people');
    expect((await countRows(newsroom)).article).toBe(1);
  });

  it('never overwrites a page the newsroom already wrote', async () => {
    await applyImportBundle(newsroom, sampleBundle(FIXED_NOW));
    const lines = await importFile(newsroom, seedFile());
    expect(lines.filter((line) => line.entity === 'page').map(formatReportLine)).toEqual([
      'unchanged page /masthead',
      'unchanged page /terms-of-use',
      'unchanged page /privacy-policy',
    ]);
    const terms = await resolvePublicPath(newsroom, '/terms-of-use');
    if (terms?.kind !== 'page') throw new Error('expected the terms page');
    expect(plainText(terms.view.page.body)).toMatch(/^You may quote our articles/);
  });

  it('leaves the database as it was when the file is in no known format', async () => {
    const before = await countRows(newsroom);
    const error = await importFile(newsroom, {
      name: 'notes.pdf',
      bytes: Buffer.from('%PDF-1.7 …'),
    }).catch((e) => e);
    expect(isDomainError(error, 'unknown_format')).toBe(true);
    expect((error as Error).message).toMatch(/^notes\.pdf: not a format Masthead can import/);
    expect(await countRows(newsroom)).toEqual(before);
  });
});

describe('an import that fails part-way', () => {
  it('rolls back every row and removes the image files it wrote', async () => {
    const sample = sampleBundle(FIXED_NOW);
    const broken: ImportBundle = {
      ...sample,
      articles: [
        ...sample.articles,
        {
          ...(sample.articles[0] as ImportBundle['articles'][number]),
          externalId: 'broken',
          authors: [{ personKey: 'nobody', label: null }],
        },
      ],
    };
    const before = await countRows(newsroom);
    await expect(applyImportBundle(newsroom, broken)).rejects.toThrow(
      'import bundle names an unknown byline "nobody"',
    );
    expect(await countRows(newsroom)).toEqual(before);
    expect(await readdir(newsroom.mediaFiles.directory).catch(() => [])).toEqual([]);
  });
});
