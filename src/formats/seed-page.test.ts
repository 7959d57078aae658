import { describe, expect, it } from 'vitest';
import { readSeed } from '../../test/fixtures.js';
import { plainText } from '../core/document.js';
import { isDomainError } from '../core/errors.js';
import { parseImportFile } from './detect.js';
import { parseSeedPage, splitBreadcrumb } from './seed-page.js';

const seed = readSeed();
const seedText = seed.toString('utf8');
const bytes = (text: string) => new TextEncoder().encode(text);

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('parseSeedPage on the seed fixture', () => {
  const bundle = parseSeedPage(seed, 'seed.txt');
  const article = bundle.articles[0];

  it('recovers the section path from the run-together breadcrumb', () => {
    expect(article?.sectionNames).toEqual(['News', 'Politics']);
  });

  it('recovers the headline with its typographic apostrophes', () => {
    expect(article?.title).toBe(
      'Azerbaijan’s Aliyev accuses Russian forces of deliberately targeting his country’s embassy in Kyiv',
    );
  });

  it('stores the lead photo once, with alt text, caption and credit chain separated', () => {
    expect(bundle.media).toHaveLength(1);
    const [photo] = bundle.media;
    const caption =
      'Azerbaijani President Ilham Aliyev meets with Vladimir Putin in Dushanbe, Tajikistan, 9 October 2025.';
    expect(photo?.alt).toBe(caption);
    expect(photo?.caption).toBe(caption);
    expect(photo?.credit).toEqual([
      { name: 'EPA', role: 'agency' },
      { name: 'Grigory Sysoev', role: 'photographer' },
      { name: 'Sputnik', role: 'distributor' },
      { name: 'Kremlin', role: 'pool' },
    ]);
    expect(photo?.bytes).toBeNull();
    expect(article?.leadMediaKey).toBe(photo?.key);
  });

  it('keeps every body paragraph, with quotations and curly quotes intact', () => {
    const paragraphs = article?.body.content ?? [];
    expect(paragraphs).toHaveLength(6);
    expect(paragraphs.every((node) => node.type === 'paragraph')).toBe(true);
    const texts = paragraphs.map((node) => plainText(node));
    expect(texts[0]).toMatch(/^Azerbaijani President Ilham Aliyev accused the Russian military/);
    expect(texts[1]).toContain('an “unfriendly step”.');
    expect(texts[2]).toMatch(/^“There have been three strikes on our embassy in Ukraine\./);
    expect(texts[2]).toContain('” Aliyev said in his statement. “Despite that');
    expect(texts[3]).toContain('Moscow was “puzzled” by the accusations');
    expect(texts[5]).toMatch(/attempting to down a Ukrainian drone\.$/);
  });

  it('treats the share/print line and the footer as page chrome, not body text', () => {
    const body = plainText(article?.body ?? { type: 'doc', content: [] });
    expect(body).not.toContain('shareprint');
    expect(body).not.toContain('Editor in chief');
    expect(body).not.toContain('Privacy policy');
    expect(body).not.toContain('Photo: EPA');
  });

  it('reads the masthead line as a staff member with the editor-in-chief title', () => {
    expect(bundle.people).toEqual([
      {
        key: 'kirill-martynov',
        name: 'Kirill Martynov',
        bio: '',
        mastheadTitle: 'Editor in chief',
      },
    ]);
  });

  it('reads Terms of use and Privacy policy as site pages, and adds the masthead page', () => {
    expect(
      bundle.pages.map((page) => [page.slug, page.title, page.kind, page.isPlaceholder]),
    ).toEqual([
      ['masthead', 'Masthead', 'masthead', true],
      ['terms-of-use', 'Terms of use', 'legal', true],
      ['privacy-policy', 'Privacy policy', 'legal', true],
    ]);
  });

  it('leaves the publication date to the importer: the page carries none', () => {
    expect(article?.publishedAt).toBeNull();
    expect(article?.language).toBe('en');
  });

  it('is recognised by content, not by file name', () => {
    expect(parseImportFile(seed, 'article.bin').format).toBe('seed');
  });
});

