import { describe, expect, it } from 'vitest';
import { docFromParagraphs } from '../../core/document.js';
import { formatWordCount, wordCount } from './word-count.js';

describe('wordCount', () => {
  it('counts headline, standfirst and body words, in any script', () => {
    const count = wordCount({
      title: 'Ferry fares rise',
      standfirst: 'The so-called winter rate',
      body: docFromParagraphs(["Don't panic.", 'Паром опоздал на 20 минут.']),
    });
    expect(count.words).toBe(3 + 4 + 2 + 5);
    expect(count.minutes).toBe(1);
  });

  it('says how long a long article takes to read', () => {
    const body = docFromParagraphs([Array.from({ length: 690 }, () => 'word').join(' ')]);
    expect(wordCount({ title: '', standfirst: '', body })).toEqual({ words: 690, minutes: 3 });
    expect(formatWordCount({ words: 690, minutes: 3 })).toBe('690 words · 3 min read');
  });

  it('says so when there is nothing yet', () => {
    const empty = wordCount({ title: '', standfirst: '', body: docFromParagraphs([]) });
    expect(formatWordCount(empty)).toBe('No words yet');
  });
});
