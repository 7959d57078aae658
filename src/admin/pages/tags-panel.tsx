import { type ReactNode, useState } from 'react';
import { api, messageOf } from '../api.js';
import { useLoad } from '../use-load.js';

type TagRow = { name: string; slug: string; articleCount: number };

/** Every tag with its article count; a tag's spelling can be corrected everywhere at once. */
export function TagsPanel(): ReactNode {
  const tags = useLoad(() => api<{ tags: TagRow[] }>('GET', '/tags'), 'tags');
  const [names, setNames] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');

  const rename = async (tag: TagRow) => {
    const name = names[tag.slug] ?? tag.name;
    try {
      await api('PATCH', `/tags/${encodeURIComponent(tag.slug)}`, { name });
      setStatus(`“${tag.name}” is now spelled “${name}”.`);
      tags.reload();
    } catch (failure) {
      setStatus(messageOf(failure));
    }
  };

  return (
    <section aria-labelledby="tags-heading">
      <h2 id="tags-heading">Tags</h2>
      <p className="hint">
        Tags are created as articles are tagged. Correct a spelling here and every article shows it.
      </p>
      <p role="status">{status}</p>
      {tags.data?.tags.length === 0 ? <p>No tags yet.</p> : null}
      <ul className="tag-admin-list">
        {tags.data?.tags.map((tag) => (
          <li key={tag.slug}>
            <label>
              Tag “{tag.name}” ({tag.articleCount} {tag.articleCount === 1 ? 'article' : 'articles'}
              )
              <input
                value={names[tag.slug] ?? tag.name}
                onChange={(e) =>
                  setNames((current) => ({ ...current, [tag.slug]: e.target.value }))
                }
              />
            </label>
            <button type="button" onClick={() => void rename(tag)}>
              Rename “{tag.name}”
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
