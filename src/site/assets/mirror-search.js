// Search on a static mirror, in the reader's browser: the mirror has no server
// to ask. The index was built with the mirror, cut into chunks by article id:
// search/index.js lists the chunks; each has docs.js and one file per first
// letter, words-<code>.js. They are scripts rather than JSON so that they
// load from a file:// folder too. A word matches the articles holding a form
// of it: its known forms map to a stem; an unknown form matches the longest
// indexed stem it begins with. Every word must match; headline matches rank first.
(() => {
  const box = document.querySelector('.mirror-search');
  if (!box) return;
  const input = document.querySelector('#search-page-query');
  const query = new URLSearchParams(location.search).get('q') || '';
  if (input) input.value = query;
  const say = (text, role) => {
    const p = document.createElement('p');
    p.textContent = text;
    if (role) p.setAttribute('role', role);
    box.append(p);
    return p;
  };
  // "1 article found", "5 articles found": the page gives each plural form
  // of its language (data-count), and Intl.PluralRules picks one.
  const countText = (count) => {
    try {
      const { locale, forms } = JSON.parse(box.dataset.count || '');
      const form = forms[new Intl.PluralRules(locale).select(count)] || forms.other;
      return form.replace('{count}', String(count));
    } catch {
      return String(count);
    }
  };
  const words = [
    ...new Set(
      (
        query
          .toLowerCase()
          .replace(/ё/g, 'е')
          .match(/[\p{L}\p{N}]+/gu) || []
      ).slice(0, 12),
    ),
  ];
  if (words.length === 0) {
    say(box.dataset.empty || '');
    return;
  }
  const index = { chunks: [], docs: {}, shards: {} };
  window.mastheadSearch = {
    index: (chunks) => {
      index.chunks = chunks;
    },
    docs: (chunk, docs) => {
      index.docs[chunk] = docs;
    },
    words: (chunk, key, shard) => {
      index.shards[`${chunk}/${key}`] = shard;
    },
  };
  const load = (src) =>
    new Promise((resolve) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = resolve; // a missing file finds nothing
      document.head.append(script);
    });
  const keyOf = (word) => word.codePointAt(0).toString(16);
  // The tables are plain objects: "constructor" is a word, not Object.prototype's.
  const own = (table, key) => (Object.hasOwn(table, key) ? table[key] : undefined);
  const keys = new Set(words.map(keyOf));
  const search = async () => {
    await load('index.js');
    // Only the files there are: index.js lists each chunk's first letters.
    await Promise.all(
      index.chunks.flatMap(([chunk, has]) =>
        has.filter((key) => keys.has(key)).map((key) => load(`${chunk}/words-${key}.js`)),
      ),
    );
    let scores = null; // "chunk doc" → weight, for articles holding every word so far
    for (const word of words) {
      const shards = index.chunks
        .map(([chunk]) => [chunk, index.shards[`${chunk}/${keyOf(word)}`]])
        .filter(([, shard]) => shard);
      // The stem is the same in every chunk: a known form says it; else the longest stem the word begins with.
      let stem = shards.map(([, shard]) => own(shard.forms, word)).find(Boolean);
      if (!stem) {
        for (const [, shard] of shards)
          for (const candidate of Object.keys(shard.stems))
            if (word.startsWith(candidate) && (!stem || candidate.length > stem.length))
              stem = candidate;
      }
      const found = new Map();
      if (stem)
        for (const [chunk, shard] of shards)
          for (const [doc, weight] of own(shard.stems, stem) || [])
            found.set(`${chunk} ${doc}`, weight);
      scores =
        scores === null
          ? found
          : new Map(
              [...scores]
                .filter(([doc]) => found.has(doc))
                .map(([doc, s]) => [doc, s + found.get(doc)]),
            );
    }
    const hits = [...(scores || new Map())].map(([at, score]) => {
      const [chunk, doc] = at.split(' ');
      return { chunk, doc: Number(doc), score };
    });
    await Promise.all(
      [...new Set(hits.map((hit) => hit.chunk))].map((chunk) => load(`${chunk}/docs.js`)),
    );
    return hits
      .map((hit) => ({ ...hit, entry: (own(index.docs, hit.chunk) || [])[hit.doc] }))
      .filter((hit) => hit.entry)
      .sort((a, b) => b.score - a.score || (b.entry[2] || '').localeCompare(a.entry[2] || ''))
      .map((hit) => hit.entry);
  };
  // A damaged index file finds nothing rather than leaving the page silent.
  search()
    .catch(() => [])
    .then((ranked) => {
      if (ranked.length === 0) {
        say(box.dataset.nothing || '', 'status');
        return;
      }
      say(countText(ranked.length), 'status').className = 'search-count';
      const list = document.createElement('ol');
      list.className = 'search-results';
      for (const [file, title, date, language] of ranked.slice(0, 100)) {
        const item = document.createElement('li');
        item.className = 'search-result';
        if (language) item.lang = language;
        const heading = document.createElement('h2');
        heading.className = 'teaser-title';
        const link = document.createElement('a');
        link.href = `../${file}`;
        link.textContent = title;
        heading.append(link);
        item.append(heading);
        if (date) {
          const meta = document.createElement('p');
          meta.className = 'teaser-meta';
          meta.textContent = date.slice(0, 10);
          item.append(meta);
        }
        list.append(item);
      }
      box.append(list);
    });
})();
