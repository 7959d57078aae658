import { describe, expect, it } from 'vitest';
import {
  MirrorSearchIndex,
  searchChunkIds,
  searchChunkOf,
  searchChunkOfFile,
  searchIndexScript,
} from './mirror-search-index.js';

/** What a chunk's script hands to the page, as the page receives it. */
function loaded(text: string): unknown[] {
  const calls: unknown[] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      calls.push([name, ...args]);
  const mastheadSearch = { index: record('index'), docs: record('docs'), words: record('words') };
  new Function('window', text)({ mastheadSearch });
  return calls;
}

describe('the mirror search index', () => {
  it('cuts articles into chunks by id, named for the ids they hold', () => {
    expect(searchChunkOf(0)).toBe('ids-0-999');
    expect(searchChunkOf(999)).toBe('ids-0-999');
    expect(searchChunkOf(1000)).toBe('ids-1000-1999');
    expect(searchChunkOf(7, 4)).toBe('ids-4-7');
    expect(searchChunkIds('ids-1000-1999')).toEqual({ first: 1000, last: 1999 });
    // A chunk of another size (a build with another setting) is not one of ours.
    expect(searchChunkIds('ids-4-7')).toBeNull();
    expect(searchChunkIds('ids-1000-1499')).toBeNull();
    expect(searchChunkIds('docs')).toBeNull();
    expect(searchChunkOfFile('search/ids-4-7/words-61.js')).toBe('ids-4-7');
    expect(searchChunkOfFile('search/ids-4-7/docs.js')).toBe('ids-4-7');
    expect(searchChunkOfFile('search/index.js')).toBeNull();
    expect(searchChunkOfFile('search/index.html')).toBeNull();
    expect(searchChunkOfFile('search/ids-4-7/other.js')).toBeNull();
  });

  it('writes a chunk as scripts: its articles, and each first letter’s forms and stems', () => {
    const index = new MirrorSearchIndex('ids-0-999');
    index.add(
      {
        file: 'news/a/index.html',
        title: 'Ferries stop',
        publishedAt: '2026-01-02',
        language: 'en',
      },
      ['Ferries stop', '', 'The ferry stopped at the harbour.', '', '', ''],
    );
    index.add(
      { file: 'news/b/index.html', title: 'Посольство', publishedAt: null, language: 'ru' },
      ['Посольство', '', 'Посольства закрыты.', '', '', ''],
    );
    const files = index.files();
    expect([...files.keys()].sort()).toEqual([
      'search/ids-0-999/docs.js',
      'search/ids-0-999/words-437.js',
      'search/ids-0-999/words-43f.js',
      'search/ids-0-999/words-61.js',
      'search/ids-0-999/words-66.js',
      'search/ids-0-999/words-68.js',
      'search/ids-0-999/words-73.js',
      'search/ids-0-999/words-74.js',
    ]);
    expect(loaded(files.get('search/ids-0-999/docs.js') ?? '')).toEqual([
      [
        'docs',
        'ids-0-999',
        [
          ['news/a/index.html', 'Ferries stop', '2026-01-02', 'en'],
          ['news/b/index.html', 'Посольство', '', 'ru'],
        ],
      ],
    ]);
    // "ferries" and "ferry" share a stem; the headline counts ten, the body one.
    expect(loaded(files.get('search/ids-0-999/words-66.js') ?? '')).toEqual([
      [
        'words',
        'ids-0-999',
        '66',
        { forms: { ferries: 'ferri', ferry: 'ferri' }, stems: { ferri: [[0, 11]] } },
      ],
    ]);
    const [[, , , russian]] = loaded(files.get('search/ids-0-999/words-43f.js') ?? '') as [
      [string, string, string, { forms: Record<string, string>; stems: Record<string, unknown> }],
    ];
    expect(russian).toEqual({
      forms: { посольства: 'посольств', посольство: 'посольств' },
      stems: { посольств: [[1, 11]] },
    });
  });

  it('lists the chunks in id order with the letters each has a file for', () => {
    const script = searchIndexScript([
      'search/ids-1000-1999/words-62.js',
      'search/ids-0-999/words-62.js',
      'search/ids-1000-1999/docs.js',
      'search/ids-0-999/words-61.js',
      'search/ids-0-999/docs.js',
      'search/index.html',
    ]);
    expect(loaded(script)).toEqual([
      [
        'index',
        [
          ['ids-0-999', ['61', '62']],
          ['ids-1000-1999', ['62']],
        ],
      ],
    ]);
  });
});
