import { describe, expect, it } from 'vitest';
import { articleDescription, pageTitle, searchTitle, socialTitle } from './description.js';
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

describe('search and social presentation', () => {
  const body = docFromParagraphs(['The ferry was late.']);

  it('prefers the meta description to the standfirst and the first paragraph', () => {
    expect(
      articleDescription({ standfirst: 'Standfirst.', body, metaDescription: ' For search. ' }),
    ).toBe('For search.');
    expect(articleDescription({ standfirst: 'Standfirst.', body, metaDescription: '  ' })).toBe(
      'Standfirst.',
    );
  });

  it('titles a search result by the meta title as written, else the headline and the site', () => {
    expect(searchTitle({ title: 'Ferry late', metaTitle: '' }, 'The Lantern')).toBe(
      'Ferry late — The Lantern',
    );
    expect(
      searchTitle({ title: 'Ferry late', metaTitle: 'Why the ferry was late' }, 'The Lantern'),
    ).toBe('Why the ferry was late');
    expect(pageTitle('The Lantern', 'The Lantern')).toBe('The Lantern');
  });

  it('titles a link preview by the meta title, else the headline alone', () => {
    expect(socialTitle({ title: 'Ferry late', metaTitle: ' ' })).toBe('Ferry late');
    expect(socialTitle({ title: 'Ferry late', metaTitle: 'Why it was late' })).toBe(
      'Why it was late',
    );
  });
});
