import { describe, expect, it } from 'vitest';
import {
  ftsMatchExpression,
  MAX_QUERY_WORDS,
  parseSearchQuery,
  snippet,
  stem,
  stemmedText,
} from './search-text.js';

describe('stemming', () => {
  it('reduces Russian and English words to shared stems', () => {
    expect(stem('посольство')).toBe(stem('посольства'));
    expect(stem('Посольству')).toBe(stem('посольство'));
    expect(stem('strikes')).toBe(stem('strike'));
    expect(stem('Running')).toBe(stem('run'));
    expect(stem('ёлка')).toBe(stem('елка'));
  });

  it('indexes text as its stems in order, punctuation dropped', () => {
    expect(stemmedText('Strikes at the port, again!')).toBe('strike at the port again');
  });
});

describe('parseSearchQuery', () => {
  it('reads words and quoted phrases as stems', () => {
    expect(parseSearchQuery('embassy "port strikes"')).toEqual({
      clauses: [['embassi'], ['port', 'strike']],
      notice: null,
    });
    expect(parseSearchQuery('«посольства России»').clauses).toEqual([
      [stem('посольство'), stem('россия')],
    ]);
  });

  it('never lets operators or SQL through, and says what it left out', () => {
    const hostile = parseSearchQuery('a" OR 1=1; DROP TABLE article; -- NEAR(x y) * ^col:');
    expect(hostile.notice).toBe('unbalanced_quotes');
    const expression = ftsMatchExpression(hostile);
    expect(expression).toMatch(/^("[\p{L}\p{N} ]+" ?)+$/u);
    const long = parseSearchQuery('word '.repeat(2000));
    expect(long.notice).toBe('too_long');
    expect(long.clauses.length).toBe(MAX_QUERY_WORDS);
    expect(
      parseSearchQuery('one two three four five six seven eight nine ten eleven twelve thirteen')
        .notice,
    ).toBe('too_many_words');
    expect(parseSearchQuery('"""').clauses).toEqual([]);
    expect(parseSearchQuery('   ').clauses).toEqual([]);
  });
});

describe('snippet', () => {
  it('marks every word of the query, around the first match', () => {
    const text = `${'Filler words here. '.repeat(20)}The embassies closed while strikes went on.`;
    const parts = snippet(text, parseSearchQuery('embassy strike'), 120);
    expect(parts[0]?.text).toBe('… ');
    expect(parts.filter((part) => part.isMatch).map((part) => part.text)).toEqual([
      'embassies',
      'strikes',
    ]);
    expect(parts.map((part) => part.text).join('')).toContain('The embassies closed');
  });

  it('starts at the beginning when the text has no match', () => {
    const parts = snippet('Nothing to see.', parseSearchQuery('ferry'));
    expect(parts).toEqual([{ text: 'Nothing to see.', isMatch: false }]);
  });
});