describe('parseSeedPage on damaged variants', () => {
  it('refuses a page without a headline, naming file and line', () => {
    const damaged = seedText.replace(/^Azerbaijan’s Aliyev accuses[^\n]*\n\n/m, '');
    const error = errorOf(() => parseSeedPage(bytes(damaged), 'no-headline.txt'));
    expect(error.code).toBe('malformed_file');
    expect(error.message).toBe(
      'no-headline.txt: line 3: the headline is missing after the section path',
    );
  });

  it('refuses a page whose body is empty', () => {
    const lines = seedText.split('\n');
    const damaged = [...lines.slice(0, 8), ...lines.slice(lines.indexOf('shareprint'))].join('\n');
    const error = errorOf(() => parseSeedPage(bytes(damaged), 'empty-body.txt'));
    expect(error.code).toBe('malformed_file');
    expect(error.message).toMatch(/^empty-body\.txt: line 9: the article body is empty/);
  });

  it('accepts a section it has never seen and reports its names for creation', () => {
    const damaged = seedText.replace('NewsPolitics', 'ScienceDeep Sea');
    const bundle = parseSeedPage(bytes(damaged), 'unknown-section.txt');
    expect(bundle.articles[0]?.sectionNames).toEqual(['Science', 'Deep Sea']);
  });

  it('refuses a first line that is not a section path', () => {
    const damaged = seedText.replace('NewsPolitics', '12 February, 2026 — breaking');
    const error = errorOf(() => parseSeedPage(bytes(damaged), 'bad-section.txt'));
    expect(error).toEqual({
      code: 'malformed_file',
      message: 'bad-section.txt: line 1: expected the section path first (such as "NewsPolitics")',
    });
  });

  it('refuses 5 MB of garbage as an unknown format, naming the file and the formats expected', () => {
    const garbage = new Uint8Array(5 * 1024 * 1024);
    let state = 12345;
    for (let i = 0; i < garbage.length; i++) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      garbage[i] = state & 0xff;
    }
    const error = errorOf(() => parseImportFile(garbage, 'garbage.bin'));
    expect(error.code).toBe('unknown_format');
    expect(error.message).toMatch(
      /^garbage\.bin: not a format Masthead can import\. Expected one of: seed: /,
    );
  });

  it('refuses invalid UTF-8 with the line and byte offset of the first bad byte', () => {
    const good = Buffer.from(seedText, 'utf8');
    const offset = good.indexOf(Buffer.from('Kyiv in a series'));
    const damaged = Buffer.concat([
      good.subarray(0, offset),
      Buffer.from([0xff, 0xfe]),
      good.subarray(offset),
    ]);
    const error = errorOf(() => parseImportFile(damaged, 'latin.txt'));
    expect(error.code).toBe('invalid_encoding');
    expect(error.message).toBe(
      `latin.txt: line 9: not valid UTF-8 (bad byte 0xff at offset ${offset})`,
    );
  });

  it('refuses a page with no share/print line as an unknown format', () => {
    const damaged = seedText.replace('shareprint', '');
    expect(errorOf(() => parseImportFile(bytes(damaged), 'cut.txt')).code).toBe('unknown_format');
  });

  it('accepts Windows line endings and a byte-order mark', () => {
    const windows = `\uFEFF${seedText.replace(/\n/g, '\r\n')}`;
    const bundle = parseSeedPage(bytes(windows), 'crlf.txt');
    expect(bundle.articles[0]?.body.content).toHaveLength(6);
    expect(bundle.articles[0]?.sectionNames).toEqual(['News', 'Politics']);
  });
});

describe('parseSeedPage footers and identity', () => {
  const withFooter = (footer: string) =>
    parseSeedPage(
      bytes(
        seedText.replace(
          /Editor in chief — Kirill Martynov\. Terms of use\. Privacy policy\./,
          footer,
        ),
      ),
      'f.txt',
    );

  it('identifies the article by the file name, so a corrected headline updates it', () => {
    const original = parseSeedPage(seed, 'exports/000_987c6400eb76061d.txt').articles[0];
    const corrected = parseSeedPage(
      bytes(seedText.replace('Aliyev accuses', 'Aliyev again accuses')),
      '000_987c6400eb76061d.txt',
    ).articles[0];
    expect(original?.externalId).toBe('000_987c6400eb76061d');
    expect(corrected?.externalId).toBe(original?.externalId);
  });

  it('keeps initials inside a name on the masthead', () => {
    expect(
      withFooter('Editor in chief — Kirill A. Martynov. Terms of use.').people.map((p) => p.name),
    ).toEqual(['Kirill A. Martynov']);
  });

  it('reads several masthead entries, in Russian too', () => {
    const bundle = withFooter(
      'Главный редактор — Кирилл Мартынов. Deputy editor — Anna Ivanova. Privacy policy.',
    );
    expect(bundle.people.map((p) => [p.name, p.mastheadTitle])).toEqual([
      ['Кирилл Мартынов', 'Главный редактор'],
      ['Anna Ivanova', 'Deputy editor'],
    ]);
    expect(bundle.pages.map((p) => p.slug)).toEqual(['masthead', 'privacy-policy']);
  });

  it('does not take a copyright line, a long sentence or a non-role dash for staff or pages', () => {
    const bundle = withFooter(
      '© 2026 The Example Gazette. Cookies — what we store. Reproduction of our articles requires written permission from the newsroom. Terms of use.',
    );
    expect(bundle.people).toEqual([]);
    expect(bundle.pages.map((p) => p.slug)).toEqual(['terms-of-use']);
  });

  it('refuses section names with no letters it can put in a URL, naming the line', () => {
    const error = errorOf(() =>
      parseSeedPage(bytes(seedText.replace('NewsPolitics', 'ΝέαΠολιτική')), 'greek.txt'),
    );
    expect(error).toEqual({
      code: 'malformed_file',
      message:
        'greek.txt: line 1: section "Νέα" has no Latin or Cyrillic letters or digits to put in a URL',
    });
  });
});

describe('splitBreadcrumb', () => {
  it('splits at each lower-to-upper case boundary, in Latin and Cyrillic', () => {
    expect(splitBreadcrumb('NewsPolitics')).toEqual(['News', 'Politics']);
    expect(splitBreadcrumb('НовостиПолитика')).toEqual(['Новости', 'Политика']);
    expect(splitBreadcrumb('Opinion')).toEqual(['Opinion']);
  });
});
