import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plainText } from '../../src/core/document.js';
import { isDomainError } from '../../src/core/errors.js';
import type { ImportBundle, ImportedArticle } from '../../src/core/import-bundle.js';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import {
  applyImportBundle,
  formatReportLine,
  importFile,
} from '../../src/newsroom/import-items.js';
import { resolvePublicPath } from '../../src/newsroom/read-site.js';
import { sampleBundle } from '../../src/newsroom/sample-content.js';
import { readSeed, SEED_ARTICLE_PATH } from '../fixtures.js';
import {
  countRows,
  FIXED_NOW,
  openTestNewsroom,
  type TestNewsroom,
  tableChecksums,
} from '../newsroom.js';

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
    const lines = await importFile(newsroom, { ...seedFile(), bytes: Buffer.from(edited) });
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

  it('updates the same article when a re-export corrects the headline or moves the section', async () => {
    await importFile(newsroom, seedFile());
    const corrected = readSeed()
      .toString('utf8')
      .replace('NewsPolitics', 'NewsWorld')
      .replace('Azerbaijan’s Aliyev accuses', 'Azerbaijan’s President Aliyev accuses');
    const lines = await importFile(newsroom, { ...seedFile(), bytes: Buffer.from(corrected) });
    expect(lines.find((line) => line.entity === 'article')).toEqual({
      action: 'updated',
      entity: 'article',
      target: SEED_ARTICLE_PATH,
      note: 'kept at its address; the file files it under /news/world',
    });
    const found = await resolvePublicPath(newsroom, SEED_ARTICLE_PATH);
    if (found?.kind !== 'article') throw new Error('expected the article at its old address');
    expect(found.view.article.title).toBe(
      'Azerbaijan’s President Aliyev accuses Russian forces of deliberately targeting his country’s embassy in Kyiv',
    );
    expect((await countRows(newsroom)).article).toBe(1);
  });

  it('stays idempotent when --published-at is given once and then left out', async () => {
    await importFile(newsroom, seedFile(), { publishedAt: '2026-02-15T12:00:00Z' });
    const again = await importFile(newsroom, seedFile());
    expect(again.map((line) => line.action)).toEqual(Array(again.length).fill('unchanged'));
    const redated = await importFile(newsroom, seedFile(), {
      publishedAt: '2026-02-16T08:00:00+02:00',
    });
    expect(redated.at(-1)).toEqual({
      action: 'updated',
      entity: 'article',
      target: SEED_ARTICLE_PATH,
      note: 'published at 2026-02-16T06:00:00.000Z',
    });
  });

  it('refuses a --published-at that is not an ISO date with a zone, writing nothing', async () => {
    const before = await countRows(newsroom);
    await expect(importFile(newsroom, seedFile(), { publishedAt: '1' })).rejects.toThrow(
      '--published-at: "1" is not an ISO 8601 date and time with a zone',
    );
    expect(await countRows(newsroom)).toEqual(before);
  });

  it('refuses a section whose address the site itself uses', async () => {
    const media = readSeed().toString('utf8').replace('NewsPolitics', 'MediaPolitics');
    await expect(
      importFile(newsroom, { ...seedFile(), bytes: Buffer.from(media) }),
    ).rejects.toThrow('section “Media”: the address /media is reserved for the site itself');
    expect((await countRows(newsroom)).section).toBe(0);
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

describe('documents from outside', () => {
  const sample = sampleBundle(FIXED_NOW);
  const first = sample.articles[0] as ImportedArticle;
  const withBody = (content: unknown[]): ImportBundle => ({
    ...sample,
    media: [],
    articles: [
      { ...first, leadMediaKey: null, body: { type: 'doc', content } as ImportedArticle['body'] },
    ],
  });

  it('refuses a quote whose source link is javascript:, writing nothing', async () => {
    const before = await countRows(newsroom);
    const hostile = withBody([
      {
        type: 'quote',
        attrs: { speaker: 'X', source: 'Y', sourceUrl: 'javascript:alert(1)' },
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hi' }] }],
      },
    ]);
    await expect(applyImportBundle(newsroom, hostile)).rejects.toThrow(
      'article “Velmora council agrees to publish every contract it signs”: body: content.0.attrs.sourceUrl: a link needs an http(s), mailto or site-relative href',
    );
    expect(await countRows(newsroom)).toEqual(before);
  });

  it('refuses a list item outside a list (invalid structure)', async () => {
    const stray = withBody([{ type: 'listItem', content: [{ type: 'paragraph' }] }]);
    await expect(applyImportBundle(newsroom, stray)).rejects.toThrow(/body: .*listItem/);
  });

  it('drops attributes the renderer does not know, such as classes, targets and handlers', async () => {
    const decorated = withBody([
      {
        type: 'paragraph',
        attrs: { class: 'x', onclick: 'alert(1)' },
        content: [
          {
            type: 'text',
            text: 'minutes',
            marks: [
              {
                type: 'link',
                attrs: { href: 'https://example.org/', target: '_blank', class: 'evil' },
              },
            ],
          },
        ],
      },
    ]);
    await applyImportBundle(newsroom, decorated);
    const found = await resolvePublicPath(
      newsroom,
      '/news/politics/velmora-council-agrees-to-publish-every-contract-it-signs',
    );
    if (found?.kind !== 'article') throw new Error('expected the article');
    expect(found.view.article.body.content).toEqual([
      {
        type: 'paragraph',
        content: [
          {
            type: 'text',
            text: 'minutes',
            marks: [{ type: 'link', attrs: { href: 'https://example.org/' } }],
          },
        ],
      },
    ]);
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
    expect(await readdir(join(newsroom.dataDir, 'media')).catch(() => [])).toEqual([]);
  });

  it('refuses truncated and corrupted seed pages, naming the file and the place, and writes nothing', async () => {
    await applyImportBundle(newsroom, sampleBundle(FIXED_NOW));
    const before = await tableChecksums(newsroom);
    const bytes = readSeed();
    const cuts = [0.3, 0.6, 0.9].map((share) =>
      bytes.subarray(0, Math.floor(bytes.length * share)),
    );
    for (const cut of cuts) {
      // Named as a seed page, a cut file says what is missing and where.
      await expect(
        importSource(newsroom, bytesSource('cut.txt', cut), { format: 'seed' }),
      ).rejects.toThrow(
        /^cut\.txt: line \d+: no share\/print line \("shareprint"\) ends the article$/,
      );
      // Left to detection, it is no longer recognisable as one.
      await expect(importSource(newsroom, bytesSource('cut.txt', cut))).rejects.toThrow(
        /^cut\.txt: not a format Masthead can import/,
      );
    }
    const garbled = Buffer.concat([
      bytes.subarray(0, 500),
      Buffer.from([0xc3, 0x28]),
      bytes.subarray(500),
    ]);
    await expect(importSource(newsroom, bytesSource('garbled.txt', garbled))).rejects.toThrow(
      /^garbled\.txt: line \d+: not valid UTF-8 \(bad byte 0xc3 at offset 500\)$/,
    );
    expect(await tableChecksums(newsroom)).toEqual(before);
  });
});
