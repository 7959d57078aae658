import { type Doc, plainText } from '../../core/document.js';

/** A steady adult reading pace for news copy, in words a minute. */
const WORDS_PER_MINUTE = 230;

/** The words in an article's headline, standfirst and body, and the minutes they take to read. */
export function wordCount(article: { title: string; standfirst: string; body: unknown }): {
  words: number;
  minutes: number;
} {
  // The editor's Tiptap JSON is core's document shape; plainText reads only types, text and content.
  const text = [article.title, article.standfirst, plainText(article.body as Doc)].join(' ');
  // Letters or digits, joined by apostrophes and hyphens: "don't" and "so-called" are one word.
  const words = text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
  return { words, minutes: words === 0 ? 0 : Math.max(1, Math.round(words / WORDS_PER_MINUTE)) };
}

/** "412 words · 2 min read", for the editor's status line. */
export function formatWordCount({ words, minutes }: { words: number; minutes: number }): string {
  if (words === 0) return 'No words yet';
  return `${words} ${words === 1 ? 'word' : 'words'} · ${minutes} min read`;
}
