import { describe, expect, it } from 'vitest';
import { changedBetween, listFields, mergeFields } from './field-merge.js';

const doc = (text: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

describe('merging a save made on an older version, field by field', () => {
  const base = { title: 'Bridge closes', standfirst: 'For a month.', body: doc('One.') };

  it('takes the fields only the sender changed and leaves those only others changed', () => {
    const theirs = { ...base, standfirst: 'Until March.' };
    const mine = { ...base, title: 'Bridge closes for repairs' };
    expect(mergeFields(base, theirs, mine)).toEqual({ apply: ['title'], conflicts: [] });
  });

  it('refuses a field both changed differently, and accepts one both changed alike', () => {
    const theirs = { ...base, title: 'Bridge shut', standfirst: 'Until March.' };
    const mine = { ...base, title: 'Bridge closes for good', standfirst: 'Until March.' };
    expect(mergeFields(base, theirs, mine)).toEqual({
      apply: ['standfirst'],
      conflicts: ['title'],
    });
  });

  it('compares texts by structure: the attributes an editor spells out do not count as a change', () => {
    const spelledOut = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            {
              type: 'text',
              text: 'See ',
            },
            {
              type: 'text',
              text: 'this',
              marks: [
                {
                  type: 'link',
                  attrs: {
                    href: 'https://example.org',
                    target: null,
                    rel: null,
                    class: null,
                    title: null,
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const stored = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'See ' },
            {
              type: 'text',
              text: 'this',
              marks: [{ type: 'link', attrs: { href: 'https://example.org' } }],
            },
          ],
        },
      ],
    };
    expect(changedBetween({ body: stored }, { body: spelledOut })).not.toContain('body');
    expect(changedBetween({ body: stored }, { body: doc('Other.') })).toContain('body');
  });

  it('names the fields in words the editor shows', () => {
    expect(listFields(['title', 'standfirst', 'body'])).toBe(
      'the headline, the standfirst and the text',
    );
  });
});
