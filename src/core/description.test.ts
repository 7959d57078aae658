import { describe, expect, it } from 'vitest';
import { articleDescription } from './description.js';
import { docFromParagraphs } from './document.js';

describe('articleDescription', () => {
  it('is the standfirst when there is one', () => {
    expect(
      articleDescription({ standfirst: ' A short summary. ', body: docFromParagraphs(['Body.']) }),
    ).toBe('A short summary.');
  });

  it('falls back to the first paragraph with text', () => {
    expect(
      articleDescription({ standfirst: '', body: docFromParagraphs(['', 'The ferry was late.']) }),
    ).toBe('The ferry was late.');
  });

  it('cuts a long first paragraph at a word, within 160 characters', () => {
    const long = `${'Harbour workers walked out on Monday morning '.repeat(6)}end.`;
    const description = articleDescription({ standfirst: '', body: docFromParagraphs([long]) });
    expect(description.length).toBeLessThanOrEqual(160);
    expect(description.endsWith('…')).toBe(true);
    expect(long.startsWith(description.slice(0, -1))).toBe(true);
    expect(description.slice(0, -1)).toMatch(/\w$/);
  });

  it('is empty for an article without text', () => {
    expect(articleDescription({ standfirst: '', body: docFromParagraphs([]) })).toBe('');
  });
});
