import { describe, expect, it } from 'vitest';
import {
  docFromParagraphs,
  link,
  paragraph,
  parseDoc,
  plainText,
  quote,
  text,
} from './document.js';

describe('parseDoc', () => {
  it('accepts the documents the builders make', () => {
    const doc = {
      type: 'doc',
      content: [
        paragraph('See ', text('the minutes', [link('https://example.org/m')])),
        quote(['Words.'], { speaker: 'A. B.' }),
      ],
    };
    expect(parseDoc(doc)).toEqual(doc);
  });

  it('refuses a javascript: link', () => {
    const doc = { type: 'doc', content: [paragraph(text('x', [link('javascript:alert(1)')]))] };
    expect(() => parseDoc(doc)).toThrow(/http\(s\), mailto or site-relative/);
  });

  it('refuses node types the renderer does not know', () => {
    expect(() => parseDoc({ type: 'doc', content: [{ type: 'iframe' }] })).toThrow();
  });

  it('refuses empty text nodes (ProseMirror cannot hold them)', () => {
    expect(() =>
      parseDoc({
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }],
      }),
    ).toThrow();
  });
});

describe('plainText', () => {
  it('joins blocks with newlines and inline text without separators', () => {
    const doc = docFromParagraphs(['One “two”.', 'Three.']);
    expect(plainText(doc)).toBe('One “two”.\nThree.');
  });
});
