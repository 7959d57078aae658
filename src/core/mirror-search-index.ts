import { jsonForScript } from './script-json.js';
import { SEARCH_FIELDS, type SearchField, words } from './search-text.js';

// The in-browser search index of a static mirror. A mirror has no server, and
// shipping the stemmers to the browser would cost most of a megabyte, so the
// index carries what the stemmers said at build time instead: every word form
// found in the articles with its stem, and for each stem the articles holding
// it with a weight. It is split by first letter into small scripts (scripts,
// not JSON: they load from a file:// folder too); a query loads only the
// letters its words begin with (see site/assets/mirror-search.js).

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

export class MirrorSearchIndex {
  private readonly docs: MirrorSearchDoc[] = [];
  private readonly shards = new Map<string, Shard>();

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

  /** The index's files, by their path in the mirror. */
  files(): Map<string, string> {
    const out = new Map<string, string>();
    const docs = this.docs.map((doc) => [doc.file, doc.title, doc.publishedAt ?? '', doc.language]);
    out.set('search/docs.js', `window.mastheadSearch.docs(${jsonForScript(docs)});\n`);
    for (const [key, shard] of [...this.shards].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const forms: Record<string, string> = {};
      // A form that is its own stem need not be listed: the stem is found by itself.
      for (const [form, stem] of [...shard.forms].sort(([a], [b]) => (a < b ? -1 : 1)))
        if (form !== stem) forms[form] = stem;
      const stems: Record<string, [number, number][]> = {};
      for (const [stem, postings] of [...shard.stems].sort(([a], [b]) => (a < b ? -1 : 1)))
        stems[stem] = [...postings];
      out.set(
        `search/words-${key}.js`,
        `window.mastheadSearch.words(${JSON.stringify(key)}, ${jsonForScript({ forms, stems })});\n`,
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
