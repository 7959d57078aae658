import { type Doc, plainText } from './document.js';

/** Search engines show about this many characters of a description. */
const MAX_LENGTH = 160;

/**
 * What an article says of itself in search results and social cards: the
 * standfirst, or else the start of its first paragraph with text, cut at a
 * word and marked with an ellipsis. Empty when the article has no text.
 */
export function articleDescription(article: { standfirst: string; body: Doc }): string {
  if (article.standfirst.trim() !== '') return article.standfirst.trim();
  const first = article.body.content
    .filter((node) => node.type === 'paragraph')
    .map((node) => plainText(node).replace(/\s+/g, ' ').trim())
    .find((text) => text !== '');
  if (!first) return '';
  if (first.length <= MAX_LENGTH) return first;
  const cut = first.slice(0, MAX_LENGTH - 1);
  const atWord = cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_LENGTH / 2));
  return `${atWord.replace(/[\s,;:.–—-]+$/, '')}…`;
}
