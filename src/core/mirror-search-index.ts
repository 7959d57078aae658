import { jsonForScript } from './script-json.js';
import { SEARCH_FIELDS, type SearchField, words } from './search-text.js';

// The in-browser search index of a static mirror. A mirror has no server, and
// shipping the stemmers to the browser would cost most of a megabyte, so the
// index carries what the stemmers said at build time instead: every word form
// found in the articles with its stem, and for each stem the articles holding
// it with a weight.
//
// The index is cut into chunks by article id (ids 0–999, 1000–1999, …), so a
// build after an edit makes again only the chunk of the article that changed.
// Each chunk is split by first letter into small scripts (scripts, not JSON:
// they load from a file:// folder too); `search/index.js` names the chunks
// and the letters each holds, and a query loads only the letters its words
// begin with (see site/assets/mirror-search.js).

/** Article ids per chunk of the index. */
export const SEARCH_CHUNK_SIZE = 1000;

/** The file naming the chunks, loaded first by the search page. */
export const SEARCH_INDEX_FILE = 'search/index.js';

const CHUNK_FILE = /^search\/(ids-(\d+)-(\d+))\/(?:docs|words-[0-9a-f]+)\.js$/;

/** The chunk an article's entry is in ("ids-1000-1999"). */
export function searchChunkOf(articleId: number, size = SEARCH_CHUNK_SIZE): string {
  const first = Math.floor(articleId / size) * size;
  return `ids-${first}-${first + size - 1}`;
}

/** The ids a chunk holds, or null for a name that is not a chunk of this size. */
export function searchChunkIds(
  chunk: string,
  size = SEARCH_CHUNK_SIZE,
): { first: number; last: number } | null {
  const match = /^ids-(\d+)-(\d+)$/.exec(chunk);
  if (!match) return null;
  const first = Number(match[1]);
  const last = Number(match[2]);
  return first % size === 0 && last === first + size - 1 ? { first, last } : null;
}

/** The chunk a file of the index belongs to, or null when it is not a chunk's file. */
export function searchChunkOfFile(path: string): string | null {
  return CHUNK_FILE.exec(path)?.[1] ?? null;
}

/**
 * `search/index.js` for the chunk files there are: each chunk (in id order)
 * with the first letters it has a file for, so a query asks for no file that
 * is not there.
 */
export function searchIndexScript(chunkFiles: Iterable<string>): string {
  const chunks = new Map<string, string[]>();
  for (const path of chunkFiles) {
    const chunk = searchChunkOfFile(path);
    if (!chunk) continue;
    const keys = chunks.get(chunk) ?? [];
    const key = /\/words-([0-9a-f]+)\.js$/.exec(path)?.[1];
    if (key) keys.push(key);
    chunks.set(chunk, keys);
  }
  const listed = [...chunks]
    .map(([chunk, keys]) => [chunk, keys.sort()] as const)
    .sort(([a], [b]) => firstIdOf(a) - firstIdOf(b));
  return `window.mastheadSearch.index(${jsonForScript(listed)});\n`;
}

function firstIdOf(chunk: string): number {
  return Number(/^ids-(\d+)-/.exec(chunk)?.[1] ?? 0);
}

/** An article as the mirror's search lists it. */
export type MirrorSearchDoc = {
  /** Its page in the mirror ("news/world/story/index.html"). */
  file: string;
  title: string;
  publishedAt: string | null;
  language: string;
};

// Where a word was found counts, as on the server: the headline most.
const FIELD_WEIGHTS: Record<SearchField, number> = {
  headline: 10,
  standfirst: 4,
  body: 1,
  authors: 4,
  tags: 4,
  captions: 1,
};

type Shard = { forms: Map<string, string>; stems: Map<string, Map<number, number>> };

/** One chunk of the index: its articles are added in id order. */
export class MirrorSearchIndex {
  private readonly docs: MirrorSearchDoc[] = [];
  private readonly shards = new Map<string, Shard>();

  constructor(private readonly chunk: string) {}

  /** Adds an article with its searchable fields, in SEARCH_FIELDS order. */
  add(doc: MirrorSearchDoc, fields: readonly string[]): void {
    const index = this.docs.push(doc) - 1;
    fields.forEach((text, field) => {
      const name = SEARCH_FIELDS[field];
      const weight = name ? FIELD_WEIGHTS[name] : 1;
      const seen = new Set<string>();
      for (const word of words(text)) {
        const form = text.slice(word.start, word.end).toLowerCase().replace(/ё/g, 'е');
        const shard = this.shardOf(form);
        shard.forms.set(form, word.stem);
        if (seen.has(word.stem)) continue;
        seen.add(word.stem);
        const stemShard = this.shardOf(word.stem);
        let postings = stemShard.stems.get(word.stem);
        if (!postings) {
          postings = new Map();
          stemShard.stems.set(word.stem, postings);
        }
        postings.set(index, (postings.get(index) ?? 0) + weight);
      }
    });
  }

  /** The chunk's files, by their path in the mirror. */
  files(): Map<string, string> {
    const out = new Map<string, string>();
    const chunk = JSON.stringify(this.chunk);
    const docs = this.docs.map((doc) => [doc.file, doc.title, doc.publishedAt ?? '', doc.language]);
    out.set(
      `search/${this.chunk}/docs.js`,
      `window.mastheadSearch.docs(${chunk}, ${jsonForScript(docs)});\n`,
    );
    for (const [key, shard] of [...this.shards].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const forms: Record<string, string> = {};
      // A form that is its own stem need not be listed: the stem is found by itself.
      for (const [form, stem] of [...shard.forms].sort(([a], [b]) => (a < b ? -1 : 1)))
        if (form !== stem) forms[form] = stem;
      const stems: Record<string, [number, number][]> = {};
      for (const [stem, postings] of [...shard.stems].sort(([a], [b]) => (a < b ? -1 : 1)))
        stems[stem] = [...postings];
      out.set(
        `search/${this.chunk}/words-${key}.js`,
        `window.mastheadSearch.words(${chunk}, ${JSON.stringify(key)}, ${jsonForScript({ forms, stems })});\n`,
      );
    }
    return out;
  }

  private shardOf(word: string): Shard {
    const key = (word.codePointAt(0) ?? 0).toString(16);
    let shard = this.shards.get(key);
    if (!shard) {
      shard = { forms: new Map(), stems: new Map() };
      this.shards.set(key, shard);
    }
    return shard;
  }
}
