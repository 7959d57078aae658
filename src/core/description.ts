import { type Doc, plainText } from './document.js';

// How an article presents itself outside its own page: in search results and
// in link previews (social cards). One set of rules for the reader page's
// <head> and for the editor's previews of them, so the two cannot differ.

/** Search engines show about this many characters of a description. */
export const DESCRIPTION_LENGTH = 160;
/** …and about this many of a title before they cut it. */
export const TITLE_LENGTH = 60;

/** The title of a reader page in the browser and search results: "Headline — Site". */
export function pageTitle(title: string, siteName: string): string {
  return title === siteName ? title : `${title} — ${siteName}`;
}

/**
 * The title search results show for an article: the meta title as written
 * (the newsroom chose every word), else the headline with the site's name.
 */
export function searchTitle(
  article: { title: string; metaTitle?: string },
  siteName: string,
): string {
  const chosen = article.metaTitle?.trim() ?? '';
  return chosen !== '' ? chosen : pageTitle(article.title, siteName);
}

/** The title a link preview shows: the meta title, else the headline. */
export function socialTitle(article: { title: string; metaTitle?: string }): string {
  const chosen = article.metaTitle?.trim() ?? '';
  return chosen !== '' ? chosen : article.title;
}

/**
 * What an article says of itself in search results and social cards: the
 * meta description, else the standfirst, else the start of its first
 * paragraph with text, cut at a word and marked with an ellipsis. Empty when
 * the article has no text.
 */
export function articleDescription(article: {
  standfirst: string;
  body: Doc;
  metaDescription?: string;
}): string {
  const chosen = article.metaDescription?.trim() ?? '';
  if (chosen !== '') return chosen;
  if (article.standfirst.trim() !== '') return article.standfirst.trim();
  const first = article.body.content
    .filter((node) => node.type === 'paragraph')
    .map((node) => plainText(node).replace(/\s+/g, ' ').trim())
    .find((text) => text !== '');
  return first ? cutAtWord(first, DESCRIPTION_LENGTH) : '';
}

/** A text cut to at most `length` characters as a search engine cuts it: at a word, with an ellipsis. */
export function cutAtWord(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length - 1);
  const atWord = cut.slice(0, Math.max(cut.lastIndexOf(' '), length / 2));
  return `${atWord.replace(/[\s,;:.–—-]+$/, '')}…`;
}
