import snowball from 'snowball-stemmers';

// Search text, the same on every store: words are cut out of the text, lower-
// cased and reduced to their Snowball stem (Russian for Cyrillic words, English
// for the rest), so "посольства" finds "посольство" and "strikes" finds
// "strike". The stores index and match stems only; what a reader typed never
// reaches the database's own query language.

const russian = snowball.newStemmer('russian');
const english = snowball.newStemmer('english');

// A word: letters and digits, with inner apostrophes or hyphens kept out (they
// split words, as the stores' tokenizers do).
const WORD = /[\p{L}\p{N}]+/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;

/** The fields search reads of an article, in the order the stores and the mirror index hold them. */
export const SEARCH_FIELDS = [
  'headline',
  'standfirst',
  'body',
  'authors',
  'tags',
  'captions',
] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** Longest query the search takes, in characters, and most words. */
export const MAX_QUERY_LENGTH = 200;
export const MAX_QUERY_WORDS = 12;

// The stemmers are the slow part of indexing, and a language has far fewer
// words than an archive has: each word is stemmed once, then remembered (a
// pure function's results; the memory is bounded by emptying it when full).
const STEMS = new Map<string, string>();
const MAX_REMEMBERED_STEMS = 200_000;

/** One word's stem. */
export function stem(word: string): string {
  const known = STEMS.get(word);
  if (known !== undefined) return known;
  const lower = word.toLowerCase().replace(/ё/g, 'е');
  const result = CYRILLIC.test(lower) ? russian.stem(lower) : english.stem(lower);
  if (STEMS.size >= MAX_REMEMBERED_STEMS) STEMS.clear();
  STEMS.set(word, result);
  return result;
}

/** The words of `text`, with where each starts and ends, and its stem. */
export function words(text: string): { start: number; end: number; stem: string }[] {
  return [...text.matchAll(WORD)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    stem: stem(match[0]),
  }));
}

/** The text as the stores index it: its stems, in order, separated by spaces. */
export function stemmedText(text: string): string {
  return words(text)
    .map((word) => word.stem)
    .join(' ');
}

/**
 * A reader's query: words (each must appear) and quoted phrases (their words
 * in that order), all as stems. `notice` tells the reader when part of the
 * query was not used.
 */
export type SearchQuery = { clauses: string[][]; notice: string | null };

/** Reads what a reader typed, whatever it holds: never throws. */
export function parseSearchQuery(input: string): SearchQuery {
  let notice: string | null = null;
  let text = input.normalize('NFC');
  if (text.length > MAX_QUERY_LENGTH) {
    text = text.slice(0, MAX_QUERY_LENGTH);
    notice = 'too_long';
  }
  // Text between pairs of double quotes (straight or typographic) is a phrase;
  // an unpaired quote is ignored.
  const parts = text.replace(/[“”„«»]/g, '"').split('"');
  if (parts.length % 2 === 0) notice ??= 'unbalanced_quotes';
  const clauses: string[][] = [];
  parts.forEach((part, index) => {
    const stems = words(part).map((word) => word.stem);
    const isPhrase = index % 2 === 1 && index < parts.length - (parts.length % 2 === 0 ? 1 : 0);
    if (isPhrase && stems.length > 0) clauses.push(stems);
    else for (const single of stems) clauses.push([single]);
  });
  let total = 0;
  const kept = clauses.filter((clause) => {
    total += clause.length;
    return total <= MAX_QUERY_WORDS;
  });
  if (kept.length < clauses.length) notice ??= 'too_many_words';
  return { clauses: kept, notice };
}

/**
 * The query as an SQLite FTS5 match expression: each clause a quoted string
 * (a phrase when it has several stems), all required. Stems hold only letters
 * and digits, so nothing a reader types can become an FTS operator.
 */
export function ftsMatchExpression(query: SearchQuery): string {
  return query.clauses.map((clause) => `"${clause.join(' ')}"`).join(' ');
}

/**
 * The query as a PostgreSQL tsquery over the same stems: each clause a phrase
 * (words in order, `<->`), all clauses required (`&`). Every stem is quoted,
 * so no reader's text is read as tsquery syntax.
 */
export function tsQueryExpression(query: SearchQuery): string {
  return query.clauses
    .map((clause) => clause.map((stem) => `'${stem.replace(/'/g, "''")}'`).join(' <-> '))
    .map((phrase) => `(${phrase})`)
    .join(' & ');
}

/** A piece of a snippet: text, marked when it matched the query. */
export type SnippetPart = { text: string; isMatch: boolean };

/**
 * Up to `length` characters of `text` around its first match, with every
 * word whose stem is in the query marked. Starts at the beginning when
 * nothing matches (the match was in another field).
 */
export function snippet(text: string, query: SearchQuery, length = 240): SnippetPart[] {
  const wanted = new Set(query.clauses.flat());
  const all = words(text);
  const matches = all.filter((word) => wanted.has(word.stem));
  const first = matches[0];
  let from = 0;
  if (first && first.start > length / 3) {
    // Start a little before the match, at a word boundary.
    const before = all.filter((word) => word.start < first.start - length / 4).at(-1);
    from = before ? before.start : 0;
  }
  let to = Math.min(text.length, from + length);
  const cut = all.find((word) => word.start < to && word.end > to);
  if (cut) to = cut.start;
  const parts: SnippetPart[] = [];
  if (from > 0) parts.push({ text: '… ', isMatch: false });
  let at = from;
  for (const word of matches) {
    if (word.start < from || word.end > to) continue;
    if (word.start > at) parts.push({ text: text.slice(at, word.start), isMatch: false });
    parts.push({ text: text.slice(word.start, word.end), isMatch: true });
    at = word.end;
  }
  if (to > at) parts.push({ text: text.slice(at, to), isMatch: false });
  if (to < text.length) parts.push({ text: ' …', isMatch: false });
  return parts;
}
