// Search on a static mirror, in the reader's browser: the mirror has no server
// to ask. The index was built with the mirror (search/docs.js and one file per
// first letter, search/words-<code>.js), as scripts rather than JSON so that it
// loads from a file:// folder too. A word matches the articles holding a form
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
  const shards = {};
  window.mastheadSearch = {
    docs: (docs) => {
      window.mastheadSearch.loaded = docs;
    },
    words: (key, shard) => {
      shards[key] = shard;
    },
  };
  const load = (src) =>
    new Promise((resolve) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = resolve; // no file: no word starting so
      document.head.append(script);
    });
  const keyOf = (word) => word.codePointAt(0).toString(16);
  const keys = [...new Set(words.map(keyOf))];
  Promise.all([load('docs.js'), ...keys.map((key) => load(`words-${key}.js`))]).then(() => {
    const docs = window.mastheadSearch.loaded || [];
    let scores = null;
    for (const word of words) {
      const shard = shards[keyOf(word)] || { forms: {}, stems: {} };
      let stem = shard.forms[word];
      if (!stem) {
        for (const candidate of Object.keys(shard.stems)) {
          if (word.startsWith(candidate) && (!stem || candidate.length > stem.length))
            stem = candidate;
        }
      }
      const postings = (stem && shard.stems[stem]) || [];
      const found = new Map(postings.map(([doc, weight]) => [doc, weight]));
      scores =
        scores === null
          ? found
          : new Map(
              [...scores]
                .filter(([doc]) => found.has(doc))
                .map(([doc, s]) => [doc, s + found.get(doc)]),
            );
    }
    const ranked = [...(scores || new Map())]
      .sort((a, b) => b[1] - a[1] || (docs[b[0]]?.[2] || '').localeCompare(docs[a[0]]?.[2] || ''))
      .map(([doc]) => docs[doc])
      .filter(Boolean);
    if (ranked.length === 0) {
      say(box.dataset.nothing || '', 'status');
      return;
    }
    say(`${ranked.length} ${box.dataset.count || ''}`, 'status').className = 'search-count';
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
