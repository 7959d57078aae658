import { describe, expect, it } from 'vitest';
import { readableArticle } from './text-diff.js';

describe('readableArticle', () => {
  it('puts headline, standfirst and each block of the body on its own line', () => {
    const body = {
      type: 'doc' as const,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'One ' },
            { type: 'text', text: 'two.', marks: [{ type: 'bold' }] },
          ],
        },
        {
          type: 'quote',
          attrs: { speaker: 'X' },
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Said.' }] }],
        },
      ],
    };
    expect(readableArticle({ title: 'Head', standfirst: 'Stand', body })).toBe(
      'Head\nStand\n\nOne two.\nSaid.',
    );
  });
});
